import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { demoCustomerLink } from '../../src/server/demo/demo-link.ts';
import { DEMO_SIGN_INS } from '../../src/server/demo/seed-demo.ts';
import {
  expectNoAxeViolations,
  fitsViewport,
  settled,
  signInStaff,
  SHOTS,
  useBrowser,
} from '../support/browser.ts';

// Staff side of customer communication (issue 7) in Chromium: the unread banner leads to
// "Kundekommunikasjon", staff write with files, a customer's message shows without a reload (server-sent
// events), "Marker alle meldinger som lest" clears arrow and banner, the notification list, and manual
// document sharing — on a desktop and on a 375 px phone, with axe-core on every view.

const b = useBrowser();
const [admin] = DEMO_SIGN_INS;
const CLAIM = 'SK-2026-1005';

async function caseIdOf(page: Page): Promise<string> {
  return page.evaluate(async (claim) => {
    const response = await fetch(`/api/cases?q=${encodeURIComponent(claim)}`);
    const list = (await response.json()) as { items: Array<{ id: string; claimNumber: string }> };
    const found = list.items.find((item) => item.claimNumber === claim);
    if (!found) throw new Error(`no case ${claim}`);
    return found.id;
  }, CLAIM);
}

/** The demo customer in a browser of their own: opens the link, then writes through the API. */
async function customer(): Promise<(text: string) => Promise<void>> {
  const link = await demoCustomerLink(b.db, b.baseUrl);
  if (!link) throw new Error('no demo customer link');
  const page = await b.newPage(375);
  await page.goto(link);
  await page.waitForURL(`${b.baseUrl}/k/`);
  return async (text: string) => {
    const status = await page.evaluate(async (body) => {
      const response = await fetch('/api/customer/messages', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ body }),
      });
      return response.status;
    }, text);
    expect(status).toBe(201);
  };
}

describe('customer communication, staff side', () => {
  it('leads from the banner to the thread, sends, shows a customer message live and marks all read', async () => {
    const write = await customer();
    await write('Hei! Det drypper fortsatt.\nBilder: https://example.com/bilder.');

    const page = await b.newPage(1280);
    await signInStaff(page, b.baseUrl, admin);
    await expect.poll(() => page.locator('nav a[href="/notifications"] .nav-count').count()).toBe(1);
    const id = await caseIdOf(page);
    await page.goto(`${b.baseUrl}/cases/${id}`);

    const banner = page.locator('.banner-link', {
      hasText: 'Det finnes meldinger fra kunden som ikke er lest',
    });
    await banner.click();
    await page.locator('.message-list').waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('communication-title');
    expect(page.url()).toContain('#communication');
    // The red arrow beside the heading, with its words.
    await expect
      .poll(() => page.locator('#communication-title .visually-hidden').textContent())
      .toMatch(/uleste? meldinger? fra kunden/);
    // Links in the text are links that open elsewhere, everything else is text.
    const link = page.locator('.message-body a', { hasText: 'https://example.com/bilder' }).first();
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer nofollow');
    expect(await link.getAttribute('href')).toBe('https://example.com/bilder');
    await expectNoAxeViolations(page);

    // Empty: refused before sending, in an alert.
    await page.getByRole('button', { name: 'Send melding' }).click();
    await page.getByRole('alert').filter({ hasText: 'Skriv en melding eller legg ved en fil.' }).waitFor();

    // A message with two files.
    await page.getByLabel('Melding til kunden').fill('Takk! Vi kommer tirsdag.');
    await page.getByLabel('Legg ved bilder eller dokumenter (valgfritt)').setInputFiles([
      { name: 'plan.txt', mimeType: 'text/plain', buffer: Buffer.from('Plan\n') },
      { name: 'liste.txt', mimeType: 'text/plain', buffer: Buffer.from('Liste\n') },
    ]);
    await page.getByRole('button', { name: 'Send melding' }).click();
    // The confirmation says who was told (issue 16): the demo customer, who has access.
    await page
      .getByRole('status')
      .filter({ hasText: /^Meldingen er sendt\. Varsel gikk til .+ \((e-post|SMS)\)\.$/ })
      .waitFor();
    const newest = page.locator('.message').first();
    expect(await newest.locator('.message-sender').textContent()).toContain(admin.email);
    expect(await newest.locator('.message-files a').allTextContents()).toEqual(['plan.txt', 'liste.txt']);

    // A file whose content does not match its name: the server's reason in an alert.
    await page
      .getByLabel('Legg ved bilder eller dokumenter (valgfritt)')
      .setInputFiles([
        { name: 'falsk.txt', mimeType: 'text/plain', buffer: Buffer.from('%PDF-1.4\n\u0000\u0001') },
      ]);
    await page.getByRole('button', { name: 'Send melding' }).click();
    await page.getByRole('alert').filter({ hasText: 'falsk.txt' }).waitFor();
    await page.getByLabel('Legg ved bilder eller dokumenter (valgfritt)').setInputFiles([]);

    // The customer writes while the page is open: it shows without a reload.
    await write('Flott, vi er hjemme.');
    await page
      .locator('.message-from-customer.message-unread', { hasText: 'Flott, vi er hjemme.' })
      .waitFor();
    await page.screenshot({ path: `${SHOTS}/communication-staff-1280.png`, fullPage: true });

    await page.getByRole('button', { name: 'Marker alle meldinger som lest' }).click();
    await page.getByText('Meldingene fra kunden er markert som lest.').waitFor();
    await expect.poll(() => page.locator('.unread-arrow').count()).toBe(0);
    await expect.poll(() => banner.count()).toBe(0);
    expect(await page.locator('.message-unread').count()).toBe(0);
    await expectNoAxeViolations(page);
  });

  it('reads well on a 375 px phone and lists notifications', async () => {
    const write = await customer();
    for (const n of [1, 2, 3, 4, 5, 6]) await write(`Spørsmål ${n} fra mobilen.`);
    const page = await b.newPage(375);
    await signInStaff(page, b.baseUrl, admin);
    const id = await caseIdOf(page);
    await page.goto(`${b.baseUrl}/cases/${id}`);
    await page.locator('.message-list').waitFor();
    await settled(page);
    // The newest messages first; the rest on request, with the focus on the first one revealed.
    const before = await page.locator('.message').count();
    await page.getByRole('button', { name: /Vis alle meldingene/ }).click();
    await expect.poll(() => page.locator('.message').count()).toBeGreaterThan(before);
    expect(await page.evaluate(() => document.activeElement?.classList.contains('message'))).toBe(true);
    expect(await fitsViewport(page)).toBe(true);
    await page.screenshot({ path: `${SHOTS}/communication-staff-375.png`, fullPage: true });
    await expectNoAxeViolations(page);

    await page.locator('nav a[href="/notifications"]').click();
    const item = page.locator('.notification-unread').first();
    await item.waitFor();
    expect(await page.locator('nav a[href="/notifications"]').textContent()).toMatch(/Varsler \d+ uleste/);
    expect(await fitsViewport(page)).toBe(true);
    await expectNoAxeViolations(page);
    await page.screenshot({ path: `${SHOTS}/notifications-375.png`, fullPage: true });

    const unread = await page.locator('.notification-unread').count();
    await item.getByRole('button', { name: /Marker som lest/ }).click();
    await expect.poll(() => page.locator('.notification-unread').count()).toBe(unread - 1);
    if (unread > 1) {
      await page.getByRole('button', { name: 'Marker alle som lest' }).click();
      await expect.poll(() => page.locator('.notification-unread').count()).toBe(0);
    }
    await page.getByText('Ingen uleste varsler.').waitFor();
    expect(await page.locator('nav a[href="/notifications"] .nav-count').count()).toBe(0);
  });

  it('shares ticked documents after a confirmation and withdraws one from its menu', async () => {
    const page = await b.newPage(1280);
    await signInStaff(page, b.baseUrl, admin);
    const id = await caseIdOf(page);
    await page.goto(`${b.baseUrl}/cases/${id}?tab=documents`);
    // Two more files in the library, as attachments of a message.
    const status = await page.evaluate(async (caseId) => {
      const form = new FormData();
      form.append('body', 'To vedlegg');
      form.append('files', new File(['En\n'], 'en.txt', { type: 'text/plain' }));
      form.append('files', new File(['To\n'], 'to.txt', { type: 'text/plain' }));
      return (await fetch(`/api/cases/${caseId}/messages`, { method: 'POST', body: form })).status;
    }, id);
    expect(status).toBe(201);
    await page.reload();
    await page.locator('.document-list').waitFor();
    const boxes = page.locator('.document-list input[type=checkbox]');
    const unshared = await boxes.count();
    expect(unshared).toBeGreaterThanOrEqual(2);
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await page.getByRole('button', { name: /Del med kunden \(2\)/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Del med kunden' }).click();
    await page.getByRole('status').filter({ hasText: 'Delt med kunden:' }).waitFor();
    await expect.poll(() => page.locator('.document-list input[type=checkbox]').count()).toBe(unshared - 2);
    const shared = await page.getByRole('img', { name: 'Delt med kunden' }).count();
    expect(shared).toBeGreaterThanOrEqual(2);

    // "Fjern deling med kunden" sits in the gear menu beside each shared document.
    await page
      .getByRole('button', { name: /^Valg for / })
      .first()
      .click();
    await page
      .getByRole('button', { name: /^Fjern deling med kunden: / })
      .first()
      .click();
    await page.getByRole('dialog').getByRole('button', { name: 'Fjern delingen' }).click();
    await expect.poll(() => page.getByRole('img', { name: 'Delt med kunden' }).count()).toBe(shared - 1);
    await expectNoAxeViolations(page);
  });
});
