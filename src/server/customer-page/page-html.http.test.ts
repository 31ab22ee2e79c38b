import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  customerGet,
  deliver,
  linkIn,
  openCustomerLink,
  saveSettings,
  uniquePhone,
  uniqueSuffix,
} from '../../../test/support/customer.ts';
import { makeActor, makeCase } from '../../../test/support/factory.ts';
import { skipReason } from '../../../test/support/skip-unavailable.ts';
import { useSinks } from '../../../test/support/sinks.ts';
import { useTestApp } from '../../../test/support/test-app.ts';
import { buildApp } from '../app.ts';
import { createFileStorage } from '../storage/file-storage.ts';
import type { App } from '../http/types.ts';
import { CUSTOMER_SSR_FILE } from '../http/web-routes.ts';
import { postStaffMessage } from '../messages/staff-messages.ts';

// The customer page's HTML carries its first answers (issue 13, first paint): the session answer and,
// when the page may be shown, exactly what GET /api/customer/page answers, in the visitor's language.

const sinks = useSinks();
const t = useTestApp(sinks.env);

const dist = mkdtempSync(path.join(tmpdir(), 'ks-web-'));
const CUSTOMER_HTML =
  '<!doctype html><html lang="nb"><title>Din sak</title>' +
  '<script type="module" crossorigin src="/assets/customer-x1.js"></script>' +
  '<link rel="modulepreload" crossorigin href="/assets/react-x1.js">' +
  '<link rel="stylesheet" crossorigin href="/assets/customer-x1.css"><div id="root"></div></html>';
let web: App;

// A build with the customer page's server renderer (dist/web/ssr/customer-ssr.mjs). The real one is
// React's (web/customer/ssr.tsx, exercised by the browser suite); this one shows what the server
// hands it and fails for a visitor without a session, as a broken build would.
const ssrDist = mkdtempSync(path.join(tmpdir(), 'ks-web-ssr-'));
const RENDERER = `export function renderCustomerPage(answers) {
  if (answers.session.state !== 'ok') throw new Error('renderer broke');
  return '<main data-language="' + answers.language + '">' + answers.session.claimNumber + ': ' +
    answers.page.model.messages.items.length + ' messages</main>';
}`;
let rendering: App;

function writeBuild(root: string, renderer: string | null) {
  for (const entry of ['staff', 'customer', 'assets', 'ssr'])
    mkdirSync(path.join(root, entry), { recursive: true });
  writeFileSync(path.join(root, 'staff', 'index.html'), '<!doctype html><div id="root"></div>');
  writeFileSync(path.join(root, 'customer', 'index.html'), CUSTOMER_HTML);
  writeFileSync(path.join(root, 'assets', 'customer-x1.css'), '.cp-menu{background:#1d3557}');
  if (renderer) writeFileSync(path.join(root, CUSTOMER_SSR_FILE), renderer);
}

beforeAll(async () => {
  if (skipReason) return;
  writeBuild(dist, null);
  writeBuild(ssrDist, RENDERER);
  web = await buildApp({ ...t.config, webDistDir: dist }, { db: t.db, logger: false });
  rendering = await buildApp({ ...t.config, webDistDir: ssrDist }, { db: t.db, logger: false });
  await Promise.all([web.ready(), rendering.ready()]);
});

afterAll(async () => {
  await Promise.all([web?.close(), rendering?.close()]);
  rmSync(dist, { recursive: true, force: true });
  rmSync(ssrDist, { recursive: true, force: true });
});

/** The JSON the page's HTML carries, as the customer page's script reads it. */
function bootOf(html: string) {
  const match = /<script type="application\/json" id="ks-boot">(.*?)<\/script>/s.exec(html);
  if (!match?.[1]) throw new Error(`no boot data in ${html}`);
  return JSON.parse(match[1]) as {
    language: string;
    session: { state: string; claimNumber: string | null };
    page: { state: string; model: { messages: { items: Array<{ text: string }> } } | null } | null;
    etag: string | null;
  };
}

async function signedInCustomer() {
  const admin = await makeActor(t.db, { level: 6 });
  await saveSettings(t.db, admin.companyId, { sendLink: 'case_created' });
  const s = uniqueSuffix();
  const email = `kunde-${s}@example.test`;
  const { id: caseId } = await makeCase(t.db, admin, {
    customer: { name: `Kunde ${s}`, email, phone: uniquePhone() },
  });
  await deliver(t);
  const mail = sinks.mails.find((m) => m.to.includes(email));
  if (!mail) throw new Error('no link e-mail');
  const opened = await openCustomerLink(web, linkIn(mail.text));
  if (!opened.cookie) throw new Error('no customer session');
  return { admin, caseId, cookie: opened.cookie };
}

describe("customer page's HTML", () => {
  it('carries the same answer and tag as the page API, in the language of the visitor, never stored', async () => {
    const c = await signedInCustomer();
    for (const language of ['nb', 'en']) {
      const cookie = `${c.cookie}; ks_lang=${language}`;
      const html = await web.inject({ method: 'GET', url: '/k/', headers: { cookie, accept: 'text/html' } });
      expect(html.statusCode).toBe(200);
      expect(html.headers['cache-control']).toBe('no-store');
      const boot = bootOf(html.body);
      expect(boot.language).toBe(language);
      expect(boot.session.state).toBe('ok');
      const api = await customerGet(web, `/api/customer/page?lang=${language}`, c.cookie);
      expect(boot.page).toEqual(api.json());
      expect(boot.etag).toBe(api.headers.etag);
    }
  });

  it('cannot be broken out of by what staff write: every "<" of the data is escaped', async () => {
    const c = await signedInCustomer();
    const body = 'Se </script><script>alert(1)</script> <!-- her';
    await postStaffMessage({ db: t.db, storage: createFileStorage(t.config) }, c.admin, c.caseId, {
      kind: 'json',
      body: { body },
    });
    const html = await web.inject({
      method: 'GET',
      url: '/k/',
      headers: { cookie: c.cookie, accept: 'text/html' },
    });
    expect(html.body).not.toContain('<script>alert(1)');
    expect(html.body).not.toContain('<!-- her');
    // Two scripts end: the answers' data block and the build's script loader, nothing of the data.
    expect(html.body.match(/<\/script>/g)).toHaveLength(2);
    expect(bootOf(html.body).page?.model?.messages.items.map((message) => message.text)).toContain(body);
  });

  it('carries only the session answer without a session, and no page', async () => {
    const html = await web.inject({ method: 'GET', url: '/k/', headers: { accept: 'text/html' } });
    const boot = bootOf(html.body);
    expect(boot.session.state).toBe('unavailable');
    expect(boot.page).toBeNull();
  });
});

describe("customer page's HTML with the build's server renderer", () => {
  it('holds the first screen rendered from the same answers, in their language, with the style sheet inlined', async () => {
    const c = await signedInCustomer();
    for (const language of ['nb', 'en']) {
      const cookie = `${c.cookie}; ks_lang=${language}`;
      const html = await rendering.inject({
        method: 'GET',
        url: '/k/',
        headers: { cookie, accept: 'text/html' },
      });
      expect(html.statusCode).toBe(200);
      expect(html.headers['cache-control']).toBe('no-store');
      const boot = bootOf(html.body);
      expect(html.body).toContain(`<html lang="${language}">`);
      expect(html.body).toContain(
        `<div id="root"><main data-language="${language}">${boot.session.claimNumber}: ` +
          `${boot.page?.model?.messages.items.length} messages</main></div>`,
      );
      expect(html.body).toContain('<style>.cp-menu{background:#1d3557}</style>');
      expect(html.body).not.toContain('/assets/customer-x1.css');
    }
  });

  it('is sent gzip-compressed to a browser that accepts it, the same page unpacked', async () => {
    const c = await signedInCustomer();
    const headers = { cookie: c.cookie, accept: 'text/html' };
    const plain = await rendering.inject({ method: 'GET', url: '/k/', headers });
    const packed = await rendering.inject({
      method: 'GET',
      url: '/k/',
      headers: { ...headers, 'accept-encoding': 'gzip, deflate, br' },
    });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(packed.headers['content-encoding']).toBe('gzip');
    expect(packed.headers.vary).toContain('accept-encoding');
    expect(packed.rawPayload.length).toBeLessThan(plain.rawPayload.length);
    expect(gunzipSync(packed.rawPayload).toString('utf8')).toBe(plain.body);
  });

  it('still carries the answers when rendering fails, with #root left to the browser', async () => {
    const html = await rendering.inject({ method: 'GET', url: '/k/', headers: { accept: 'text/html' } });
    expect(html.statusCode).toBe(200);
    expect(bootOf(html.body).session.state).toBe('unavailable');
    expect(html.body).toContain('<div id="root"></div>');
  });

  it("requests the build's scripts after the first paint, by one inline loader the CSP allows by its hash", async () => {
    const html = await rendering.inject({ method: 'GET', url: '/k/', headers: { accept: 'text/html' } });
    // Nothing in the HTML fetches a script while the page paints: no module script, no preload.
    expect(html.body).not.toMatch(/<script[^>]*\bsrc=/);
    expect(html.body).not.toMatch(/<link[^>]*modulepreload/);
    const inline = [...html.body.matchAll(/<script>(.*?)<\/script>/gs)].map((m) => m[1]!);
    expect(inline).toHaveLength(1);
    const loader = inline[0]!;
    expect(loader).toContain('"/assets/customer-x1.js"');
    expect(loader).toContain('"/assets/react-x1.js"');
    const hash = createHash('sha256').update(loader).digest('base64');
    const scriptSrc = String(html.headers['content-security-policy'])
      .split(';')
      .find((directive) => directive.startsWith('script-src'));
    expect(scriptSrc).toBe(`script-src 'self' 'sha256-${hash}'`);
  });

  it('without a renderer in the build, leaves #root to the browser and still inlines the style sheet', async () => {
    const html = await web.inject({ method: 'GET', url: '/k/', headers: { accept: 'text/html' } });
    expect(html.body).toContain('<div id="root"></div>');
    expect(html.body).toContain('<style>.cp-menu{background:#1d3557}</style>');
  });
});
