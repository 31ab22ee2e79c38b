import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_SIGN_INS } from '../../src/server/demo/seed-demo.ts';
import {
  expectNoAxeViolations,
  fitsViewport,
  settled,
  signInStaff,
  SHOTS,
  useBrowser,
} from '../support/browser.ts';

// Issue 16 item 3: a step that moves a milestone of the customer page (accepting the claim) is
// confirmed first, with what the customer will newly see, the report it shares and who gets the
// link; cancelling leaves the case as it was, confirming saves. Keyboard alone, nb and en, 1280 and
// 375 px, axe on the open dialog.

const b = useBrowser();
const [admin] = DEMO_SIGN_INS;

type Language = 'nb' | 'en';

/**
 * A case of the demo company, set to send the link at the claim decision, with
 * a customer settlement report in its library (the demo company shares it from a positive decision).
 */
async function caseAwaitingDecision(page: Page, claimNumber: string): Promise<string> {
  return page.evaluate(async (claim) => {
    const send = async (method: string, url: string, body: unknown) => {
      const response = await fetch(url, {
        method,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${await response.text()}`);
      return response.json() as Promise<{ id: string }>;
    };
    const settings = (await (await fetch('/api/admin/customer-page')).json()) as object;
    await send('PUT', '/api/admin/customer-page', { ...settings, sendLink: 'positive_decision' });
    const created = await send('POST', '/api/cases', {
      claimNumber: claim,
      address: { street: 'Fjellveien 7', postalCode: '5003', city: 'Bergen' },
      customer: { name: 'Nora Berg', phone: '+4798765432', email: 'nora@example.com' },
    });
    const form = new FormData();
    form.append('kind', 'customer_settlement_report');
    form.append('file', new File(['Oppgjør\n'], 'oppgjor-nora-berg.txt', { type: 'text/plain' }));
    const uploaded = await fetch(`/api/cases/${created.id}/documents`, { method: 'POST', body: form });
    if (!uploaded.ok) throw new Error(`upload: ${uploaded.status} ${await uploaded.text()}`);
    return created.id;
  }, claimNumber);
}

/** The case's decision and who has access, as the server has them. */
async function serverState(page: Page, caseId: string) {
  return page.evaluate(async (id) => {
    const kase = (await (await fetch(`/api/cases/${id}`)).json()) as { claimDecision: string | null };
    const access = (await (await fetch(`/api/cases/${id}/customer-access`)).json()) as {
      people: Array<{ name: string; state: string }>;
    };
    return {
      decision: kase.claimDecision,
      granted: access.people.filter((p) => p.state === 'active').map((p) => p.name),
    };
  }, caseId);
}

const focusedText = (page: Page) => page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');

/** Tabs forward until the focused element's text is `text` (keyboard alone), at most 10 times. */
async function tabTo(page: Page, text: string) {
  for (let i = 0; i < 10 && (await focusedText(page)) !== text; i++) await page.keyboard.press('Tab');
  expect(await focusedText(page)).toBe(text);
}

const texts = {
  nb: {
    panel: 'Erstatningsbeslutning',
    accept: 'Godta',
    title: 'Godta kravet?',
    sees: 'Kunden får se: budsjett, besiktigelsesrapport og kundeoppgjørsrapport.',
    report: 'oppgjor-nora-berg.txt (kundeoppgjørsrapport)',
    notified: 'Nora Berg: e-post nora@example.com og SMS til 987 65 432',
    confirm: 'Ja, godta',
    none: 'Ikke besluttet',
    accepted: 'Godtatt',
  },
  en: {
    panel: 'Claim decision',
    accept: 'Accept',
    title: 'Accept the claim?',
    sees: 'The customer will see: budget, inspection report, and customer settlement report.',
    report: 'oppgjor-nora-berg.txt (customer settlement report)',
    notified: 'Nora Berg: e-mail nora@example.com and SMS to 987 65 432',
    confirm: 'Yes, accept',
    none: 'Not decided',
    accepted: 'Accepted',
  },
};

describe('confirming a milestone step', () => {
  for (const [language, width] of [
    ['nb', 1280],
    ['en', 375],
  ] as Array<[Language, number]>) {
    it(`accepting a claim says what the customer will see and who gets the link (${language}, ${width} px)`, async () => {
      const text = texts[language];
      const page = await b.newPage(width);
      await signInStaff(page, b.baseUrl, admin, language);
      const caseId = await caseAwaitingDecision(page, `SK-MS-${language}-${width}`);
      await page.goto(`${b.baseUrl}/cases/${caseId}`);
      const panel = page.locator('section.panel', {
        has: page.getByRole('heading', { name: text.panel, exact: true }),
      });
      const accept = panel.getByRole('button', { name: text.accept, exact: true });
      await accept.waitFor();
      await settled(page);

      // Keyboard alone: Enter on "Accept" asks first; nothing is saved yet.
      await accept.focus();
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('dialog', { name: text.title });
      await dialog.waitFor();
      expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
      const body = await dialog.innerText();
      expect(body).toContain(text.sees);
      // The phone number's groups do not break apart (no-break spaces).
      const items = (await dialog.getByRole('listitem').allInnerTexts()).map((item) =>
        item.replace(/\u00a0/g, ' '),
      );
      expect(items).toEqual([text.report, text.notified]);
      expect(await serverState(page, caseId)).toEqual({ decision: null, granted: [] });
      await expectNoAxeViolations(page);
      expect(await fitsViewport(page)).toBe(true);
      await page.screenshot({ path: `${SHOTS}/milestone-confirm-${language}-${width}.png` });

      // Escape cancels: the case is unchanged, the focus is back on "Accept".
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      expect(await focusedText(page)).toBe(text.accept);
      expect(await panel.locator('.decision-state').innerText()).toBe(text.none);
      expect(await serverState(page, caseId)).toEqual({ decision: null, granted: [] });

      // Again, and confirm: saved, and the customer named in the dialog has access.
      await page.keyboard.press('Enter');
      await dialog.waitFor();
      await tabTo(page, text.confirm);
      await page.keyboard.press('Enter');
      await dialog.waitFor({ state: 'detached' });
      await panel.locator('.decision-state', { hasText: text.accepted }).waitFor();
      expect(await serverState(page, caseId)).toEqual({ decision: 'accepted', granted: ['Nora Berg'] });

      // The milestone is reached: changing the decision and accepting again is one click, no dialog.
      await panel.getByRole('button', { name: language === 'nb' ? 'Avvis' : 'Reject' }).click();
      await panel
        .locator('.decision-state', { hasText: language === 'nb' ? 'Avvist' : 'Rejected' })
        .waitFor();
      await panel.getByRole('button', { name: text.accept, exact: true }).click();
      await panel.locator('.decision-state', { hasText: text.accepted }).waitFor();
      expect(await page.getByRole('dialog').count()).toBe(0);
      await page.context().close();
    });
  }
});
