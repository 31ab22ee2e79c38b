import { describe, expect, it } from 'vitest';
import type { CustomerPageSettings } from '../../common/rules/customer-page-settings.ts';
import { emptyNextStepTexts } from '../../common/rules/next-step.ts';
import {
  customerGet,
  deliver,
  linkIn,
  openCustomerLink,
  saveSettings,
  uniquePhone,
  uniqueSuffix,
} from '../../../test/support/customer.ts';
import {
  browserHeaders,
  makeActor,
  makeCase,
  makePartnerWithOffice,
  signedInUser,
} from '../../../test/support/factory.ts';
import { useSinks } from '../../../test/support/sinks.ts';
import { useTestApp } from '../../../test/support/test-app.ts';
import { changeCaseStatus, decideClaim, getCase } from '../cases/cases.ts';
import { assignMainInspection, createTask, progressTaskById, updateTask } from '../tasks/tasks.ts';
import { buildCustomerPage } from './customer-page.ts';

// Issue 19 items 1 and 2: "Hva skjer nå?" on the customer page (derived from the case, in the
// company's wording) and, after a rejection the company chose to show, its date and the text on a
// new assessment or complaint — never shown when the company keeps outcomes internal.

const sinks = useSinks();
const t = useTestApp(sinks.env);
const PAGE = '/api/admin/customer-page';

interface PageBody {
  model: {
    nextStep: { key: string; waitingFor: string | null; text: string };
    rejection: { decidedAt: string; text: string } | null;
  };
}

/** A company with `settings`, one case whose customer opened the link, and a partner office. */
async function world(settings: Partial<CustomerPageSettings> = {}) {
  const staff = await signedInUser(t.app, t.db, { level: 6 });
  await saveSettings(t.db, staff.companyId, { sendLink: 'case_created', accessFor: 'customer', ...settings });
  const actor = await makeActor(t.db, { companyId: staff.companyId, level: 6 });
  const s = uniqueSuffix();
  const email = `kunde-${s}@example.test`;
  const { id: caseId } = await makeCase(t.db, actor, {
    customer: { name: `Kunde ${s}`, email, phone: uniquePhone() },
  });
  const partner = await makePartnerWithOffice(t.db, staff.companyId);
  await deliver(t);
  const mail = sinks.mails.find((m) => m.to.includes(email));
  if (!mail) throw new Error('no link e-mail');
  const opened = await openCustomerLink(t.app, linkIn(mail.text));
  if (!opened.cookie) throw new Error('no customer session');
  const cookie = opened.cookie;
  const page = async (lang: 'nb' | 'en' = 'nb') => {
    const response = await customerGet(t.app, `/api/customer/page?lang=${lang}`, cookie);
    expect(response.statusCode, response.body).toBe(200);
    return { ...(response.json() as PageBody).model, raw: response.body };
  };
  return { staff, actor, caseId, partner, cookie, page };
}

const putSettings = (cookie: string, body: object) =>
  t.app.inject({ method: 'PUT', url: PAGE, headers: browserHeaders(cookie), payload: body });

/** GET, change, PUT the admin settings (the way the admin page saves). */
async function changeSettings(cookie: string, change: Partial<CustomerPageSettings>) {
  const current = await t.app.inject({ method: 'GET', url: PAGE, headers: browserHeaders(cookie) });
  expect(current.statusCode).toBe(200);
  const response = await putSettings(cookie, { ...(current.json() as object), ...change });
  expect(response.statusCode, response.body).toBe(200);
  return response;
}

describe('"Hva skjer nå?" on the customer page', () => {
  it('answers 401 without a session, on the page and on the settings', async () => {
    expect((await customerGet(t.app, '/api/customer/page', null)).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: PAGE })).statusCode).toBe(401);
  });

  it('refuses wordings that are too long or name no situation (400), and below level 6 (403)', async () => {
    const w = await world();
    const current = (
      await t.app.inject({ method: 'GET', url: PAGE, headers: browserHeaders(w.staff.cookie) })
    ).json();
    const tooLong = await putSettings(w.staff.cookie, {
      ...(current as object),
      nextStepTexts: { repair_planned: { nb: 'x'.repeat(301), en: '' } },
    });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.body).toContain('nextStepTexts');
    const unknown = await putSettings(w.staff.cookie, {
      ...(current as object),
      nextStepTexts: { tea_time: { nb: 'Te', en: 'Tea' } },
    });
    expect(unknown.statusCode).toBe(400);
    const longComplaint = await putSettings(w.staff.cookie, {
      ...(current as object),
      reconsiderationText: { nb: 'x'.repeat(2001), en: '' },
    });
    expect(longComplaint.statusCode).toBe(400);
    expect(longComplaint.body).toContain('reconsiderationText');

    const handler = await signedInUser(t.app, t.db, { companyId: w.staff.companyId, level: 5 });
    const refused = await putSettings(handler.cookie, {
      ...(current as object),
      nextStepTexts: { closed: { nb: 'Ferdig', en: '' } },
    });
    expect(refused.statusCode).toBe(403);
  });

  it("shows one company's case only: another company's case is 404 and its wording never shows", async () => {
    const a = await world();
    const b = await world({
      nextStepTexts: { ...emptyNextStepTexts, inspection_assignment: { nb: 'B-SELSKAPETS TEKST', en: '' } },
    });
    await expect(
      buildCustomerPage(t.db, { companyId: a.staff.companyId, caseId: b.caseId }, 'nb'),
    ).rejects.toThrow('Not found');
    expect((await a.page()).raw).not.toContain('B-SELSKAPETS TEKST');
    expect((await b.page()).nextStep.text).toBe('B-SELSKAPETS TEKST');
  });

  it('follows the case from creation through the inspection, each change seen at once', async () => {
    const w = await world();
    expect((await w.page()).nextStep).toEqual({
      key: 'inspection_assignment',
      waitingFor: 'company',
      text: 'Vi finner en takstmann som skal se på skaden.',
    });
    await assignMainInspection(t.db, w.actor, w.caseId, { officeId: w.partner.officeId });
    expect((await w.page('en')).nextStep).toEqual({
      key: 'inspection_booking',
      waitingFor: 'inspector',
      text: 'The inspector will contact you to arrange a visit.',
    });
    const inspection = (await getCase(t.db, w.actor, w.caseId)).mainInspection!;
    await updateTask(t.db, w.actor, inspection.id, { meetingAt: '2099-01-14T09:00:00Z' });
    expect((await w.page()).nextStep).toMatchObject({
      key: 'inspection_visit',
      text: 'Takstmannen kommer på befaring 14.01.2099, 10:00.',
    });
    await progressTaskById(t.db, w.actor, inspection.id, 'start');
    await progressTaskById(t.db, w.actor, inspection.id, 'finish');
    expect((await w.page()).nextStep).toMatchObject({ key: 'decision_pending', waitingFor: 'company' });
  });

  it('after acceptance says when the work starts, from the project plan, and moves with it', async () => {
    const w = await world();
    await decideClaim(t.db, w.actor, w.caseId, { decision: 'accepted' });
    expect((await w.page()).nextStep).toMatchObject({ key: 'repair_planning', waitingFor: 'company' });
    const { id: taskId } = await createTask(t.db, w.actor, w.caseId, { name: 'Nytt bad' });
    await updateTask(t.db, w.actor, taskId, { startsOn: '2099-01-14', endsOn: '2099-02-20' });
    expect((await w.page()).nextStep).toEqual({
      key: 'repair_planned',
      waitingFor: 'contractor',
      text: 'Arbeidet er planlagt å starte i uke 3, 2099.',
    });
    expect((await w.page('en')).nextStep.text).toBe('The work is planned to start in week 3, 2099.');
    // A task change refreshes the stored page: the new date is shown on the next read.
    await updateTask(t.db, w.actor, taskId, { startsOn: '2099-02-02' });
    expect((await w.page()).nextStep.text).toBe('Arbeidet er planlagt å starte i uke 6, 2099.');
    await progressTaskById(t.db, w.actor, taskId, 'start');
    expect((await w.page()).nextStep).toMatchObject({ key: 'repair_in_progress', waitingFor: 'contractor' });

    // The company's own wording (level 6, through the admin API) replaces the default at once.
    await changeSettings(w.staff.cookie, {
      nextStepTexts: {
        ...emptyNextStepTexts,
        repair_in_progress: { nb: 'Snekkeren jobber; ferdig uke {week}.', en: '' },
      },
    });
    expect((await w.page()).nextStep.text).toBe('Snekkeren jobber; ferdig uke 8, 2099.');
    expect((await w.page('en')).nextStep.text).toBe(
      'The work is under way and planned to be finished in week 8, 2099.',
    );
    await progressTaskById(t.db, w.actor, taskId, 'finish');
    expect((await w.page()).nextStep).toMatchObject({ key: 'repair_finished', waitingFor: 'company' });
    await changeCaseStatus(t.db, w.actor, w.caseId, 'close', {});
    expect((await w.page()).nextStep).toEqual({
      key: 'closed',
      waitingFor: null,
      text: 'Saken er avsluttet.',
    });
  });

  it('keeps a rejection internal by default; shows its date and the company text once chosen', async () => {
    const w = await world();
    await decideClaim(t.db, w.actor, w.caseId, { decision: 'rejected' });
    const hidden = await w.page();
    expect(hidden.nextStep).toMatchObject({ key: 'decision_made', waitingFor: 'company' });
    expect(hidden.rejection).toBeNull();
    for (const secret of ['rejected', 'avslått', 'Avslått', 'klage'])
      expect(hidden.raw).not.toContain(secret);

    await changeSettings(w.staff.cookie, {
      showDecisionOutcome: true,
      reconsiderationText: { nb: 'Skriv til klageansvarlig innen 6 måneder.', en: '' },
    });
    const decidedAt = (await getCase(t.db, w.actor, w.caseId)).claimDecisionAt;
    const shown = await w.page();
    expect(shown.nextStep).toMatchObject({ key: 'rejected', waitingFor: 'customer' });
    expect(shown.rejection).toEqual({ decidedAt, text: 'Skriv til klageansvarlig innen 6 måneder.' });
    // English was left empty: the default in English.
    expect((await w.page('en')).rejection?.text).toMatch(/^If you disagree with the decision/);

    // "Needs more information" waits on the customer when outcomes are shown.
    await decideClaim(t.db, w.actor, w.caseId, { decision: 'needs_more_information' });
    const more = await w.page();
    expect(more.nextStep).toMatchObject({ key: 'more_information', waitingFor: 'customer' });
    expect(more.rejection).toBeNull();
  });

  it('two admins saving wordings at once: each save is whole, audited, and the page shows the last', async () => {
    const w = await world();
    const other = await signedInUser(t.app, t.db, { companyId: w.staff.companyId, level: 6 });
    const current = (
      await t.app.inject({ method: 'GET', url: PAGE, headers: browserHeaders(w.staff.cookie) })
    ).json() as object;
    const first = { ...emptyNextStepTexts, inspection_assignment: { nb: 'Første tekst', en: 'First text' } };
    const second = { ...emptyNextStepTexts, inspection_assignment: { nb: 'Andre tekst', en: 'Second text' } };
    const [a, b] = await Promise.all([
      putSettings(w.staff.cookie, { ...current, nextStepTexts: first }),
      putSettings(other.cookie, { ...current, nextStepTexts: second }),
    ]);
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    const saved = (
      await t.app.inject({ method: 'GET', url: PAGE, headers: browserHeaders(w.staff.cookie) })
    ).json() as {
      nextStepTexts: typeof first;
    };
    // One of the two, never a mix of both.
    expect([first, second]).toContainEqual(saved.nextStepTexts);
    const page = await w.page('en');
    expect(page.nextStep.text).toBe(saved.nextStepTexts.inspection_assignment.en);
    const audit = (
      await t.app.inject({ method: 'GET', url: `${PAGE}/audit`, headers: browserHeaders(w.staff.cookie) })
    ).json() as { items: Array<{ setting: string }> };
    expect(audit.items.filter((item) => item.setting === 'nextStepTexts')).toHaveLength(2);
  });

  it('a stored page with a dated step is rebuilt at the next Oslo midnight', async () => {
    const w = await world();
    await decideClaim(t.db, w.actor, w.caseId, { decision: 'accepted' });
    const { id: taskId } = await createTask(t.db, w.actor, w.caseId, { name: 'Maling' });
    await updateTask(t.db, w.actor, taskId, { startsOn: '2099-01-14' });
    // 13 January 2099, 12:00 in Oslo (winter time): the step changes at midnight, 23:00 UTC.
    const view = await buildCustomerPage(
      t.db,
      { companyId: w.staff.companyId, caseId: w.caseId },
      'nb',
      new Date('2099-01-13T11:00:00Z'),
    );
    expect(view.changesAt).toBe('2099-01-13T23:00:00.000Z');
    expect(view.model?.nextStep.text).toBe('Arbeidet er planlagt å starte i uke 3.');
    // The day after the start date, a start not yet made is no promise any more.
    const later = await buildCustomerPage(
      t.db,
      { companyId: w.staff.companyId, caseId: w.caseId },
      'nb',
      new Date('2099-01-15T11:00:00Z'),
    );
    expect(later.model?.nextStep.key).toBe('repair_planning');
  });
});
