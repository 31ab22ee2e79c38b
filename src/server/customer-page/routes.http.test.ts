import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { CustomerPageSettings } from '../../common/rules/customer-page-settings.ts';
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
import { changeCaseStatus, decideClaim } from '../cases/cases.ts';
import { replaceBudget } from '../economy/economy.ts';
import { assignMainInspection, createTask } from '../tasks/tasks.ts';

// The customer page's API: GET /api/customer/page and the customer's document download, for the
// case of the customer session only, with nothing the visibility rules hide.

const sinks = useSinks();
const t = useTestApp(sinks.env);

const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n' +
    '2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n' +
    'trailer\n<< /Root 1 0 R >>\n%%EOF\n',
);
const CONTACT_TEXT = 'Ring oss på 22 00 00 00.';

/** A multipart/form-data upload of one PDF as a browser sends it. */
function uploadBody(kind: string, fileName: string) {
  const boundary = `----kundeside${randomBytes(8).toString('hex')}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\n${kind}\r\n`),
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\n` +
        'Content-Type: application/pdf\r\n\r\n',
    ),
    PDF,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, contentType: `multipart/form-data; boundary=${boundary}` };
}

/** A company with `settings`, a case whose customer opened the link, a report and a shared document. */
async function world(settings: Partial<CustomerPageSettings> = {}) {
  const staff = await signedInUser(t.app, t.db, { level: 6 });
  await saveSettings(t.db, staff.companyId, {
    sendLink: 'case_created',
    accessFor: 'customer',
    contactForMoreInfo: CONTACT_TEXT,
    ...settings,
  });
  const actor = await makeActor(t.db, { companyId: staff.companyId, level: 6 });
  const s = uniqueSuffix();
  const email = `kunde-${s}@example.test`;
  const claimNumber = `SK-${s}`;
  const { id: caseId } = await makeCase(t.db, actor, {
    claimNumber,
    customer: { name: `Kunde ${s}`, email, phone: uniquePhone() },
  });
  await replaceBudget(t.db, actor, caseId, { lines: [{ description: `Budsjett ${s}`, amountOre: 100_00 }] });
  const upload = async (kind: string, fileName: string) => {
    const { payload, contentType } = uploadBody(kind, fileName);
    const response = await t.app.inject({
      method: 'POST',
      url: `/api/cases/${caseId}/documents`,
      headers: { ...browserHeaders(staff.cookie), 'content-type': contentType },
      payload,
    });
    expect(response.statusCode, response.body).toBe(201);
    return (response.json() as { id: string }).id;
  };
  const reportId = await upload('inspection_report', 'Besiktigelse.pdf');
  const sharedId = await upload('other', 'Tilbud bad æøå.pdf');
  const privateId = await upload('other', 'Intern.pdf');
  const share = await t.app.inject({
    method: 'POST',
    url: `/api/cases/${caseId}/documents/share`,
    headers: browserHeaders(staff.cookie),
    payload: { documentIds: [sharedId] },
  });
  expect(share.statusCode, share.body).toBe(200);
  await deliver(t);
  const mail = sinks.mails.find((m) => m.to.includes(email));
  if (!mail) throw new Error('no link e-mail');
  const opened = await openCustomerLink(t.app, linkIn(mail.text));
  if (!opened.cookie) throw new Error('no customer session');
  return { staff, actor, caseId, claimNumber, s, reportId, sharedId, privateId, cookie: opened.cookie };
}

const download = (id: string, cookie: string | null) =>
  customerGet(t.app, `/api/customer/documents/${id}/download`, cookie);

describe('customer page API', () => {
  it('answers 401 without a customer session, on the page and on a download', async () => {
    expect((await customerGet(t.app, '/api/customer/page', null)).statusCode).toBe(401);
    expect((await download('doc-x', null)).statusCode).toBe(401);
  });

  it("returns the session case's page, not cached, without a hidden tab's data", async () => {
    const w = await world({ showBudget: 'never' });
    const response = await customerGet(t.app, '/api/customer/page?lang=en', w.cookie);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    const body = response.json() as {
      state: string;
      visibility: { tabs: { budget: boolean; documents: boolean } };
      model: { case: { claimNumber: string }; budget: { lines: unknown[] } };
    };
    expect(body.state).toBe('ok');
    expect(body.model.case.claimNumber).toBe(w.claimNumber);
    expect(body.visibility.tabs).toMatchObject({ budget: false, documents: true });
    expect(body.model.budget.lines).toEqual([]);
    expect(response.body).not.toContain(`Budsjett ${w.s}`);
    expect(response.body).not.toContain('Intern.pdf');
    expect(response.body).not.toContain(w.privateId);
    expect((await customerGet(t.app, '/api/customer/page?lang=de', w.cookie)).statusCode).toBe(400);
  });

  it('shows the budget once its trigger is reached', async () => {
    const w = await world({ showBudget: 'case_created' });
    const response = await customerGet(t.app, '/api/customer/page', w.cookie);
    expect(response.body).toContain(`Budsjett ${w.s}`);
  });

  it('downloads a shared document as an attachment with the staff download headers', async () => {
    const w = await world();
    const response = await download(w.sharedId, w.cookie);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.rawPayload.equals(PDF)).toBe(true);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['content-disposition']).toMatch(
      /^attachment; filename="[^"]+"; filename\*=UTF-8''/,
    );
    expect(response.headers['content-disposition']).toContain("UTF-8''Tilbud%20bad%20%C3%A6%C3%B8%C3%A5.pdf");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toBe("sandbox; default-src 'none'");
    expect(response.headers['cache-control']).toBe('private, no-store');
    expect((await download(w.privateId, w.cookie)).statusCode).toBe(404);
    expect((await download('no-such-document', w.cookie)).statusCode).toBe(404);
  });

  it('downloads the inspection report only after its trigger (404 before)', async () => {
    const w = await world({ showInspectionReport: 'main_inspection_assigned' });
    expect((await download(w.reportId, w.cookie)).statusCode).toBe(404);
    const partner = await makePartnerWithOffice(t.db, w.staff.companyId);
    await assignMainInspection(t.db, w.actor, w.caseId, { officeId: partner.officeId });
    const response = await download(w.reportId, w.cookie);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-disposition']).toContain('Besiktigelse.pdf');
  });

  it("never gives one case's customer the documents of another case (404)", async () => {
    const a = await world();
    const b = await world();
    expect((await download(b.sharedId, a.cookie)).statusCode).toBe(404);
    expect((await download(a.sharedId, b.cookie)).statusCode).toBe(404);
    const page = await customerGet(t.app, '/api/customer/page', a.cookie);
    expect(page.body).not.toContain(b.claimNumber);
  });

  it('answers 403 while the SMS code is required, and the unavailable answer without case data', async () => {
    const coded = await world({ smsSecurityCode: true });
    const forbidden = await customerGet(t.app, '/api/customer/page', coded.cookie);
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.body).not.toContain(coded.claimNumber);
    expect((await download(coded.sharedId, coded.cookie)).statusCode).toBe(403);

    const w = await world();
    await changeCaseStatus(t.db, w.actor, w.caseId, 'cancel', { reason: 'Feilregistrert' });
    const response = await customerGet(t.app, '/api/customer/page', w.cookie);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      state: 'unavailable',
      visibility: null,
      model: null,
      session: { state: 'unavailable', contactForMoreInfo: CONTACT_TEXT },
    });
    for (const secret of [w.claimNumber, w.caseId, `Kunde ${w.s}`])
      expect(response.body).not.toContain(secret);
    expect((await download(w.sharedId, w.cookie)).statusCode).toBe(403);
  });

  it('returns exactly the tabs, news kinds and documents of a configuration at each milestone', async () => {
    const w = await world({
      showNews: 'main_inspection_assigned',
      newsFilter: ['claim_decision', 'tasks_added'],
      showProjectPlan: 'case_created',
      showCommunication: 'never',
      showDocuments: 'main_inspection_assigned',
      showInspectionReport: 'main_inspection_assigned',
      showBudget: 'positive_decision',
    });
    await createTask(t.db, w.actor, w.caseId, { name: `Oppgave ${w.s}` });
    type Page = {
      visibility: { news: boolean; tabs: Record<string, boolean> };
      model: {
        news: { items: Array<{ kind: string }> };
        tasks: Array<{ name: string }>;
        documents: { inspectionReport: { id: string } | null; shared: Array<{ id: string }> };
        budget: { lines: unknown[] };
        messages: { items: unknown[] };
      };
    };
    const read = async () => {
      const response = await customerGet(t.app, '/api/customer/page', w.cookie);
      expect(response.statusCode, response.body).toBe(200);
      return { body: response.body, page: response.json() as Page };
    };
    const summary = ({ page }: { page: Page }) => ({
      tabs: page.visibility.tabs,
      news: page.model.news.items.map((item) => item.kind).sort(),
      tasks: page.model.tasks.length,
      report: page.model.documents.inspectionReport?.id ?? null,
      shared: page.model.documents.shared.map((doc) => doc.id),
      budget: page.model.budget.lines.length,
      messages: page.model.messages.items.length,
    });

    const created = await read();
    expect(summary(created)).toEqual({
      tabs: { projectPlan: true, communication: false, documents: false, budget: false },
      news: [],
      tasks: 1,
      report: null,
      shared: [],
      budget: 0,
      messages: 0,
    });
    expect(created.body).not.toContain(w.sharedId);

    const partner = await makePartnerWithOffice(t.db, w.staff.companyId);
    await assignMainInspection(t.db, w.actor, w.caseId, { officeId: partner.officeId });
    expect(summary(await read())).toEqual({
      tabs: { projectPlan: true, communication: false, documents: true, budget: false },
      news: ['tasks_added'],
      tasks: 1,
      report: w.reportId,
      shared: [w.sharedId],
      budget: 0,
      messages: 0,
    });

    await decideClaim(t.db, w.actor, w.caseId, { decision: 'accepted' });
    const decided = await read();
    expect(summary(decided)).toEqual({
      tabs: { projectPlan: true, communication: false, documents: true, budget: true },
      news: ['claim_decision', 'tasks_added'],
      tasks: 1,
      report: w.reportId,
      shared: [w.sharedId],
      budget: 1,
      messages: 0,
    });
    expect(decided.body).not.toContain('accepted');
    expect(decided.body).not.toContain(w.privateId);
  });
});
