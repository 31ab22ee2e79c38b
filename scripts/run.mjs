// `npm start`, `npm run admin`, `npm run migrate`: run an entry of the compiled server
// (dist/node/<entry>.js, made by `npm run build`) in this process. Plain JavaScript on purpose: a
// production install (`npm ci --omit=dev`) has no TypeScript runner.
//
// When the build is missing it is made first, in a child process (`npm run build` needs the dev
// dependencies: Vite, TypeScript), so the server never builds inside itself. A build older than the
// sources it came from is used as it is, with a warning: `npm run dev` is the loop for changing code.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const entry = process.argv[2];
if (!entry || !/^[a-z][a-z0-9/-]*$/.test(entry)) {
  console.error('Usage: node scripts/run.mjs <entry under dist/node, e.g. server/main> [arguments]');
  process.exit(2);
}
const compiled = path.join(root, 'dist/node', `${entry}.js`);
const webApp = path.join(root, 'dist/web/staff/index.html');

if (!existsSync(compiled) || !existsSync(webApp)) {
  console.log('No build in dist/ yet: running `npm run build` first…');
  const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0 || !existsSync(compiled)) {
    console.error(
      'The build failed or is incomplete. A production install builds before `npm ci --omit=dev`; see README "Production".',
    );
    process.exit(1);
  }
} else {
  const newer = newestSource(path.join(root, 'src'));
  if (newer > statSync(compiled).mtimeMs) {
    console.warn('Note: src/ has changed since the last `npm run build`; running the older build.');
  }
}

// The compiled entry sees the arguments as if it had been started directly.
process.argv.splice(1, 2, compiled);
await import(pathToFileURL(compiled).href);

/** The latest change time of the sources (0 when there are none: an installed copy ships dist/ only). */
function newestSource(dir) {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const item of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (item.isFile()) newest = Math.max(newest, statSync(path.join(item.parentPath, item.name)).mtimeMs);
  }
  return newest;
}
