import path from 'node:path';
import { build } from 'vite';

/** Global setup of the browser suite: build the web assets the server will serve. */
export default async function buildWeb(): Promise<void> {
  if (process.env.KS_SKIP_BROWSER) return;
  await build({ configFile: path.resolve('vite.config.ts'), logLevel: 'warn' });
}
