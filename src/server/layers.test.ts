import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The server's layers (docs/architecture.md, "Layers"), checked on the import graph of every
// non-test .ts under src/server. A "unit" is a folder of src/server, or a file at its root. Type-only
// imports count too: a module that names another's types depends on it as much as one that calls it
// (the bundle tests, web/import-graph.ts, skip them because a bundle does not load them).

/** The layers, lowest first: a unit imports its own layer and the layers below, never one above. */
const LAYERS = [
  {
    name: 'platform',
    units: [
      'db',
      'http',
      'security',
      'storage',
      'outbox',
      'live',
      'sms-reports',
      'audit',
      'errors.ts',
      'config.ts',
    ],
  },
  { name: 'identity', units: ['companies', 'users', 'partners', 'api-keys', 'auth', 'sso'] },
  {
    name: 'case work',
    units: [
      'case-commands',
      'case-events',
      'cases',
      'tasks',
      'calls',
      'documents',
      'economy',
      'settlement',
      'settlement-report',
      'dashboard',
      'webhooks',
      'person-data',
      'data-lifecycle',
    ],
  },
  {
    name: 'customer side',
    units: [
      'customer-page-config',
      'customer-access',
      'messages',
      'customer-page',
      'satisfaction',
      'case-archive',
    ],
  },
  { name: 'composition', units: ['app.ts', 'main.ts', 'shutdown.ts', 'cli', 'demo'] },
] as const;

/**
 * The files customers' requests run through: everything of customer-page/, and the `customer-*.ts`
 * files of customer-access/ and messages/ (not customer-access.ts, the grants' service file staff
 * use). They import no staff presenter's file.
 */
const CUSTOMER_FACING = [
  /^customer-page\//,
  /^case-archive\//,
  /^(customer-access|messages)\/customer-(?!access\.ts$)[^/]+\.ts$/,
];
/** A staff presenter: a function named present… in a file that does not face customers. */
const PRESENTER = /\b(?:function\s+|const\s+)(present[A-Z]\w*)/;

const serverRoot = resolve(import.meta.dirname);

interface Edge {
  from: string;
  to: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = join(dir, name);
    if (statSync(file).isDirectory()) return sourceFiles(file);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [file] : [];
  });
}

/** Every import (value or type, static or dynamic, re-exports too) between two server files. */
function serverImports(): { files: string[]; edges: Edge[]; sources: Map<string, string> } {
  const files = sourceFiles(serverRoot).map((file) => relative(serverRoot, file));
  const sources = new Map(files.map((file) => [file, readFileSync(join(serverRoot, file), 'utf8')]));
  const edges: Edge[] = [];
  for (const [from, source] of sources) {
    const specifiers = [
      ...source.matchAll(/^(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm),
      ...source.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
    ].map((match) => match[1] ?? '');
    for (const specifier of specifiers) {
      if (!specifier.startsWith('.')) continue;
      const to = relative(serverRoot, resolve(serverRoot, dirname(from), specifier));
      const known = edges.some((edge) => edge.from === from && edge.to === to);
      if (!to.startsWith('..') && !known) edges.push({ from, to });
    }
  }
  return { files, edges, sources };
}

/** A file's unit: its folder under src/server, or the file itself at the root. */
const unitOf = (file: string) => file.split('/')[0] ?? file;
const layerIndex = new Map<string, number>(
  LAYERS.flatMap((layer, index) => layer.units.map((unit) => [unit, index] as const)),
);
const layerName = (unit: string) => LAYERS[layerIndex.get(unit) ?? -1]?.name ?? 'no layer';
const describeEdges = (edges: Edge[]) => edges.map((edge) => `    ${edge.from} → ${edge.to}`).join('\n');

/** Groups edges by the units they join (self-edges left out), each with its imports. */
function unitEdges(edges: Edge[]): Map<string, Edge[]> {
  const byPair = new Map<string, Edge[]>();
  for (const edge of edges) {
    const from = unitOf(edge.from);
    const to = unitOf(edge.to);
    if (from === to) continue;
    const key = `${from} → ${to}`;
    byPair.set(key, [...(byPair.get(key) ?? []), edge]);
  }
  return byPair;
}

/** The strongly connected components of more than one unit (Tarjan): each is an import loop. */
function loops(pairs: Map<string, Edge[]>): string[][] {
  const next = new Map<string, string[]>();
  for (const key of pairs.keys()) {
    const [from = '', to = ''] = key.split(' → ');
    next.set(from, [...(next.get(from) ?? []), to]);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (unit: string) => {
    index.set(unit, index.size);
    low.set(unit, index.get(unit)!);
    stack.push(unit);
    onStack.add(unit);
    for (const to of next.get(unit) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(unit, Math.min(low.get(unit)!, low.get(to)!));
      } else if (onStack.has(to)) {
        low.set(unit, Math.min(low.get(unit)!, index.get(to)!));
      }
    }
    if (low.get(unit) === index.get(unit)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== unit);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const unit of next.keys()) if (!index.has(unit)) visit(unit);
  return found;
}

describe('the server layers', () => {
  const { files, edges, sources } = serverImports();
  const pairs = unitEdges(edges);

  it('places every server folder (and root file) in exactly one layer', () => {
    const units = [...new Set(files.map(unitOf))];
    expect(units.filter((unit) => !layerIndex.has(unit))).toEqual([]);
    const listed = LAYERS.flatMap((layer) => layer.units);
    expect(listed.length).toBe(new Set(listed).size);
  });

  it('has no import loop between server folders', () => {
    const problems = loops(pairs).map((component) => {
      const inside = [...pairs].filter(([key]) => {
        const [from = '', to = ''] = key.split(' → ');
        return component.includes(from) && component.includes(to);
      });
      return `loop between ${component.join(', ')}:\n${inside
        .map(([key, list]) => `  ${key}\n${describeEdges(list)}`)
        .join('\n')}`;
    });
    expect(problems.join('\n'), problems.join('\n')).toBe('');
  });

  it('never imports a feature from the platform (db, http, security, storage, outbox, live)', () => {
    const problems = [...pairs]
      .filter(([key]) => {
        const [from = '', to = ''] = key.split(' → ');
        return layerIndex.get(from) === 0 && (layerIndex.get(to) ?? 0) > 0;
      })
      .map(
        ([key, list]) =>
          `${key} (platform imports ${layerName(key.split(' → ')[1]!)}):\n${describeEdges(list)}`,
      );
    expect(problems.join('\n'), problems.join('\n')).toBe('');
  });

  it('points every import down the layers or within one (platform → identity → case work → customer side → composition)', () => {
    const problems = [...pairs]
      .filter(([key]) => {
        const [from = '', to = ''] = key.split(' → ');
        return (layerIndex.get(to) ?? 0) > (layerIndex.get(from) ?? 0);
      })
      .map(
        ([key, list]) =>
          `${key} (${layerName(key.split(' → ')[0]!)} imports ${layerName(key.split(' → ')[1]!)}):\n${describeEdges(list)}`,
      );
    expect(problems.join('\n'), problems.join('\n')).toBe('');
  });

  it('keeps staff presenters out of the customer side: no customer-facing file imports one', () => {
    const customerFacing = (file: string) => CUSTOMER_FACING.some((pattern) => pattern.test(file));
    const presenterOf = (file: string) =>
      customerFacing(file) ? undefined : PRESENTER.exec(sources.get(file) ?? '')?.[1];
    const problems = edges
      .filter((edge) => customerFacing(edge.from) && presenterOf(edge.to) !== undefined)
      .map((edge) => `${edge.from} → ${edge.to} (holds the staff presenter ${presenterOf(edge.to)})`);
    expect(problems.join('\n'), problems.join('\n')).toBe('');
  });

  it('sees the graph it checks (the customer page, its presenter, the write path)', () => {
    expect(files).toContain('customer-page/customer-page.ts');
    expect(files).toContain('messages/customer-presenter.ts');
    expect(edges).toContainEqual({ from: 'cases/cases.ts', to: 'case-commands/case-command.ts' });
  });
});
