import type { Locator, Page } from 'playwright-core';
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

// Company admin → Customer page configuration (issue 4): level 6 only, the settings with the guide's
// labels, the live preview of unsaved settings at each milestone, saving with an audit entry, the
// contrast warning, and axe at 375 px in both languages.

const b = useBrowser();
const [admin, handler] = DEMO_SIGN_INS;

type Language = 'nb' | 'en';

const signIn = (page: Page, who: { email: string; password: string } = admin, language: Language = 'nb') =>
  signInStaff(page, b.baseUrl, who, language);

/**
 * A screenshot: of the viewport, or of the whole page taken in a window as tall as the page (so the
 * sticky save bar sits where it belongs, at the end of the form, not in the middle of the picture).
 */
async function shot(page: Page, name: string, fullPage = true) {
  await settled(page);
  const viewport = page.viewportSize();
  if (fullPage && viewport) {
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.setViewportSize({ width: viewport.width, height });
    await page.screenshot({ path: `${SHOTS}/config-${name}.png` });
    await page.setViewportSize(viewport);
  } else {
    await page.screenshot({ path: `${SHOTS}/config-${name}.png` });
  }
}

async function openConfiguration(page: Page, title = 'Konfigurasjon av kundesida') {
  await page.goto(`${b.baseUrl}/admin/customer-page`);
  await page.getByRole('heading', { name: title, level: 1 }).waitFor();
  await settled(page);
}

/** The hex text box of a colour (the native picker beside it is named "… fargevelger"). */
const hexInput = (page: Page, label: string) => page.getByRole('textbox', { name: label, exact: true });

/** The preview's phone frame. */
const previewOf = (page: Page) =>
  page.getByRole('region', { name: /Kundesiden på en mobil|The customer page on a phone/ });

/** The menu of the customer page inside the preview. */
const previewMenu = (preview: Locator) => preview.getByRole('navigation', { name: /Meny|Menu/ });

const computed = (locator: Locator, property: 'backgroundColor' | 'color') =>
  locator.evaluate((element, name) => getComputedStyle(element)[name], property);

describe('customer-page configuration in Chromium', () => {
  it('gives a level-1 case handler no menu entry and a refusal when the address is typed', async () => {
    const page = await b.newPage(375);
    await signIn(page, handler);
    const nav = page.getByRole('navigation', { name: 'Hovedmeny' });
    await nav.getByRole('link', { name: 'Saker' }).waitFor();
    await expect(nav.getByRole('link', { name: 'Kundeside' }).count()).resolves.toBe(0);

    await page.goto(`${b.baseUrl}/admin/customer-page`);
    await page.getByRole('alert').filter({ hasText: 'Du har ikke tilgang til dette.' }).waitFor();
    await expect(page.getByRole('button', { name: 'Lagre innstillingene' }).count()).resolves.toBe(0);
    await expect(page.locator('input[type=color]').count()).resolves.toBe(0);
    await shot(page, 'forbidden-375');
  });

  it('changes two colours and the budget trigger, previews two milestones, saves and audits', async () => {
    const page = await b.newPage(1280);
    await signIn(page);
    await page
      .getByRole('navigation', { name: 'Hovedmeny' })
      .getByRole('link', { name: 'Kundeside' })
      .click();
    await page.getByRole('heading', { name: 'Konfigurasjon av kundesida', level: 1 }).waitFor();

    // Two colours typed as hex; the native picker beside each follows.
    const menuBackground = hexInput(page, 'Menyens bakgrunnsfarge');
    const selectedText = hexInput(page, 'Valgt skriftfarge i menyen');
    await expect(menuBackground.inputValue()).resolves.toBe('#1f3a5f');
    await menuBackground.fill('#7A1F5C');
    await selectedText.fill('#7a1f5c');
    await expect(
      page.getByRole('textbox', { name: 'Menyens bakgrunnsfarge fargevelger' }).inputValue(),
    ).resolves.toBe('#7a1f5c');
    await expect(
      page.getByRole('textbox', { name: 'Valgt skriftfarge i menyen fargevelger' }).inputValue(),
    ).resolves.toBe('#7a1f5c');
    // No contrast warning for these pairs (white on #7a1f5c is 9.6:1).
    await expect(page.locator('.contrast-warning').count()).resolves.toBe(0);

    // The budget from the main inspection's assignment on (the demo company shows it from the
    // positive claim decision).
    await page
      .getByLabel('Vis saksbudsjett', { exact: true })
      .selectOption({ label: 'Ved tildeling av hovedbesiktigelsen' });
    await expect(page.getByText('Ulagrede endringer').isVisible()).resolves.toBe(true);

    // The preview, unsaved: at case creation there is no Budget tab ...
    await page.getByRole('button', { name: 'Forhåndsvis sida' }).click();
    const preview = previewOf(page);
    await preview.waitFor();
    const menu = previewMenu(preview);
    await page.getByRole('radio', { name: 'Saken er opprettet' }).check();
    await menu.getByRole('button', { name: 'Oversikt' }).waitFor();
    await expect(menu.getByRole('button', { name: 'Prosjektplan' }).isVisible()).resolves.toBe(true);
    await expect(menu.getByRole('button', { name: 'Budsjett' }).count()).resolves.toBe(0);
    // The inspection has not happened yet: no news of it.
    await expect(preview.getByText('Hovedbesiktigelsen er fullført.').count()).resolves.toBe(0);

    // ... after a positive claim decision it appears, with the budget lines and total.
    await page.getByRole('radio', { name: 'Positiv erstatningsbeslutning' }).check();
    await menu.getByRole('button', { name: 'Budsjett' }).click();
    await preview.getByRole('heading', { name: 'Budsjett', level: 2 }).waitFor();
    const total = preview.locator('tfoot td');
    await expect(total.textContent()).resolves.toMatch(/^203\s500,50\skr$/);

    // The unsaved colours: the menu background, and the selected item's text.
    await expect(computed(preview.locator('.cp-menu'), 'backgroundColor')).resolves.toBe('rgb(122, 31, 92)');
    await expect(computed(menu.getByRole('button', { name: 'Budsjett' }), 'color')).resolves.toBe(
      'rgb(122, 31, 92)',
    );
    // A phone-sized frame: 375 px of screen inside an 8 px border.
    await expect(preview.evaluate((element) => element.getBoundingClientRect().width)).resolves.toBe(391);
    await expectNoAxeViolations(page);
    await shot(page, 'preview-1280', false);

    // The news filter decides the feed: untick "Hovedbesiktigelsen er fullført".
    await menu.getByRole('button', { name: 'Oversikt' }).click();
    await preview.getByText('Hovedbesiktigelsen er fullført.').waitFor();
    await page.getByRole('checkbox', { name: 'Hovedbesiktigelsen er fullført' }).uncheck();
    await expect(preview.getByText('Hovedbesiktigelsen er fullført.').count()).resolves.toBe(0);
    await page.getByRole('checkbox', { name: 'Hovedbesiktigelsen er fullført' }).check();

    // Closed longer ago than the 30 visible days: the friendly page with the contact text.
    await page.getByLabel('Kontakt for mer informasjon').fill('Ring kundesenteret på 22 00 00 00.');
    await page.getByLabel('Dager siden avslutning').fill('31');
    await expect(page.getByRole('radio', { name: 'Avsluttet for 31 dager siden' }).isChecked()).resolves.toBe(
      true,
    );
    await preview.getByRole('heading', { name: 'Saken er ikke lenger tilgjengelig' }).waitFor();
    await preview.getByText('Ring kundesenteret på 22 00 00 00.').waitFor();
    await expect(menu.count()).resolves.toBe(0);
    await page.getByLabel('Dager siden avslutning').fill('30');
    await preview.getByRole('heading', { name: 'Storgata 12' }).waitFor();

    // Save, reload: the values are kept, and the change log names who changed what.
    await page.getByRole('button', { name: 'Lagre innstillingene' }).click();
    await page.getByRole('status').filter({ hasText: 'Innstillingene er lagret.' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Konfigurasjon av kundesida', level: 1 }).waitFor();
    await settled(page);
    await expect(hexInput(page, 'Menyens bakgrunnsfarge').inputValue()).resolves.toBe('#7a1f5c');
    await expect(hexInput(page, 'Valgt skriftfarge i menyen').inputValue()).resolves.toBe('#7a1f5c');
    await expect(page.getByLabel('Vis saksbudsjett', { exact: true }).inputValue()).resolves.toBe(
      'main_inspection_assigned',
    );
    await expect(page.getByLabel('Kontakt for mer informasjon').inputValue()).resolves.toBe(
      'Ring kundesenteret på 22 00 00 00.',
    );
    const audit = page.locator('.audit-list');
    await audit.waitFor();
    const latest = audit.locator('> li').first();
    await expect(latest.locator('.audit-head').textContent()).resolves.toContain('av Ada Admin');
    const changes = await latest.locator('.audit-changes > li').allTextContents();
    expect(changes).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Menyens bakgrunnsfarge: #1f3a5f\s*→\s*til\s*#7a1f5c$/),
        expect.stringMatching(/^Valgt skriftfarge i menyen: #1f3a5f\s*→\s*til\s*#7a1f5c$/),
        expect.stringMatching(
          /^Vis saksbudsjett: Ved positiv erstatningsbeslutning\s*→\s*til\s*Ved tildeling av hovedbesiktigelsen$/,
        ),
      ]),
    );
    const saved = await page.evaluate(async () => (await fetch('/api/admin/customer-page')).json());
    expect(saved).toMatchObject({
      showBudget: 'main_inspection_assigned',
      colors: { menuBackground: '#7a1f5c', menuSelectedText: '#7a1f5c' },
    });
    await shot(page, '1280-nb');
  });

  it('warns beside a colour pair under 4.5:1 and shows the server’s field error beside the field', async () => {
    const page = await b.newPage(1280);
    await signIn(page);
    await openConfiguration(page);
    const heading = hexInput(page, 'Skriftfarge på overskrifter');
    await heading.fill('#aaaaaa');
    const pagePair = page.getByRole('group', { name: 'Siden', exact: true });
    const warning = pagePair.locator('.contrast-warning');
    await expect(warning.textContent()).resolves.toContain(
      'For lav kontrast: 2,32:1 mellom «Skriftfarge på overskrifter» og «Sidens bakgrunnsfarge».',
    );
    // Tied to the inputs of the pair for screen readers; the other pairs pass.
    const describedBy = (await heading.getAttribute('aria-describedby')) ?? '';
    expect(describedBy.split(' ')).toContain(await warning.getAttribute('id'));
    await expect(page.locator('.contrast-warning').count()).resolves.toBe(1);
    await pagePair.scrollIntoViewIfNeeded();
    await shot(page, 'warning-1280', false);
    await heading.fill('#1f3a5f');
    await expect(page.locator('.contrast-warning').count()).resolves.toBe(0);

    // A bad value reaches the server, which names the field; the message stands beside it.
    const days = page.getByLabel(
      'Antall dager en sak er synlig i portalen for kunden etter at saken er avsluttet',
    );
    await days.fill('-1');
    await page.getByRole('button', { name: 'Lagre innstillingene' }).click();
    await page.getByRole('alert').filter({ hasText: 'Noe er ikke gyldig' }).waitFor();
    await expect(days.getAttribute('aria-invalid')).resolves.toBe('true');
    const errorId = ((await days.getAttribute('aria-describedby')) ?? '')
      .split(' ')
      .find((id) => id.endsWith('-error'));
    // In Norwegian, never the server's English text (issue 16).
    await expect(page.locator(`[id="${errorId}"]`).textContent()).resolves.toBe(
      'Ugyldig verdi: må være 0 eller mer',
    );
    const stored = await page.evaluate(async () => (await fetch('/api/admin/customer-page')).json());
    expect(stored).toMatchObject({ visibleDaysAfterClose: 30 });
  });

  it('keeps the handler’s phone off and disabled while the handler’s name is off', async () => {
    const page = await b.newPage(1280);
    await signIn(page);
    await openConfiguration(page);
    const name = page.getByRole('checkbox', { name: 'Vis saksbehandler', exact: true });
    const phone = page.getByRole('checkbox', { name: 'Vis telefonnummeret til saksbehandler' });
    await phone.check();
    await name.uncheck();
    await expect(phone.isChecked()).resolves.toBe(false);
    await expect(phone.isDisabled()).resolves.toBe(true);
    await name.check();
    await expect(phone.isEnabled()).resolves.toBe(true);
  });

  for (const language of ['nb', 'en'] as const) {
    it(`has no axe violations and no sideways scroll at 375 px, preview included (${language})`, async () => {
      const page = await b.newPage(375);
      await signIn(page, admin, language);
      const title = language === 'nb' ? 'Konfigurasjon av kundesida' : 'Customer page configuration';
      await openConfiguration(page, title);
      await page.locator('.audit-list, .audit-card p').first().waitFor();
      await expectNoAxeViolations(page);
      expect(await fitsViewport(page)).toBe(true);
      await shot(page, `375-${language}`);

      await page
        .getByRole('button', { name: language === 'nb' ? 'Forhåndsvis sida' : 'Preview the page' })
        .click();
      const preview = previewOf(page);
      await preview.waitFor();
      const menu = previewMenu(preview);
      for (const tab of language === 'nb'
        ? ['Prosjektplan', 'Kommunikasjon', 'Dokumenter', 'Oversikt']
        : ['Project plan', 'Communication', 'Documents', 'Dashboard']) {
        await menu.getByRole('button', { name: tab }).click();
        await preview.getByRole('heading', { name: tab, level: 2 }).waitFor();
        await expectNoAxeViolations(page);
      }
      expect(await fitsViewport(page)).toBe(true);
      await shot(page, `preview-375-${language}`, false);
      if (language === 'nb') await shot(page, 'preview-375-nb-full');
    });
  }

  it('renders the whole page at 1280 px in English with the preview open', async () => {
    const page = await b.newPage(1280);
    await signIn(page, admin, 'en');
    await openConfiguration(page, 'Customer page configuration');
    await page.getByRole('button', { name: 'Preview the page' }).click();
    await previewOf(page).waitFor();
    await page.getByRole('radio', { name: 'Positive claim decision' }).check();
    await expectNoAxeViolations(page);
    expect(await fitsViewport(page)).toBe(true);
    await shot(page, '1280-en-preview', false);
    await shot(page, '1280-en');
  });
});
