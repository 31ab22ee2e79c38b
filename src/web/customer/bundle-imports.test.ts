import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The customer page's bundle budget (≤ 100 KB gzipped JavaScript, quality bar) holds only while its
// code imports React and small modules of our own. This walks the import graph of the customer
// entry and of the customer-page components (value imports only; `import type` is erased) and names
// anything that would pull in a library or the staff app's strings.

const root = resolve(import.meta.dirname, '../../..');
const entries = ['src/web/customer/main.tsx', 'src/web/customer/components/CustomerPage.tsx'];
const allowedPackages = ['react', 'react/jsx-runtime', 'react-dom/client'];
const forbiddenFiles = [
  /^src\/web\/staff\//,
  /^src\/web\/i18n\/(nb|en|i18n)\.ts$/,
  /^src\/web\/shared\/language\.tsx$/,
];

/** Every file and package the entries reach through value imports. */
function importGraph(): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const queue = entries.map((entry) => resolve(root, entry));
  while (queue.length > 0) {
    const file = queue.pop() as string;
    const name = relative(root, file);
    if (files.has(name)) continue;
    files.add(name);
    if (file.endsWith('.css')) continue;
    const source = readFileSync(file, 'utf8');
    const imports = source.matchAll(
      /^(?:import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm,
    );
    for (const [, typeOnly, specifier = ''] of imports) {
      if (typeOnly) continue;
      if (specifier.startsWith('.')) queue.push(resolve(dirname(file), specifier));
      else packages.add(specifier);
    }
  }
  return { files, packages };
}

describe('the customer page bundle', () => {
  const graph = importGraph();

  it('imports no library but React (no zod, react-query, react-router, libphonenumber)', () => {
    expect([...graph.packages].filter((name) => !allowedPackages.includes(name))).toEqual([]);
  });

  it('imports nothing of the staff app, nor its message files', () => {
    expect([...graph.files].filter((file) => forbiddenFiles.some((pattern) => pattern.test(file)))).toEqual(
      [],
    );
  });

  it('reaches the components, the visibility rules it needs and the customer strings', () => {
    expect(graph.files).toContain('src/web/customer/components/DashboardView.tsx');
    expect(graph.files).toContain('src/web/i18n/customer-nb.ts');
    expect(graph.files).toContain('src/common/color-contrast.ts');
  });
});
