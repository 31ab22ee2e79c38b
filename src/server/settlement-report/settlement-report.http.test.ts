import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { DocumentCustomerSharing } from '../../common/contracts/document-api.ts';
import type { SettlementView } from '../../common/contracts/settlement-api.ts';
import type { CustomerPageSettings } from '../../common/rules/customer-page-settings.ts';
import {
  customerGet,
  openCustomerLink,
  saveSettings,
  uniquePhone,
  uniqueSuffix,
} from '../../../test/support/customer.ts';
import { browserHeaders, signedInUser } from '../../../test/support/factory.ts';
import { flatText, pdfText } from '../../../test/support/pdf-text.ts';
import { TEST_ORIGIN, useTestApp } from '../../../test/support/test-app.ts';
import { logoStorageKey } from '../companies/logos.ts';
import { reissueCustomerLinkToken } from '../customer-access/reissue-link.ts';
import { createFileStorage } from '../storage/file-storage.ts';
import {
  generateSettlementReport,
  reportSettlementApproval,
  settlementReportDocumentId,
} from './generate-settlement-report.ts';
import { fileMissingSettlementReports } from './file-missing-reports.ts';
import { formatDecisionDate, formatMoney } from './report-texts.ts';

// The settlement report generated from an approved settlement (issue 20 item 3), on both databases:
// approved through the settlement API → the report is in the library as the settlement report, the
// customer page shows it when "Vis kundeoppgjørsrapport" allows (with its news entry), and the PDF the
// customer downloads says the payout the API computed; a new version approved → its report replaces
// the old one on the customer page, the old one stays in the library for staff.

const t = useTestApp();

interface LibraryItem {
  id: string;
  kind: string;
  fileName: string;
  customerSharing: DocumentCustomerSharing;
}
interface CustomerPage {
  model: {
    documents: { settlementReport: { id: string } | null; shared: Array<{ id: string }> };
    news: { items: Array<{ text: string }> };
  };
}

const lines = [
  { kind: 'contractor_repair', description: 'Nytt bad, Fjordbygg', claimedOre: 12_500_000 },
  {
    kind: 'cash_settlement',
    description: 'Parkett i stue og gang',
    claimedOre: 1_000_000,
    depreciationBasisPoints: 2_000,
    depreciationReason: 'Alder åtte år',
  },
];

/** A case of a new company whose customer opened the page; the settlement report shared at case creation. */
async function world(settings: Partial<CustomerPageSettings> = {}) {
  const staff = await signedInUser(t.app, t.db, { level: 4 });
  await saveSettings(t.db, staff.companyId, {
    sendLink: 'case_created',
    accessFor: 'customer',
    showNews: 'case_created',
    newsFilter: ['document_shared', 'document_unshared'],
    showDocuments: 'case_created',
    showSettlementReport: 'case_created',
    contactForMoreInfo: 'Spørsmål? Ring skadeavdelingen på 22 12 34 56.',
    ...settings,
  });
  const s = uniqueSuffix();
  const headers = browserHeaders(staff.cookie);
  const created = await t.app.inject({
    method: 'POST',
    url: '/api/cases',
    headers,
    payload: {
      claimNumber: `SK-${s}`,
      address: { street: 'Bjørnveien 12', postalCode: '0774', city: 'Oslo' },
      customer: { name: `Kunde ${s}`, email: `kunde-${s}@example.test`, phone: uniquePhone() },
    },
  });
  expect(created.statusCode, created.body).toBe(201);
  const caseId = (created.json() as { id: string }).id;
  const token = await reissueCustomerLinkToken(t.db, staff.companyId, caseId);
  const opened = await openCustomerLink(t.app, `${TEST_ORIGIN}/k/${token}`);
  if (!opened.cookie) throw new Error('no customer session');
  const cookie = opened.cookie;

  const send = async (method: 'PUT' | 'POST', path: string, payload: object) => {
    const response = await t.app.inject({
      method,
      url: `/api/cases/${caseId}/settlement${path}`,
      headers,
      payload,
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as SettlementView;
  };
  /** Saves the draft and approves it; the approved version as the API shows it. */
  const approve = async (draft: { deductibleOre: number; lines: object[] }) => {
    const saved = await send('PUT', '', draft);
    const approved = await send('POST', '/approve', { revision: saved.current!.revision });
    expect(approved.current?.status).toBe('approved');
    return approved.current!;
  };
  const newVersion = () => send('POST', '/new-version', {});
  const deps = { db: t.db, storage: createFileStorage(t.config) };
  const generate = (settlementId: string) =>
    generateSettlementReport(deps, {
      companyId: staff.companyId,
      caseId,
      settlementId,
      actorUserId: staff.id,
    });
  const library = async () => {
    const response = await t.app.inject({ method: 'GET', url: `/api/cases/${caseId}/documents`, headers });
    expect(response.statusCode, response.body).toBe(200);
    return (response.json() as { items: LibraryItem[] }).items;
  };
  const page = async (lang: 'nb' | 'en' = 'nb') => {
    const response = await customerGet(t.app, `/api/customer/page?lang=${lang}`, cookie);
    expect(response.statusCode, response.body).toBe(200);
    return (response.json() as CustomerPage).model;
  };
  const news = async () => (await page()).news.items.map((item) => item.text);
  const download = (id: string) => customerGet(t.app, `/api/customer/documents/${id}/download`, cookie);
  const reportText = async (id: string) => {
    const response = await download(id);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toContain('application/pdf');
    return flatText((await pdfText(new Uint8Array(response.rawPayload))).join('\n'));
  };
  return { staff, caseId, approve, newVersion, generate, library, page, news, download, reportText };
}

const money = (ore: number, language: 'nb' | 'en' = 'nb') =>
  formatMoney(ore, language).replace(/\u00a0/g, ' ');

describe('the settlement report', () => {
  it('is filed as the settlement report, shown to the customer with its news, and says the API’s payout', async () => {
    const w = await world();
    const approved = await w.approve({ deductibleOre: 800_000, lines });
    // Approval generates the report after its commit; a second call (a retry) files nothing new.
    const again = await w.generate(approved.id);
    expect(again?.document.id).toBe(settlementReportDocumentId(approved.id));
    const reports = (await w.library()).filter((doc) => doc.kind === 'customer_settlement_report');
    expect(reports).toHaveLength(1);
    const [report] = reports;
    expect(report!.id).toBe(settlementReportDocumentId(approved.id));
    expect(report!.fileName).toMatch(/^Kundeoppgjør SK-[0-9a-f]+ versjon 1\.pdf$/);
    expect(report!.customerSharing.state).toBe('shared_automatically');

    expect((await w.page()).documents.settlementReport?.id).toBe(report!.id);
    expect(await w.news()).toEqual([`Dokument delt med deg: ${report!.fileName}`]);

    // 125 000,00 + (10 000,00 − VAT 2 000,00 − 20 % 1 600,00) − 8 000,00 = 123 400,00
    expect(approved.totals.payoutOre).toBe(12_340_000);
    const text = await w.reportText(report!.id);
    expect(text).toContain(`Til utbetaling ${money(approved.totals.payoutOre)}`);
    expect(text).toContain(money(approved.totals.deductibleAppliedOre));
    expect(text).toContain('Avskrivning 20 %: Alder åtte år');
    expect(text).toContain('Bjørnveien 12, 0774 Oslo');
    expect(text).toContain('Spørsmål? Ring skadeavdelingen på 22 12 34 56.');
    expect(text).toContain(`Vedtaksdato ${formatDecisionDate(approved.decidedAt!, 'nb')}`);
  });

  it('replaces the report of a superseded version on the customer page, keeping it for staff', async () => {
    const w = await world();
    const first = await w.approve({ deductibleOre: 800_000, lines });
    await w.generate(first.id);
    const oldId = settlementReportDocumentId(first.id);
    await w.newVersion();
    const second = await w.approve({ deductibleOre: 400_000, lines: [lines[0]!] });
    const made = await w.generate(second.id);
    const newId = settlementReportDocumentId(second.id);
    expect(made?.document.id).toBe(newId);

    const page = await w.page();
    expect(page.documents.settlementReport?.id).toBe(newId);
    expect(page.documents.shared.map((doc) => doc.id)).not.toContain(oldId);
    expect((await w.download(oldId)).statusCode).toBe(404);
    const library = await w.library();
    expect(library.find((doc) => doc.id === oldId)?.customerSharing.state).toBe('withheld');
    expect(library.find((doc) => doc.id === newId)?.customerSharing.state).toBe('shared_automatically');
    expect((await w.news())[0]).toMatch(/^Dokument delt med deg: Kundeoppgjør SK-[0-9a-f]+ versjon 2\.pdf$/);

    const text = await w.reportText(newId);
    expect(second.totals.payoutOre).toBe(12_100_000);
    expect(text).toContain(`Til utbetaling ${money(second.totals.payoutOre)}`);
    expect(text).toContain('2 (erstatter versjon 1)');

    // Withheld for good: deleting the new report does not bring the old one back.
    const deleted = await t.app.inject({
      method: 'DELETE',
      url: `/api/cases/${w.caseId}/documents/${newId}`,
      headers: browserHeaders(w.staff.cookie),
    });
    expect(deleted.statusCode, deleted.body).toBe(204);
    expect((await w.page()).documents.settlementReport).toBeNull();
  });

  it('is in the library but not on the customer page while the rule says never', async () => {
    const w = await world({ showSettlementReport: 'never' });
    // The company's logo (its 80 px rendition, where the logo upload stores it) is drawn in the report.
    const logoKey = 'ab'.repeat(32);
    const logo = await sharp({ create: { width: 160, height: 80, channels: 4, background: '#c0392b' } })
      .png()
      .toBuffer();
    await createFileStorage(t.config).put(logoStorageKey(logoKey, 80), logo);
    await t.db
      .updateTable('companies')
      .set({ logo_key: logoKey })
      .where('id', '=', w.staff.companyId)
      .execute();
    const approved = await w.approve({ deductibleOre: 0, lines });
    const made = await w.generate(approved.id);
    const id = settlementReportDocumentId(approved.id);
    expect(made?.document.kind).toBe('customer_settlement_report');
    expect((await w.library()).find((doc) => doc.id === id)?.customerSharing.state).toBe('not_shared');
    expect((await w.page()).documents.settlementReport).toBeNull();
    expect(await w.news()).toEqual([]);
    expect((await w.download(id)).statusCode).toBe(404);
    const staffDownload = await t.app.inject({
      method: 'GET',
      url: `/api/documents/${id}/download`,
      headers: { cookie: w.staff.cookie },
    });
    expect(staffDownload.statusCode).toBe(200);
    expect(staffDownload.rawPayload.includes(Buffer.from('/Subtype /Image'))).toBe(true);
  });

  it('speaks the language the customer reads the page in', async () => {
    const w = await world();
    await w.page('en');
    const approved = await w.approve({ deductibleOre: 800_000, lines });
    await w.generate(approved.id);
    const id = settlementReportDocumentId(approved.id);
    expect((await w.library()).find((doc) => doc.id === id)?.fileName).toMatch(
      /^Customer settlement SK-[0-9a-f]+ version 1\.pdf$/,
    );
    const text = await w.reportText(id);
    expect(text).toContain(`Amount to be paid ${money(approved.totals.payoutOre, 'en')}`);
    expect(text).toContain('Depreciation 20%: Alder åtte år');
  });

  it('files one report when two generations race, and none for another company’s settlement', async () => {
    const w = await world({ showSettlementReport: 'never' });
    const approved = await w.approve({ deductibleOre: 0, lines });
    // Remove what the approval filed, so both calls below find nothing and race to file it.
    await t.db
      .deleteFrom('case_events')
      .where('case_id', '=', w.caseId)
      .where('kind', 'like', 'document_%')
      .execute();
    await t.db.deleteFrom('documents').where('case_id', '=', w.caseId).execute();
    const results = await Promise.all([w.generate(approved.id), w.generate(approved.id)]);
    expect(results.map((result) => result?.document.id)).toEqual([
      settlementReportDocumentId(approved.id),
      settlementReportDocumentId(approved.id),
    ]);
    expect(results.filter((result) => result?.created).length).toBe(1);
    const reports = (await w.library()).filter((doc) => doc.kind === 'customer_settlement_report');
    expect(reports).toHaveLength(1);
    const uploaded = await t.db
      .selectFrom('case_events')
      .select('id')
      .where('case_id', '=', w.caseId)
      .where('kind', '=', 'document_uploaded')
      .execute();
    expect(uploaded).toHaveLength(1);
    const staffDownload = await t.app.inject({
      method: 'GET',
      url: `/api/documents/${reports[0]!.id}/download`,
      headers: { cookie: w.staff.cookie },
    });
    expect(staffDownload.statusCode).toBe(200);
    expect(staffDownload.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');

    const other = await world();
    await expect(
      generateSettlementReport(
        { db: t.db, storage: createFileStorage(t.config) },
        { companyId: other.staff.companyId, caseId: w.caseId, settlementId: approved.id, actorUserId: null },
      ),
    ).rejects.toMatchObject({ code: 'not_found' });
  });

  it('is made by the step the settlement module runs after an approval, which never fails the approval', async () => {
    const w = await world();
    const approved = await w.approve({ deductibleOre: 800_000, lines });
    await t.db.deleteFrom('documents').where('case_id', '=', w.caseId).execute();
    const input = { companyId: w.staff.companyId, caseId: w.caseId, actorUserId: w.staff.id };
    await reportSettlementApproval(t.db, { ...input, settlementId: approved.id });
    const [report] = (await w.library()).filter((doc) => doc.kind === 'customer_settlement_report');
    expect(report?.id).toBe(settlementReportDocumentId(approved.id));
    expect((await w.page()).documents.settlementReport?.id).toBe(report?.id);
    // A settlement that is not there is logged, not thrown: the approval has committed.
    await expect(
      reportSettlementApproval(t.db, { ...input, settlementId: '00000000-0000-7000-8000-000000000000' }),
    ).resolves.toBeUndefined();
  });

  it('is made later by the periodic job when the process stopped between the approval and its report', async () => {
    const w = await world();
    const approved = await w.approve({ deductibleOre: 800_000, lines });
    // As if the process had stopped after the approval's commit, before its after-commit step.
    await t.db.deleteFrom('documents').where('case_id', '=', w.caseId).execute();
    const decided = new Date(approved.decidedAt!);
    // Within the first minute the approval's own step may still be running: left alone.
    expect(await fileMissingSettlementReports(t.db, new Date(decided.getTime() + 30_000))).toBe(0);
    expect((await w.library()).filter((doc) => doc.kind === 'customer_settlement_report')).toHaveLength(0);
    expect(
      await fileMissingSettlementReports(t.db, new Date(decided.getTime() + 5 * 60_000)),
    ).toBeGreaterThan(0);
    const [report] = (await w.library()).filter((doc) => doc.kind === 'customer_settlement_report');
    expect(report?.id).toBe(settlementReportDocumentId(approved.id));
    expect((await w.page()).documents.settlementReport?.id).toBe(report?.id);
    // Filed once: the next run finds it and makes nothing for this case.
    await fileMissingSettlementReports(t.db, new Date(decided.getTime() + 10 * 60_000));
    expect((await w.library()).filter((doc) => doc.kind === 'customer_settlement_report')).toHaveLength(1);
  });
});
