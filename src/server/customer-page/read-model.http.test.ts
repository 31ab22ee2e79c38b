import { describe, expect, it } from 'vitest';
import { defaultColors, type CustomerPageSettings } from '../../common/rules/customer-page-settings.ts';
import {
  customerGet,
  deliver,
  linkIn,
  openCustomerLink,
  saveSettings,
  uniquePhone,
  uniqueSuffix,
} from '../../../test/support/customer.ts';
import { makeActor, makeCase } from '../../../test/support/factory.ts';
import { useSinks } from '../../../test/support/sinks.ts';
import { useTestApp } from '../../../test/support/test-app.ts';
import { changeCaseStatus, updateCase } from '../cases/cases.ts';
import { updateOwnCompany } from '../companies/companies.ts';
import { replaceBudget } from '../economy/economy.ts';
import { createTask, updateTask } from '../tasks/tasks.ts';
import { updateUser } from '../users/users.ts';
import { CUSTOMER_PAGE_FORMAT, customerPageBody } from './read-model.ts';

// The customer page's read model (issue 13): the stored answer is sent only while it shows what the
// database holds. Every kind of change — of the case, of the company's settings, name or users, and
// of the clock — is followed by a read that must show it.

const sinks = useSinks();
const t = useTestApp(sinks.env);

interface PageBody {
  state: string;
  model: {
    company: { name: string };
    colors: { headingText: string };
    case: { caseHandler: { name: string } | null };
    plan: Array<{ taskName: string }>;
    budget: { lines: Array<{ description: string }> };
  } | null;
  visibility: { caseInfo: { contactForMoreInfo: string | null } } | null;
  session: { company: { name: string } | null };
}

/** A company, a case with a case handler, its customer signed in on the page. */
async function world(settings: Partial<CustomerPageSettings> = {}) {
  const admin = await makeActor(t.db, { level: 6 });
  await saveSettings(t.db, admin.companyId, {
    sendLink: 'case_created',
    showBudget: 'case_created',
    showCaseHandler: true,
    ...settings,
  });
  const s = uniqueSuffix();
  const email = `kunde-${s}@example.test`;
  const { id: caseId } = await makeCase(t.db, admin, {
    caseHandlerId: admin.userId,
    customer: { name: `Kunde ${s}`, email, phone: uniquePhone() },
  });
  await deliver(t);
  const mail = sinks.mails.find((m) => m.to.includes(email));
  if (!mail) throw new Error('no link e-mail');
  const opened = await openCustomerLink(t.app, linkIn(mail.text));
  if (!opened.cookie) throw new Error('no customer session');
  const cookie = opened.cookie;
  const read = async (headers: Record<string, string> = {}) => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/customer/page?lang=nb',
      headers: { cookie, ...headers },
    });
    return { response, body: response.statusCode === 200 ? (response.json() as PageBody) : null };
  };
  const access = await t.db
    .selectFrom('customer_access')
    .select('id')
    .where('case_id', '=', caseId)
    .executeTakeFirstOrThrow();
  return { admin, caseId, s, cookie, read, accessId: access.id };
}

const versionsOf = async (caseId: string) => {
  const row = await t.db
    .selectFrom('cases as c')
    .innerJoin('companies as co', 'co.id', 'c.company_id')
    .select(['c.version', 'co.page_version'])
    .where('c.id', '=', caseId)
    .executeTakeFirstOrThrow();
  return { caseVersion: Number(row.version), companyVersion: Number(row.page_version) };
};

describe('customer page read model', () => {
  it('tags the answer, answers 304 to its tag, and a new tag with the change after a case change', async () => {
    const w = await world();
    const first = await w.read();
    const tag = first.response.headers.etag;
    expect(tag).toMatch(/^"[\w-]+\.[\w-]+"$/);
    expect(first.response.headers['cache-control']).toBe('no-store');

    const again = await w.read({ 'if-none-match': String(tag) });
    expect(again.response.statusCode).toBe(304);
    expect(again.response.body).toBe('');

    await replaceBudget(t.db, w.admin, w.caseId, {
      lines: [{ description: `Maling ${w.s}`, amountOre: 500_00 }],
    });
    const changed = await w.read({ 'if-none-match': String(tag) });
    expect(changed.response.statusCode).toBe(200);
    expect(changed.response.headers.etag).not.toBe(tag);
    expect(changed.body?.model?.budget.lines.map((line) => line.description)).toEqual([`Maling ${w.s}`]);
    // The same answer byte for byte as long as nothing changes.
    expect((await w.read()).response.body).toBe(changed.response.body);
  });

  it("shows the case's own edits on the next read (another case handler)", async () => {
    const w = await world();
    await w.read();
    const other = await makeActor(t.db, { companyId: w.admin.companyId, level: 2 });
    await updateUser(t.db, w.admin, other.userId, { name: `Annen ${w.s}` });
    await updateCase(t.db, w.admin, w.caseId, { caseHandlerId: other.userId });
    expect((await w.read()).body?.model?.case.caseHandler?.name).toBe(`Annen ${w.s}`);
  });

  it("shows a change of the company's settings, name and case handler on the next read", async () => {
    const w = await world();
    expect((await w.read()).body?.model?.case.caseHandler).not.toBeNull();

    await saveSettings(t.db, w.admin.companyId, {
      showBudget: 'case_created',
      contactForMoreInfo: `Ring ${w.s}`,
      colors: { ...defaultColors, headingText: '#123456' },
    });
    const afterSettings = (await w.read()).body;
    expect(afterSettings?.visibility?.caseInfo.contactForMoreInfo).toBe(`Ring ${w.s}`);
    expect(afterSettings?.model?.colors.headingText).toBe('#123456');

    await updateOwnCompany(t.db, w.admin, { name: `Nytt navn ${w.s}` });
    const afterRename = (await w.read()).body;
    expect(afterRename?.model?.company.name).toBe(`Nytt navn ${w.s}`);
    expect(afterRename?.session.company?.name).toBe(`Nytt navn ${w.s}`);

    await updateUser(t.db, w.admin, w.admin.userId, { name: `Saksbehandler ${w.s}` });
    expect((await w.read()).body?.model?.case.caseHandler?.name).toBe(`Saksbehandler ${w.s}`);

    // Hiding the case handler is a settings change too.
    await saveSettings(t.db, w.admin.companyId, { showBudget: 'case_created', showCaseHandler: false });
    expect((await w.read()).body?.model?.case.caseHandler).toBeNull();
  });

  it('takes a meeting off the plan once its time has passed, with no change of the case', async () => {
    const w = await world({ showPlanOnDashboard: true });
    const meetingAt = new Date(Date.now() + 3_600_000).toISOString();
    const { id: taskId } = await createTask(t.db, w.admin, w.caseId, { name: `Befaring ${w.s}` });
    await updateTask(t.db, w.admin, taskId, { meetingAt });
    const scope = {
      companyId: w.admin.companyId,
      caseId: w.caseId,
      accessId: w.accessId,
      ...(await versionsOf(w.caseId)),
    };

    const planOf = (page: { body: string } | null) =>
      (JSON.parse(page?.body ?? '{}') as { model: PageBody['model'] }).model?.plan.map(
        (item) => item.taskName,
      );
    const now = await customerPageBody(t.db, scope, 'nb', new Date());
    expect(planOf(now)).toEqual([`Befaring ${w.s}`]);
    // Stored: the same page until the meeting.
    const later = await customerPageBody(t.db, scope, 'nb', new Date(Date.now() + 1_800_000));
    expect(later?.etag).toBe(now?.etag);
    const after = await customerPageBody(t.db, scope, 'nb', new Date(Date.now() + 2 * 3_600_000));
    expect(planOf(after)).toEqual([]);
    expect(after?.etag).not.toBe(now?.etag);
  });

  it('refuses a stored page once the case is past its window after closing', async () => {
    const w = await world({ visibleDaysAfterClose: 5 });
    await changeCaseStatus(t.db, w.admin, w.caseId, 'close');
    expect((await w.read()).body?.state).toBe('ok');
    // Time passes: the case was closed 30 days ago (the stored page's stamps still match).
    const longAgo = new Date(Date.now() - 30 * 86_400_000).toISOString();
    await t.db.updateTable('cases').set({ closed_at: longAgo }).where('id', '=', w.caseId).execute();
    const late = await w.read();
    expect(late.body?.state).toBe('unavailable');
    expect(late.body?.model).toBeNull();
  });

  it('never lets a page built from older versions replace a newer stored page', async () => {
    const w = await world();
    const current = await versionsOf(w.caseId);
    const scope = { companyId: w.admin.companyId, caseId: w.caseId, accessId: w.accessId };
    await customerPageBody(t.db, { ...scope, ...current }, 'nb');
    // A slow reader that read the versions before the last change stores nothing over the newer page.
    await customerPageBody(t.db, { ...scope, ...current, caseVersion: current.caseVersion - 1 }, 'nb');
    const stored = await t.db
      .selectFrom('customer_page_models')
      .select(['case_version', 'company_version'])
      .where('case_id', '=', w.caseId)
      .where('language', '=', 'nb')
      .executeTakeFirstOrThrow();
    expect(Number(stored.case_version)).toBe(current.caseVersion);
  });

  it('builds again a page stored by an earlier format of the presenter (a deploy is seen at once)', async () => {
    const w = await world();
    const scope = { companyId: w.admin.companyId, caseId: w.caseId, accessId: w.accessId };
    const versions = await versionsOf(w.caseId);
    const built = await customerPageBody(t.db, { ...scope, ...versions }, 'nb');
    // As the code before this format stored it: same versions, a different answer.
    const earlier = built!.body.replace('"model":{', '"model":{"storedByEarlierCode":true,');
    expect(earlier).not.toBe(built!.body);
    await t.db
      .updateTable('customer_page_models')
      .set({ format: CUSTOMER_PAGE_FORMAT - 1, body: earlier })
      .where('case_id', '=', w.caseId)
      .execute();
    // Read through a transaction: the process's copy of lately read rows is not used there.
    const read = await t.db
      .transaction()
      .execute((trx) => customerPageBody(trx, { ...scope, ...versions }, 'nb'));
    expect(read?.body).toBe(built?.body);
    const stored = await t.db
      .selectFrom('customer_page_models')
      .select(['format', 'body'])
      .where('case_id', '=', w.caseId)
      .executeTakeFirstOrThrow();
    expect({ format: Number(stored.format), body: stored.body }).toEqual({
      format: CUSTOMER_PAGE_FORMAT,
      body: built?.body,
    });
  });

  it('keeps one stored page per language', async () => {
    const w = await world();
    expect((await customerGet(t.app, '/api/customer/page?lang=nb', w.cookie)).statusCode).toBe(200);
    expect((await customerGet(t.app, '/api/customer/page?lang=en', w.cookie)).statusCode).toBe(200);
    const rows = await t.db
      .selectFrom('customer_page_models')
      .select('language')
      .where('case_id', '=', w.caseId)
      .orderBy('language')
      .execute();
    expect(rows.map((row) => row.language)).toEqual(['en', 'nb']);
  });
});
