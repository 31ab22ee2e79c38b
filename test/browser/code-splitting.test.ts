import type { Page, Route } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_SIGN_INS } from '../../src/server/demo/seed-demo.ts';
import { expectNoAxeViolations, signInStaff, useBrowser } from '../support/browser.ts';

// The staff app's pages and the admin's customer-page preview are chunks of their own (issue 13):
// each loads when first shown, with a loading status announced and focus where a keyboard user
// expects it; a chunk that cannot be loaded shows an alert with a way out, not an empty page.
// Chunk files are named after their module by Vite (assets/<Module>-<hash>.js).

const b = useBrowser();
const [admin] = DEMO_SIGN_INS;

/** Holds back the chunk of `module` until the returned function is called. */
async function holdChunk(page: Page, module: string): Promise<() => void> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route(new RegExp(`/assets/${module}-[\\w-]+\\.js$`), async (route: Route) => {
    await released;
    await route.continue();
  });
  return release;
}

/** The /assets/*.js files the page has requested so far. */
function scriptsOf(page: Page): string[] {
  const requested: string[] = [];
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    if (path.startsWith('/assets/') && path.endsWith('.js')) requested.push(path);
  });
  return requested;
}

const activeElement = (page: Page) =>
  page.evaluate(() => {
    const active = document.activeElement;
    return active ? `${active.tagName.toLowerCase()}#${active.id}:${active.textContent?.slice(0, 30)}` : '';
  });

describe('code splitting of the staff app in Chromium', () => {
  it('loads a page when it is first shown: a loading status, then the page, focus on the content', async () => {
    const page = await b.newPage(375);
    const scripts = scriptsOf(page);
    await signInStaff(page, b.baseUrl, admin);
    expect(scripts.some((path) => /\/(CaseListPage|CasePage|CustomerPage\w*)-/.test(path))).toBe(false);

    const release = await holdChunk(page, 'CaseListPage');
    await page.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('link', { name: 'Saker' }).click();
    const loading = page.getByRole('main').getByRole('status').filter({ hasText: 'Laster …' });
    await loading.waitFor();
    await expect(activeElement(page)).resolves.toMatch(/^main#main:/);
    await expectNoAxeViolations(page);
    release();
    await page.getByRole('heading', { level: 1, name: 'Saker' }).waitFor();
    // The list then loads its cases, with a status of its own; both are gone in the end.
    await loading.first().waitFor({ state: 'detached' });
    await expect(activeElement(page)).resolves.toMatch(/^main#main:/);
  });

  it('loads the customer-page preview only when the admin opens it, then moves focus to it', async () => {
    const page = await b.newPage(375);
    const scripts = scriptsOf(page);
    await signInStaff(page, b.baseUrl, admin);
    await page
      .getByRole('navigation', { name: 'Hovedmeny' })
      .getByRole('link', { name: 'Kundeside' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Konfigurasjon av kundesida' }).waitFor();
    expect(scripts.some((path) => /\/CustomerPage\w*-/.test(path.replace('CustomerPageAdminPage', '')))).toBe(
      false,
    );

    const release = await holdChunk(page, 'CustomerPagePreview');
    const toggle = page.getByRole('button', { name: 'Forhåndsvis sida' });
    await toggle.focus();
    await page.keyboard.press('Enter');
    const loading = page.getByRole('status').filter({ hasText: 'Laster forhåndsvisningen …' });
    await loading.waitFor();
    await expectNoAxeViolations(page);
    release();
    await page.getByRole('region', { name: 'Kundesiden på en mobil, 375 piksler bred' }).waitFor();
    await expect.poll(() => activeElement(page)).toMatch(/^h2#.*:Forhåndsvisning$/);
    expect(scripts.some((path) => /\/CustomerPagePreview-/.test(path))).toBe(true);
  });

  it('shows an alert with a reload button when a page cannot be loaded, and other pages still load', async () => {
    const page = await b.newPage(375);
    await signInStaff(page, b.baseUrl, admin);
    await page.route(/\/assets\/PartnersPage-[\w-]+\.js$/, (route) => route.abort());
    const nav = page.getByRole('navigation', { name: 'Hovedmeny' });
    await nav.getByRole('link', { name: 'Partnere' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'kunne ikke lastes' });
    await alert.waitFor();
    await alert.getByRole('button', { name: 'Last inn siden på nytt' }).waitFor();
    await expectNoAxeViolations(page);

    await nav.getByRole('link', { name: 'Brukere' }).click();
    await page.getByRole('heading', { level: 1, name: 'Brukere' }).waitFor();
    await expect(alert.count()).resolves.toBe(0);
  });
});
