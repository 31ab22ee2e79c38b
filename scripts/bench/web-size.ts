import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

/**
 * Builds both web entries into a folder of the bench's own (so a test run building dist/web at the
 * same time is not disturbed) and measures each entry's gzipped first-load JavaScript the way
 * scripts/build.ts does: the entry and every chunk it imports statically, gzip level 9.
 */

export interface EntrySize {
  entry: string;
  label: string;
  gzipBytes: number;
  files: string[];
}

interface ManifestChunk {
  file: string;
  imports?: string[];
}

/** Builds the web app into `outDir`; returns the first-load size of each entry. */
export async function buildWeb(outDir: string): Promise<EntrySize[]> {
  await build({
    configFile: path.resolve('vite.config.ts'),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, manifest: true },
  });
  const manifest = JSON.parse(readFileSync(path.join(outDir, '.vite/manifest.json'), 'utf8')) as Record<
    string,
    ManifestChunk
  >;
  const firstLoad = (key: string, seen = new Set<string>()): Set<string> => {
    const chunk = manifest[key];
    if (!chunk || seen.has(chunk.file)) return seen;
    seen.add(chunk.file);
    for (const imported of chunk.imports ?? []) firstLoad(imported, seen);
    return seen;
  };
  return (
    [
      ['staff/index.html', 'Staff app'],
      ['customer/index.html', 'Customer page'],
    ] as const
  ).map(([entry, label]) => {
    const files = [...firstLoad(entry)].filter((file) => file.endsWith('.js'));
    const gzipBytes = files.reduce(
      (sum, file) => sum + gzipSync(readFileSync(path.join(outDir, file)), { level: 9 }).length,
      0,
    );
    return { entry, label, gzipBytes, files };
  });
}
