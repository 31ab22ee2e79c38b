import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { authorizationLevels } from '../../../src/common/rules/enums.ts';
import { useTestApp } from '../../support/test-app.ts';
import {
  expectErrorShape,
  expectSecurityHeaders,
  isCustomerRoute,
  isStaffApiRoute,
  makeTenant,
  MIN_LEVEL,
  minLevelOf,
  PUBLIC_ROUTES,
  requestFor,
  routesOf,
  openStream,
  tableCounts,
  USER_ONLY_ROUTES,
  type RouteInfo,
  type Tenant,
} from './fixtures.ts';

/** Each test loops over every route (or hashes passwords 100 times): room for a busy machine. */
const SLOW_MS = 120_000;

// The route matrix: every route of the OpenAPI document (so a route added later is covered without
// touching this file) against every kind of caller an attacker can be — nobody, a forged or wrong
// credential, another company's admin, another case's customer, a colleague of too low a level —
// and the headers of every answer. A refusal must change nothing in the database.

const t = useTestApp();

let routes: RouteInfo[];
let a: Tenant;
let b: Tenant;

beforeAll(async () => {
  if (!t.app) return;
  routes = await routesOf(t.app);
  a = await makeTenant(t, 'Alfa');
  b = await makeTenant(t, 'Beta');
  // Streams (server-sent events) stay open: they are opened over a real socket.
  await t.app.listen({ port: 0, host: '127.0.0.1' });
});

/**
 * A request that may succeed: GETs go over the socket (a stream stays open, so only its head and
 * first chunk are read — this holds for streams the document does not mark as such, too).
 */
async function send(route: RouteInfo, options: InjectOptions) {
  if (route.method !== 'GET') return inject(options);
  const response = await openStream(t.app, options);
  expectSecurityHeaders(response, options.url as string);
  return response;
}

const inject = async (options: InjectOptions): Promise<LightMyRequestResponse> => {
  const response = await t.app.inject(options);
  expectSecurityHeaders(response, options.url as string);
  return response;
};

/** Row counts without `auth_failures`, which a refused sign-in adds to on purpose. */
async function countsBesidesFailures() {
  const { auth_failures: _failures, ...rest } = await tableCounts(t.db);
  return rest;
}

const describeCall = (route: RouteInfo, response: { statusCode: number; body: string }) =>
  `${route.key} → ${response.statusCode} ${response.body.slice(0, 300)}`;

describe('the route list', { timeout: SLOW_MS }, () => {
  it('comes from the OpenAPI document, is non-trivial, and the allow-list and level table name real routes', () => {
    expect(routes.length).toBeGreaterThan(60);
    const keys = new Set(routes.map((r) => r.key));
    for (const key of [
      'GET /api/cases/{id}',
      'GET /api/documents/{id}/download',
      'PUT /api/admin/customer-page',
      'POST /api/customer/code/verify',
      'GET /api/customer/documents/{id}/download',
    ]) {
      expect(keys, key).toContain(key);
    }
    for (const key of [...Object.keys(PUBLIC_ROUTES), ...Object.keys(MIN_LEVEL)]) {
      expect(keys, `${key} is listed in fixtures.ts but not a route`).toContain(key);
    }
    // The customer API and the staff API are separate families; both are in the document.
    expect(routes.filter(isCustomerRoute).length).toBeGreaterThanOrEqual(5);
    expect(routes.filter((r) => r.params.length > 0).length).toBeGreaterThan(30);
  });

  it('has the hidden routes the document leaves out: the OpenAPI document itself is public', async () => {
    const doc = await inject({ method: 'GET', url: '/api/openapi.json' });
    expect(doc.statusCode).toBe(200);
  });
});

describe('without credentials', { timeout: SLOW_MS }, () => {
  it('answers 401 on every route that is not on the public allow-list, and changes nothing', async () => {
    const before = await countsBesidesFailures();
    const unexpected: string[] = [];
    for (const route of routes) {
      const response = await inject(requestFor(route, a, { kind: 'none' }));
      if (route.key in PUBLIC_ROUTES) {
        // Public routes must really be public (else the allow-list is stale) and never a server error.
        if (response.statusCode === 401 && route.key !== 'POST /api/auth/login') {
          unexpected.push(`public but 401: ${describeCall(route, response)}`);
        }
        expect(response.statusCode, describeCall(route, response)).toBeLessThan(500);
        continue;
      }
      if (response.statusCode !== 401) unexpected.push(describeCall(route, response));
      else expectErrorShape(response, 'unauthenticated');
    }
    expect(unexpected).toEqual([]);
    expect(await countsBesidesFailures()).toEqual(before);
  });

  it('answers 401 to forged, tampered and foreign credentials on every non-public route', async () => {
    const signedValue = a.cookies[6]!.split('=')[1]!;
    const tampered = `ks_session=${signedValue.slice(0, -2)}${signedValue.endsWith('AA') ? 'BB' : 'AA'}`;
    const variants: Array<{
      name: string;
      headers: Record<string, string>;
      staff: boolean;
      customer: boolean;
    }> = [
      // An unsigned session value, a signature that does not match, and a staff cookie's signed value
      // presented as a customer cookie (staff and customer sessions are separate tables).
      { name: 'unsigned cookie', headers: { cookie: 'ks_session=abc' }, staff: true, customer: false },
      { name: 'tampered cookie', headers: { cookie: tampered }, staff: true, customer: false },
      {
        name: 'unknown API key',
        headers: { authorization: `Bearer ks_${'A'.repeat(43)}` },
        staff: true,
        customer: false,
      },
      {
        name: 'Basic auth',
        headers: { authorization: 'Basic YWRtaW46YWRtaW4=' },
        staff: true,
        customer: false,
      },
      {
        name: 'customer session on staff routes',
        headers: { cookie: a.customerCookie },
        staff: true,
        customer: false,
      },
      {
        name: 'staff cookie renamed to the customer cookie',
        headers: { cookie: `ks_customer=${signedValue}` },
        staff: false,
        customer: true,
      },
      {
        name: 'staff session on customer routes',
        headers: { cookie: a.cookies[6]! },
        staff: false,
        customer: true,
      },
      {
        name: 'API key on customer routes',
        headers: { authorization: `Bearer ${a.keys[6]!}` },
        staff: false,
        customer: true,
      },
    ];
    const before = await countsBesidesFailures();
    const unexpected: string[] = [];
    for (const variant of variants) {
      for (const route of routes) {
        if (route.key in PUBLIC_ROUTES) continue;
        if (isCustomerRoute(route) ? !variant.customer : !(variant.staff && isStaffApiRoute(route))) continue;
        const options = requestFor(route, a, { kind: 'none' });
        options.headers = { ...options.headers, ...variant.headers };
        const response = await inject(options);
        if (response.statusCode !== 401) unexpected.push(`${variant.name}: ${describeCall(route, response)}`);
      }
    }
    expect(unexpected).toEqual([]);
    expect(await countsBesidesFailures()).toEqual(before);
  });
});

describe("another company's admin", { timeout: SLOW_MS }, () => {
  it("gets 404 (never 403, never 2xx) on every route with an id of company A's objects, by session and by API key", async () => {
    const withIds = routes.filter(
      (r) => isStaffApiRoute(r) && r.params.length > 0 && !(r.key in PUBLIC_ROUTES),
    );
    expect(withIds.length).toBeGreaterThan(30);
    const before = await tableCounts(t.db);
    const unexpected: string[] = [];
    for (const route of withIds) {
      for (const credentials of [
        { kind: 'cookie' as const, cookie: b.cookies[6]! },
        { kind: 'key' as const, key: b.keys[6]! },
      ]) {
        const response = await inject(requestFor(route, a, credentials));
        if (credentials.kind === 'key' && USER_ONLY_ROUTES.has(route.key)) {
          // Refused for every id alike: the same answer as for an id that does not exist.
          const missing = await inject(
            requestFor(route, { ...a, notificationId: 'no-such-id' }, credentials),
          );
          if (response.statusCode !== 403 || response.body !== missing.body) {
            unexpected.push(`key, user-only: ${describeCall(route, response)} vs ${missing.body}`);
          }
          continue;
        }
        if (response.statusCode !== 404)
          unexpected.push(`${credentials.kind}: ${describeCall(route, response)}`);
        else expectErrorShape(response, 'not_found');
        for (const secret of [a.caseId, 'Alfa Kunde', 'Alfaveien']) {
          if (response.body.includes(secret))
            unexpected.push(`leaks ${secret}: ${describeCall(route, response)}`);
        }
      }
    }
    expect(unexpected).toEqual([]);
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it("cannot pull company A's objects into its own case through ids in bodies or queries", async () => {
    const own = b;
    const foreign = a;
    const headers = { cookie: own.cookies[6]!, origin: 'http://kundeside.test' };
    const attempts: Array<{ name: string; options: InjectOptions }> = [
      ...(
        [
          { caseHandlerId: foreign.userId },
          { externalCaseHandlerId: foreign.personId },
          { technicalAdvisorId: foreign.personId },
          { projectManagerId: foreign.personId },
          { projectManagementOfficeId: foreign.officeId },
        ] as object[]
      ).map((payload) => ({
        name: `PATCH case ${JSON.stringify(payload)}`,
        options: { method: 'PATCH' as const, url: `/api/cases/${own.caseId}`, headers, payload },
      })),
      {
        name: 'assign main inspection to a foreign office',
        options: {
          method: 'POST',
          url: `/api/cases/${own.caseId}/main-inspection/assign`,
          headers,
          payload: { officeId: foreign.officeId },
        },
      },
      {
        name: 'assign main inspection to a foreign inspector',
        options: {
          method: 'POST',
          url: `/api/cases/${own.caseId}/main-inspection/assign`,
          headers,
          payload: { officeId: own.officeId, inspectorId: foreign.personId },
        },
      },
      {
        name: 'task office from another company',
        options: {
          method: 'PATCH',
          url: `/api/tasks/${own.taskId}`,
          headers,
          payload: { officeId: foreign.officeId },
        },
      },
      {
        name: 'task responsible from another company',
        options: {
          method: 'PATCH',
          url: `/api/tasks/${own.taskId}`,
          headers,
          payload: { responsibleId: foreign.personId },
        },
      },
      {
        name: 'quote request to a foreign office',
        options: {
          method: 'POST',
          url: `/api/cases/${own.caseId}/quote-requests`,
          headers,
          payload: { officeId: foreign.officeId, description: 'x', deadlineOn: '2030-01-01' },
        },
      },
      {
        name: 'invoice from a foreign office',
        options: {
          method: 'POST',
          url: `/api/cases/${own.caseId}/invoices`,
          headers,
          payload: { officeId: foreign.officeId, description: 'x', amountOre: 100, dueOn: '2030-01-01' },
        },
      },
      {
        name: 'share a foreign document',
        options: {
          method: 'POST',
          url: `/api/cases/${own.caseId}/documents/share`,
          headers,
          payload: { documentIds: [foreign.privateDocumentId] },
        },
      },
      {
        name: 'unshare a foreign document',
        options: {
          method: 'POST',
          url: `/api/cases/${own.caseId}/documents/unshare`,
          headers,
          payload: { documentIds: [foreign.documentId] },
        },
      },
      {
        name: 'grant access to a foreign contact',
        options: {
          method: 'POST',
          url: `/api/cases/${own.caseId}/customer-access`,
          headers,
          payload: { contactId: foreign.contactId },
        },
      },
      {
        name: "remove a foreign customer's access through an own case",
        options: {
          method: 'DELETE',
          url: `/api/cases/${own.caseId}/customer-access/${foreign.customerContactId}`,
          headers: { cookie: own.cookies[6]!, origin: 'http://kundeside.test' },
        },
      },
      {
        name: 'open a case handled by a foreign user',
        options: {
          method: 'POST',
          url: '/api/cases',
          headers,
          payload: {
            claimNumber: 'IDOR-1',
            address: { street: 'Storgata 1', postalCode: '0155', city: 'Oslo' },
            customer: { name: 'Kari' },
            caseHandlerId: foreign.userId,
          },
        },
      },
      // Same company, other case: a document and a contact belong to their own case only.
      {
        name: "share another case's document through this case",
        options: {
          method: 'POST',
          url: `/api/cases/${foreign.caseId}/documents/unshare`,
          headers: { cookie: foreign.cookies[6]!, origin: 'http://kundeside.test' },
          payload: { documentIds: [foreign.otherCaseDocumentId] },
        },
      },
      {
        name: "remove another case's customer through this case",
        options: {
          method: 'DELETE',
          url: `/api/cases/${foreign.otherCaseId}/customer-access/${foreign.customerContactId}`,
          headers: { cookie: foreign.cookies[6]!, origin: 'http://kundeside.test' },
        },
      },
    ];
    const before = await tableCounts(t.db);
    const snapshot = () =>
      Promise.all([
        t.db.selectFrom('documents').select(['id', 'shared_at']).orderBy('id').execute(),
        t.db.selectFrom('customer_access').select(['id', 'state']).orderBy('id').execute(),
        t.db.selectFrom('cases').selectAll().orderBy('id').execute(),
        t.db.selectFrom('tasks').selectAll().orderBy('id').execute(),
      ]);
    const rowsBefore = await snapshot();
    const unexpected: string[] = [];
    for (const attempt of attempts) {
      const response = await inject(attempt.options);
      if (response.statusCode < 400 || response.statusCode >= 500) {
        unexpected.push(`${attempt.name} → ${response.statusCode} ${response.body.slice(0, 200)}`);
      } else expectErrorShape(response);
    }
    expect(unexpected).toEqual([]);
    expect(await tableCounts(t.db)).toEqual(before);
    expect(await snapshot()).toEqual(rowsBefore);

    // Filters with foreign ids find nothing of the other company.
    const byHandler = await inject({ method: 'GET', url: `/api/cases?handlerId=${foreign.userId}`, headers });
    expect(byHandler.statusCode).toBe(200);
    expect(byHandler.body).not.toContain(foreign.caseId);
    const byTask = await inject({
      method: 'GET',
      url: `/api/cases/${own.caseId}/documents?taskId=${foreign.taskId}`,
      headers,
    });
    expect(byTask.statusCode).toBeLessThan(500);
    expect(byTask.body).not.toContain(foreign.documentId);
    // A colleague's notification, even the admin's own company's, is not found.
    const colleagues = await inject({
      method: 'POST',
      url: `/api/notifications/${foreign.notificationId}/read`,
      headers: { cookie: foreign.cookies[6]!, origin: 'http://kundeside.test' },
      payload: {},
    });
    expect(colleagues.statusCode).toBe(404);
  });
});

describe("another case's customer", { timeout: SLOW_MS }, () => {
  it('gets 404 for documents of another case (same or other company) and unshared ones; its own shared document downloads', async () => {
    const download = (cookie: string, id: string) =>
      inject({ method: 'GET', url: `/api/customer/documents/${id}/download`, headers: { cookie } });
    const own = await download(a.customerCookie, a.documentId);
    expect(own.statusCode, own.body).toBe(200);
    expect(own.headers['content-disposition']).toMatch(/^attachment;/);
    expect(own.headers['content-security-policy']).toMatch(/sandbox/);
    for (const [name, id] of [
      ['same company, other case', a.otherCaseDocumentId],
      ['other company', b.documentId],
      ['own case, not shared', a.privateDocumentId],
      ['no such document', `${a.documentId}x`],
    ] as const) {
      const response = await download(a.customerCookie, id);
      expect(response.statusCode, name).toBe(404);
      expectErrorShape(response, 'not_found');
    }
    // Staff routes are not reachable with the customer's session at all (401, covered above), and
    // the customer routes with an id answer 404 for every object of another case.
    const before = await tableCounts(t.db);
    for (const route of routes.filter((r) => isCustomerRoute(r) && r.params.length > 0)) {
      for (const target of [b, { ...a, caseId: a.otherCaseId, documentId: a.otherCaseDocumentId }]) {
        const response = await inject(
          requestFor(route, target, { kind: 'customer', cookie: a.customerCookie }),
        );
        expect(response.statusCode, describeCall(route, response)).toBe(404);
      }
    }
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it("sees only its own case on the customer page, never another case's data", async () => {
    const page = await inject({
      method: 'GET',
      url: '/api/customer/page',
      headers: { cookie: a.customerCookie },
    });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Alfaveien');
    for (const secret of [b.caseId, a.otherCaseId, 'Beta', a.privateDocumentId]) {
      expect(page.body, secret).not.toContain(secret);
    }
  });
});

describe('levels below the level table', { timeout: SLOW_MS }, () => {
  const levelled = () => routes.filter((r) => isStaffApiRoute(r) && minLevelOf(r) > 1);

  it('answers 403 forbidden to every level below a route’s level (session and API key), writing nothing', async () => {
    expect(levelled().length).toBeGreaterThanOrEqual(Object.keys(MIN_LEVEL).length);
    const before = await tableCounts(t.db);
    const unexpected: string[] = [];
    for (const route of levelled()) {
      for (const level of authorizationLevels.filter((l) => l < minLevelOf(route))) {
        for (const credentials of [
          { kind: 'cookie' as const, cookie: a.cookies[level]! },
          { kind: 'key' as const, key: a.keys[level]! },
        ]) {
          const response = await inject(requestFor(route, a, credentials));
          if (response.statusCode !== 403) {
            unexpected.push(`level ${level} ${credentials.kind}: ${describeCall(route, response)}`);
          } else expectErrorShape(response, 'forbidden');
        }
      }
    }
    expect(unexpected).toEqual([]);
    expect(await tableCounts(t.db)).toEqual(before);
  });
});

describe('answers of allowed callers', { timeout: SLOW_MS }, () => {
  it('serves every GET route to the company admin with no-store, nosniff and the CSP', async () => {
    const unexpected: string[] = [];
    for (const route of routes.filter((r) => r.method === 'GET' && !(r.key in PUBLIC_ROUTES))) {
      const credentials = isCustomerRoute(route)
        ? ({ kind: 'customer', cookie: a.customerCookie } as const)
        : ({ kind: 'cookie', cookie: a.cookies[6]! } as const);
      const response = await send(route, requestFor(route, a, credentials));
      // The case archive is there once the case is closed; the fixture's case is open: 409, stable code.
      if (route.key === 'GET /api/customer/archive/download') {
        expect(response.statusCode, route.key).toBe(409);
        expect(JSON.parse(String(response.body))).toMatchObject({ error: { code: 'archive_not_available' } });
        continue;
      }
      if (response.statusCode !== 200) unexpected.push(describeCall(route, response));
      if (route.streaming) expect(String(response.headers['content-type'])).toMatch(/^text\/event-stream/);
      if (route.streaming) expect(response.body).toMatch(/^retry: \d+/);
      if (route.path.endsWith('/download')) {
        expect(response.headers['content-disposition'], route.key).toMatch(/^attachment;/);
        expect(response.headers['content-security-policy'], route.key).toMatch(/sandbox/);
        expect(response.headers['cache-control'], route.key).toMatch(/no-store/);
      }
    }
    expect(unexpected).toEqual([]);
  });

  it('answers every staff list in pages: pageSize 1 gives one entry and the total; 101 is 400', async () => {
    const lists = routes.filter((r) => r.method === 'GET' && r.paged && isStaffApiRoute(r));
    expect(lists.length).toBeGreaterThanOrEqual(15);
    const unexpected: string[] = [];
    for (const route of lists) {
      const request = requestFor(route, a, { kind: 'cookie', cookie: a.cookies[6]! });
      const join = String(request.url).includes('?') ? '&' : '?';
      const one = await inject({ ...request, url: `${String(request.url)}${join}page=1&pageSize=1` });
      const body = one.json() as { items?: unknown[]; total?: number; page?: number; pageSize?: number };
      if (
        one.statusCode !== 200 ||
        !Array.isArray(body.items) ||
        body.items.length > 1 ||
        typeof body.total !== 'number' ||
        body.total < body.items.length ||
        body.page !== 1 ||
        body.pageSize !== 1
      ) {
        unexpected.push(describeCall(route, one));
      }
      const tooMany = await inject({ ...request, url: `${String(request.url)}${join}pageSize=101` });
      if (tooMany.statusCode !== 400 || tooMany.json().error?.code !== 'validation_failed') {
        unexpected.push(describeCall(route, tooMany));
      }
    }
    expect(unexpected).toEqual([]);
  });

  it('sends the page CSP (object-src, base-uri, frame-ancestors none) on HTML pages and refused links', async () => {
    for (const url of ['/', '/sak/123', '/k/', '/k/dokumenter', `/k/${'A'.repeat(43)}`, '/api-docs']) {
      const response = await t.app.inject({ method: 'GET', url, headers: { accept: 'text/html' } });
      // 503 only when the web app is not built (the HTTP suites do not build it).
      if (response.statusCode !== 503) expect(response.statusCode, url).toBeLessThan(400);
      const csp = String(response.headers['content-security-policy']);
      for (const directive of ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"]) {
        expect(csp, `${url}: ${directive}`).toContain(directive);
      }
      expect(response.headers['x-content-type-options'], url).toBe('nosniff');
      expect(response.headers['referrer-policy'], url).toBeTruthy();
      if (url.startsWith('/k/')) expect(response.headers['referrer-policy'], url).toBe('no-referrer');
    }
  });

  it('lets the lowest allowed level through on every staff route (2xx, or 409 for a state conflict)', async () => {
    // Last in the file: these calls really change company A. A 409 (the case is closed by an
    // earlier call) still shows the level was accepted; a 400 means VALID_BODIES needs an entry.
    const staff = routes.filter((r) => isStaffApiRoute(r) && !(r.key in PUBLIC_ROUTES));
    const unexpected: string[] = [];
    for (const route of staff) {
      const response = await send(
        route,
        requestFor(route, a, { kind: 'cookie', cookie: a.cookies[minLevelOf(route)]! }),
      );
      if (response.statusCode >= 400 && response.statusCode !== 409) {
        unexpected.push(`level ${minLevelOf(route)}: ${describeCall(route, response)}`);
      }
    }
    expect(unexpected).toEqual([]);
  });
});

describe('customer writes', { timeout: SLOW_MS }, () => {
  /**
   * Customer changes that write no content for anyone to read (codes have their own limits:
   * brute-force.test.ts), or write it once only (the satisfaction answer: 409 after the first).
   */
  const WITHOUT_CONTENT = new Set([
    'POST /api/customer/satisfaction',
    'POST /api/customer/code/send',
    'POST /api/customer/code/verify',
    'POST /api/customer/logout',
    'POST /api/customer/pending-link/accept',
    'POST /api/customer/pending-link/dismiss',
  ]);

  it('limits every other customer change (issue 15 item 4): 429 with Retry-After within 60 tries, writing nothing', async () => {
    const writes = routes.filter(
      (r) => isCustomerRoute(r) && r.method !== 'GET' && !WITHOUT_CONTENT.has(r.key),
    );
    expect(writes.map((r) => r.key)).toContain('POST /api/customer/messages');
    const unlimited: string[] = [];
    for (const route of writes) {
      // A tenant of its own: its customer's session and case start with their limits unused.
      const tenant = await makeTenant(t, 'Gamma');
      const ask = () =>
        inject(requestFor(route, tenant, { kind: 'customer', cookie: tenant.customerCookie }));
      let refused: LightMyRequestResponse | null = null;
      for (let n = 0; n < 60 && !refused; n += 1) {
        const response = await ask();
        if (response.statusCode === 429) refused = response;
        else expect(response.statusCode, describeCall(route, response)).toBeLessThan(300);
      }
      if (!refused) {
        unlimited.push(route.key);
        continue;
      }
      expectErrorShape(refused, 'too_many_requests');
      expect(Number(refused.headers['retry-after']), route.key).toBeGreaterThan(0);
      const before = await tableCounts(t.db);
      expect((await ask()).statusCode, route.key).toBe(429);
      expect(await tableCounts(t.db), route.key).toEqual(before);
    }
    expect(unlimited).toEqual([]);
  });
});
