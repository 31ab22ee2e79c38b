import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';

// Issue 15, item 12: the server serves every file of the build's assets folder, so a source map
// written there would publish the app's source. The production build (npm run build, main.ts: this
// config) writes none and points to none. A build takes a few seconds.

const outDir = mkdtempSync(path.join(tmpdir(), 'kundeside-web-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('web build', () => {
  it('writes no source map and no sourceMappingURL', { timeout: 120_000 }, async () => {
    await build({
      configFile: path.resolve('vite.config.ts'),
      logLevel: 'silent',
      build: { outDir, emptyOutDir: true },
    });
    const files = readdirSync(outDir, { recursive: true, encoding: 'utf8' });
    const scripts = files.filter((file) => /\.(js|css)$/.test(file));
    expect(scripts.length).toBeGreaterThan(0);
    expect(files.filter((file) => file.endsWith('.map'))).toEqual([]);
    expect(
      scripts.filter((file) => readFileSync(path.join(outDir, file), 'utf8').includes('sourceMappingURL')),
    ).toEqual([]);
  });
});
