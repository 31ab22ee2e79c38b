import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { buildWebApp } from './build-web.ts';

// `npm run build`: compiles the server to dist/node (tsc with tsconfig.server.json; `npm start` runs
// it), builds both web entries, then prints the gzipped JavaScript each entry loads on
// first visit (the entry and every chunk it imports statically) and fails when an entry is over its
// budget (quality bar: staff app ≤ 150 KB, customer page ≤ 100 KB gzipped). Chunks behind a dynamic
// import() (the staff app's pages, the admin's preview) are not part of the first load; their sizes
// are printed beside it so a heavy page shows too.
// `npm run build -- --out-dir /tmp/web` builds the web app elsewhere (dist/web is what the server and the
// browser tests serve); `--web-only` skips the server.

const { values } = parseArgs({ options: { 'out-dir': { type: 'string' }, 'web-only': { type: 'boolean' } } });
const dist = path.resolve(values['out-dir'] ?? 'dist/web');

if (!values['web-only']) {
  // A clean output folder: a module deleted from src/ must not live on in dist/node.
  rmSync('dist/node', { recursive: true, force: true });
  const started = performance.now();
  const tsc = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.server.json'], {
    stdio: 'inherit',
  });
  if (tsc.status !== 0) {
    console.error('The server did not compile (tsc -p tsconfig.server.json).');
    process.exit(1);
  }
  console.log(`Server compiled to dist/node in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

const entries = [
  { key: 'staff/index.html', label: 'Staff app', budget: 150 * 1024 },
  { key: 'customer/index.html', label: 'Customer page', budget: 100 * 1024 },
] as const;

interface ManifestChunk {
  file: string;
  imports?: string[];
  dynamicImports?: string[];
}

await buildWebApp(dist);
const manifest = JSON.parse(readFileSync(path.join(dist, '.vite/manifest.json'), 'utf8')) as Record<
  string,
  ManifestChunk
>;

/** Files an entry loads before it runs: itself and its static imports, transitively. */
function firstLoad(key: string, seen = new Set<string>()): Set<string> {
  const chunk = manifest[key];
  if (!chunk || seen.has(chunk.file)) return seen;
  seen.add(chunk.file);
  for (const imported of chunk.imports ?? []) firstLoad(imported, seen);
  return seen;
}

/** Files an entry may load later: everything reachable through a dynamic import, minus the first load. */
function onDemand(key: string, initial: Set<string>): Set<string> {
  const later = new Set<string>();
  const visit = (chunkKey: string, seen: Set<string>) => {
    const chunk = manifest[chunkKey];
    if (!chunk || seen.has(chunkKey)) return;
    seen.add(chunkKey);
    if (!initial.has(chunk.file)) later.add(chunk.file);
    for (const imported of [...(chunk.imports ?? []), ...(chunk.dynamicImports ?? [])]) visit(imported, seen);
  };
  visit(key, new Set());
  return later;
}

const gzipped = (file: string) => gzipSync(readFileSync(path.join(dist, file)), { level: 9 }).length;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const js = (files: Iterable<string>) => [...files].filter((file) => file.endsWith('.js'));
const over: string[] = [];
for (const { key, label, budget } of entries) {
  const initial = firstLoad(key);
  const files = js(initial);
  const total = files.reduce((sum, file) => sum + gzipped(file), 0);
  console.log(
    `${label}: ${kb(total)} of gzipped JavaScript on first load (budget ${kb(budget)}) — ${files.join(', ')}`,
  );
  const later = js(onDemand(key, initial)).map((file) => ({ file, bytes: gzipped(file) }));
  if (later.length > 0) {
    const largest = later.reduce((a, b) => (b.bytes > a.bytes ? b : a));
    const sum = later.reduce((acc, chunk) => acc + chunk.bytes, 0);
    console.log(
      `  loaded on demand: ${later.length} chunks, ${kb(sum)} in all, largest ${largest.file} ${kb(largest.bytes)}`,
    );
  }
  if (total > budget) over.push(label);
}
if (over.length > 0) {
  console.error(`Over the JavaScript budget: ${over.join(', ')}.`);
  process.exit(1);
}
