import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

// `npm run build`: builds both web entries, then prints the gzipped JavaScript each entry loads on
// first visit (the entry and every chunk it imports statically) and fails when the customer page
// is over its budget (quality bar: ≤ 100 KB gzipped).

const CUSTOMER_BUDGET_BYTES = 100 * 1024;
const dist = path.resolve('dist/web');

interface ManifestChunk {
  file: string;
  imports?: string[];
  isEntry?: boolean;
}

await build({ configFile: path.resolve('vite.config.ts'), logLevel: 'warn', build: { manifest: true } });
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

const gzipped = (file: string) => gzipSync(readFileSync(path.join(dist, file)), { level: 9 }).length;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
let over = false;
for (const [entry, label] of [
  ['staff/index.html', 'Staff app'],
  ['customer/index.html', 'Customer page'],
] as const) {
  const files = [...firstLoad(entry)].filter((file) => file.endsWith('.js'));
  const total = files.reduce((sum, file) => sum + gzipped(file), 0);
  const budget = entry.startsWith('customer') ? ` (budget ${kb(CUSTOMER_BUDGET_BYTES)})` : '';
  console.log(`${label}: ${kb(total)} of gzipped JavaScript on first load${budget} — ${files.join(', ')}`);
  if (entry.startsWith('customer') && total > CUSTOMER_BUDGET_BYTES) over = true;
}
if (over) {
  console.error('The customer page is over its JavaScript budget.');
  process.exit(1);
}
