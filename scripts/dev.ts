import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { build } from 'vite';
import { buildWebApp } from './build-web.ts';

// `npm run dev`: the development loop. The server runs from its TypeScript sources under tsx and
// restarts when they change (`node --watch`); Vite rebuilds the web app into dist/web when its sources
// change (browser entries only: a change to the customer page's server-side renderer needs
// `npm run build -- --web-only`). Reload the browser to see a web change. Nothing here is for production:
// `npm start` runs the compiled build.

const dist = path.resolve('dist/web');
if (!existsSync(path.join(dist, 'staff', 'index.html'))) {
  console.log('Building the web app once…');
  await buildWebApp(dist);
}

// The browser entries in watch mode, into the folder the server serves (emptyOutDir off: the
// server-side renderer lives in dist/web/ssr).
process.env.NODE_ENV = 'production';
await build({
  configFile: path.resolve('vite.config.ts'),
  logLevel: 'info',
  mode: 'production',
  build: { outDir: dist, emptyOutDir: false, manifest: true, watch: {} },
});

const server: ChildProcess = spawn(
  process.execPath,
  [
    '--watch-path=src/server',
    '--watch-path=src/common',
    '--watch-path=dist/web/.vite',
    '--import',
    'tsx',
    'src/server/main.ts',
  ],
  { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'development' } },
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.kill(signal);
    process.exit(0);
  });
}
