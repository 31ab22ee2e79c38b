import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/server/config.ts';
import { createCase } from '../../src/server/cases/cases.ts';
import type { Actor } from '../../src/server/security/actor.ts';
import { saveCustomerPageSettings } from '../../src/server/customer-page-config/customer-page-config.ts';
import { demoCustomerLink } from '../../src/server/demo/demo-link.ts';
import { DEMO_ORG_NUMBER, demoCustomerPageSettings } from '../../src/server/demo/seed-demo.ts';
import { createFileStorage } from '../../src/server/storage/file-storage.ts';
import { postStaffMessage } from '../../src/server/messages/staff-messages.ts';
import { runOutboxOnce } from '../../src/server/outbox/worker.ts';
import { expectNoAxeViolations, fitsViewport, settled, useBrowser, SHOTS } from '../support/browser.ts';
import { linkIn, uniquePhone, uniqueSuffix } from '../support/customer.ts';
import { useSinks } from '../support/sinks.ts';

// The customer page (issue 6) in Chromium on a 375 px phone: the demo link `npm start` prints, the
// themed dashboard with news and plan, every tab by keyboard, a download, axe in nb and en; and the
// issue-5 journey: the link from the SMTP sink, the SMS code from the SMS sink, the case's page.

const sinks = useSinks();
const b = useBrowser();

const words = {
  nb: {
    menu: 'Meny',
    views: ['Oversikt', 'Prosjektplan', 'Kommunikasjon', 'Dokumenter', 'Budsjett'],
    news: 'Nyheter',
    plan: 'Plan',
    switchTo: 'Switch to English',
  },
  en: {
    menu: 'Menu',
    views: ['Dashboard', 'Project plan', 'Communication', 'Documents', 'Budget'],
    news: 'News',
    plan: 'Plan',
    switchTo: 'Bytt til norsk',
  },
} as const;

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `${SHOTS}/customer-${name}.png`, fullPage: true });
}

/** Delivers the queued messages to the SMTP and SMS sinks of this file (the server has no worker). */
async function deliverToSinks() {
  const env = loadConfig({ NODE_ENV: 'test', DATA_DIR: '/tmp/ks-unused', ...sinks.env });
  await runOutboxOnce({
    db: b.db,
    config: {
      ...b.app.config,
      smtpUrl: env.smtpUrl,
      mailFrom: env.mailFrom,
      sms: env.sms,
      smsFrom: env.smsFrom,
    },
  });
}

async function demoCompany() {
  return b.db
    .selectFrom('companies')
    .innerJoin('users', 'users.company_id', 'companies.id')
    .select(['companies.id as companyId', 'users.id as userId'])
    .where('companies.org_number', '=', DEMO_ORG_NUMBER)
    .where('users.level', '=', 6)
    .executeTakeFirstOrThrow();
}

describe('the customer page in Chromium at 375 px', () => {
  it('opens the demo link: clean URL, themed dashboard, every tab by keyboard, a download, axe in nb and en', async () => {
    const link = await demoCustomerLink(b.db, b.baseUrl);
    if (!link) throw new Error('no demo customer link');
    const page = await b.newPage(375);
    await page.goto(link);
    await page.waitForURL(`${b.baseUrl}/k/`);
    expect(page.url()).toBe(`${b.baseUrl}/k/`);
    expect(page.url()).not.toContain(new URL(link).pathname.slice(3));

    const nb = words.nb;
    const menu = page.getByRole('navigation', { name: nb.menu });
    await menu.waitFor();
    await page.getByText('Skadenummer: SK-2026-1005').waitFor();
    await page.getByRole('heading', { name: 'Markveien 40', level: 1 }).waitFor();
    await page.getByRole('heading', { name: nb.news }).waitFor();
    await page.getByRole('heading', { name: nb.plan, exact: true }).waitFor();
    await page.getByText('Riving av baderom').first().waitFor();

    // The menu wears the configured colour.
    const expected = await page.evaluate(async () => {
      const response = await fetch('/api/customer/page?lang=nb');
      const body = (await response.json()) as { model: { colors: { menuBackground: string } } };
      const hex = body.model.colors.menuBackground;
      const [r, g, bl] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
      return `rgb(${r}, ${g}, ${bl})`;
    });
    const background = await menu.evaluate((element) => getComputedStyle(element).backgroundColor);
    expect(background).toBe(expected);

    for (const language of ['nb', 'en'] as const) {
      const w = words[language];
      await page.getByRole('navigation', { name: w.menu }).waitFor();
      expect(await fitsViewport(page)).toBe(true);
      await expectNoAxeViolations(page);
      await shot(page, `dashboard-${language}`);
      // Every tab, by keyboard: focus the menu item, Enter.
      for (const [index, name] of w.views.entries()) {
        const item = page
          .getByRole('navigation', { name: w.menu })
          .getByRole('button', { name, exact: true });
        await item.focus();
        await page.keyboard.press('Enter');
        await expect(item.getAttribute('aria-current')).resolves.toBe('page');
        await page.getByRole('heading', { name, level: 2 }).waitFor();
        if (index === 0) continue;
        expect(await fitsViewport(page)).toBe(true);
        await expectNoAxeViolations(page);
        await shot(
          page,
          `${['dashboard', 'plan', 'communication', 'documents', 'budget'][index]}-${language}`,
        );
      }
      expect(page.url()).toMatch(/\/k\/#budget$/);
      if (language === 'nb') {
        // A task of the project plan opens to its description.
        await page.goto(`${b.baseUrl}/k/#projectPlan`);
        const task = page.getByRole('button', { name: /Riving av baderom/ });
        await task.focus();
        await page.keyboard.press('Enter');
        await page.getByText('Fliser, membran og sluk fjernes').waitFor();
        await shot(page, 'plan-open-nb');

        // Download a shared document from the Documents tab.
        await page.goto(`${b.baseUrl}/k/#documents`);
        const documentLink = page.getByRole('link', { name: 'Fremdriftsplan baderom.pdf' });
        await documentLink.waitFor();
        const [download] = await Promise.all([page.waitForEvent('download'), documentLink.click()]);
        expect(download.suggestedFilename()).toBe('Fremdriftsplan baderom.pdf');
        await page.getByRole('link', { name: /^Besiktigelsesrapport Markveien 40\.pdf$/ }).waitFor();

        // To English: remembered, and the news texts come in English.
        await page.goto(`${b.baseUrl}/k/`);
        await page.getByRole('button', { name: w.switchTo }).click();
        await page.getByRole('heading', { name: 'News' }).waitFor();
        await page.getByText('Claim number: SK-2026-1005').waitFor();
        await page.reload();
        await page.getByRole('heading', { name: 'News' }).waitFor();
        expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
      }
    }
  });

  it('paints the case from its HTML alone (no script), and the script takes that screen over without a mismatch', async () => {
    const link = await demoCustomerLink(b.db, b.baseUrl);
    if (!link) throw new Error('no demo customer link');
    // No JavaScript at all: what a phone shows before the script has arrived.
    const context = await b.browser.newContext({
      viewport: { width: 375, height: 800 },
      javaScriptEnabled: false,
    });
    const bare = await context.newPage();
    await bare.goto(link);
    expect(bare.url()).toBe(`${b.baseUrl}/k/`);
    await bare.getByRole('heading', { name: 'Markveien 40', level: 1 }).waitFor();
    await bare.getByRole('heading', { name: words.nb.news }).waitFor();
    await bare.getByText('Riving av baderom').first().waitFor();
    const menu = bare.getByRole('navigation', { name: words.nb.menu });
    expect(await menu.getByRole('button').allInnerTexts()).toEqual([...words.nb.views]);
    // The style sheet came with the HTML: the menu already wears the company's colour.
    expect(await menu.evaluate((element) => getComputedStyle(element).backgroundColor)).not.toBe(
      'rgba(0, 0, 0, 0)',
    );
    expect(await fitsViewport(bare)).toBe(true);
    await shot(bare, 'server-rendered-nb');
    await context.close();

    // With the script: the same screen is taken over (a mismatch would be reported as an error).
    const page = await b.newPage(375);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.goto(link);
    const documents = page
      .getByRole('navigation', { name: words.nb.menu })
      .getByRole('button', { name: 'Dokumenter' });
    await documents.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Dokumenter', level: 2 }).waitFor();
    expect(errors).toEqual([]);
  });

  it('shows the friendly "link not valid" page for an unknown link, axe-clean', async () => {
    const page = await b.newPage(375);
    await page.goto(`${b.baseUrl}/k/${'x'.repeat(43)}`);
    await page.waitForURL(`${b.baseUrl}/k/`);
    await page.getByRole('heading', { name: 'Lenken er ikke gyldig', level: 1 }).waitFor();
    expect(await fitsViewport(page)).toBe(true);
    await expectNoAxeViolations(page);
    await shot(page, 'invalid-nb');
  });

  it('with the SMS code on: the link from the SMTP sink, the code from the SMS sink, the case page', async () => {
    const { companyId, userId } = await demoCompany();
    const actor: Actor = { kind: 'staff', userId, companyId, level: 6, sessionId: 'browser-test' };
    await saveCustomerPageSettings(b.db, actor, { ...demoCustomerPageSettings, smsSecurityCode: true });
    const s = uniqueSuffix();
    const email = `kunde-${s}@example.test`;
    const phone = uniquePhone();
    const claimNumber = `SK-KODE-${s}`;
    await createCase(b.db, actor, {
      claimNumber,
      address: { street: `Kodeveien ${s.slice(0, 3)}`, postalCode: '0152', city: 'Oslo' },
      customer: { name: `Kunde ${s}`, email, phone },
      contacts: [],
    });
    await deliverToSinks();
    const mail = sinks.mails.find((m) => m.to.includes(email));
    if (!mail) throw new Error('no link e-mail in the SMTP sink');

    const page = await b.newPage(375);
    await page.goto(linkIn(mail.text));
    await page.waitForURL(`${b.baseUrl}/k/`);
    await page.getByRole('heading', { name: 'Skriv inn sikkerhetskoden', level: 1 }).waitFor();
    await expect(page.content()).resolves.not.toContain(claimNumber);
    const input = page.getByLabel('Kode (6 siffer)');
    await expect(input.getAttribute('inputmode')).resolves.toBe('numeric');
    await expect(input.getAttribute('autocomplete')).resolves.toBe('one-time-code');
    expect(await fitsViewport(page)).toBe(true);
    await expectNoAxeViolations(page);
    await shot(page, 'code-nb');

    await page.getByRole('button', { name: 'Send kode' }).click();
    await page.getByText(/Vi har sendt en kode til/).waitFor();
    await page.getByText(/Du kan be om en ny kode om \d+ sekunder/).waitFor();
    await deliverToSinks();
    const sms = sinks.sms.find((m) => m.to === phone && /Koden din er \d{6}/.test(m.body));
    if (!sms) throw new Error('no code in the SMS sink');
    const code = /Koden din er (\d{6})/.exec(sms.body)?.[1] ?? '';

    // A wrong code first: a clear error, the field marked.
    const wrong = code === '000000' ? '111111' : '000000';
    await input.fill(wrong);
    await page.getByRole('button', { name: 'Bekreft' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /Koden er feil\. 4 forsøk igjen\./ })
      .waitFor();
    await expect(input.getAttribute('aria-invalid')).resolves.toBe('true');
    await expectNoAxeViolations(page);
    await shot(page, 'code-wrong-nb');

    await input.fill(code);
    await page.keyboard.press('Enter');
    await page.getByText(`Skadenummer: ${claimNumber}`).waitFor();
    await page.getByRole('navigation', { name: 'Meny' }).waitFor();
    await expectNoAxeViolations(page);
    await shot(page, 'after-code-nb');
    await saveCustomerPageSettings(b.db, actor, demoCustomerPageSettings);
  });

  it('shows the 30 newest messages and news, "Vis eldre" by keyboard appends the older ones, live updates keep them', async () => {
    const { companyId, userId } = await demoCompany();
    const actor: Actor = { kind: 'staff', userId, companyId, level: 6, sessionId: 'browser-test' };
    const s = uniqueSuffix();
    const email = `kunde-${s}@example.test`;
    const { id: caseId } = await createCase(b.db, actor, {
      claimNumber: `SK-LANG-${s}`,
      address: { street: `Langtrådveien ${s.slice(0, 3)}`, postalCode: '0152', city: 'Oslo' },
      customer: { name: `Kunde ${s}`, email, phone: uniquePhone() },
      contacts: [],
    });
    const deps = { db: b.db, storage: createFileStorage(b.app.config) };
    const say = (text: string) =>
      postStaffMessage(deps, actor, caseId, { kind: 'json', body: { body: text } });
    for (let n = 1; n <= 35; n++) await say(`Melding nummer ${n}.`);
    await deliverToSinks();
    const mail = sinks.mails.find((m) => m.to.includes(email));
    if (!mail) throw new Error('no link e-mail in the SMTP sink');

    const page = await b.newPage(375);
    await page.goto(linkIn(mail.text));
    await page.waitForURL(`${b.baseUrl}/k/`);
    // The news feed: 30 of its entries, the rest on request.
    const news = page.locator('ol.cp-news > li');
    await news.first().waitFor();
    const firstNews = await news.count();
    expect(firstNews).toBe(30);
    await page
      .getByText(/^Viser 30 av \d+$/)
      .first()
      .waitFor();
    await page.getByRole('button', { name: 'Vis eldre nyheter' }).click();
    await expect.poll(() => news.count()).toBeGreaterThan(30);

    await page.goto(`${b.baseUrl}/k/#communication`);
    const thread = page.locator('ol.cp-messages > li');
    await thread.filter({ hasText: 'Melding nummer 35.' }).waitFor();
    expect(await thread.count()).toBe(30);
    expect(await thread.filter({ hasText: 'Melding nummer 1.' }).count()).toBe(0);
    await page.getByText('Viser 30 av 35').waitFor();
    expect(await fitsViewport(page)).toBe(true);
    await expectNoAxeViolations(page);

    // By keyboard: the button takes Enter; the focus moves to the first message it revealed.
    const older = page.getByRole('button', { name: 'Vis eldre meldinger' });
    await older.focus();
    await page.keyboard.press('Enter');
    await thread.filter({ hasText: 'Melding nummer 1.' }).waitFor();
    expect(await thread.count()).toBe(35);
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.textContent ?? ''))
      .toContain('Melding nummer 5.');
    await expect(older.count()).resolves.toBe(0);
    await settled(page);
    expect(await fitsViewport(page)).toBe(true);
    await expectNoAxeViolations(page);
    await shot(page, 'communication-older-nb');

    // A new message arrives live: it comes on top, the older messages stay.
    await say('Melding nummer 36.');
    await thread.filter({ hasText: 'Melding nummer 36.' }).waitFor();
    expect(await thread.count()).toBe(36);
    await expect(thread.first().textContent()).resolves.toContain('Melding nummer 36.');
    await expect(thread.last().textContent()).resolves.toContain('Melding nummer 1.');
  });
});
