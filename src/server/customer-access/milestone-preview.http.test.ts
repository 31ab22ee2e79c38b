import { describe, expect, it } from 'vitest';
import type { MilestonePreviewView } from '../../common/contracts/milestone-preview-api.ts';
import type { CustomerPageSettings } from '../../common/rules/customer-page-settings.ts';
import { saveSettings, uniquePhone, uniqueSuffix } from '../../../test/support/customer.ts';
import { browserHeaders, makePartnerWithOffice, signedInUser } from '../../../test/support/factory.ts';
import { multipart, PDF } from '../../../test/support/multipart.ts';
import { useTestApp } from '../../../test/support/test-app.ts';

// The milestone preview (issue 16 item 3): before accepting a claim or assigning the main
// inspection, staff see what the customer will newly see, the reports it shares and who gets the
// link — and the step then does exactly that.

const t = useTestApp();

/** Settings that open nothing at a milestone and send no link automatically. */
const opensNothing: Partial<CustomerPageSettings> = {
  sendLink: 'manual',
  showBudget: 'never',
  showNews: 'case_created',
  showProjectPlan: 'case_created',
  showCommunication: 'case_created',
  showDocuments: 'case_created',
  showInspectionReport: 'never',
  showSettlementReport: 'never',
};

/** A company with `settings` and a case with a customer (both channels) and a contact person (e-mail). */
async function world(settings: Partial<CustomerPageSettings>, level = 2) {
  const staff = await signedInUser(t.app, t.db, { level });
  await saveSettings(t.db, staff.companyId, settings);
  const headers = browserHeaders(staff.cookie);
  const s = uniqueSuffix();
  const customer = { name: `Kari Kunde ${s}`, email: `kunde-${s}@example.test`, phone: uniquePhone() };
  const contact = { name: `Per Kontakt ${s}`, email: `kontakt-${s}@example.test` };
  const created = await t.app.inject({
    method: 'POST',
    url: '/api/cases',
    headers,
    payload: {
      claimNumber: `SK-${s}`,
      address: { street: 'Markveien 40', postalCode: '0554', city: 'Oslo' },
      customer,
      contacts: [{ ...contact, role: 'contact_person' }],
    },
  });
  expect(created.statusCode, created.body).toBe(201);
  const caseId = (created.json() as { id: string }).id;
  const preview = (step: string, cookie = staff.cookie, id = caseId) =>
    t.app.inject({
      method: 'GET',
      url: `/api/cases/${id}/milestone-preview?step=${step}`,
      headers: browserHeaders(cookie),
    });
  const previewOk = async (step: string) => {
    const response = await preview(step);
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as MilestonePreviewView;
  };
  const accept = async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: `/api/cases/${caseId}/claim-decision`,
      headers,
      payload: { decision: 'accepted' },
    });
    expect(response.statusCode, response.body).toBe(200);
  };
  const upload = async (fileName: string, kind: string) => {
    const body = multipart([
      { name: 'kind', value: kind },
      { name: 'file', filename: fileName, content: PDF },
    ]);
    const response = await t.app.inject({
      method: 'POST',
      url: `/api/cases/${caseId}/documents`,
      headers: { ...headers, 'content-type': body.contentType },
      payload: body.payload,
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json() as { id: string };
  };
  const grantedNames = async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: `/api/cases/${caseId}/customer-access`,
      headers,
    });
    const people = (response.json() as { people: Array<{ name: string; state: string }> }).people;
    return people.filter((p) => p.state === 'active').map((p) => p.name);
  };
  return { staff, headers, caseId, customer, contact, preview, previewOk, accept, upload, grantedNames };
}

describe('GET /api/cases/:id/milestone-preview', () => {
  it('401 signed out, 400 for an unknown step, 403 below the step’s level, 404 for another company’s case', async () => {
    const w = await world(opensNothing);
    const signedOut = await t.app.inject({
      method: 'GET',
      url: `/api/cases/${w.caseId}/milestone-preview?step=accept_claim`,
    });
    expect(signedOut.statusCode).toBe(401);
    expect((await w.preview('close')).statusCode).toBe(400);
    expect((await w.preview('accept_claim&extra=1')).statusCode).toBe(400);

    // Level 1 may assign the main inspection but not decide the claim.
    const levelOne = await signedInUser(t.app, t.db, { companyId: w.staff.companyId, level: 1 });
    expect((await w.preview('accept_claim', levelOne.cookie)).statusCode).toBe(403);
    expect((await w.preview('assign_main_inspection', levelOne.cookie)).statusCode).toBe(200);

    const stranger = await signedInUser(t.app, t.db, { level: 6 });
    const foreign = await w.preview('accept_claim', stranger.cookie);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.body).not.toContain(w.customer.name);
  });

  it('a company whose settings open nothing at the decision lists nothing', async () => {
    const w = await world(opensNothing);
    expect(await w.previewOk('accept_claim')).toEqual({
      step: 'accept_claim',
      movesMilestone: true,
      newlyVisible: [],
      reportsShared: [],
      notified: [],
    });
  });

  it('accepting the claim lists the budget, the settlement report, its file and the people who get the link — and the step does that', async () => {
    const w = await world({
      ...opensNothing,
      accessFor: 'both',
      sendLink: 'positive_decision',
      showBudget: 'positive_decision',
      showProjectPlan: 'positive_decision',
      showSettlementReport: 'positive_decision',
    });
    const report = await w.upload('Oppgjør.pdf', 'customer_settlement_report');
    const preview = await w.previewOk('accept_claim');
    expect(preview.movesMilestone).toBe(true);
    expect(preview.newlyVisible).toEqual(['projectPlan', 'budget', 'settlementReport']);
    expect(preview.reportsShared).toEqual([
      { id: report.id, fileName: 'Oppgjør.pdf', report: 'settlementReport' },
    ]);
    expect(preview.notified).toEqual([
      {
        contactId: expect.any(String),
        name: w.customer.name,
        channels: [
          { channel: 'email', recipient: w.customer.email },
          { channel: 'sms', recipient: w.customer.phone },
        ],
      },
      {
        contactId: expect.any(String),
        name: w.contact.name,
        channels: [{ channel: 'email', recipient: w.contact.email }],
      },
    ]);
    // The preview wrote nothing; the step grants exactly the people it named.
    expect(await w.grantedNames()).toEqual([]);
    await w.accept();
    expect((await w.grantedNames()).sort()).toEqual([w.contact.name, w.customer.name].sort());

    // Once reached, the milestone does not move again: accepting again changes nothing.
    expect(await w.previewOk('accept_claim')).toMatchObject({
      movesMilestone: false,
      newlyVisible: [],
      reportsShared: [],
      notified: [],
    });
  });

  it('assigning the main inspection lists the inspection report and who gets the link, only the people the setting names', async () => {
    const w = await world({
      ...opensNothing,
      accessFor: 'customer',
      sendLink: 'main_inspection_assigned',
      showBudget: 'main_inspection_assigned',
      showInspectionReport: 'main_inspection_assigned',
    });
    await w.upload('Befaring.pdf', 'inspection_report');
    const preview = await w.previewOk('assign_main_inspection');
    expect(preview.newlyVisible).toEqual(['budget', 'inspectionReport']);
    expect(preview.reportsShared.map((r) => r.fileName)).toEqual(['Befaring.pdf']);
    expect(preview.notified.map((p) => p.name)).toEqual([w.customer.name]);

    // The decision comes later: what the inspection opens is already open then (milestones are ordered).
    const { officeId } = await makePartnerWithOffice(t.db, w.staff.companyId);
    const assigned = await t.app.inject({
      method: 'POST',
      url: `/api/cases/${w.caseId}/main-inspection/assign`,
      headers: w.headers,
      payload: { officeId },
    });
    expect(assigned.statusCode, assigned.body).toBe(200);
    expect(await w.grantedNames()).toEqual([w.customer.name]);
    expect(await w.previewOk('accept_claim')).toMatchObject({
      movesMilestone: true,
      newlyVisible: [],
      reportsShared: [],
      notified: [],
    });
  });
});
