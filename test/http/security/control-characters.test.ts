import Fastify, { type InjectOptions, type LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerErrorHandler } from '../../../src/server/http/error-handler.ts';
import type { App } from '../../../src/server/http/types.ts';
import { TEST_ORIGIN, useTestApp } from '../../support/test-app.ts';
import {
  expectErrorShape,
  idFor,
  isCustomerRoute,
  makeTenant,
  requestFor,
  routesOf,
  tableCounts,
  VALID_BODIES,
  type RouteInfo,
  type Tenant,
} from './fixtures.ts';

// Control characters in input (attack review, issue 15 item 5): NUL made PostgreSQL fail with a 500
// in the sign-in, the case search, ids and message bodies. Every string input now refuses C0
// controls (and DEL) with 400 `validation_failed` naming the field; texts with lines keep tab and
// line breaks; a name refuses a line break. PostgreSQL's own refusal of such text is a 400 too.

const t = useTestApp();

let a: Tenant;
let routes: RouteInfo[];

beforeAll(async () => {
  if (!t.app) return;
  a = await makeTenant(t, 'Kontroll');
  routes = await routesOf(t.app);
});

const staff = () => ({ cookie: a.cookies[6]!, origin: TEST_ORIGIN });

/** 400 `validation_failed` whose fields name `path`. */
function expectRefused(response: LightMyRequestResponse, path: string): void {
  expect(response.statusCode, response.body).toBe(400);
  expectErrorShape(response, 'validation_failed');
  const fields = (response.json() as { error: { fields?: Array<{ path: string }> } }).error.fields ?? [];
  expect(
    fields.map((f) => f.path),
    response.body,
  ).toContain(path);
}

describe('control characters are refused with 400 naming the field', () => {
  it('in the sign-in e-mail and password', async () => {
    const login = (payload: object) =>
      t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { origin: TEST_ORIGIN }, payload });
    expectRefused(
      await login({ email: 'ola\u0000@example.test', password: 'a-long-password' }),
      'body.email',
    );
    expectRefused(
      await login({ email: 'ola@example.test', password: 'a-long\u0000password' }),
      'body.password',
    );
  });

  it('in the case search and other query strings', async () => {
    const get = (url: string) => t.app.inject({ method: 'GET', url, headers: staff() });
    expectRefused(await get('/api/cases?q=%00'), 'querystring.q');
    expectRefused(await get('/api/cases?q=Oslo%00gate'), 'querystring.q');
    expectRefused(await get('/api/cases?handlerId=x%00'), 'querystring.handlerId');
    expectRefused(await get(`/api/cases/${a.caseId}/documents?taskId=%00`), 'querystring.taskId');
    // The search itself still works.
    expect((await get('/api/cases?q=Kontroll')).statusCode).toBe(200);
  });

  it('in an id path parameter', async () => {
    const get = (url: string) => t.app.inject({ method: 'GET', url, headers: staff() });
    expectRefused(await get('/api/cases/%00'), 'params.id');
    expectRefused(await get(`/api/cases/${a.caseId}%00`), 'params.id');
    expectRefused(
      await t.app.inject({
        method: 'DELETE',
        url: `/api/cases/${a.caseId}/customer-access/${a.contactId}%1f`,
        headers: staff(),
      }),
      'params.contactId',
    );
  });

  it('in a message body, from staff and from the customer (JSON and multipart)', async () => {
    expectRefused(
      await t.app.inject({
        method: 'POST',
        url: `/api/cases/${a.caseId}/messages`,
        headers: staff(),
        payload: { body: 'Hei\u0000 der' },
      }),
      'body.body',
    );
    expectRefused(
      await t.app.inject({
        method: 'POST',
        url: '/api/customer/messages',
        headers: { cookie: a.customerCookie, origin: TEST_ORIGIN },
        payload: { body: 'Hei\u0007' },
      }),
      'body.body',
    );
    const boundary = 'x-kontroll';
    const multipart = [
      `--${boundary}`,
      'Content-Disposition: form-data; name="body"',
      '',
      'Hei\u0000',
      `--${boundary}--`,
      '',
    ];
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/customer/messages',
      headers: {
        cookie: a.customerCookie,
        origin: TEST_ORIGIN,
        'content-type': `multipart/form-data; boundary=${boundary}`,
      },
      payload: multipart.join('\r\n'),
    });
    expect(response.statusCode, response.body).toBe(400);
    expectErrorShape(response, 'validation_failed');
    expect(response.body).toContain('body');
  });

  it('a name with a line break, anywhere a name is asked for', async () => {
    const post = (url: string, payload: object, method: 'POST' | 'PATCH' = 'POST') =>
      t.app.inject({ method, url, headers: staff(), payload });
    expectRefused(await post('/api/partners', { name: 'Rør\nlegger AS' }), 'body.name');
    expectRefused(await post(`/api/users/${a.userId}`, { name: 'Kari\r\nNordmann' }, 'PATCH'), 'body.name');
    expectRefused(await post(`/api/cases/${a.caseId}/tasks`, { name: 'Riving\tav bad' }), 'body.name');
    expectRefused(
      await post('/api/cases', {
        claimNumber: 'SK-1\n2',
        address: { street: 'Storgata 1\nBcc: x@example.test', postalCode: '0155', city: 'Oslo' },
        customer: { name: 'Kari\nNordmann' },
      }),
      'body.customer.name',
    );
  });

  it('keeps line breaks and tabs in texts that have lines', async () => {
    const description = 'Vannskade på badet.\nLekkasje fra sluk.\r\n\tSjekk også kjøkkenet.';
    const patched = await t.app.inject({
      method: 'PATCH',
      url: `/api/cases/${a.caseId}`,
      headers: staff(),
      payload: { description },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ description });
    const message = await t.app.inject({
      method: 'POST',
      url: `/api/cases/${a.caseId}/messages`,
      headers: staff(),
      payload: { body: 'Hei!\n\nVi kommer tirsdag.\n' },
    });
    expect(message.statusCode, message.body).toBe(201);
  });
});

describe('every JSON body route', () => {
  /** Every string in a valid body, by its path (`address.street`, `lines.0.description`). */
  function stringPaths(value: unknown, prefix: string[] = []): string[][] {
    if (typeof value === 'string') return [prefix];
    if (value && typeof value === 'object') {
      return Object.entries(value).flatMap(([key, inner]) => stringPaths(inner, [...prefix, key]));
    }
    return [];
  }

  function withNul(value: unknown, path: string[]): unknown {
    if (path.length === 0) return `${String(value)}\u0000`;
    const [head, ...rest] = path as [string, ...string[]];
    const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string, unknown>;
    copy[head] = withNul(copy[head], rest);
    return copy;
  }

  it('refuses NUL in every string of a valid body with 400 naming it, and writes nothing', async () => {
    let checked = 0;
    for (const route of routes) {
      const valid = VALID_BODIES[route.key]?.(a);
      if (!valid || !route.bodyTypes.includes('application/json')) continue;
      const credentials = isCustomerRoute(route)
        ? ({ kind: 'customer', cookie: a.customerCookie } as const)
        : ({ kind: 'cookie', cookie: a.cookies[6]! } as const);
      for (const path of stringPaths(valid)) {
        const options: InjectOptions = {
          ...requestFor(route, a, credentials),
          payload: withNul(valid, path) as object,
        };
        const before = await tableCounts(t.db);
        const response = await t.app.inject(options);
        expectRefused(response, ['body', ...path].join('.'));
        expect(await tableCounts(t.db), route.key).toEqual(before);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(30);
  });

  it('refuses NUL in every path parameter with 400, never 5xx', async () => {
    let checked = 0;
    for (const route of routes) {
      if (route.streaming || route.params.length === 0) continue;
      const credentials = isCustomerRoute(route)
        ? ({ kind: 'customer', cookie: a.customerCookie } as const)
        : ({ kind: 'cookie', cookie: a.cookies[6]! } as const);
      const options = requestFor(route, a, credentials);
      for (const param of route.params) {
        // The other parameters name real objects; `param` gets NUL.
        const path = route.params.reduce(
          (url, name) =>
            url.replace(`{${name}}`, name === param ? 'x%00' : encodeURIComponent(idFor(route, name, a))),
          route.path,
        );
        const query = new URLSearchParams(route.requiredQuery).toString();
        const response = await t.app.inject({ ...options, url: query ? `${path}?${query}` : path });
        expectRefused(response, `params.${param}`);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
  });
});

describe('PostgreSQL refusing the characters of a text', () => {
  // The schemas stop control characters before any query; should one reach PostgreSQL anyway
  // (22021: NUL is not in its character repertoire), the client gets a 400, not a 500.
  // SQLite stores NUL without complaint: there the route throws the error PostgreSQL's driver would.
  it('answers 400 validation_failed, not 500', async () => {
    const app = Fastify({ logger: false }) as unknown as App;
    registerErrorHandler(app);
    app.get('/echo', async () => {
      if (process.env.TEST_DB !== 'postgres') {
        throw Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' });
      }
      const { rows } = await sql<{ v: string }>`select ${'a\u0000b'} as v`.execute(t.db);
      return rows[0];
    });
    const response = await app.inject({ method: 'GET', url: '/echo' });
    await app.close();
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json()).toMatchObject({ error: { code: 'validation_failed' } });
  });
});
