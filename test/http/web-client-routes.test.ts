import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repositoryRoot } from '../../src/web/import-graph.ts';
import { useTestApp } from '../support/test-app.ts';

// The web app's typed API clients (issue 14) list every route they call in a table keyed
// 'METHOD /api/path/{param}', the OpenAPI document's own spelling. The types of each entry come from the
// same zod contracts the server route declares; this checks the other half: that every route of both
// tables is one the server documents, with the same path parameters — so a route renamed or removed on
// the server fails here, not in a browser.

const t = useTestApp();

const clients = ['src/web/staff/api.ts', 'src/web/customer/api.ts'];
const routeKey = /'(GET|POST|PUT|PATCH|DELETE) (\/api\/[^'\s]*)'/g;

/** The routes a client file names (its table keys and the calls over them). */
function routesIn(file: string): Set<string> {
  const source = readFileSync(join(repositoryRoot, file), 'utf8');
  return new Set([...source.matchAll(routeKey)].map(([, method, path]) => `${method} ${path}`));
}

describe('the web clients call only documented routes', () => {
  it.each(clients)('%s: every route is in /api/openapi.json with the same path parameters', async (file) => {
    const response = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(response.statusCode).toBe(200);
    const doc = response.json() as {
      paths: Record<string, Record<string, { parameters?: Array<{ in: string; name: string }> }>>;
    };
    const routes = routesIn(file);
    expect(routes.size).toBeGreaterThan(5);
    const problems: string[] = [];
    for (const route of routes) {
      const [method = '', path = ''] = route.split(' ');
      const operation = doc.paths[path]?.[method.toLowerCase()];
      if (!operation) {
        problems.push(`${route}: not in the OpenAPI document`);
        continue;
      }
      const documented = (operation.parameters ?? [])
        .filter((parameter) => parameter.in === 'path')
        .map((parameter) => parameter.name)
        .sort();
      const named = [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => name).sort();
      if (JSON.stringify(documented) !== JSON.stringify(named)) {
        problems.push(`${route}: path parameters ${named.join(',')} ≠ documented ${documented.join(',')}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('reads the tables it checks (the case actions, the customer page)', () => {
    expect(routesIn('src/web/staff/api.ts')).toContain('POST /api/cases/{id}/claim-decision');
    expect(routesIn('src/web/customer/api.ts')).toContain('GET /api/customer/page');
  });
});
