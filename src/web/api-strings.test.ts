import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repositoryRoot } from './import-graph.ts';

// One typed API client (issue 14): the web app's routes are written in the clients' route tables
// (staff/api.ts, customer/api.ts, over shared/api-client.ts) and nowhere else. A component or data hook
// that writes an '/api/…' URL again bypasses the types and the check against the OpenAPI document
// (test/http/web-client-routes.test.ts); this names it.

const clients = ['src/web/shared/api-client.ts', 'src/web/staff/api.ts', 'src/web/customer/api.ts'];
/** A string or template literal that starts with /api/ (a comment naming a route is fine). */
const apiUrl = /['"`]\/api\//;

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

describe('the web app calls the API only through its typed clients', () => {
  const files = sourceFiles(join(repositoryRoot, 'src/web')).map((path) => relative(repositoryRoot, path));

  it('has no /api/ URL outside the clients', () => {
    const offenders = files
      .filter((file) => !clients.includes(file))
      .flatMap((file) =>
        readFileSync(join(repositoryRoot, file), 'utf8')
          .split('\n')
          .flatMap((line, index) => (apiUrl.test(line) ? [`${file}:${index + 1}: ${line.trim()}`] : [])),
      );
    expect(offenders).toEqual([]);
  });

  it('finds the components and the clients it guards', () => {
    expect(files).toContain('src/web/staff/cases/CaseActions.tsx');
    expect(files).toContain('src/web/customer/App.tsx');
    for (const client of clients) expect(files).toContain(client);
  });
});
