import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';

// For the bundle tests (customer/bundle-imports.test.ts, staff/first-load.test.ts): what an entry
// loads before it runs is what its static value imports reach. `import type` is erased and a dynamic
// import() is a chunk of its own, loaded later, so neither counts.

/** The repository's root, which the file names below are relative to. */
export const repositoryRoot = resolve(import.meta.dirname, '../..');

/** Every file and package the entries reach through static value imports. */
export function staticImportGraph(entries: string[]): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const queue = entries.map((entry) => resolve(repositoryRoot, entry));
  while (queue.length > 0) {
    const file = queue.pop() as string;
    const name = relative(repositoryRoot, file);
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
