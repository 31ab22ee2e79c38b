import path from 'node:path';
import { build } from 'vite';
import { CUSTOMER_SSR_FILE } from '../src/server/http/web-routes.ts';

/**
 * The one web build (npm run build, npm start's first start, the browser suite): both browser
 * entries (the staff app and the customer page, with a manifest) into `outDir`, then the customer
 * page's server-side renderer into `outDir/ssr/` (React stays external; it is a dependency). Always a
 * production build: Vitest sets NODE_ENV=test, which would otherwise give React's development build.
 */
export async function buildWebApp(outDir: string): Promise<void> {
  const previous = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  const configFile = path.resolve('vite.config.ts');
  try {
    await build({
      configFile,
      logLevel: 'warn',
      mode: 'production',
      build: { outDir, emptyOutDir: true, manifest: true },
    });
    await build({
      configFile,
      logLevel: 'warn',
      mode: 'production',
      build: {
        ssr: true,
        outDir: path.join(outDir, path.dirname(CUSTOMER_SSR_FILE)),
        emptyOutDir: true,
        copyPublicDir: false,
        // The entry (src/web/customer/ssr.tsx → customer-ssr.mjs) is vite.config.ts's for an SSR build.
      },
    });
  } finally {
    process.env.NODE_ENV = previous;
  }
}
