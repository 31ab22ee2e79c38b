import { copyFileSync, mkdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEMO_SIGN_INS } from '../../src/server/demo/seed-demo.ts';
import {
  expectNoAxeViolations,
  fitsViewport,
  SHOTS,
  settled,
  signInStaff,
  useBrowser,
} from '../support/browser.ts';

// Issue 19 item 6 (part A): the company admin sets how long closed cases keep personal data on the
// Company page, and reads the change in the audit trail — at 375 px, by keyboard, axe-clean, nb and en.

const b = useBrowser();
const admin = DEMO_SIGN_INS[0];
const HELPER_SHOTS = '/tmp/h/shots';

function shot(name: string) {
  mkdirSync(HELPER_SHOTS, { recursive: true });
  copyFileSync(`${SHOTS}/${name}`, `${HELPER_SHOTS}/gdpr-a-${name}`);
}

describe('retention setting and audit trail, in Chromium at 375 px', () => {
  it('saves the retention by keyboard and shows the change in the audit trail (nb, en)', async () => {
    const page = await b.newPage(375);
    await signInStaff(page, b.baseUrl, admin);

    await page.getByRole('link', { name: 'Selskap' }).first().click();
    const years = page.getByLabel('År personopplysninger beholdes etter at en sak er avsluttet');
    await years.waitFor();
    await expect(years.inputValue()).resolves.toBe('10');
    await years.focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('7');
    await page.keyboard.press('Enter');
    await page.getByText('Lagringstiden er lagret.').waitFor();
    expect(await fitsViewport(page)).toBe(true);
    await expectNoAxeViolations(page);
    await years.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/retention-company-nb.png`, fullPage: true });
    shot('retention-company-nb.png');

    // To the trail by keyboard, from the link beside the setting.
    const link = page.getByRole('link', { name: 'Se revisjonsloggen' });
    await link.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Revisjonslogg', level: 1 }).waitFor();
    await settled(page);
    const entry = page.getByRole('listitem').filter({ hasText: 'Selskapet endret' });
    await entry.first().waitFor();
    await expect(entry.first().innerText()).resolves.toContain('personalDataRetentionYears: 10 → 7');
    expect(await fitsViewport(page)).toBe(true);
    await expectNoAxeViolations(page);
    await page.screenshot({ path: `${SHOTS}/audit-trail-nb.png`, fullPage: true });
    shot('audit-trail-nb.png');

    // The filter: only the kind chosen.
    await page.getByRole('combobox', { name: 'Vis' }).selectOption('document.downloaded');
    await page.getByText('Ingen hendelser ennå.').waitFor();
    await page.getByRole('combobox', { name: 'Vis' }).selectOption('company.changed');
    await entry.first().waitFor();

    // English.
    await page.getByRole('button', { name: /english/i }).click();
    await page.getByRole('heading', { name: 'Audit trail', level: 1 }).waitFor();
    await page.getByRole('listitem').filter({ hasText: 'Company changed' }).first().waitFor();
    expect(await fitsViewport(page)).toBe(true);
    await expectNoAxeViolations(page);
    await page.screenshot({ path: `${SHOTS}/audit-trail-en.png`, fullPage: true });
    shot('audit-trail-en.png');
    await page.close();
  });
});
