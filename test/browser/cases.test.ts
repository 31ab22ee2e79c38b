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

const b = useBrowser();
const [admin, handler] = DEMO_SIGN_INS;

type Language = 'nb' | 'en';

const signIn = (page: Page, who: { email: string; password: string } = admin, language: Language = 'nb') =>
  signInStaff(page, b.baseUrl, who, language);

async function shot(page: Page, name: string) {
  await settled(page);
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

/** Opens a case through the API, as the signed-in user (same-origin fetch passes the CSRF check). */
async function createCaseByApi(page: Page, claimNumber: string): Promise<string> {
  return page.evaluate(async (claim) => {
    const response = await fetch('/api/cases', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        claimNumber: claim,
        address: { street: 'Fjellveien 7', postalCode: '5003', city: 'Bergen' },
        description: 'Stormskade på taket.',
        customer: { name: 'Nora Berg', phone: '+4798765432', email: 'nora@example.com' },
        contacts: [{ role: 'contact_person', name: 'Even Berg', phone: '+4798765433' }],
      }),
    });
    if (!response.ok) throw new Error(`create case: ${response.status} ${await response.text()}`);
    return ((await response.json()) as { id: string }).id;
  }, claimNumber);
}

/** Fills a case through the API: two documents (one shared), a budget, a call and a reminder. */
async function fillCaseByApi(page: Page, id: string): Promise<void> {
  await page.evaluate(async (caseId) => {
    const json = async (method: string, url: string, body: unknown) => {
      const response = await fetch(url, {
        method,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${await response.text()}`);
      return response.json() as Promise<{ id: string }>;
    };
    const uploadText = async (name: string, kind: string) => {
      const form = new FormData();
      form.append('kind', kind);
      form.append('file', new File([`Innhold i ${name}\n`], name, { type: 'text/plain' }));
      const response = await fetch(`/api/cases/${caseId}/documents`, { method: 'POST', body: form });
      if (!response.ok) throw new Error(`upload: ${response.status} ${await response.text()}`);
      return (await response.json()) as { id: string };
    };
    const shared = await uploadText(
      'skadeoversikt-med-et-langt-filnavn-2026.txt',
      'customer_settlement_report',
    );
    await uploadText('notat.txt', 'other');
    await json('POST', `/api/cases/${caseId}/documents/share`, { documentIds: [shared.id] });
    await json('PUT', `/api/cases/${caseId}/budget`, {
      lines: [
        { description: 'Riving', amountOre: 1250050 },
        { description: 'Nytt tak', amountOre: 9900000 },
      ],
    });
    await json('POST', `/api/cases/${caseId}/calls`, {
      direction: 'incoming',
      partyName: 'Nora Berg',
      number: '+4798765432',
      reached: false,
      durationSeconds: 0,
    });
    await json('POST', `/api/cases/${caseId}/reminders`, { dueOn: '2030-01-15', text: 'Følg opp taktekker' });
  }, id);
}

const panel = (page: Page, heading: string) =>
  page.locator('section.panel', { has: page.getByRole('heading', { name: heading, exact: true }) });

/** The items of the case log, as shown on the Log tab. */
async function logLines(page: Page): Promise<string[]> {
  await page.getByRole('tab', { name: 'Logg' }).click();
  const list = page.getByRole('tabpanel').locator('.event-list > li .event-text');
  await list.first().waitFor();
  return list.allTextContents();
}

async function expectText(locator: Locator, text: string | RegExp) {
  await locator.filter({ hasText: text }).first().waitFor();
}

describe('case work in Chromium', () => {
  it('walks a case from creation through inspection, decision, repair, a call and closing', async () => {
    const page = await b.newPage(1280);
    await signIn(page);

    // 1. The case list, then a new case with a further contact.
    await page.getByRole('navigation').getByRole('link', { name: 'Saker' }).click();
    await page.getByRole('heading', { name: 'Saker', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Ny sak' }).click();
    await page.getByRole('heading', { name: 'Ny sak' }).waitFor();
    await page.getByLabel('Skadenummer').fill('SK-2026-0042');
    await page.getByLabel('Gateadresse').fill('Storgata 12');
    await page.getByLabel('Postnummer').fill('0155');
    await page.getByLabel('Poststed').fill('Oslo');
    await page.getByLabel('Beskrivelse av skaden').fill('Vannlekkasje fra badet ned i stua.');
    const customer = page.getByRole('group', { name: 'Kunde (forsikringstaker)' });
    await customer.getByLabel('Navn').fill('Kari Nordmann');
    await customer.getByLabel('E-post').fill('kari@example.com');
    await customer.getByLabel('Telefon').fill('912 34 567');
    await page.getByRole('button', { name: 'Legg til kontakt' }).click();
    const contact = page.getByRole('group', { name: 'Kontakt 1' });
    await contact.getByLabel('Rolle').selectOption({ label: 'Kontaktperson' });
    await contact.getByLabel('Navn').fill('Ola Nordmann');
    await contact.getByLabel('Telefon').fill('+47 913 45 678');
    await shot(page, 'new-case-1280');
    await page.getByRole('button', { name: 'Opprett sak' }).click();

    // 2. The case page: address, customer, status.
    await page.getByRole('heading', { name: 'Storgata 12, 0155 Oslo', level: 1 }).waitFor();
    const header = page.locator('.case-header');
    await expectText(header, 'Åpen');
    await expectText(header, 'SK-2026-0042');
    await expectText(header, 'Kari Nordmann');
    await expectText(header, '912 34 567');
    expect(await page.getByRole('tab', { name: 'Saksinformasjon' }).getAttribute('aria-selected')).toBe(
      'true',
    );
    await expectText(page.getByRole('tabpanel'), 'Ola Nordmann');

    // 3. Main inspection: assign office and inspector, start, finish.
    const inspection = panel(page, 'Hovedbesiktigelse');
    await expectText(inspection, 'Ikke tildelt');
    await inspection.getByRole('button', { name: 'Tildel' }).click();
    await inspection.getByLabel('Kontor').selectOption({ label: 'Nordisk Takst Oslo' });
    await inspection.getByLabel('Inspektør').selectOption({ label: 'Kari Inspektør' });
    await inspection.getByRole('button', { name: 'Lagre' }).click();
    // The first assignment shares the inspection report by the demo company's rule: confirmed first.
    const assignDialog = page.getByRole('dialog', { name: 'Tildele hovedbesiktigelsen?' });
    await expectText(assignDialog, 'Kunden får se: besiktigelsesrapport.');
    await assignDialog.getByRole('button', { name: 'Ja, tildel' }).click();
    await expectText(inspection, 'Hovedbesiktigelsen er tildelt.');
    await expectText(inspection.locator('dd'), 'Nordisk Takst Oslo');
    await expectText(inspection.locator('dd'), 'Kari Inspektør');
    await inspection.getByRole('button', { name: 'Start besiktigelsen' }).click();
    await expectText(inspection.locator('.badge'), 'Startet');
    await inspection.getByRole('button', { name: 'Fullfør besiktigelsen' }).click();
    await expectText(inspection.locator('.badge'), 'Fullført');
    expect(await inspection.getByRole('button', { name: /besiktigelsen/ }).count()).toBe(0);

    // The inspection's own log, in a dialog that Escape closes, giving focus back to its button.
    await inspection.getByRole('button', { name: 'Logg: hovedbesiktigelse' }).click();
    const dialog = page.getByRole('dialog', { name: 'Logg: hovedbesiktigelse' });
    await expectText(dialog.locator('li'), 'Hovedbesiktigelsen ble tildelt Nordisk Takst Oslo');
    expect(await dialog.locator('.event-text').allTextContents()).toEqual([
      'Hovedbesiktigelsen ble fullført',
      'Hovedbesiktigelsen startet',
      'Kari Inspektør ble valgt som inspektør',
      'Hovedbesiktigelsen ble tildelt Nordisk Takst Oslo',
    ]);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
      'Logg: hovedbesiktigelse',
    );

    // 4. Claim decision: accepted.
    const decision = panel(page, 'Erstatningsbeslutning');
    await expectText(decision, 'Ikke besluttet');
    await decision.getByRole('button', { name: 'Godta' }).click();
    // The first acceptance opens the budget and the settlement report (demo settings): confirmed first.
    const acceptDialog = page.getByRole('dialog', { name: 'Godta kravet?' });
    await expectText(acceptDialog, 'Kunden får se: budsjett og kundeoppgjørsrapport.');
    await acceptDialog.getByRole('button', { name: 'Ja, godta' }).click();
    await expectText(decision.locator('.decision-state'), 'Godtatt');
    expect(await decision.getByRole('button', { name: 'Godta' }).getAttribute('aria-pressed')).toBe('true');

    // 5. People: a technical advisor, with the change in that person's log.
    const people = panel(page, 'Personer');
    await people.getByRole('button', { name: 'Rediger: Teknisk rådgiver' }).click();
    await people.getByLabel('Teknisk rådgiver').selectOption({ label: 'Jørn Saksbehandler' });
    await people.getByRole('button', { name: 'Lagre' }).click();
    await expectText(people.locator('.person-row', { hasText: 'Teknisk rådgiver' }), 'Jørn Saksbehandler');
    await people.getByRole('button', { name: 'Logg: Teknisk rådgiver' }).click();
    await expectText(page.getByRole('dialog').locator('li'), 'Teknisk rådgiver: Jørn Saksbehandler');
    await page.getByRole('dialog').getByRole('button', { name: 'Lukk' }).click();

    // Quality control on.
    const saved = page.waitForResponse(
      (r) => r.url().includes('/api/cases/') && r.request().method() === 'PATCH',
    );
    await page.getByLabel('Kvalitetskontroll').check();
    await saved;
    expect(await page.getByLabel('Kvalitetskontroll').isChecked()).toBe(true);

    // 6. Project plan: a repair task with office, responsible, schedule and meeting time; start, finish.
    await page.getByRole('tab', { name: 'Prosjektplan' }).click();
    const plan = page.getByRole('tabpanel');
    await expectText(plan, 'Ingen reparasjonsoppgaver ennå.');
    await plan.getByLabel('Oppgave').fill('Bytte baderomsgulv');
    await plan.getByLabel('Beskrivelse').fill('Rive gulv, tørke, legge nytt.');
    await plan.getByRole('button', { name: 'Ny reparasjonsoppgave' }).click();
    const task = plan.locator('.task-card', { hasText: 'Bytte baderomsgulv' });
    await expectText(task.locator('.badge'), 'Ikke startet');
    await task.getByRole('button', { name: 'Rediger: Bytte baderomsgulv' }).click();
    await task.getByLabel('Kontor').selectOption({ label: 'Fjordbygg Drammen' });
    await task.getByLabel('Ansvarlig').selectOption({ label: 'Ole Tømrer' });
    await task.getByLabel('Startdato').fill('2026-12-01');
    await task.getByLabel('Sluttdato').fill('2026-12-05');
    await task.getByLabel('Møtetidspunkt').fill('2026-12-01T09:30');
    await shot(page, 'task-edit-1280');
    await task.getByRole('button', { name: 'Lagre' }).click();
    await expectText(task.locator('dd'), 'Fjordbygg Drammen');
    await expectText(task.locator('dd'), 'Ole Tømrer');
    await expectText(task.locator('dd'), '01.12.2026 – 05.12.2026');
    await expectText(task.locator('dd'), '01.12.2026, 09:30');
    await expectText(task.locator('dd'), /^0$/); // multimedia count
    await task.getByRole('button', { name: 'Start: Bytte baderomsgulv' }).click();
    await expectText(task.locator('.badge'), 'Startet');
    await task.getByRole('button', { name: 'Fullfør: Bytte baderomsgulv' }).click();
    await expectText(task.locator('.badge'), 'Fullført');

    // 7. A call, on the Case information tab: which way it went and who the other party was.
    await page.getByRole('tab', { name: 'Saksinformasjon' }).click();
    const info = page.getByRole('tabpanel');
    await info.getByRole('group', { name: 'Retning' }).getByLabel('Utgående – vi ringte').check();
    await info.getByLabel('Navn på den andre parten').fill('Kari Nordmann');
    await info.getByLabel('Den andre partens telefonnummer').fill('91234567');
    await info.getByLabel('Minutter').fill('3');
    await info.getByLabel('Sekunder').fill('20');
    await info.getByRole('button', { name: 'Registrer samtale' }).click();
    await expectText(info, 'Samtalen er registrert.');
    const callRow = info.getByRole('row', { name: /Kari Nordmann/ });
    expect((await callRow.getByRole('cell').allTextContents()).slice(1)).toEqual([
      'Utgående',
      'Kari Nordmann912 34 567',
      'Ja',
      '3 min 20 s',
      'Ada Admin',
    ]);
    expect(await callRow.getByRole('link').getAttribute('href')).toBe('tel:+4791234567');
    await shot(page, 'case-1280');

    // 8. The log lists every step, newest first, as sentences.
    const lines = await logLines(page);
    expect(lines[0]).toBe('Ada Admin ringte Kari Nordmann (912 34 567), samtalen varte 3 min 20 s');
    for (const line of [
      'Saken ble opprettet med skadenummer SK-2026-0042',
      'Hovedbesiktigelsen ble tildelt Nordisk Takst Oslo',
      'Kari Inspektør ble valgt som inspektør',
      'Hovedbesiktigelsen startet',
      'Hovedbesiktigelsen ble fullført',
      'Erstatningsbeslutning: Godtatt',
      'Teknisk rådgiver: Jørn Saksbehandler',
      'Saken ble endret: kvalitetskontroll',
      'Oppgaven «Bytte baderomsgulv» ble lagt til',
      'Oppgaven «Bytte baderomsgulv» ble tildelt Fjordbygg Drammen',
      'Ole Tømrer ble ansvarlig for oppgaven «Bytte baderomsgulv»',
      'Tidsplan for «Bytte baderomsgulv»: 01.12.2026 – 05.12.2026',
      'Møtetidspunkt for «Bytte baderomsgulv»: 01.12.2026, 09:30',
      'Oppgaven «Bytte baderomsgulv» startet',
      'Oppgaven «Bytte baderomsgulv» ble fullført',
    ]) {
      expect(lines).toContain(line);
    }
    expect(lines.at(-1)).toBe('Saken ble opprettet med skadenummer SK-2026-0042');
    await shot(page, 'case-log-1280');

    // 9. Close the case with an internal comment.
    const actions = panel(page, 'Sakstiltak');
    expect(await actions.getByRole('button').allTextContents()).toEqual(['Logg', 'Vent', 'Lukk', 'Avbryt']);
    await actions.getByRole('button', { name: 'Lukk', exact: true }).click();
    const closeDialog = page.getByRole('dialog', { name: 'Lukk saken' });
    await closeDialog.getByLabel('Intern kommentar (vises ikke for kunden)').fill('Reparasjonen er ferdig.');
    await shot(page, 'close-dialog-1280');
    await closeDialog.getByRole('button', { name: 'Lukk saken' }).click();
    await closeDialog.waitFor({ state: 'detached' });
    await expectText(header.locator('.badge'), 'Lukket');
    await expectText(actions, 'Saken har nå status: Lukket.');
    expect(await actions.getByRole('button').allTextContents()).toEqual(['Logg', 'Gjenåpne']);
    await expectText(decision, 'Gjenåpne saken for å endre beslutningen.');
    expect((await logLines(page))[0]).toBe('Saken ble lukket. Intern kommentar: «Reparasjonen er ferdig.»');

    // The list finds it by claim number, with its new status.
    await page.getByRole('link', { name: 'Tilbake til sakene' }).click();
    await page.getByLabel('Søk', { exact: true }).fill('SK-2026-0042');
    await page.getByRole('button', { name: 'Søk', exact: true }).click();
    await page.waitForURL(/q=SK-2026-0042/);
    const row = page.getByRole('row', { name: /SK-2026-0042/ });
    await expectText(row, 'Lukket');
    await expectText(row, 'Storgata 12, 0155 Oslo');
    expect(await page.locator('tbody tr').count()).toBe(1);
  });

  it('puts on hold and resumes with the keyboard, and moves between tabs with the arrow keys', async () => {
    const page = await b.newPage(1280);
    await signIn(page);
    const id = await createCaseByApi(page, 'SK-KEYS-1');
    await page.goto(`${b.baseUrl}/cases/${id}`);
    await page.getByRole('heading', { name: 'Fjellveien 7, 5003 Bergen' }).waitFor();
    const actions = panel(page, 'Sakstiltak');
    await actions.getByRole('button', { name: 'Vent' }).focus();
    await page.keyboard.press('Enter');
    await expectText(page.locator('.case-header .badge'), 'På vent');
    // The same button now resumes, and still has the focus.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Gjenoppta');
    await page.keyboard.press('Enter');
    await expectText(page.locator('.case-header .badge'), 'Åpen');

    await page.getByRole('tab', { name: 'Saksinformasjon' }).focus();
    await page.keyboard.press('ArrowRight');
    await page.getByRole('tab', { name: 'Prosjektplan', selected: true }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Prosjektplan');
    await page.getByRole('tabpanel').getByRole('heading', { name: 'Prosjektplan' }).waitFor();
    await page.keyboard.press('End');
    await page.getByRole('tab', { name: 'Logg', selected: true }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Logg');
    await page.keyboard.press('Home');
    await page.getByRole('tab', { name: 'Saksinformasjon', selected: true }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Saksinformasjon');

    // Cancelling asks first; keeping the case leaves it open.
    await actions.getByRole('button', { name: 'Avbryt', exact: true }).click();
    const confirm = page.getByRole('dialog', { name: 'Avbryt saken' });
    await confirm.getByRole('button', { name: 'Behold saken' }).click();
    await confirm.waitFor({ state: 'detached' });
    await expectText(page.locator('.case-header .badge'), 'Åpen');
    await actions.getByRole('button', { name: 'Avbryt', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Avbryt saken' }).click();
    await expectText(page.locator('.case-header .badge'), 'Avbrutt');
    await actions.getByRole('button', { name: 'Gjenåpne' }).click();
    const reopen = page.getByRole('dialog', { name: 'Gjenåpne saken' });
    await reopen.getByLabel('Intern begrunnelse (vises ikke for kunden)').fill('Kunden meldte ny skade.');
    await reopen.getByRole('button', { name: 'Gjenåpne saken' }).click();
    await expectText(page.locator('.case-header .badge'), 'Åpen');
    expect((await logLines(page)).slice(0, 3)).toEqual([
      'Saken ble gjenåpnet. Intern begrunnelse: «Kunden meldte ny skade.»',
      'Saken ble avbrutt',
      'Saken ble gjenopptatt',
    ]);
  });

  it('shows a level-1 case handler only what level 1 may do', async () => {
    const page = await b.newPage(1280);
    await signIn(page, handler);
    const id = await createCaseByApi(page, 'SK-LEVEL-1');
    await page.goto(`${b.baseUrl}/cases/${id}`);
    await page.getByRole('heading', { name: 'Fjellveien 7, 5003 Bergen' }).waitFor();
    expect(await panel(page, 'Sakstiltak').getByRole('button').allTextContents()).toEqual([
      'Logg',
      'Vent',
      'Lukk',
    ]);
    const decision = panel(page, 'Erstatningsbeslutning');
    await expectText(decision, 'Beslutningen krever autorisasjonsnivå 2.');
    expect(await decision.getByRole('button', { name: 'Godta' }).count()).toBe(0);
    await page.getByRole('tab', { name: 'Budsjett' }).click();
    await expectText(page.getByRole('tabpanel'), 'Endring av budsjettet krever autorisasjonsnivå 2.');
    const nav = page.getByRole('navigation', { name: 'Hovedmeny' });
    expect(await nav.getByRole('link', { name: 'Saker' }).isVisible()).toBe(true);
    expect(await nav.getByRole('link', { name: 'API-nøkler' }).count()).toBe(0);
  });

  it('uploads, shares and unshares a document, and keeps a budget in kroner', async () => {
    const page = await b.newPage(1280);
    await signIn(page);
    const id = await createCaseByApi(page, 'SK-DOCS-1');
    await page.goto(`${b.baseUrl}/cases/${id}?tab=documents`);
    const docs = page.getByRole('tabpanel');
    await expectText(docs, 'Ingen dokumenter ennå.');
    await docs.getByLabel('Fil').setInputFiles({
      name: 'besiktigelse.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('Fuktmåling: 28 % i gulvet.\n'),
    });
    await docs.getByLabel('Dokumenttype').selectOption({ label: 'Besiktigelsesrapport' });
    await docs.getByRole('button', { name: 'Last opp dokument' }).click();
    await expectText(docs, '«besiktigelse.txt» er lastet opp.');
    const row = docs.getByRole('listitem').filter({ hasText: 'besiktigelse.txt' });
    await expectText(row, 'Besiktigelsesrapport');
    // The demo company shares inspection reports at the main inspection's assignment (issue 16).
    await expectText(row, 'Deles automatisk ved tildeling av hovedbesiktigelsen');
    expect(await row.getByRole('link', { name: 'besiktigelse.txt' }).getAttribute('href')).toMatch(
      /^\/api\/documents\/.+\/download$/,
    );

    await row.getByRole('checkbox', { name: 'Velg besiktigelse.txt' }).check();
    await docs.getByRole('button', { name: 'Del med kunden (1)' }).click();
    const share = page.getByRole('dialog', { name: 'Del med kunden' });
    await expectText(share.locator('li'), 'besiktigelse.txt');
    await shot(page, 'share-dialog-1280');
    await share.getByRole('button', { name: 'Del med kunden' }).click();
    await share.waitFor({ state: 'detached' });
    await row.getByRole('img', { name: 'Delt med kunden' }).waitFor();
    await shot(page, 'documents-1280');

    // The gear menu beside the shared document holds "Fjern deling med kunden".
    const gear = row.getByRole('button', { name: 'Valg for besiktigelse.txt' });
    await gear.click();
    expect(await gear.getAttribute('aria-expanded')).toBe('true');
    await row.getByRole('button', { name: 'Fjern deling med kunden: besiktigelse.txt' }).click();
    const unshare = page.getByRole('dialog', { name: 'Fjern deling med kunden' });
    await unshare.getByRole('button', { name: 'Fjern delingen' }).click();
    await unshare.waitFor({ state: 'detached' });
    // Removing the sharing of the report also keeps the rule from sharing it at its milestone.
    await expectText(row, 'Holdt tilbake fra kunden av');
    expect(await row.getByRole('img', { name: 'Delt med kunden' }).count()).toBe(0);

    await page.getByRole('tab', { name: 'Budsjett' }).click();
    const budget = page.getByRole('tabpanel');
    await budget.getByRole('button', { name: 'Rediger budsjettet' }).click();
    const first = budget.getByRole('group', { name: 'Post 1' });
    await first.getByLabel('Post').fill('Riving og uttørking');
    await first.getByLabel('Beløp').fill('12 500,50');
    await budget.getByRole('button', { name: 'Legg til post' }).click();
    const second = budget.getByRole('group', { name: 'Post 2' });
    await second.getByLabel('Post').fill('Nytt baderomsgulv');
    await second.getByLabel('Beløp').fill('tolv');
    await budget.getByRole('button', { name: 'Lagre' }).click();
    await expectText(budget, 'Beløpet i post 2 er ikke et gyldig kronebeløp.');
    await second.getByLabel('Beløp').fill('30000');
    await budget.getByRole('button', { name: 'Lagre' }).click();
    await expectText(budget, 'Budsjettet er lagret.');
    await shot(page, 'budget-1280');
    const total = (await budget.locator('tfoot').textContent())?.replace(/\s/g, ' ');
    expect(total).toBe('Sum42 500,50 kr');
    await expectText(budget.getByRole('row', { name: /Riving/ }), /12\s500,50\skr/);
  });

  it('counts a reminder due today on the dashboard and links the number to the case', async () => {
    const page = await b.newPage(1280);
    await signIn(page);
    const id = await createCaseByApi(page, 'SK-DASH-1');
    await page.goto(`${b.baseUrl}/cases/${id}`);
    const reminders = panel(page, 'Påminnelse til saksbehandler');
    const today = await page.evaluate(() =>
      new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo' }).format(new Date()),
    );
    await reminders.getByLabel('Dato').fill(today);
    await reminders.getByLabel('Tekst').fill('Ring kunden om fuktmåling');
    await reminders.getByRole('button', { name: 'Ny påminnelse' }).click();
    await expectText(reminders.locator('li'), 'Ring kunden om fuktmåling');

    await page.getByRole('navigation').getByRole('link', { name: 'Oversikt' }).click();
    const table = page.locator('.dashboard-table');
    await table.waitFor();
    expect(await table.locator('tbody tr').count()).toBe(5);
    expect(await table.locator('thead th').allTextContents()).toEqual([
      'Saker',
      'I dag',
      'I morgen',
      'Senere',
    ]);
    const cell = table.getByRole('link', { name: /Saker med påminnelse til saksbehandler, I dag/ });
    expect(Number(await cell.evaluate((link) => link.firstChild?.textContent))).toBeGreaterThanOrEqual(1);
    await shot(page, 'dashboard-1280');
    await cell.click();
    await page.waitForURL(/\/cases\?row=reminders&column=today/);
    await expectText(page.locator('.notice-info'), 'Saker med påminnelse til saksbehandler – I dag');
    await page.getByRole('link', { name: 'SK-DASH-1' }).click();
    await page.getByRole('heading', { name: 'Fjellveien 7, 5003 Bergen' }).waitFor();
  });

  for (const language of ['nb', 'en'] as const) {
    const nb = language === 'nb';
    const check = async (page: Page, name: string) => {
      await settled(page);
      await expectNoAxeViolations(page);
      expect(await fitsViewport(page), name).toBe(true);
      await shot(page, `${name}-375-${language}`);
    };

    it(`has no axe violations and fits 375 px on the dashboard, case lists and new case form (${language})`, async () => {
      const page = await b.newPage(375);
      await signIn(page, admin, language);
      await check(page, 'dashboard');
      await page.goto(`${b.baseUrl}/cases`);
      await page.locator('tbody tr').first().waitFor();
      await check(page, 'case-list');
      await page.goto(`${b.baseUrl}/cases?row=reminders&column=today`);
      await page.locator('.notice-info').waitFor();
      await check(page, 'dashboard-cases');
      await page.goto(`${b.baseUrl}/cases/new`);
      await page.getByRole('button', { name: nb ? 'Legg til kontakt' : 'Add a contact' }).click();
      await check(page, 'new-case');
    });

    it(`says in the UI's language what the server refused on a new case: a field and a repeated claim number (${language})`, async () => {
      const page = await b.newPage(375);
      await signIn(page, admin, language);
      const claimNumber = `SK-TAKEN-${language}`;
      await createCaseByApi(page, claimNumber);
      await page.goto(`${b.baseUrl}/cases/new`);
      await page.getByLabel(nb ? 'Skadenummer' : 'Claim number').fill(claimNumber);
      await page.getByLabel(nb ? 'Gateadresse' : 'Street address').fill('Fjellveien 9');
      await page.getByLabel(nb ? 'Postnummer' : 'Postal code').fill('5003');
      await page.getByLabel(nb ? 'Poststed' : 'City').fill('Bergen');
      const customer = page.getByRole('group', {
        name: nb ? 'Kunde (forsikringstaker)' : 'Customer (policyholder)',
      });
      await customer.getByLabel(nb ? 'Navn' : 'Name').fill('Nora Berg');
      // A phone number the browser lets through and the server refuses: a field error.
      await customer.getByLabel(nb ? 'Telefon' : 'Phone').fill('12');
      const submit = page.getByRole('button', { name: nb ? 'Opprett sak' : 'Create case' });
      await submit.click();
      const alert = page.getByRole('alert');
      await expectText(
        alert,
        nb
          ? 'Kunde – Telefon: må være et gyldig telefonnummer, f.eks. +4791234567'
          : 'Customer – Phone: must be a valid phone number, e.g. +4791234567',
      );
      // Never the server's English text nor its field path.
      expect((await alert.allTextContents()).join(' ')).not.toMatch(nb ? /must|body\./ : /body\./);
      await check(page, 'new-case-field-error');

      // The phone mended, the claim number is the one taken: the conflict in the same language.
      await customer.getByLabel(nb ? 'Telefon' : 'Phone').fill('+4798765432');
      await submit.click();
      await expectText(
        alert,
        nb
          ? `Det finnes allerede en sak med skadenummer ${claimNumber}.`
          : `A case with claim number ${claimNumber} already exists.`,
      );
      await check(page, 'new-case-conflict');
    });

    it(`has no axe violations and fits 375 px on every tab, editor and dialog of a case (${language})`, async () => {
      const page = await b.newPage(375);
      await signIn(page, admin, language);
      const id = await createCaseByApi(page, `SK-AXE-${language}`);
      await fillCaseByApi(page, id);
      await page.goto(`${b.baseUrl}/cases/${id}`);
      await page.locator('.case-header h1').waitFor();
      const tabs = page.getByRole('tab');
      const names = await tabs.allTextContents();
      expect(names).toEqual(
        nb
          ? [
              'Saksinformasjon',
              'Prosjektplan',
              'Dokumenter',
              'Budsjett',
              'Kostnadskontroll',
              'Faktura og tilbud',
              'Kundeoppgjør',
              'Logg',
            ]
          : [
              'Case information',
              'Project plan',
              'Documents',
              'Budget',
              'Cost control',
              'Invoices and quotes',
              'Customer settlement',
              'Log',
            ],
      );
      for (const [index, name] of names.entries()) {
        await tabs.nth(index).click();
        const tabPanel = page.getByRole('tabpanel');
        await tabPanel.waitFor();
        if (index === 1) {
          // A task being edited shows every field of the project plan.
          await tabPanel.getByLabel(nb ? 'Oppgave' : 'Task').fill('Tak');
          await tabPanel.locator('button[type=submit]').click();
          await page.locator('.task-card').waitFor();
          await page.locator('.task-card button').first().click();
        }
        if (index === 2)
          await tabPanel
            .getByRole('img', { name: nb ? 'Delt med kunden' : 'Shared with the customer' })
            .waitFor();
        if (index === 3) await tabPanel.locator('tfoot').waitFor();
        // Cost control and the settlement: their chunk loaded and their figures read.
        if (index === 4 || index === 6) {
          await tabPanel.locator('h3').waitFor();
          await tabPanel.getByRole('status').waitFor({ state: 'detached' });
        }
        await check(page, `case-tab-${index}-${name.replace(/\s/g, '-').toLowerCase()}`);
      }

      // Open editors and dialogs too.
      await panel(page, nb ? 'Hovedbesiktigelse' : 'Main inspection')
        .getByRole('button', { name: nb ? 'Tildel' : 'Assign' })
        .click();
      await panel(page, nb ? 'Personer' : 'People')
        .locator('.person-row')
        .first()
        .getByRole('button')
        .first()
        .click();
      await check(page, 'case-editors');
      await panel(page, nb ? 'Sakstiltak' : 'Case actions')
        .getByRole('button', { name: nb ? 'Lukk' : 'Close', exact: true })
        .click();
      await page.getByRole('dialog').waitFor();
      await check(page, 'close-dialog');
      await page.keyboard.press('Escape');
      await page.getByRole('dialog').waitFor({ state: 'detached' });
      await panel(page, nb ? 'Sakstiltak' : 'Case actions')
        .getByRole('button', { name: nb ? 'Logg: sakstiltak' : 'Log: case actions' })
        .click();
      await page.getByRole('dialog').locator('.event-list').waitFor();
      await check(page, 'log-dialog');
      await page.keyboard.press('Escape');
      await page.getByRole('tab').nth(2).click();
      await page
        .getByRole('button', {
          name: nb
            ? 'Valg for skadeoversikt-med-et-langt-filnavn-2026.txt'
            : 'Options for skadeoversikt-med-et-langt-filnavn-2026.txt',
        })
        .click();
      await page
        .getByRole('button', {
          name: nb
            ? 'Fjern deling med kunden: skadeoversikt-med-et-langt-filnavn-2026.txt'
            : 'Remove sharing with the customer: skadeoversikt-med-et-langt-filnavn-2026.txt',
        })
        .click();
      await page.getByRole('dialog').waitFor();
      await check(page, 'unshare-dialog');
    });

    it(`records an incoming call by keyboard alone at 375 px, told alike in the history and its log (${language})`, async () => {
      const page = await b.newPage(375);
      await signIn(page, admin, language);
      const id = await createCaseByApi(page, `SK-CALL-${language}`);
      await page.goto(`${b.baseUrl}/cases/${id}`);
      const info = page.getByRole('tabpanel');
      await expectText(info, nb ? 'Ingen samtaler registrert.' : 'No calls recorded.');
      const direction = info.getByRole('group', { name: nb ? 'Retning' : 'Direction' });
      // No direction is chosen for the user: the form asks for one.
      const outgoing = direction.getByLabel(nb ? 'Utgående – vi ringte' : 'Outgoing – we called');
      expect(await outgoing.evaluate((input: HTMLInputElement) => input.validity.valueMissing)).toBe(true);
      await outgoing.focus();
      await page.keyboard.press('ArrowRight');
      expect(
        await direction
          .getByLabel(nb ? 'Innkommende – de ringte oss' : 'Incoming – they called us')
          .isChecked(),
      ).toBe(true);
      await page.keyboard.press('Tab');
      await page.keyboard.type('Nora Berg');
      await page.keyboard.press('Tab');
      await page.keyboard.type('98765432');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Space'); // not reached: a missed call
      for (let i = 0; i < 3; i++) await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(
        nb ? 'Registrer samtale' : 'Record a call',
      );
      await page.keyboard.press('Enter');
      await expectText(info, nb ? 'Samtalen er registrert.' : 'The call has been recorded.');
      const callRow = info.getByRole('row', { name: /Nora Berg/ });
      expect((await callRow.getByRole('cell').allTextContents()).slice(1)).toEqual([
        nb ? 'Innkommende' : 'Incoming',
        'Nora Berg987 65 432',
        nb ? 'Nei' : 'No',
        '0 s',
        'Nora Berg',
      ]);
      await check(page, 'call-history');
      await info.getByRole('button', { name: nb ? 'Logg: samtaler' : 'Log: calls' }).click();
      const log = page.getByRole('dialog');
      await expectText(
        log.locator('.event-text'),
        nb
          ? 'Nora Berg (987 65 432) ringte oss uten å få svar'
          : 'Nora Berg (987 65 432) called us without getting an answer',
      );
      await check(page, 'call-log');
      await page.screenshot({ path: `${SHOTS}/call-log-dialog-375-${language}.png` });
    });
  }
});
