import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// Two entries, two bundles: the staff app and the customer page share no chunk but React (with the
// language choice and the customer strings both use), so a customer on a phone never downloads staff
// code. The staff app splits further by itself: every page and the admin's customer-page preview are
// dynamic imports (src/web/staff/App.tsx, admin/CustomerPageAdminPage.tsx), so its first load is the
// shell only; `npm run build` checks both first loads against their budgets.
export default defineConfig({
  root: resolve(import.meta.dirname, 'src/web'),
  plugins: [react()],
  build: {
    outDir: resolve(import.meta.dirname, 'dist/web'),
    emptyOutDir: true,
    sourcemap: true,
    rollupOptions: {
      input: {
        staff: resolve(import.meta.dirname, 'src/web/staff/index.html'),
        customer: resolve(import.meta.dirname, 'src/web/customer/index.html'),
      },
    },
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:3000', '/k/': 'http://127.0.0.1:3000' },
  },
});
