import type { InjectOptions } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_ORIGIN, useTestApp } from '../../support/test-app.ts';
import {
  expectErrorShape,
  expectSecurityHeaders,
  isChange,
  isCustomerRoute,
  isStaffApiRoute,
  makeTenant,
  requestFor,
  routesOf,
  tableCounts,
  type RouteInfo,
  type Tenant,
} from './fixtures.ts';

/** Each test loops over every route (or hashes passwords 100 times): room for a busy machine. */
const SLOW_MS = 120_000;

// Cross-site request forgery against every cookie-authenticated change, staff and customer (routes
// from the OpenAPI document): a browser on another site can make the victim's browser send the
// cookie, but not our Origin, and only a form body (urlencoded, text/plain, multipart). Every such
// request must be refused with 403 csrf_rejected before anything is read or written. API keys are
// not browser credentials and need no Origin.

const t = useTestApp();

let routes: RouteInfo[];
let a: Tenant;

beforeAll(async () => {
  if (!t.app) return;
  routes = await routesOf(t.app);
  a = await makeTenant(t, 'Csrf');
});

/** What a forged request can look like: the headers it carries and the body it sends. */
const forgeries: Array<{ name: string; origin?: string; referer?: string; contentType?: string }> = [
  { name: 'foreign Origin', origin: 'https://evil.example' },
  { name: 'no Origin' },
  { name: 'no Origin, our Referer', referer: `${TEST_ORIGIN}/` },
  { name: 'Origin null (sandboxed frame)', origin: 'null' },
  { name: 'look-alike host', origin: `${TEST_ORIGIN}.evil.example` },
  { name: 'our host on another port', origin: `${TEST_ORIGIN}:8443` },
  { name: 'our host over https', origin: TEST_ORIGIN.replace('http:', 'https:') },
  { name: 'form body (urlencoded)', origin: TEST_ORIGIN, contentType: 'application/x-www-form-urlencoded' },
  { name: 'text/plain body', origin: TEST_ORIGIN, contentType: 'text/plain' },
  { name: 'foreign Origin with a form body', origin: 'https://evil.example', contentType: 'text/plain' },
];

/** The victim's request to `route`, rewritten as `forgery` would send it. */
function forged(route: RouteInfo, forgery: (typeof forgeries)[number]): InjectOptions {
  const credentials = isCustomerRoute(route)
    ? ({ kind: 'customer', cookie: a.customerCookie } as const)
    : ({ kind: 'cookie', cookie: a.cookies[6]! } as const);
  const options = requestFor(route, a, credentials);
  const headers = { ...(options.headers as Record<string, string>) };
  delete headers.origin;
  if (forgery.origin) headers.origin = forgery.origin;
  if (forgery.referer) headers.referer = forgery.referer;
  if (forgery.contentType) {
    headers['content-type'] = forgery.contentType;
    // The same fields a hand-made form would send.
    const fields = options.payload && !Buffer.isBuffer(options.payload) ? (options.payload as object) : {};
    options.payload =
      forgery.contentType === 'text/plain'
        ? JSON.stringify(fields)
        : new URLSearchParams(
            Object.entries(fields).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
          ).toString();
  }
  return { ...options, headers };
}

const cookieChanges = () => routes.filter((r) => isChange(r) && (isStaffApiRoute(r) || isCustomerRoute(r)));

describe('CSRF', { timeout: SLOW_MS }, () => {
  it('refuses every forged cookie change on every staff and customer route with 403 csrf_rejected, writing nothing', async () => {
    const changes = cookieChanges();
    expect(changes.length).toBeGreaterThan(40);
    expect(changes.filter(isCustomerRoute).length).toBeGreaterThanOrEqual(3);
    const before = await tableCounts(t.db);
    const unexpected: string[] = [];
    for (const route of changes) {
      for (const forgery of forgeries) {
        const options = forged(route, forgery);
        const response = await t.app.inject(options);
        expectSecurityHeaders(response, options.url as string);
        if (response.statusCode !== 403 || response.json().error?.code !== 'csrf_rejected') {
          unexpected.push(
            `${forgery.name}: ${route.key} → ${response.statusCode} ${response.body.slice(0, 200)}`,
          );
        } else expectErrorShape(response, 'csrf_rejected');
      }
    }
    expect(unexpected).toEqual([]);
    // Not a row more or less anywhere (sign-in attempts were refused before counting a failure).
    expect(await tableCounts(t.db)).toEqual(before);
    // The forged sign-outs ended nothing: both sessions still work.
    const me = await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: a.cookies[6]! } });
    expect(me.statusCode).toBe(200);
    const page = await t.app.inject({
      method: 'GET',
      url: '/api/customer/page',
      headers: { cookie: a.customerCookie },
    });
    expect(page.statusCode).toBe(200);
  });

  it('refuses a forged sign-in (login CSRF) before checking the password', async () => {
    const before = await tableCounts(t.db);
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { origin: 'https://evil.example' },
      payload: { email: 'attacker@example.test', password: 'attacker-password' },
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe('csrf_rejected');
    expect(response.cookies).toEqual([]);
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it('accepts the same requests from our own page (our Origin, JSON or multipart), so the refusals above are about CSRF', async () => {
    const sample = cookieChanges().filter((r) =>
      [
        'POST /api/cases/{id}/calls',
        'POST /api/cases/{id}/documents',
        'PATCH /api/cases/{id}',
        'POST /api/customer/code/send',
      ].includes(r.key),
    );
    expect(sample).toHaveLength(4);
    for (const route of sample) {
      const credentials = isCustomerRoute(route)
        ? ({ kind: 'customer', cookie: a.customerCookie } as const)
        : ({ kind: 'cookie', cookie: a.cookies[6]! } as const);
      const response = await t.app.inject(requestFor(route, a, credentials));
      // The customer needs no SMS code in this company: 409 "no code needed" is past the CSRF check.
      expect(response.statusCode, `${route.key} ${response.body}`).toBeLessThan(
        route.key === 'POST /api/customer/code/send' ? 410 : 300,
      );
      expect(response.statusCode).not.toBe(403);
    }
  });

  it('needs no Origin for API-key (Bearer) calls: no change route answers csrf_rejected to a key', async () => {
    const unexpected: string[] = [];
    for (const route of cookieChanges().filter(isStaffApiRoute)) {
      const options = requestFor(route, a, { kind: 'key', key: a.keys[6]! });
      expect((options.headers as Record<string, string>).origin).toBeUndefined();
      const response = await t.app.inject(options);
      // (403 forbidden is fine: a key may lack the level or the route may be for signed-in users.)
      if (response.body.includes('csrf_rejected') || response.statusCode >= 500) {
        unexpected.push(`${route.key} → ${response.statusCode} ${response.body.slice(0, 200)}`);
      }
    }
    expect(unexpected).toEqual([]);
  });
});
