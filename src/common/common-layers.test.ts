import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repositoryRoot, staticImportGraph } from '../web/import-graph.ts';

// The two folders of src/common (docs/architecture.md, "Modules"): rules/ is pure TypeScript without
// zod, which the customer bundle and the staff app's first load take as it is; contracts/ holds the
// zod schemas and the types inferred from them. A rule imports only rules; a contract imports rules
// and contracts. Where a type exists on both sides, the rule writes it and the schema is tied to it
// at compile time (rules/same-type.ts), so a rule never needs to import a contract, not even a type.

const RULES = 'src/common/rules/';
const CONTRACTS = 'src/common/contracts/';
const isZod = (specifier: string) => specifier === 'zod' || specifier.startsWith('zod/');

/** The .ts files under a folder of the repository, repository-relative, tests included. */
function filesUnder(folder: string): string[] {
  return readdirSync(resolve(repositoryRoot, folder)).flatMap((name) => {
    const file = join(folder, name);
    if (statSync(resolve(repositoryRoot, file)).isDirectory()) return filesUnder(file);
    return name.endsWith('.ts') ? [file] : [];
  });
}

/** Every module a source names: value or type imports, re-exports, and `import('…')` (calls or types). */
function importedModules(source: string): string[] {
  return [
    ...source.matchAll(/^(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm),
    ...source.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((match) => match[1] ?? '');
}

/** What a file imports, as repository-relative files (relative specifiers) or package names. */
function importsOf(file: string): string[] {
  const source = readFileSync(resolve(repositoryRoot, file), 'utf8');
  return importedModules(source).map((specifier) =>
    specifier.startsWith('.')
      ? relative(repositoryRoot, resolve(repositoryRoot, dirname(file), specifier))
      : specifier,
  );
}

describe('the layers of src/common', () => {
  const rules = filesUnder(RULES);
  const contracts = filesUnder(CONTRACTS);

  it('keeps every shared file in rules/ or contracts/ (nothing else at the root of src/common)', () => {
    const loose = readdirSync(resolve(repositoryRoot, 'src/common')).filter(
      (name) => !['rules', 'contracts', 'common-layers.test.ts'].includes(name),
    );
    expect(loose, `put these in rules/ (no zod) or contracts/ (zod): ${loose.join(', ')}`).toEqual([]);
  });

  it('loads neither zod nor a contract from any rule (value imports, followed through other rules)', () => {
    const problems = rules.flatMap((file) => {
      const { files, packages } = staticImportGraph([file]);
      const reached = [
        ...[...files].filter((name) => name.startsWith(CONTRACTS)),
        ...[...packages].filter(isZod),
      ];
      return reached.length > 0 ? [`${file} loads ${reached.join(', ')}`] : [];
    });
    expect(problems.join('\n'), problems.join('\n')).toBe('');
  });

  it('names no zod and nothing outside rules/ in any rule, not even in an `import type`', () => {
    const problems = rules.flatMap((file) =>
      importsOf(file)
        .filter((target) => isZod(target) || (target.startsWith('src/') && !target.startsWith(RULES)))
        .map((target) => `${file} imports ${target}`),
    );
    expect(problems.join('\n'), problems.join('\n')).toBe('');
  });

  it('imports only rules and contracts from a contract (no server or web code)', () => {
    const problems = contracts.flatMap((file) =>
      importsOf(file)
        .filter(
          (target) => target.startsWith('src/') && !target.startsWith(RULES) && !target.startsWith(CONTRACTS),
        )
        .map((target) => `${file} imports ${target}`),
    );
    expect(problems.join('\n'), problems.join('\n')).toBe('');
  });

  it('sees what it checks: both folders, zod in the contracts, every kind of import', () => {
    expect(rules).toContain('src/common/rules/visibility.ts');
    expect(rules).toContain('src/common/rules/customer-page-settings.ts');
    expect(contracts).toContain('src/common/contracts/customer-page-settings.ts');
    expect(staticImportGraph(['src/common/contracts/api.ts']).packages).toContain('zod');
    const source = [
      "import type { z } from 'zod';",
      "export { api } from '../contracts/api.ts';",
      "type Schema = typeof import('zod/mini');",
    ].join('\n');
    expect(importedModules(source)).toEqual(['zod', '../contracts/api.ts', 'zod/mini']);
  });
});
