import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { demoCustomerLink } from '../../src/server/demo/demo-link.ts';
import { DEMO_CUSTOMER_CASE, DEMO_SIGN_INS } from '../../src/server/demo/seed-demo.ts';
import { expectNoAxeViolations, fitsViewport, useBrowser } from '../support/browser.ts';

// Issue 19 item 3: on a closed case the customer page offers the case archive — the day the page
// closes and "Last ned arkiv" — which downloads a zip (documents, messages, summary) in the page's
// language. At 375 px, by keyboard, axe-clean, in nb and en.

const b = useBrowser();
const admin = DEMO_SIGN_INS[0];
const SHOTS = '/tmp/h/shots';

async function closeDemoCase(): Promise<void> {
  const kase = await b.db
    .selectFrom('cases')
    .select('id')
    .where('claim_number', '=', DEMO_CUSTOMER_CASE)
    .executeTakeFirstOrThrow();
  const login = await b.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    headers: { origin: b.baseUrl },
    payload: { email: admin.email, password: admin.password },
  });
  expect(login.statusCode, login.body).toBe(200);
  const cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const closed = await b.app.inject({
    method: 'POST',
    url: `/api/cases/${kase.id}/close`,
    headers: { cookie, origin: b.baseUrl },
    payload: {},
  });
  expect(closed.statusCode, closed.body).toBe(200);
}

/** The names of a zip's entries. */
function entryNames(bytes: Buffer): Promise<string[]> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error('no zip'));
      const names: string[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        names.push(entry.fileName);
        zip.readEntry();
      });
      zip.on('end', () => resolve(names));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

describe('case archive, in Chromium at 375 px', () => {
  it('is offered on the closed case and downloads by keyboard, in nb and en', async () => {
    const link = await demoCustomerLink(b.db, b.baseUrl);
    if (!link) throw new Error('no demo customer link');
    const page = await b.newPage(375);
    await page.goto(link);
    await page.getByText(`Skadenummer: ${DEMO_CUSTOMER_CASE}`).waitFor();
    // Open case: no archive.
    await expect(page.getByRole('link', { name: 'Last ned arkiv' }).count()).resolves.toBe(0);

    await closeDemoCase();
    await page.reload();
    const download = page.getByRole('link', { name: 'Last ned arkiv' });
    await download.waitFor();
    await page
      .getByText(/^Siden om saken din stenges \d\d\.\d\d\.\d{4}\. Last ned arkivet ditt før det\.$/)
      .waitFor();
    expect(await fitsViewport(page)).toBe(true);
    await expectNoAxeViolations(page);
    await download.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/arch-archive-nb.png` });

    // By keyboard: the link takes the focus (Tab order) and Enter downloads the zip.
    await download.focus();
    await expect(download.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    const [nb] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    expect(nb.suggestedFilename()).toBe(`Sak ${DEMO_CUSTOMER_CASE} arkiv.zip`);
    const nbNames = await entryNames(await readFile((await nb.path()) ?? ''));
    expect(nbNames).toEqual(expect.arrayContaining(['sammendrag.html', 'meldinger.html']));

    // English: the same offer, and the archive in English.
    await page.getByRole('button', { name: /english/i }).click();
    const downloadEn = page.getByRole('link', { name: 'Download archive' });
    await downloadEn.waitFor();
    await page.getByText(/^The page about your case closes on /).waitFor();
    expect(await fitsViewport(page)).toBe(true);
    await expectNoAxeViolations(page);
    await downloadEn.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/arch-archive-en.png` });
    await downloadEn.focus();
    const [en] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    expect(en.suggestedFilename()).toBe(`Case ${DEMO_CUSTOMER_CASE} archive.zip`);
    const enNames = await entryNames(await readFile((await en.path()) ?? ''));
    expect(enNames).toEqual(expect.arrayContaining(['summary.html', 'messages.html']));
    // The demo case's shared documents are in it.
    expect(enNames.some((name) => name.startsWith('documents/'))).toBe(true);
    await page.close();
  });
});
