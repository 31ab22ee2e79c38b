import path from 'node:path';
import { buildWebApp } from '../../scripts/build-web.ts';

/** Global setup of the browser suite: build the web assets the server will serve (dist/web). */
export default async function buildWeb(): Promise<void> {
  if (process.env.KS_SKIP_BROWSER) return;
  await buildWebApp(path.resolve('dist/web'));
}
