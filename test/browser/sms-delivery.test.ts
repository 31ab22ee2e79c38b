import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveCustomerPageSettings } from '../../src/server/customer-page-config/customer-page-config.ts';
import { DEMO_SIGN_INS, demoCustomerPageSettings } from '../../src/server/demo/seed-demo.ts';
import { startOutboxWorker, type OutboxWorker } from '../../src/server/outbox/worker.ts';
import {
  expectNoAxeViolations,
  fitsViewport,
  settled,
  signInStaff,
  SHOTS,
  useBrowser,
} from '../support/browser.ts';
import { skipReason } from '../support/skip-unavailable.ts';

// What the SMS provider's delivery reports show staff (issue 18 part 5): a real SMS endpoint takes
// the demo customer's link SMS and security code SMS, the "provider" reports one delivered and one
// failed over real HTTP, signed, and the access dialog tells both apart at 375 px.

const SECRET = 'browser-sms-provider-secret-0123456789abcdef';
const PHONE = '+4795566778'; // Ida Solberg of the demo case SK-2026-1014
const texts: Array<{ to: string; body: string }> = [];
const env: Record<string, string> = {};
let endpoint: Server | undefined;
beforeAll(async () => {
  if (skipReason) return;
  endpoint = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      texts.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as { to: string; body: string });
      response.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => endpoint!.listen(0, '127.0.0.1', resolve));
  const port = (endpoint.address() as AddressInfo).port;
  Object.assign(env, {
    SMS_PROVIDER: 'webhook',
    SMS_WEBHOOK_URL: `http://127.0.0.1:${port}/sms`,
    SMS_WEBHOOK_SECRET: SECRET,
  });
});
afterAll(async () => {
  await new Promise<void>((resolve) => (endpoint ? endpoint.close(() => resolve()) : resolve()));
});

const b = useBrowser(env);
const [admin] = DEMO_SIGN_INS;

let worker: OutboxWorker | undefined;
beforeAll(() => {
  if (skipReason) return;
  worker = startOutboxWorker({ db: b.db, config: b.app.config }, 200);
});
afterAll(async () => {
  await worker?.stop();
});

/** The provider's signed report, over real HTTP. */
async function report(fields: Record<string, string>) {
  const body = JSON.stringify(fields);
  const t = Math.floor(Date.now() / 1000);
  const v1 = createHmac('sha256', SECRET).update(`${t}.${body}`).digest('hex');
  const response = await fetch(`${b.baseUrl}/api/sms/delivery-reports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'kundeside-signature': `t=${t},v1=${v1}` },
    body,
  });
  expect(response.status).toBe(200);
}

/** The key of the newest sent SMS of `kind` to the demo customer (after the worker sent it). */
async function sentKey(kind: 'customer_link' | 'sms_code'): Promise<string> {
  await expect
    .poll(
      async () =>
        (
          await b.db
            .selectFrom('outbox')
            .select('state')
            .where('recipient', '=', PHONE)
            .where('kind', '=', kind)
            .where('state', '!=', 'failed')
            .where((eb) => eb('delivered_via', 'is', null).or('delivered_via', '=', 'sms-webhook'))
            .orderBy('created_at', 'desc')
            .executeTakeFirst()
        )?.state,
      { timeout: 15_000 },
    )
    .toBe('sent');
  const row = await b.db
    .selectFrom('outbox')
    .select('idempotency_key')
    .where('recipient', '=', PHONE)
    .where('kind', '=', kind)
    .where('delivered_via', '=', 'sms-webhook')
    .orderBy('created_at', 'desc')
    .executeTakeFirstOrThrow();
  return row.idempotency_key;
}

/** Signs in and opens the demo case's page; returns the case's id. */
async function openCase(page: Page, language: 'nb' | 'en') {
  await signInStaff(page, b.baseUrl, admin!, language);
  const id = await page.evaluate(async () => {
    const response = await fetch('/api/cases?q=SK-2026-1014');
    return ((await response.json()) as { items: Array<{ id: string }> }).items[0]!.id;
  });
  await page.goto(`${b.baseUrl}/cases/${id}`);
  return id;
}

/** Sends the demo customer a new link as staff do (the seeded one went to the development mailbox). */
async function sendNewLink(page: Page, caseId: string) {
  const status = await page.evaluate(async (id) => {
    const list = (await (await fetch(`/api/cases/${id}/customer-access`)).json()) as {
      people: Array<{ contactId: string; name: string }>;
    };
    const ida = list.people.find((person) => person.name === 'Ida Solberg')!;
    const response = await fetch(`/api/cases/${id}/customer-access/${ida.contactId}/new-link`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    return response.status;
  }, caseId);
  expect(status).toBe(200);
}

/** Opens the access dialog on the case page; returns the demo customer's entry in it. */
async function openDialog(page: Page, language: 'nb' | 'en') {
  await page.locator('.access-symbol').first().waitFor();
  await settled(page);
  await page.locator('.access-symbol').first().click();
  const dialog = page.getByRole('dialog', {
    name: language === 'nb' ? 'Tilgang til kundesiden' : 'Access to the customer page',
  });
  await dialog.waitFor();
  return dialog.getByRole('listitem').filter({ has: page.getByRole('heading', { name: /Ida Solberg/ }) });
}

describe('SMS delivery reports in the access dialog', () => {
  it('shows sent to the provider, delivered to the phone and not delivered with the reason, at 375 px', async () => {
    // A new link SMS to the demo customer goes to the endpoint; with the SMS code on she asks for a code.
    await saveCustomerPageSettings(
      b.db,
      { kind: 'api_key', apiKeyId: 'test', companyId: await demoCompanyId(), level: 6 },
      { ...demoCustomerPageSettings, smsSecurityCode: true },
    );
    const page = await b.newPage(375);
    const caseId = await openCase(page, 'nb');
    await sendNewLink(page, caseId);
    const linkKey = await sentKey('customer_link');
    const sms = texts.filter((text) => text.to === PHONE).at(-1)!;
    const link = /https?:\/\/\S+\/k\/[A-Za-z0-9_-]+/.exec(sms.body)![0];
    const opened = await fetch(link, { redirect: 'manual' });
    const cookie = opened.headers
      .getSetCookie()
      .map((c) => c.split(';')[0]!)
      .find((c) => c.startsWith('ks_customer=') && c.length > 'ks_customer='.length)!;
    const sent = await fetch(`${b.baseUrl}/api/customer/code/send`, {
      method: 'POST',
      headers: { cookie, origin: b.baseUrl, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(sent.status).toBe(200);
    const codeKey = await sentKey('sms_code');

    // Before any report: both "sent to the SMS provider".
    await page.reload();
    let person = await openDialog(page, 'nb');
    await expect.poll(() => person.getByText('Sendt til SMS-leverandøren').count()).toBe(2);

    await report({ idempotencyKey: linkKey, status: 'delivered' });
    await report({ idempotencyKey: codeKey, status: 'failed', error: 'Telefonen er avslått' });
    await page.reload();
    person = await openDialog(page, 'nb');
    const linkSms = person.locator('.delivery-list li', { hasText: /^SMS:/ });
    const codeSms = person.locator('.delivery-list li', { hasText: /^SMS-kode:/ });
    await expect(linkSms.locator('.delivery').textContent()).resolves.toBe('Levert til telefonen');
    await expect(codeSms.locator('.delivery').textContent()).resolves.toBe(
      'Ikke levert: Telefonen er avslått',
    );
    expect(await fitsViewport(page)).toBe(true);
    await settled(page);
    await page.screenshot({ path: `${SHOTS}/sms-delivery-nb.png` });
    await expectNoAxeViolations(page);

    const english = await b.newPage(375);
    await openCase(english, 'en');
    person = await openDialog(english, 'en');
    await expect(
      person.locator('.delivery-list li', { hasText: /^SMS:/ }).locator('.delivery').textContent(),
    ).resolves.toBe('Delivered to the phone');
    await expect(
      person
        .locator('.delivery-list li', { hasText: /^SMS code:/ })
        .locator('.delivery')
        .textContent(),
    ).resolves.toBe('Not delivered: Telefonen er avslått');
    await english.screenshot({ path: `${SHOTS}/sms-delivery-en.png` });
    await expectNoAxeViolations(english);
  });
});

async function demoCompanyId(): Promise<string> {
  const row = await b.db
    .selectFrom('users')
    .select('company_id')
    .where('email', '=', admin!.email)
    .executeTakeFirstOrThrow();
  return row.company_id;
}
