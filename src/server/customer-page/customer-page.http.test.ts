import { describe, expect, it } from 'vitest';
import {
  defaultCustomerPageSettings,
  type CustomerPageSettings,
} from '../../common/rules/customer-page-settings.ts';
import { makeActor, makeCase, makePartnerWithOffice } from '../../../test/support/factory.ts';
import { useTestApp } from '../../../test/support/test-app.ts';
import { changeCaseStatus, decideClaim } from '../cases/cases.ts';
import { saveCustomerPageSettings } from '../customer-page-config/customer-page-config.ts';
import { replaceBudget } from '../economy/economy.ts';
import { assignMainInspection, createTask, updateTask } from '../tasks/tasks.ts';
import { buildCustomerPage } from './customer-page.ts';

const t = useTestApp();

/** A company with the given settings, an admin actor, and one case with a budget and a task. */
async function world(settings: Partial<CustomerPageSettings> = {}) {
  const admin = await makeActor(t.db, { level: 6 });
  await saveCustomerPageSettings(t.db, admin, {
    ...structuredClone(defaultCustomerPageSettings),
    ...settings,
  });
  const { id: caseId } = await makeCase(t.db, admin);
  const partner = await makePartnerWithOffice(t.db, admin.companyId);
  await replaceBudget(t.db, admin, caseId, { lines: [{ description: 'Nytt bad', amountOre: 12_345_00 }] });
  const { id: taskId } = await createTask(t.db, admin, caseId, {
    name: 'Riving',
    description: 'Fliser fjernes',
  });
  await updateTask(t.db, admin, taskId, { officeId: partner.officeId, meetingAt: '2099-01-02T09:00:00Z' });
  const scope = { companyId: admin.companyId, caseId };
  return { admin, caseId, taskId, partner, scope };
}

describe('customer page presenter', () => {
  it('sends nothing of a tab the rules hide, and the tab once its trigger is reached', async () => {
    const w = await world({ showBudget: 'positive_decision', showProjectPlan: 'main_inspection_assigned' });
    const before = await buildCustomerPage(t.db, w.scope, 'nb');
    expect(before.visibility.tabs).toMatchObject({ budget: false, projectPlan: false });
    expect(before.model?.budget.lines).toEqual([]);
    expect(before.model?.tasks).toEqual([]);
    expect(JSON.stringify(before.model)).not.toContain('Nytt bad');
    expect(JSON.stringify(before.model)).not.toContain('Fliser fjernes');

    await assignMainInspection(t.db, w.admin, w.caseId, { officeId: w.partner.officeId });
    const inspected = await buildCustomerPage(t.db, w.scope, 'nb');
    expect(inspected.visibility.tabs).toMatchObject({ budget: false, projectPlan: true });
    expect(inspected.model?.tasks.map((task) => task.name)).toEqual(['Riving']);

    await decideClaim(t.db, w.admin, w.caseId, { decision: 'accepted' });
    const decided = await buildCustomerPage(t.db, w.scope, 'nb');
    expect(decided.model?.budget.lines).toEqual([
      { id: expect.any(String), description: 'Nytt bad', amountOre: 1_234_500 },
    ]);
  });

  it('redacts the news: no decision outcome, closing comment or reopening reason', async () => {
    const w = await world({ newsFilter: ['claim_decision', 'case_closed', 'case_reopened', 'tasks_added'] });
    await decideClaim(t.db, w.admin, w.caseId, { decision: 'rejected' });
    await changeCaseStatus(t.db, w.admin, w.caseId, 'close', { comment: 'HEMMELIG-KOMMENTAR' });
    await changeCaseStatus(t.db, w.admin, w.caseId, 'reopen', { reason: 'HEMMELIG-GRUNN' });
    const { model } = await buildCustomerPage(t.db, w.scope, 'nb');
    const json = JSON.stringify(model);
    for (const secret of ['HEMMELIG', 'rejected', 'internal']) expect(json).not.toContain(secret);
    expect(model?.news.items.map((item) => item.kind)).toEqual([
      'case_reopened',
      'case_closed',
      'claim_decision',
      'tasks_added',
    ]);
    expect(model?.news.items[0]?.text).toMatch(/^Test Forsikring \w+: Gjenåpnet saken$/);
    expect(model?.news.items[2]?.text).toBe('Det er tatt en beslutning i saken');
  });

  it('shows only the news kinds of the filter, and none when the news section is off', async () => {
    const w = await world({ newsFilter: ['task_office_assigned'] });
    const { model } = await buildCustomerPage(t.db, w.scope, 'en');
    expect(model?.news.items.map((item) => item.kind)).toEqual(['task_office_assigned']);
    expect(model?.news.items[0]?.text).toMatch(/^Riving was assigned to Office /);

    const hidden = await world({ showNews: 'never', newsFilter: ['task_office_assigned'] });
    expect((await buildCustomerPage(t.db, hidden.scope, 'en')).model?.news).toEqual({
      items: [],
      total: 0,
      page: 1,
      pageSize: 30,
    });
  });

  it("shows the case handler's phone only when configured, and partner contacts only when configured", async () => {
    const quiet = await world({
      showCaseHandler: true,
      showCaseHandlerPhone: false,
      showPartnerContact: false,
    });
    const q = (await buildCustomerPage(t.db, quiet.scope, 'nb')).model;
    expect(q?.case.caseHandler).toEqual({ name: expect.any(String), phone: null });
    expect(q?.case.partnerContacts).toEqual([]);

    const open = await world({ showCaseHandler: true, showCaseHandlerPhone: true, showPartnerContact: true });
    const o = (await buildCustomerPage(t.db, open.scope, 'nb')).model;
    expect(o?.case.partnerContacts).toEqual([
      { office: expect.stringMatching(/^Office /), person: null, phone: '+4722000000', taskName: 'Riving' },
    ]);

    // The same partner on a second repair task is one contact naming both tasks, not two entries.
    const { id: second } = await createTask(t.db, open.admin, open.caseId, { name: 'Nytt bad' });
    await updateTask(t.db, open.admin, second, { officeId: open.partner.officeId });
    const twice = (await buildCustomerPage(t.db, open.scope, 'nb')).model;
    expect(twice?.case.partnerContacts).toEqual([
      {
        office: expect.stringMatching(/^Office /),
        person: null,
        phone: '+4722000000',
        taskName: 'Riving, Nytt bad',
      },
    ]);
  });

  it('lists upcoming meetings on the dashboard only with "show plan on dashboard"', async () => {
    const on = await world({ showPlanOnDashboard: true });
    expect((await buildCustomerPage(t.db, on.scope, 'nb')).model?.plan).toEqual([
      {
        id: on.taskId,
        taskName: 'Riving',
        meetingAt: '2099-01-02T09:00:00.000Z',
        partner: expect.any(String),
        responsible: null,
      },
    ]);
    const off = await world({ showPlanOnDashboard: false });
    expect((await buildCustomerPage(t.db, off.scope, 'nb')).model?.plan).toEqual([]);
  });

  it('sends no case data once a closed case passes its window, and again after reopening', async () => {
    const w = await world({ visibleDaysAfterClose: 2 });
    await changeCaseStatus(t.db, w.admin, w.caseId, 'close', {});
    const soon = await buildCustomerPage(t.db, w.scope, 'nb', new Date(Date.now() + 86_400_000));
    expect(soon.model).not.toBeNull();
    const late = await buildCustomerPage(t.db, w.scope, 'nb', new Date(Date.now() + 5 * 86_400_000));
    expect(late).toEqual({ visibility: expect.objectContaining({ reachable: false }), model: null });
    await changeCaseStatus(t.db, w.admin, w.caseId, 'reopen', {});
    expect(
      (await buildCustomerPage(t.db, w.scope, 'nb', new Date(Date.now() + 5 * 86_400_000))).model,
    ).not.toBeNull();
  });

  it('answers 404 for a case of another company', async () => {
    const w = await world();
    const other = await makeActor(t.db, { level: 6 });
    await expect(
      buildCustomerPage(t.db, { companyId: other.companyId, caseId: w.caseId }, 'nb'),
    ).rejects.toThrow('Not found');
  });
});
