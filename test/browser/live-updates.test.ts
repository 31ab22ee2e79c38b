import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { osloDate } from '../../src/common/rules/oslo-date.ts';
import { demoCustomerLink } from '../../src/server/demo/demo-link.ts';
import { DEMO_CUSTOMER_CASE, DEMO_SIGN_INS } from '../../src/server/demo/seed-demo.ts';
import {
  expectNoAxeViolations,
  fitsViewport,
  settled,
  signInStaff,
  SHOTS,
  useBrowser,
} from '../support/browser.ts';
import { openCustomerLink } from '../support/customer.ts';

// Issue 16 item 10: no reload needed. An open customer page follows the company's settings as the
// admin saves them; the staff dashboard's counts and the notification count follow the staff app's
// live stream (no polling while it is open). Each page is marked when it opens and the mark is still
// there afterwards, so the change came without a reload.

const b = useBrowser();
const [admin, handler] = DEMO_SIGN_INS;

async function shot(page: Page, name: string) {
  await settled(page);
  await page.screenshot({ path: `${SHOTS}/live-${name}.png`, fullPage: true });
}

/** Marks the document; {@link stillSameDocument} is false after any reload or navigation. */
const markDocument = (page: Page) =>
  page.evaluate(() => ((window as unknown as { liveMark: boolean }).liveMark = true));
const stillSameDocument = (page: Page) =>
  page.evaluate(() => (window as unknown as { liveMark?: boolean }).liveMark === true);

const backgroundOf = (locator: Locator) =>
  locator.evaluate((element) => getComputedStyle(element).backgroundColor);

/** Waits (up to 10 s) until `read` answers `wanted`; fails with the last answer. */
async function eventually<T>(read: () => Promise<T>, wanted: T, what: string): Promise<void> {
  const until = Date.now() + 10_000;
  let last: T = await read();
  while (last !== wanted) {
    if (Date.now() > until) throw new Error(`${what}: still ${String(last)}, wanted ${String(wanted)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    last = await read();
  }
}

/** The admin's API session (another user than the one watching), same-origin as the browser's. */
async function adminApi() {
  const origin = new URL(b.baseUrl).origin;
  const login = await b.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    headers: { origin },
    payload: { email: admin.email, password: admin.password },
  });
  expect(login.statusCode, login.body).toBe(200);
  const session = login.cookies[0]!;
  const cookie = `${session.name}=${session.value}`;
  return async (method: 'POST' | 'PATCH', url: string, payload: object) => {
    const response = await b.app.inject({ method, url, headers: { cookie, origin }, payload });
    expect(response.statusCode, response.body).toBeLessThan(300);
    return response.json() as { id: string };
  };
}

async function userIdOf(email: string) {
  const row = await b.db
    .selectFrom('users')
    .select('id')
    .where('email', '=', email)
    .executeTakeFirstOrThrow();
  return row.id;
}

describe('live updates without a reload', () => {
  it('an open customer page (375 px, English) takes the colour the admin saves (1280 px, keyboard)', async () => {
    const link = await demoCustomerLink(b.db, b.baseUrl);
    if (!link) throw new Error('no demo customer link');
    const customer = await b.newPage(375);
    await customer.goto(link);
    await customer.waitForURL(`${b.baseUrl}/k/`);
    // The customer reads in English.
    await customer.getByRole('button', { name: 'Switch to English' }).focus();
    await customer.keyboard.press('Enter');
    const menu = customer.locator('.cp-menu');
    await customer.getByRole('navigation', { name: 'Menu' }).waitFor();
    await markDocument(customer);
    const before = await backgroundOf(menu);
    expect(before).not.toBe('rgb(122, 31, 92)');

    const staff = await b.newPage(1280);
    await signInStaff(staff, b.baseUrl, admin, 'nb');
    await staff.goto(`${b.baseUrl}/admin/customer-page`);
    await staff.getByRole('heading', { name: 'Konfigurasjon av kundesida', level: 1 }).waitFor();
    await settled(staff);
    // Keyboard alone: into the menu colour's hex box, a new colour, then the save button.
    await staff.getByRole('textbox', { name: 'Menyens bakgrunnsfarge', exact: true }).focus();
    await staff.keyboard.press('ControlOrMeta+A');
    await staff.keyboard.type('#7a1f5c');
    await staff.getByRole('button', { name: 'Lagre innstillingene' }).focus();
    await staff.keyboard.press('Enter');
    await staff.getByRole('status').filter({ hasText: 'Innstillingene er lagret.' }).waitFor();

    // The customer's page shows the new colour by itself, in the same document, still in English.
    await eventually(() => backgroundOf(menu), 'rgb(122, 31, 92)', 'the customer menu colour');
    expect(await stillSameDocument(customer)).toBe(true);
    await customer.getByRole('navigation', { name: 'Menu' }).waitFor();
    expect(await fitsViewport(customer)).toBe(true);
    await expectNoAxeViolations(customer);
    await shot(customer, 'customer-after-save-375-en');
  });

  it("the handler's dashboard count (1280 px, nb) and menu count (375 px, en) follow another user's changes", async () => {
    const wide = await b.newPage(1280);
    const narrow = await b.newPage(375);
    await signInStaff(wide, b.baseUrl, handler, 'nb');
    await signInStaff(narrow, b.baseUrl, handler, 'en');
    await Promise.all([settled(wide), settled(narrow)]);
    await Promise.all([markDocument(wide), markDocument(narrow)]);

    /** The Today number of the reminders row. */
    const remindersToday = (page: Page, label: string) =>
      page
        .locator('.dashboard-table tbody tr')
        .filter({ has: page.getByRole('rowheader', { name: label, exact: true }) })
        .getByRole('link')
        .first();
    const wideCell = remindersToday(wide, 'Saker med påminnelse til saksbehandler');
    const narrowCell = remindersToday(narrow, 'Cases with a reminder for the case handler');
    // The number first; the rest of the link's text is for screen readers.
    const countOf = async (cell: Locator) => Number((await cell.textContent())?.match(/^\s*(\d+)/)?.[1]);
    const start = await countOf(wideCell);
    expect(await countOf(narrowCell)).toBe(start);

    // The admin, through the API: a new case for the handler with a reminder due today.
    const api = await adminApi();
    const handlerId = await userIdOf(handler.email);
    const created = await api('POST', '/api/cases', {
      claimNumber: `SK-LIVE-${Date.now()}`,
      address: { street: 'Kirkegata 1', postalCode: '0153', city: 'Oslo' },
      customer: { name: 'Åse Ødegård' },
      caseHandlerId: handlerId,
    });
    await api('POST', `/api/cases/${created.id}/reminders`, {
      dueOn: osloDate(new Date()),
      text: 'Ring kunden om fuktmålingen',
    });
    await eventually(() => countOf(wideCell), start + 1, 'the nb dashboard count');
    await eventually(() => countOf(narrowCell), start + 1, 'the en dashboard count');

    // A customer writes on a case the handler now handles: the menu counts rise on both pages.
    const unreadOf = async (page: Page) => {
      const pill = page.locator('.nav-count');
      return (await pill.count()) ? Number((await pill.textContent())?.match(/\d+/)?.[0]) : 0;
    };
    const unreadBefore = await unreadOf(wide);
    const demoCase = await b.db
      .selectFrom('cases')
      .select('id')
      .where('claim_number', '=', DEMO_CUSTOMER_CASE)
      .executeTakeFirstOrThrow();
    await api('PATCH', `/api/cases/${demoCase.id}`, { caseHandlerId: handlerId });
    const link = await demoCustomerLink(b.db, b.baseUrl);
    const opened = await openCustomerLink(b.app, link ?? '');
    const posted = await b.app.inject({
      method: 'POST',
      url: '/api/customer/messages',
      headers: { cookie: opened.cookie ?? '', origin: new URL(b.baseUrl).origin },
      payload: { body: 'Når kommer takstmannen?' },
    });
    expect(posted.statusCode, posted.body).toBe(201);
    await eventually(() => unreadOf(wide), unreadBefore + 1, 'the nb unread count');
    await eventually(() => unreadOf(narrow), unreadBefore + 1, 'the en unread count');
    await wide.getByRole('link', { name: `Varsler ${unreadBefore + 1} uleste` }).waitFor();
    await narrow.getByRole('link', { name: `Notifications ${unreadBefore + 1} unread` }).waitFor();

    expect(await stillSameDocument(wide)).toBe(true);
    expect(await stillSameDocument(narrow)).toBe(true);
    expect(await fitsViewport(narrow)).toBe(true);
    await expectNoAxeViolations(wide);
    await expectNoAxeViolations(narrow);
    await shot(wide, 'dashboard-1280-nb');
    await shot(narrow, 'dashboard-375-en');
  });
});
