import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { reissueCustomerLinkToken } from '../../src/server/customer-access/reissue-link.ts';
import { DEMO_SIGN_INS } from '../../src/server/demo/seed-demo.ts';
import {
  expectNoAxeViolations,
  fitsViewport,
  settled,
  signInStaff,
  SHOTS,
  useBrowser,
} from '../support/browser.ts';
import { uniqueSuffix } from '../support/customer.ts';

// Customer communication (issue 7) in Chromium: the customer on a 375 px phone writes and uploads a
// photo; staff on a desktop see the unread arrow, the yellow banner and the dashboard count, answer
// (the answer appears on the customer's page live, without a reload), mark all read, and share two
// documents, which appear on the customer's Documents tab live too.

const b = useBrowser();
const [admin] = DEMO_SIGN_INS;

async function shot(page: Page, name: string) {
  await settled(page);
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

async function waitForText(locator: Locator, text: string | RegExp) {
  await locator.filter({ hasText: text }).first().waitFor();
}

/** The smallest well-formed PDF file-type recognises (header, one empty page, trailer). */
const tinyPdf = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
    '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

/**
 * Opens a case through the staff API, as the signed-in user (same-origin fetch passes the CSRF check),
 * with two documents in its library that are not shared yet. The link to the customer page is
 * granted at case creation (the demo company's setting).
 */
async function createCaseWithDocuments(
  page: Page,
  input: {
    claimNumber: string;
    email: string;
    documents: Array<{ name: string; type: string; base64: string }>;
  },
): Promise<string> {
  return page.evaluate(async ({ claimNumber, email, documents }) => {
    const response = await fetch('/api/cases', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        claimNumber,
        address: { street: 'Elvebakken 3', postalCode: '0182', city: 'Oslo' },
        description: 'Vannskade på badet.',
        customer: { name: 'Ida Kunde', phone: '+4791112233', email },
        contacts: [],
      }),
    });
    if (!response.ok) throw new Error(`create case: ${response.status} ${await response.text()}`);
    const { id } = (await response.json()) as { id: string };
    for (const document of documents) {
      const bytes = Uint8Array.from(atob(document.base64), (char) => char.charCodeAt(0));
      const form = new FormData();
      form.append('kind', 'other');
      form.append('file', new File([bytes], document.name, { type: document.type }));
      const upload = await fetch(`/api/cases/${id}/documents`, { method: 'POST', body: form });
      if (!upload.ok) throw new Error(`upload: ${upload.status} ${await upload.text()}`);
    }
    return id;
  }, input);
}

/** Today's number of "Cases with documents/messages from the customer" on the staff dashboard. */
async function customerCount(page: Page): Promise<number> {
  await page.goto(`${b.baseUrl}/`);
  const cell = page
    .locator('.dashboard-table')
    .getByRole('link', { name: /Saker med dokumenter eller meldinger fra kunden, I dag/ });
  await cell.waitFor();
  return Number(await cell.evaluate((link) => link.firstChild?.textContent));
}

describe('customer communication in Chromium', () => {
  it('customer writes with a photo at 375 px; staff see it, answer live, mark read and share two documents', async () => {
    const s = uniqueSuffix();
    const email = `ida-${s}@example.test`;
    const documents = [
      { name: `Fremdriftsplan ${s}.pdf`, type: 'application/pdf', base64: tinyPdf.toString('base64') },
      {
        name: `Tilbud tømrer ${s}.txt`,
        type: 'text/plain',
        base64: Buffer.from('Tilbud: nytt gulv, 42 000 kr.\n').toString('base64'),
      },
    ];

    // Staff (desktop): a case with two documents in its library; the dashboard count before.
    const staff = await b.newPage(1280);
    await signInStaff(staff, b.baseUrl, admin);
    const caseId = await createCaseWithDocuments(staff, { claimNumber: `SK-KOMM-${s}`, email, documents });
    const { company_id: companyId } = await b.db
      .selectFrom('cases')
      .select('company_id')
      .where('id', '=', caseId)
      .executeTakeFirstOrThrow();
    const countBefore = await customerCount(staff);

    // The customer opens their link on a phone and goes to Communication.
    const token = await reissueCustomerLinkToken(b.db, companyId, caseId);
    if (!token) throw new Error('the customer has no active grant');
    const customer = await b.newPage(375);
    await customer.goto(`${b.baseUrl}/k/${token}`);
    await customer.waitForURL(`${b.baseUrl}/k/`);
    const menu = customer.getByRole('navigation', { name: 'Meny' });
    await menu.getByRole('button', { name: 'Kommunikasjon', exact: true }).click();
    await customer.getByRole('heading', { name: 'Kommunikasjon', level: 2 }).waitFor();
    await customer.getByText('Ingen meldinger ennå.').waitFor();
    expect(await fitsViewport(customer)).toBe(true);
    await expectNoAxeViolations(customer);
    await shot(customer, 'communication-customer-empty-375');

    const textBox = customer.getByLabel('Ny melding');
    const picker = customer.getByLabel('Legg ved bilder eller dokumenter');
    const send = customer.getByRole('button', { name: 'Send melding' });
    const alert = customer.getByRole('alert');
    expect(await picker.getAttribute('accept')).toMatch(/^image\/\*,application\/pdf,/);
    expect(await picker.getAttribute('multiple')).not.toBeNull();

    // Nothing to send: a clear error, focus back in the text box.
    await send.click();
    await waitForText(alert, 'Skriv en melding eller legg ved en fil.');
    expect(await textBox.evaluate((element) => element === document.activeElement)).toBe(true);

    // A file type the server refuses is refused when picked.
    await picker.setInputFiles({
      name: 'tegninger.zip',
      mimeType: 'application/zip',
      buffer: Buffer.from('PK\u0003\u0004'),
    });
    await waitForText(alert, '«tegninger.zip» kan ikke sendes.');
    expect(await customer.getByRole('list', { name: 'Valgte filer' }).count()).toBe(0);

    // A "photo" whose bytes are text: the server answers 415; the error is shown, the text kept.
    const text = 'Hei! Det drypper fortsatt fra taket på badet. Bilde av skaden: https://example.test/skade';
    await textBox.fill(text);
    await picker.setInputFiles({
      name: 'ikke-et-bilde.png',
      mimeType: 'image/png',
      buffer: Buffer.from('tekst'),
    });
    const chosen = customer.getByRole('list', { name: 'Valgte filer' });
    await waitForText(chosen.getByRole('listitem'), /ikke-et-bilde\.png\s*5 B/);
    await send.click();
    await waitForText(alert, 'Meldingen ble ikke sendt. En av filene ble ikke godtatt');
    expect(await textBox.inputValue()).toBe(text);
    await expectNoAxeViolations(customer);
    await shot(customer, 'communication-customer-error-375');
    await chosen.getByRole('button', { name: 'Fjern ikke-et-bilde.png' }).click();
    await chosen.waitFor({ state: 'detached' });
    expect(await picker.evaluate((element) => element === document.activeElement)).toBe(true);

    // A real photo (a PNG the browser made), listed with its size and a remove button.
    const photo = await customer.screenshot({ clip: { x: 0, y: 0, width: 160, height: 120 } });
    await picker.setInputFiles({ name: 'vannskade-bad.png', mimeType: 'image/png', buffer: photo });
    await waitForText(chosen.getByRole('listitem'), 'vannskade-bad.png');
    await chosen.getByRole('button', { name: 'Fjern vannskade-bad.png' }).waitFor();
    // Keyboard: Tab from the text box reaches the (visually hidden) file input; its label shows the focus.
    await textBox.focus();
    await customer.keyboard.press('Tab');
    expect(await picker.evaluate((element) => element === document.activeElement)).toBe(true);
    const pickerLabel = customer.locator('label', { hasText: 'Legg ved bilder eller dokumenter' });
    expect(await pickerLabel.evaluate((element) => getComputedStyle(element).outlineStyle)).toBe('solid');
    expect(await fitsViewport(customer)).toBe(true);
    await expectNoAxeViolations(customer);
    await shot(customer, 'communication-customer-compose-375');

    // Sent by keyboard; the page fetches again and shows it, newest first, as "(deg)".
    await send.focus();
    await customer.keyboard.press('Enter');
    await customer.getByRole('status').filter({ hasText: 'Meldingen er sendt.' }).waitFor();
    const thread = customer.locator('ol.cp-messages > li');
    await waitForText(thread, `Fra: ${email} (deg)`);
    const own = thread.first();
    await waitForText(own, 'Det drypper fortsatt');
    const link = own.getByRole('link', { name: /https:\/\/example\.test\/skade/ });
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer nofollow');
    const attachment = own
      .getByRole('list', { name: 'Vedlegg' })
      .getByRole('link', { name: 'vannskade-bad.png' });
    expect(await attachment.getAttribute('href')).toMatch(/^\/api\/customer\/documents\/.+/);
    expect(await textBox.inputValue()).toBe('');
    expect(await alert.count()).toBe(0);
    expect(await fitsViewport(customer)).toBe(true);
    await expectNoAxeViolations(customer);
    await shot(customer, 'communication-customer-sent-375');
    // From here on nothing may reload the customer's page: answers and documents arrive live.
    await customer.evaluate(() => {
      (window as unknown as { stayed: boolean }).stayed = true;
    });

    // Staff: the dashboard counts the case; the case shows the banner and the red arrow.
    expect(await customerCount(staff)).toBe(countBefore + 1);
    await staff.goto(`${b.baseUrl}/cases/${caseId}`);
    const banner = staff.getByRole('link', { name: /Det finnes meldinger fra kunden som ikke er lest/ });
    await banner.waitFor();
    // The "Kundekommunikasjon" panel: the red arrow beside its heading, with its words.
    const communication = staff.getByRole('region', { name: /^Kundekommunikasjon/ });
    const heading = communication.getByRole('heading', { name: /^Kundekommunikasjon/, level: 2 });
    await expect.poll(() => heading.textContent()).toMatch(/1 ulest melding fra kunden/);
    expect(await heading.locator('.unread-arrow svg').isVisible()).toBe(true);
    await shot(staff, 'communication-staff-banner-1280');
    // The banner leads to the thread and gives its heading the focus.
    await banner.click();
    await expect.poll(() => heading.evaluate((element) => element === document.activeElement)).toBe(true);
    await waitForText(communication, 'Det drypper fortsatt fra taket');
    await communication.getByRole('link', { name: 'vannskade-bad.png' }).waitFor();
    await expectNoAxeViolations(staff);
    await shot(staff, 'communication-staff-unread-1280');

    // Staff answer; the customer's thread shows it without a reload.
    const answer = `Takk, Ida! Rørleggeren kommer i morgen kl. 09. (${s})`;
    await communication.getByLabel('Melding til kunden').fill(answer);
    await communication.getByRole('button', { name: 'Send melding' }).click();
    await waitForText(communication, /Meldingen er sendt\. Varsel gikk til Ida Kunde \(e-post\)\./);
    await waitForText(thread.first(), answer);
    expect(await customer.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
    await expect(thread.first().textContent()).resolves.not.toContain('(deg)');
    await expectNoAxeViolations(customer);
    await shot(customer, 'communication-customer-answer-375');

    // Mark all read: the banner, the arrow and the dashboard count go.
    await communication.getByRole('button', { name: 'Marker alle meldinger som lest' }).click();
    await banner.waitFor({ state: 'detached' });
    await expect.poll(() => heading.textContent()).not.toMatch(/ulest/);
    await expectNoAxeViolations(staff);
    await shot(staff, 'communication-staff-read-1280');
    expect(await customerCount(staff)).toBe(countBefore);

    // The customer looks at Documents; staff tick two documents and share them; they appear live.
    await menu.getByRole('button', { name: 'Dokumenter', exact: true }).click();
    await customer.getByRole('heading', { name: 'Dokumenter', level: 2 }).waitFor();
    for (const document of documents) {
      expect(await customer.getByRole('link', { name: document.name }).count()).toBe(0);
    }
    await staff.goto(`${b.baseUrl}/cases/${caseId}?tab=documents`);
    const library = staff.getByRole('tabpanel');
    for (const document of documents) {
      await library.getByRole('checkbox', { name: `Velg ${document.name}` }).check();
    }
    await library.getByRole('button', { name: 'Del med kunden (2)' }).click();
    const dialog = staff.getByRole('dialog', { name: 'Del med kunden' });
    await dialog.getByRole('button', { name: 'Del med kunden' }).click();
    await dialog.waitFor({ state: 'detached' });
    for (const document of documents) {
      await customer.getByRole('link', { name: document.name }).waitFor();
    }
    expect(await customer.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
    expect(await fitsViewport(customer)).toBe(true);
    await expectNoAxeViolations(customer);
    await shot(customer, 'communication-customer-documents-375');

    // The thread in English, still axe-clean.
    await customer.getByRole('button', { name: 'Switch to English' }).click();
    const englishMenu = customer.getByRole('navigation', { name: 'Menu' });
    await englishMenu.getByRole('button', { name: 'Communication', exact: true }).click();
    await customer.getByRole('heading', { name: 'Communication', level: 2 }).waitFor();
    await waitForText(customer.locator('ol.cp-messages > li'), `From: ${email} (you)`);
    await customer.getByLabel('Attach photos or documents').waitFor();
    expect(await fitsViewport(customer)).toBe(true);
    await expectNoAxeViolations(customer);
    await shot(customer, 'communication-customer-en-375');

    // Too many messages (issue 15 item 4): 10 per session in 10 minutes. The 11th is refused (429
    // with Retry-After), said in the page's language with the minutes, and the typed text stays.
    await customer.evaluate(async () => {
      for (let n = 2; n <= 10; n += 1) {
        const response = await fetch('/api/customer/messages', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ body: `Melding ${n}` }),
        });
        if (response.status !== 201) throw new Error(`message ${n}: ${response.status}`);
      }
    });
    const tooMany = 'One more question about the floor.';
    await customer.getByLabel('New message').fill(tooMany);
    await customer.getByRole('button', { name: 'Send message' }).click();
    await waitForText(
      customer.getByRole('alert'),
      /You have sent many messages in a short time\. Try again in (9|10) minutes\./,
    );
    expect(await customer.getByLabel('New message').inputValue()).toBe(tooMany);
    await customer.getByRole('button', { name: 'Bytt til norsk' }).click();
    await customer.getByRole('button', { name: 'Send melding' }).click();
    await waitForText(
      customer.getByRole('alert'),
      /Du har sendt mange meldinger på kort tid\. Prøv igjen om (9|10) minutter\./,
    );
    expect(await customer.getByLabel('Ny melding').inputValue()).toBe(tooMany);
    await expectNoAxeViolations(customer);
    await shot(customer, 'communication-customer-rate-limited-375');
  }, 180_000);
});
