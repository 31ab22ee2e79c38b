import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminPostgresUrl } from '../../../test/support/databases.ts';
import { makeApiKey, makeUser, signedInUser } from '../../../test/support/factory.ts';
import { skipReason } from '../../../test/support/skip-unavailable.ts';
import { useTestApp } from '../../../test/support/test-app.ts';
import { buildApp } from '../app.ts';
import { createDb } from '../db/database.ts';
import type { App } from './types.ts';

const t = useTestApp();

// A second app on the same database that serves a (fake) built web app from a temp folder, so page
// responses can be checked without running the real build.
const dist = mkdtempSync(path.join(tmpdir(), 'ks-web-'));
const STAFF_HTML = '<!doctype html><html lang="nb"><title>Kundeside</title><div id="root"></div></html>';
const CUSTOMER_HTML = '<!doctype html><html lang="nb"><title>Din sak</title><div id="root"></div></html>';
let web: App;

beforeAll(async () => {
  if (skipReason) return;
  for (const entry of ['staff', 'customer']) mkdirSync(path.join(dist, entry), { recursive: true });
  mkdirSync(path.join(dist, 'assets'), { recursive: true });
  writeFileSync(path.join(dist, 'staff', 'index.html'), STAFF_HTML);
  writeFileSync(path.join(dist, 'customer', 'index.html'), CUSTOMER_HTML);
  writeFileSync(path.join(dist, 'assets', 'app-1a2b3c.js'), 'console.log("hi");');
  web = await buildApp({ ...t.config, webDistDir: dist }, { db: t.db, logger: false });
  await web.ready();
});

afterAll(async () => {
  await web?.close();
  rmSync(dist, { recursive: true, force: true });
});

const csp = (headers: Record<string, unknown>) =>
  String(headers['content-security-policy'])
    .split(';')
    .map((directive) => directive.trim());

function expectSecurityHeaders(headers: Record<string, unknown>) {
  expect(csp(headers)).toEqual(
    expect.arrayContaining(["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"]),
  );
  expect(csp(headers).find((d) => d.startsWith('script-src'))).not.toMatch(/unsafe-inline|unsafe-eval/);
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toMatch(/^(no-referrer|same-origin|strict-origin)/);
}

describe('probes', () => {
  it('answers /healthz with 200 without a session', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('answers /readyz with 200 when the database answers', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('answers /readyz with 503 not_ready when the database does not answer, while /healthz stays 200', async () => {
    // Nothing listens on port 1: every connection attempt is refused at once.
    const deadDb = createDb({ kind: 'postgres', url: 'postgres://postgres@127.0.0.1:1/none' });
    const app = await buildApp(t.config, { db: deadDb, logger: false });
    try {
      const ready = await app.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toEqual({ error: { code: 'not_ready', message: expect.any(String) } });
      const health = await app.inject({ method: 'GET', url: '/healthz' });
      expect(health.statusCode).toBe(200);
    } finally {
      await app.close();
      await deadDb.destroy();
    }
  });

  it('answers /readyz with 503 not_ready when uploads cannot be stored (the files folder is unusable)', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'ks-ready-'));
    // A plain file where the files folder should be: no upload could be written there.
    writeFileSync(path.join(dataDir, 'files'), 'not a folder');
    const app = await buildApp({ ...t.config, dataDir }, { db: t.db, logger: false });
    try {
      const ready = await app.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toEqual({
        error: { code: 'not_ready', message: 'The file storage does not answer.' },
      });
      rmSync(path.join(dataDir, 'files'));
      expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    } finally {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  if (process.env.TEST_DB === 'postgres') {
    // Only PostgreSQL has connections a server can drop (a restart, a failover, an admin).
    it('keeps serving after PostgreSQL drops its idle connections', async () => {
      const user = await signedInUser(t.app, t.db, { level: 2 });
      expect((await t.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
      const database = t.config.database.kind === 'postgres' ? new URL(t.config.database.url) : null;
      const admin = new pg.Client({ connectionString: adminPostgresUrl() });
      await admin.connect();
      try {
        const killed = await admin.query(
          'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
          [database?.pathname.slice(1)],
        );
        expect(killed.rowCount).toBeGreaterThan(0);
      } finally {
        await admin.end();
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
      const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(200);
      const me = await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: user.cookie } });
      expect(me.json()).toMatchObject({ user: { id: user.id } });
    });
  }
});

describe('OpenAPI document', () => {
  it('serves an OpenAPI 3 document of the API without a session', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const doc = response.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/auth/login',
        '/api/me',
        '/api/users',
        '/api/users/{id}',
        '/api/partners',
        '/api/partners/{id}',
        '/api/admin/api-keys',
      ]),
    );
    expect(doc.paths['/api/auth/login'].post.requestBody.content['application/json'].schema).toMatchObject({
      properties: { email: expect.any(Object), password: expect.any(Object) },
    });
    expect(doc.components.securitySchemes).toMatchObject({ apiKey: { type: 'http', scheme: 'bearer' } });
  });
});

describe('headers', () => {
  it('sends the security headers and no-store on API responses, successful or not', async () => {
    const user = await signedInUser(t.app, t.db);
    const ok = await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: user.cookie } });
    const refused = await t.app.inject({ method: 'GET', url: '/api/me' });
    const missing = await t.app.inject({
      method: 'GET',
      url: '/api/nothing-here',
      headers: { cookie: user.cookie },
    });
    expect([ok.statusCode, refused.statusCode, missing.statusCode]).toEqual([200, 401, 404]);
    for (const response of [ok, refused, missing]) {
      expectSecurityHeaders(response.headers);
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.headers['content-type']).toMatch(/^application\/json/);
    }
  });

  it('answers a malformed address with our error shape and headers (the router answers before any hook)', async () => {
    for (const url of ['/api/cases/%ZZ', '/k/%ZZ']) {
      const response = await t.app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(400);
      expect(response.json().error.code).toBe('validation_failed');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    }
  });

  it('sends the security headers on a page, which is revalidated rather than cached', async () => {
    const response = await web.inject({ method: 'GET', url: '/', headers: { accept: 'text/html' } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.body).toBe(STAFF_HTML);
    expectSecurityHeaders(response.headers);
    expect(response.headers['cache-control']).toBe('no-cache');
  });

  it('serves client-side routes of the staff app and the customer page from their own entries', async () => {
    const staff = await web.inject({ method: 'GET', url: '/cases/123', headers: { accept: 'text/html' } });
    expect(staff.statusCode).toBe(200);
    expect(staff.body).toBe(STAFF_HTML);
    expectSecurityHeaders(staff.headers);
    const customer = await web.inject({
      method: 'GET',
      url: '/k/some-token',
      headers: { accept: 'text/html' },
    });
    expect(customer.statusCode).toBe(200);
    // The customer entry, carrying its first answer (here: no session, the link is not valid).
    expect(customer.body).toMatch(
      /^<!doctype html><html lang="nb"><title>Din sak<\/title><script type="application\/json" id="ks-boot">.*"link_invalid".*<\/script><div id="root"><\/div><\/html>$/,
    );
    expect(customer.headers['cache-control']).toBe('no-store');
    expectSecurityHeaders(customer.headers);
  });

  it('caches hashed assets for a year and answers a missing asset with a JSON 404, not a page', async () => {
    const asset = await web.inject({ method: 'GET', url: '/assets/app-1a2b3c.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toMatch(/max-age=31536000/);
    expect(asset.headers['cache-control']).toMatch(/immutable/);
    expect(asset.headers['x-content-type-options']).toBe('nosniff');
    const missing = await web.inject({
      method: 'GET',
      url: '/assets/missing.js',
      headers: { accept: 'text/html' },
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
  });

  it('echoes a well-formed X-Request-Id and replaces a malformed one', async () => {
    const given = await t.app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': 'abc-123.x' },
    });
    expect(given.headers['x-request-id']).toBe('abc-123.x');
    const malformed = await t.app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': 'bad id\twith spaces' },
    });
    expect(malformed.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('errors', () => {
  it('answers an unknown /api route with the JSON 404 of the catalogue, for a session or an API key', async () => {
    const user = await signedInUser(t.app, t.db);
    const key = await makeApiKey(t.db, user.companyId);
    const bySession = await t.app.inject({
      method: 'GET',
      url: '/api/no-such-route',
      headers: { cookie: user.cookie, accept: 'text/html' },
    });
    const byKey = await t.app.inject({
      method: 'POST',
      url: '/api/no-such-route',
      headers: { authorization: `Bearer ${key.key}` },
      payload: {},
    });
    for (const response of [bySession, byKey]) {
      expect(response.statusCode).toBe(404);
      expect(response.json()).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
    }
  });

  it('maps malformed JSON to 400, a foreign content type to 415 and an oversized body to 413', async () => {
    const owner = await makeUser(t.db, { level: 6 });
    const { key } = await makeApiKey(t.db, owner.companyId);
    const headers = { authorization: `Bearer ${key}` };
    const malformed = await t.app.inject({
      method: 'POST',
      url: '/api/partners',
      headers: { ...headers, 'content-type': 'application/json' },
      payload: '{"name": ',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.code).toBe('validation_failed');

    const xml = await t.app.inject({
      method: 'POST',
      url: '/api/partners',
      headers: { ...headers, 'content-type': 'application/xml' },
      payload: '<partner><name>Partner</name></partner>',
    });
    expect(xml.statusCode).toBe(415);
    expect(xml.json().error.code).toBe('unsupported_media_type');

    const huge = await t.app.inject({
      method: 'POST',
      url: '/api/partners',
      headers,
      payload: { name: 'x'.repeat(2 * 1024 * 1024) },
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.code).toBe('payload_too_large');

    const partners = await t.db
      .selectFrom('partners')
      .select('id')
      .where('company_id', '=', owner.companyId)
      .execute();
    expect(partners).toEqual([]);
  });
});

describe('over HTTPS', () => {
  it('sends HSTS and a __Host- prefixed, Secure session cookie', async () => {
    const origin = 'https://kundeside.test';
    const app = await buildApp(
      { ...t.config, publicBaseUrl: origin, publicOrigin: origin, secureCookies: true },
      { db: t.db, logger: false },
    );
    try {
      const user = await makeUser(t.db);
      const login = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: { origin },
        payload: { email: user.email, password: user.password },
      });
      expect(login.statusCode).toBe(200);
      expect(login.headers['strict-transport-security']).toMatch(/max-age=\d{7,}/);
      expect(login.cookies[0]).toMatchObject({
        name: '__Host-ks_session',
        secure: true,
        httpOnly: true,
        path: '/',
      });
      expect(login.cookies[0]?.domain).toBeUndefined();
      const cookie = `${login.cookies[0]?.name}=${login.cookies[0]?.value}`;
      const me = await app.inject({ method: 'GET', url: '/api/me', headers: { cookie } });
      expect(me.json()).toMatchObject({ user: { id: user.id } });
    } finally {
      await app.close();
    }
    const plain = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(plain.headers['strict-transport-security']).toBeUndefined();
  });
});
