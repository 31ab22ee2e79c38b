import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SIGN_INS } from '../../src/server/demo/seed-demo.ts';
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

const b = useBrowser();
const [admin] = DEMO_SIGN_INS;

// The server of useBrowser runs no outbox worker (main.ts starts it): this file starts one, which
// "delivers" into the development mailbox as the app does without SMTP_URL / SMS_PROVIDER.
let worker: OutboxWorker | undefined;
beforeAll(() => {
  if (skipReason) return;
  worker = startOutboxWorker({ db: b.db, config: b.app.config }, 200);
});
afterAll(async () => {
  await worker?.stop();
});

type Language = 'nb' | 'en';

const words = {
  nb: {
    case: 'Kundeside',
    list: 'Tilgang til kundesiden',
    close: 'Lukk',
    mailbox: 'Utviklingspostkasse',
    sendLink: 'Send link til kundesiden',
  },
  en: {
    case: 'Customer page',
    list: 'Access to the customer page',
    close: 'Close',
    mailbox: 'Development mailbox',
    sendLink: 'Send link to the customer page',
  },
} as const;

const signIn = (page: Page, language: Language = 'nb') => signInStaff(page, b.baseUrl, admin, language);

/** A screenshot of one element, or of what the viewport shows (an open dialog), or of the whole page. */
async function shot(page: Page, name: string, target: Locator | 'viewport' | 'page' = 'viewport') {
  await settled(page);
  const path = `${SHOTS}/access-${name}.png`;
  if (target === 'viewport' || target === 'page') {
    await page.screenshot({ path, fullPage: target === 'page' });
  } else {
    await target.screenshot({ path });
  }
}

async function caseId(page: Page, claimNumber: string): Promise<string> {
  return page.evaluate(async (claim) => {
    const response = await fetch(`/api/cases?q=${encodeURIComponent(claim)}`);
    const list = (await response.json()) as { items: Array<{ id: string; claimNumber: string }> };
    const found = list.items.find((item) => item.claimNumber === claim);
    if (!found) throw new Error(`no case ${claim}`);
    return found.id;
  }, claimNumber);
}

const accessPanel = (page: Page, language: Language) =>
  page.locator('section.panel', {
    has: page.getByRole('heading', { name: words[language].case, exact: true, level: 2 }),
  });

async function openCase(page: Page, claimNumber: string, language: Language) {
  const id = await caseId(page, claimNumber);
  await page.goto(`${b.baseUrl}/cases/${id}`);
  await accessPanel(page, language).locator('.access-symbol').waitFor();
  await settled(page);
  return id;
}

describe('customer-page access on the case page in Chromium', () => {
  it('grants and removes access, changes the link setting, and shows the link in the dev mailbox', async () => {
    const page = await b.newPage(375);
    await signIn(page);
    await openCase(page, 'SK-2026-1014', 'nb');
    const panel = accessPanel(page, 'nb');

    // The symbol says how many have access (the company gives the customer access at case creation).
    const symbol = panel.getByRole('button', { name: /har tilgang til kundesiden$/ });
    await expect(symbol.getAttribute('aria-label')).resolves.toBe('1 person har tilgang til kundesiden');
    await panel.getByText('Ved saksopprettelse').waitFor();
    await panel.getByText('(selskapets innstilling)').waitFor();
    expect(await fitsViewport(page)).toBe(true);
    await panel.scrollIntoViewIfNeeded();
    await shot(page, 'panel-nb', panel);
    await expectNoAxeViolations(page);

    // Open the list with the keyboard.
    await symbol.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Tilgang til kundesiden' });
    await dialog.waitFor();
    const customer = dialog.getByRole('listitem').filter({
      has: page.getByRole('heading', { name: /Ida Solberg/ }),
    });
    const contact = dialog.getByRole('listitem').filter({
      has: page.getByRole('heading', { name: /Marius Solberg/ }),
    });
    await customer.getByText('Har tilgang', { exact: true }).waitFor();
    await contact.getByText('Ikke gitt tilgang', { exact: true }).waitFor();
    await contact.getByText('marius.solberg@example.no').waitFor();
    await shot(page, 'dialog-nb');
    await expectNoAxeViolations(page);

    // Grant the contact person: the link goes out at once, and the count goes up.
    await contact.getByRole('button', { name: 'Gi tilgang: Marius Solberg' }).click();
    await dialog.getByRole('status').filter({ hasText: 'Marius Solberg har fått tilgang' }).waitFor();
    await contact.getByText('Har tilgang', { exact: true }).waitFor();
    await dialog.getByText('2 personer har tilgang til kundesiden').waitFor();
    // Delivered (into the development mailbox) by the worker: queued, then sent.
    await contact.locator('.delivery-sent').first().waitFor({ timeout: 15_000 });
    await expect(contact.locator('.delivery').first().textContent()).resolves.toBe('Sendt');
    expect(await fitsViewport(page)).toBe(true);
    await shot(page, 'granted-nb');

    // Remove, with a confirmation; focus goes back to the person's button.
    await contact.getByRole('button', { name: 'Fjern tilgang: Marius Solberg' }).click();
    const confirm = page.getByRole('dialog', { name: 'Fjern tilgang' });
    await confirm.getByText('Lenken til Marius Solberg slutter å virke med en gang').waitFor();
    await shot(page, 'confirm-nb');
    await expectNoAxeViolations(page);
    await confirm.getByRole('button', { name: 'Fjern tilgangen' }).click();
    await confirm.waitFor({ state: 'detached' });
    await contact.getByText('Tilgang fjernet', { exact: true }).waitFor();
    await dialog.getByText('1 person har tilgang til kundesiden').waitFor();
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label')))
      .toBe('Gi tilgang: Marius Solberg');

    // Close: focus returns to the symbol, which shows the new count.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await expect(page.evaluate(() => document.activeElement?.className)).resolves.toBe('access-symbol');
    await expect(symbol.getAttribute('aria-label')).resolves.toBe('1 person har tilgang til kundesiden');

    // The per-case link setting: Edit, choose "Kun manuelt", Save.
    await panel.getByRole('button', { name: 'Rediger: Send link til kundesiden' }).click();
    const select = panel.getByRole('combobox', { name: 'Send link til kundesiden' });
    await expect(page.evaluate(() => document.activeElement?.tagName)).resolves.toBe('SELECT');
    await select.selectOption({ label: 'Kun manuelt' });
    await shot(page, 'edit-nb', panel);
    await panel.getByRole('button', { name: 'Lagre' }).click();
    await panel
      .getByRole('status')
      .filter({ hasText: 'Send link til kundesiden er lagret: Kun manuelt.' })
      .waitFor();
    await panel.getByText('(valgt for denne saken)').waitFor();

    // The Log shows the change, the grant, the removal and the sent link.
    await panel.getByRole('button', { name: 'Logg: Send link til kundesiden' }).click();
    const log = page.getByRole('dialog', { name: 'Logg: Send link til kundesiden' });
    await log.getByText('Send lenke til kundesiden ble endret til: Kun manuelt').waitFor();
    await log.getByText('Marius Solberg fikk tilgang til kundesiden (gitt manuelt)').waitFor();
    await log.getByText('Tilgangen til kundesiden for Marius Solberg ble fjernet').waitFor();
    await log.getByText(/Lenke til kundesiden sendt til Marius Solberg på e-post/).waitFor();
    await shot(page, 'log-nb');
    await log.getByRole('button', { name: 'Lukk' }).click();

    // The development mailbox lists the link message, with the link as a plain anchor.
    await page.getByRole('navigation').getByRole('link', { name: 'Utviklingspostkasse' }).click();
    await page.getByRole('heading', { name: 'Utviklingspostkasse', level: 1 }).waitFor();
    const mail = page.locator('.mail-item', { hasText: 'marius.solberg@example.no' }).first();
    await mail.waitFor();
    const href = await mail.locator('.mail-body a').first().getAttribute('href');
    expect(href).toMatch(new RegExp(`^${b.baseUrl}/`));
    expect(await fitsViewport(page)).toBe(true);
    await shot(page, 'mailbox-nb');
    await shot(page, 'mail-nb', mail);
    await expectNoAxeViolations(page);
  });

  it('is axe-clean in English on a 375 px phone: panel, list and mailbox', async () => {
    const page = await b.newPage(375);
    await signIn(page, 'en');
    await openCase(page, 'SK-2026-1014', 'en');
    const panel = accessPanel(page, 'en');
    await panel.getByText(words.en.sendLink).first().waitFor();
    expect(await fitsViewport(page)).toBe(true);
    await panel.scrollIntoViewIfNeeded();
    await shot(page, 'panel-en', panel);
    await expectNoAxeViolations(page);

    await panel.getByRole('button', { name: /access to the customer page$/ }).click();
    const dialog = page.getByRole('dialog', { name: words.en.list });
    await dialog.getByRole('heading', { name: /Marius Solberg/ }).waitFor();
    await shot(page, 'dialog-en');
    await expectNoAxeViolations(page);
    await dialog.getByRole('button', { name: words.en.close }).click();

    // A person with neither e-mail nor phone is shown as "cannot be reached", without a grant button.
    const id = await page.evaluate(async () => {
      const response = await fetch('/api/cases', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          claimNumber: 'SK-ACCESS-EN',
          address: { street: 'Fjellveien 7', postalCode: '5003', city: 'Bergen' },
          customer: { name: 'Nora Berg', email: 'nora@example.com' },
          contacts: [{ role: 'other', name: 'Even Uten Kontaktinfo' }],
        }),
      });
      if (!response.ok) throw new Error(`create case: ${response.status} ${await response.text()}`);
      return ((await response.json()) as { id: string }).id;
    });
    await page.goto(`${b.baseUrl}/cases/${id}`);
    await panel.getByRole('button', { name: /access to the customer page$/ }).click();
    const unreachable = dialog.getByRole('listitem').filter({
      has: page.getByRole('heading', { name: /Even Uten Kontaktinfo/ }),
    });
    await unreachable.getByText('Cannot be reached', { exact: true }).waitFor();
    await unreachable.getByText(/neither e-mail nor phone/).waitFor();
    await expect(unreachable.getByRole('button').count()).resolves.toBe(0);
    await shot(page, 'unreachable-en', unreachable);
    await expectNoAxeViolations(page);
    await page.keyboard.press('Escape');

    await page.getByRole('navigation').getByRole('link', { name: words.en.mailbox }).click();
    await page.getByRole('heading', { name: words.en.mailbox, level: 1 }).waitFor();
    await settled(page);
    expect(await fitsViewport(page)).toBe(true);
    await shot(page, 'mailbox-en');
    await expectNoAxeViolations(page);
  });
});
