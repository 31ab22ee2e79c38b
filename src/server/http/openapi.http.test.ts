import { createConfig, lintFromString } from '@redocly/openapi-core';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../../test/support/test-app.ts';
import type { App } from './types.ts';

// The OpenAPI document is what integrators generate their clients from (issue 18 item 6): it must
// pass Redocly's recommended rules, name every operation, describe every error in the one envelope
// and say which credentials each route takes.

interface Operation {
  operationId?: string;
  summary?: string;
  security?: Record<string, string[]>[];
  parameters?: { in: string; name: string }[];
  requestBody?: unknown;
  responses: Record<string, { $ref?: string; description?: string }>;
}

interface Document {
  servers?: { url: string }[];
  security?: Record<string, string[]>[];
  tags?: { name: string; description?: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, unknown>;
    responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
    securitySchemes: Record<string, { type: string; in?: string; name?: string; description?: string }>;
  };
}

async function openApiDocument(app: App): Promise<{ body: string; doc: Document }> {
  const response = await app.inject({ method: 'GET', url: '/api/openapi.json' });
  expect(response.statusCode).toBe(200);
  return { body: response.body, doc: response.json() as Document };
}

function operations(doc: Document): { key: string; path: string; method: string; operation: Operation }[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({
      key: `${method.toUpperCase()} ${path}`,
      path,
      method,
      operation,
    })),
  );
}

/** Every property of every schema in the document, with its name (walks nested objects and arrays). */
function properties(node: unknown, found: { name: string; schema: Record<string, unknown> }[] = []) {
  if (Array.isArray(node)) {
    for (const item of node) properties(item, found);
  } else if (node && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    const props = record.properties;
    if (props && typeof props === 'object' && !Array.isArray(props)) {
      for (const [name, schema] of Object.entries(props as Record<string, unknown>)) {
        if (schema && typeof schema === 'object')
          found.push({ name, schema: schema as Record<string, unknown> });
      }
    }
    for (const value of Object.values(record)) properties(value, found);
  }
  return found;
}

describe('the OpenAPI document', () => {
  const t = useTestApp();

  it("passes Redocly's recommended rules with no error and no warning", async () => {
    const { body, doc } = await openApiDocument(t.app);
    const problems = await lintFromString({
      source: body,
      absoluteRef: 'openapi.json',
      config: await createConfig({ extends: ['recommended'] }),
    });
    // A browser redirect (the sign-in flows) has no 2xx by nature: the one finding let through.
    const redirectOnly = (pointer: string) => {
      const [, path = '', method = ''] = /^#\/paths\/([^/]+)\/([a-z]+)\/responses$/.exec(pointer) ?? [];
      const statuses = Object.keys(
        doc.paths[path.replaceAll('~1', '/').replaceAll('~0', '~')]?.[method]?.responses ?? {},
      );
      return statuses.some((status) => status.startsWith('3'));
    };
    const describe = (severity: string) =>
      problems
        .filter((problem) => problem.severity === severity)
        .filter(
          (problem) =>
            !(
              problem.ruleId === 'operation-2xx-response' && redirectOnly(problem.location[0]?.pointer ?? '')
            ),
        )
        .map((problem) => `${problem.ruleId}: ${problem.message} @ ${problem.location[0]?.pointer ?? ''}`);
    const errors = describe('error');
    const warnings = describe('warn');
    if (errors.length || warnings.length) {
      console.warn(`OpenAPI lint (recommended): ${errors.length} errors, ${warnings.length} warnings`);
    }
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('names every operation once, with ids a client generator can use', async () => {
    const { doc } = await openApiDocument(t.app);
    const all = operations(doc);
    expect(all.length).toBeGreaterThan(80);
    const ids = all.map(({ operation }) => operation.operationId);
    expect(all.filter(({ operation }) => !operation.operationId).map(({ key }) => key)).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z][A-Za-z0-9]*$/);
    expect(doc.paths['/api/cases/{id}/close']?.post?.operationId).toBe('postCasesIdClose');
    expect(doc.paths['/api/cases']?.get?.operationId).toBe('getCases');
    expect(doc.paths['/api/customer/page']?.get?.operationId).toBe('getCustomerPage');
    expect(all.filter(({ operation }) => !operation.summary).map(({ key }) => key)).toEqual([]);
  });

  it('describes every error as the shared envelope, with a 4xx and a 500 on every operation', async () => {
    const { doc } = await openApiDocument(t.app);
    expect(doc.components.schemas.Error).toMatchObject({
      type: 'object',
      required: ['error'],
      properties: { error: { required: ['code', 'message'] } },
    });
    for (const [name, response] of Object.entries(doc.components.responses)) {
      expect(response.content?.['application/json']?.schema, name).toEqual({
        $ref: '#/components/schemas/Error',
      });
    }
    const problems: string[] = [];
    for (const { key, path, method, operation } of operations(doc)) {
      const statuses = Object.keys(operation.responses);
      if (!statuses.some((status) => status.startsWith('4'))) problems.push(`${key}: no 4xx`);
      if (!statuses.includes('500')) problems.push(`${key}: no 500`);
      if (path.includes('{') && !statuses.includes('404')) problems.push(`${key}: an id but no 404`);
      if ((operation.requestBody || operation.parameters?.length) && !statuses.includes('400')) {
        problems.push(`${key}: takes input but no 400`);
      }
      const signedIn = !(operation.security && operation.security.length === 0);
      if (signedIn && !statuses.includes('401')) problems.push(`${key}: needs credentials but no 401`);
      if (method !== 'get' && path.startsWith('/api/') && !statuses.includes('403')) {
        problems.push(`${key}: a change (CSRF rule) but no 403`);
      }
      for (const [status, response] of Object.entries(operation.responses)) {
        if (status.startsWith('4') || status.startsWith('5')) {
          const name = response.$ref?.replace('#/components/responses/', '') ?? '';
          if (!doc.components.responses[name])
            problems.push(`${key}: ${status} is not a shared error response`);
        }
      }
    }
    expect(problems).toEqual([]);
    const codeVerify = doc.paths['/api/customer/code/verify']?.post?.responses ?? {};
    expect(codeVerify['423']).toEqual({ $ref: '#/components/responses/Locked' });
    expect(codeVerify['429']).toEqual({ $ref: '#/components/responses/TooManyRequests' });
    expect(doc.paths['/api/live']?.get?.responses['429']).toEqual({
      $ref: '#/components/responses/TooManyRequests',
    });
  });

  it('answers errors in the documented envelope', async () => {
    const { doc } = await openApiDocument(t.app);
    expect(doc.paths['/api/cases']?.get?.responses['401']).toEqual({
      $ref: '#/components/responses/Unauthorized',
    });
    const refused = await t.app.inject({ method: 'GET', url: '/api/cases' });
    expect(refused.statusCode).toBe(401);
    expect(refused.json()).toEqual({ error: { code: 'unauthenticated', message: expect.any(String) } });
  });

  it('gives public routes no security, the customer API the customer cookie, staff routes session or key', async () => {
    const { doc } = await openApiDocument(t.app);
    expect(doc.security).toEqual([{ session: [] }, { apiKey: [] }]);
    expect(doc.components.securitySchemes).toMatchObject({
      session: { type: 'apiKey', in: 'cookie', name: 'ks_session', description: expect.any(String) },
      apiKey: { type: 'http', description: expect.any(String) },
      customerSession: { type: 'apiKey', in: 'cookie', name: 'ks_customer', description: expect.any(String) },
    });
    for (const [path, method] of [
      ['/api/auth/login', 'post'],
      ['/healthz', 'get'],
      ['/api/customer/session', 'get'],
      ['/logos/{file}', 'get'],
    ] as const) {
      expect(doc.paths[path]?.[method]?.security, `${method} ${path}`).toEqual([]);
    }
    const customer = operations(doc).filter(({ path }) => path.startsWith('/api/customer/'));
    expect(customer.length).toBeGreaterThan(5);
    for (const { key, operation } of customer) {
      expect([[], [{ customerSession: [] }]], key).toContainEqual(operation.security);
    }
    expect(doc.paths['/api/customer/page']?.get?.security).toEqual([{ customerSession: [] }]);
    // Staff routes inherit the document's security: session cookie or API key.
    expect(doc.paths['/api/cases/{id}']?.get?.security).toBeUndefined();
  });

  it('declares its server and the tags it uses, each described', async () => {
    const { doc } = await openApiDocument(t.app);
    expect(doc.servers).toEqual([{ url: t.config.publicBaseUrl, description: expect.any(String) }]);
    const used = new Set(
      operations(doc).flatMap(({ operation }) => (operation as { tags?: string[] }).tags ?? []),
    );
    expect(new Set(doc.tags?.map((tag) => tag.name))).toEqual(used);
    for (const tag of doc.tags ?? []) expect(tag.description, tag.name).toBeTruthy();
  });

  it('marks timestamps as date-time and calendar dates as date', async () => {
    const { doc } = await openApiDocument(t.app);
    const found = properties(doc.paths);
    // String fields by their names (an `updatedAt` sent back and ignored is no string).
    const strings = found.filter(({ schema }) => schema.type === 'string');
    const timestamps = strings.filter(({ name }) => /At$/.test(name));
    const dates = strings.filter(({ name }) => /On$/.test(name) || name === 'today' || name === 'tomorrow');
    expect(timestamps.length).toBeGreaterThan(30);
    expect(dates.length).toBeGreaterThan(10);
    expect(timestamps.filter(({ schema }) => schema.format !== 'date-time').map(({ name }) => name)).toEqual(
      [],
    );
    expect(dates.filter(({ schema }) => schema.format !== 'date').map(({ name }) => name)).toEqual([]);
  });
});

describe('the OpenAPI document over HTTPS', () => {
  const t = useTestApp({ PUBLIC_BASE_URL: 'https://skade.forsikring.test/kundeside' });

  it('names the public base URL as its server and the __Host- cookies', async () => {
    const { doc } = await openApiDocument(t.app);
    expect(doc.servers?.map((server) => server.url)).toEqual(['https://skade.forsikring.test/kundeside']);
    expect(doc.paths['/api/cases']).toBeDefined();
    expect(doc.components.securitySchemes.session?.name).toBe('__Host-ks_session');
    expect(doc.components.securitySchemes.customerSession?.name).toBe('__Host-ks_customer');
  });
});
