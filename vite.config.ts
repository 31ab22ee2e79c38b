import react from '@vitejs/plugin-react';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

/**
 * Writes a Brotli (.br) and a gzip (.gz) copy beside every script and style sheet, compressed once
 * at build time at the highest levels; the server sends the one the browser accepts
 * (@fastify/static `preCompressed`). A phone on a slow link then loads about a quarter of the bytes.
 */
function precompress(): Plugin {
  return {
    name: 'kundeside-precompress',
    // Browser builds only: the customer page's server-side renderer is never sent to a browser.
    apply: (_config, env) => env.command === 'build' && !env.isSsrBuild,
    writeBundle(options, bundle) {
      for (const [fileName, output] of Object.entries(bundle)) {
        if (!/\.(js|css)$/.test(fileName)) continue;
        const bytes = output.type === 'chunk' ? Buffer.from(output.code) : Buffer.from(output.source);
        const file = resolve(options.dir ?? '', fileName);
        writeFileSync(
          `${file}.br`,
          brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
        );
        writeFileSync(`${file}.gz`, gzipSync(bytes, { level: 9 }));
      }
    },
  };
}

// Two entries, two bundles: the staff app and the customer page share no chunk but React (with the
// language choice and the customer strings both use), so a customer on a phone never downloads staff
// code. The staff app splits further by itself: every page and the admin's customer-page preview are
// dynamic imports (src/web/staff/App.tsx, admin/CustomerPageAdminPage.tsx), so its first load is the
// shell only; `npm run build` checks both first loads against their budgets.
/** The customer page's server-side renderer: the one entry of an SSR build (scripts/build-web.ts). */
const customerRenderer: Record<string, string> = {
  'customer-ssr': resolve(import.meta.dirname, 'src/web/customer/ssr.tsx'),
};

export default defineConfig(({ isSsrBuild }) => ({
  root: resolve(import.meta.dirname, 'src/web'),
  plugins: [react(), precompress()],
  build: {
    outDir: resolve(import.meta.dirname, 'dist/web'),
    emptyOutDir: true,
    // No source maps in what the server serves: they would publish the app's source (issue 15).
    sourcemap: false,
    rollupOptions: {
      input: isSsrBuild
        ? customerRenderer
        : {
            staff: resolve(import.meta.dirname, 'src/web/staff/index.html'),
            customer: resolve(import.meta.dirname, 'src/web/customer/index.html'),
          },
      output: isSsrBuild ? { entryFileNames: '[name].mjs', chunkFileNames: '[name]-[hash].mjs' } : {},
    },
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:3000', '/k/': 'http://127.0.0.1:3000' },
  },
}));
