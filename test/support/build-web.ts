import path from 'node:path';
import { build } from 'vite';

/** Global setup of the browser suite: build the web assets the server will serve. */
export default async function buildWeb(): Promise<void> {
  if (process.env.KS_SKIP_BROWSER) return;
  // The production build the server serves (Vitest sets NODE_ENV=test, which would otherwise give
  // React's development build, with StrictMode's double effects, to every journey and to npm start).
  const previous = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: path.resolve('vite.config.ts'), logLevel: 'warn', mode: 'production' });
  } finally {
    process.env.NODE_ENV = previous;
  }
}
