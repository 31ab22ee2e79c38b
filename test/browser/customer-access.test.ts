import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerPageSettings } from '../../src/common/rules/customer-page-settings.ts';
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

  it('with the SMS code on: warns of a missing mobile number, asks for one before granting, refuses a landline', async () => {
    const page = await b.newPage(1280);
    await signIn(page);
    await saveSettingsIn(page, { ...demoCustomerPageSettings, smsSecurityCode: true, accessFor: 'both' });
    try {
      // A customer with a mobile number, a contact person with only a landline, another with e-mail only.
      const id = await createCaseIn(page, {
        claimNumber: 'SK-MOBIL-1',
        address: { street: 'Telefonveien 3', postalCode: '0152', city: 'Oslo' },
        customer: { name: 'Mona Mobil', email: 'mona@example.com', phone: '+4791112222' },
        contacts: [
          {
            role: 'contact_person',
            name: 'Frode Fasttelefon',
            email: 'frode@example.com',
            phone: '22 33 44 55',
          },
          { role: 'contact_person', name: 'Eli Epost', email: 'eli@example.com' },
        ],
      });
      await page.goto(`${b.baseUrl}/cases/${id}`);
      const panel = accessPanel(page, 'nb');
      // Only Mona got a link; the panel says two cannot open the page.
      await panel.getByText('1 person har tilgang til kundesiden').waitFor();
      await panel
        .getByText('2 personer mangler mobilnummer for sikkerhetskoden på SMS og kan ikke åpne kundesiden.')
        .waitFor();
      await panel.scrollIntoViewIfNeeded();
      await shot(page, 'mobile-panel-nb', panel);
      await expectNoAxeViolations(page);

      await panel.getByRole('button', { name: /har tilgang til kundesiden$/ }).click();
      const dialog = page.getByRole('dialog', { name: 'Tilgang til kundesiden' });
      const frode = dialog.getByRole('listitem').filter({
        has: page.getByRole('heading', { name: /Frode Fasttelefon/ }),
      });
      await frode.getByText('Mangler mobilnummer', { exact: true }).waitFor();
      await frode.getByText('(fasttelefon, kan ikke motta SMS)').waitFor();
      await frode.getByText(/Ingen lenke sendes før dere legger inn et/).waitFor();
      await frode.scrollIntoViewIfNeeded();
      await shot(page, 'mobile-list-nb');
      await expectNoAxeViolations(page);

      // "Gi tilgang" by keyboard: the mobile number is asked for first, the landline named.
      await frode.getByRole('button', { name: 'Gi tilgang: Frode Fasttelefon' }).focus();
      await page.keyboard.press('Enter');
      const ask = page.getByRole('dialog', { name: 'Legg inn mobilnummer' });
      await ask.getByText(/har bare fasttelefonnummeret 22 33 44 55, som ikke kan motta SMS/).waitFor();
      const input = ask.getByLabel('Mobilnummer');
      // Another landline: said at once, and refused on submit with the field marked.
      await input.fill('23 45 67 89');
      await ask
        .getByText('23 45 67 89 er et fasttelefonnummer og kan ikke motta SMS. Skriv inn et mobilnummer.')
        .waitFor();
      await page.keyboard.press('Enter');
      await expect(input.getAttribute('aria-invalid')).resolves.toBe('true');
      await expect(page.evaluate(() => document.activeElement?.getAttribute('type'))).resolves.toBe('tel');
      await shot(page, 'mobile-landline-nb');
      await expectNoAxeViolations(page);
      // Not a number at all.
      await input.fill('ring meg');
      await page.keyboard.press('Enter');
      await ask.getByText('Dette er ikke et gyldig telefonnummer. Skriv for eksempel 912 34 567.').waitFor();
      // A mobile number: saved on the person, access granted, the link on its way.
      await input.fill('913 33 444');
      await page.keyboard.press('Enter');
      await ask.waitFor({ state: 'detached' });
      await dialog.getByRole('status').filter({ hasText: 'Frode Fasttelefon har fått tilgang' }).waitFor();
      await frode.getByText('Har tilgang', { exact: true }).waitFor();
      await frode.getByText('SMS: 913 33 444').waitFor();
      await expect(frode.getByText('Mangler mobilnummer', { exact: true }).count()).resolves.toBe(0);
      await shot(page, 'mobile-granted-nb');
      await page.keyboard.press('Escape');
      await panel
        .getByText('1 person mangler mobilnummer for sikkerhetskoden på SMS og kan ikke åpne kundesiden.')
        .waitFor();

      // English on a 375 px phone: the same question for the person with e-mail only; Cancel asks nothing.
      const phone = await b.newPage(375);
      await signIn(phone, 'en');
      await phone.goto(`${b.baseUrl}/cases/${id}`);
      const enPanel = accessPanel(phone, 'en');
      await enPanel
        .getByText(
          '1 person has no mobile number for the SMS security code and cannot open the customer page.',
        )
        .waitFor();
      await enPanel.getByRole('button', { name: /access to the customer page$/ }).click();
      const enDialog = phone.getByRole('dialog', { name: words.en.list });
      const eli = enDialog
        .getByRole('listitem')
        .filter({ has: phone.getByRole('heading', { name: /Eli Epost/ }) });
      await eli.getByText('No mobile number', { exact: true }).waitFor();
      await eli.getByRole('button', { name: 'Give access: Eli Epost' }).click();
      const enAsk = phone.getByRole('dialog', { name: 'Add a mobile number' });
      await enAsk
        .getByText(/Eli Epost has no mobile number, so the link would not lead to the case/)
        .waitFor();
      await enAsk.getByLabel('Mobile number').fill('22 33 44 55');
      await enAsk
        .getByText('22 33 44 55 is a landline number and cannot receive SMS. Enter a mobile number.')
        .waitFor();
      expect(await fitsViewport(phone)).toBe(true);
      await shot(phone, 'mobile-ask-en');
      await expectNoAxeViolations(phone);
      await enAsk.getByRole('button', { name: 'Cancel' }).click();
      await enAsk.waitFor({ state: 'detached' });
      await eli.getByText('Not given access', { exact: true }).waitFor();
    } finally {
      await saveSettingsIn(page, demoCustomerPageSettings);
    }
  });

  it('shows a removed person the company’s "access removed" page with its contact text, also after a reload', async () => {
    const staff = await b.newPage(1280);
    await signIn(staff);
    const email = 'rita.fjernet@example.com';
    const id = await createCaseIn(staff, {
      claimNumber: 'SK-FJERNET-1',
      address: { street: 'Fjernveien 9', postalCode: '0152', city: 'Oslo' },
      customer: { name: 'Rita Fjernet', email },
      contacts: [],
    });
    const link = await linkFromMailbox(staff, email);

    const customer = await b.newPage(375);
    await customer.goto(link);
    await customer.waitForURL(`${b.baseUrl}/k/`);
    await customer.getByText('Skadenummer: SK-FJERNET-1').waitFor();

    // Staff remove the access while the page is open: the page says so by itself (live signal).
    const removed = await staff.evaluate(
      async (url) => {
        // As the app sends a change: JSON (the CSRF rule), with the browser's Origin.
        const response = await fetch(url, {
          method: 'DELETE',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        });
        return response.status;
      },
      `/api/cases/${id}/customer-access/${await contactIdOf(staff, id, 'Rita Fjernet')}`,
    );
    expect(removed).toBe(200);
    const heading = customer.getByRole('heading', { name: 'Tilgangen din er fjernet', level: 1 });
    await heading.waitFor({ timeout: 15_000 });
    await customer
      .getByText('Du har ikke lenger tilgang til kundesiden for denne saken.', { exact: false })
      .waitFor();
    await customer.getByText(/Demo Forsikring AS, kundeservice: 22 00 00 00/).waitFor();
    await customer.locator('.customer-brand', { hasText: 'Demo Forsikring' }).waitFor();
    await expect(customer.content()).resolves.not.toContain('SK-FJERNET-1');
    expect(await fitsViewport(customer)).toBe(true);
    await expectNoAxeViolations(customer);
    await customer.screenshot({ path: `${SHOTS}/access-removed-nb.png`, fullPage: true });

    // A reload says the same (not the unbranded "Lenken er ikke gyldig"), and so does the old link.
    await customer.reload();
    await heading.waitFor();
    await customer.getByText(/Demo Forsikring AS, kundeservice/).waitFor();
    await expect(customer.getByText('Lenken er ikke gyldig').count()).resolves.toBe(0);
    await customer.screenshot({ path: `${SHOTS}/access-removed-reload-nb.png`, fullPage: true });
    await customer.goto(link);
    await customer.waitForURL(`${b.baseUrl}/k/`);
    await heading.waitFor();

    // In English.
    await customer.getByRole('button', { name: 'Switch to English' }).click();
    await customer.getByRole('heading', { name: 'Your access has been removed', level: 1 }).waitFor();
    await expectNoAxeViolations(customer);
    await customer.screenshot({ path: `${SHOTS}/access-removed-en.png`, fullPage: true });
  });
});

/** Saves the company's customer-page settings as the signed-in admin does (level 6). */
async function saveSettingsIn(page: Page, settings: CustomerPageSettings): Promise<void> {
  const status = await page.evaluate(async (body) => {
    const response = await fetch('/api/admin/customer-page', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return response.status;
  }, settings);
  expect(status).toBe(200);
}

/** Creates a case through the staff API from the signed-in page; returns its id. */
async function createCaseIn(page: Page, body: object): Promise<string> {
  return page.evaluate(async (payload) => {
    const response = await fetch('/api/cases', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
    });
    if (!response.ok) throw new Error(`create case: ${response.status} ${await response.text()}`);
    return ((await response.json()) as { id: string }).id;
  }, body);
}

/** The contact id of a person of the case, from the access list. */
async function contactIdOf(page: Page, caseId: string, name: string): Promise<string> {
  return page.evaluate(
    async ({ caseId, name }) => {
      const response = await fetch(`/api/cases/${caseId}/customer-access`);
      const list = (await response.json()) as { people: Array<{ name: string; contactId: string }> };
      const person = list.people.find((p) => p.name === name);
      if (!person) throw new Error(`no ${name}`);
      return person.contactId;
    },
    { caseId, name },
  );
}

/** The customer-page link the worker put in the development mailbox for `to` (waits for it). */
async function linkFromMailbox(page: Page, to: string): Promise<string> {
  let link: string | undefined;
  await expect
    .poll(
      async () => {
        link = await page.evaluate(async (address) => {
          const response = await fetch('/api/admin/dev-mailbox?pageSize=100');
          const box = (await response.json()) as { items: Array<{ to: string; kind: string; text: string }> };
          const mail = box.items.find((item) => item.to === address && item.kind === 'customer_link');
          return /https?:\/\/\S+\/k\/[A-Za-z0-9_-]+/.exec(mail?.text ?? '')?.[0];
        }, to);
        return link;
      },
      { timeout: 15_000 },
    )
    .toBeDefined();
  return link!;
}
