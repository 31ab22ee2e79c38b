import { describe, expect, it } from 'vitest';
import type { DocumentCustomerSharing } from '../../common/contracts/document-api.ts';
import type { CustomerPageSettings } from '../../common/rules/customer-page-settings.ts';
import {
  customerGet,
  openCustomerLink,
  saveSettings,
  uniquePhone,
  uniqueSuffix,
} from '../../../test/support/customer.ts';
import { browserHeaders, makePartnerWithOffice, signedInUser } from '../../../test/support/factory.ts';
import { multipart, PDF } from '../../../test/support/multipart.ts';
import { useSinks } from '../../../test/support/sinks.ts';
import { TEST_ORIGIN, useTestApp } from '../../../test/support/test-app.ts';
import { reissueCustomerLinkToken } from '../customer-access/reissue-link.ts';

// Reports shared by a milestone rule (issue 16 item 1): the staff library, the customer page, its
// downloads, its news and the staff log agree on a report the rule shares, one staff withheld, and
// one shared again — also when a withhold and the milestone happen at the same moment.

const sinks = useSinks();
const t = useTestApp(sinks.env);

interface LibraryItem {
  id: string;
  fileName: string;
  shared: boolean;
  customerSharing: DocumentCustomerSharing;
}
interface CustomerPage {
  model: {
    documents: { inspectionReport: { id: string; sharedAt: string } | null; shared: Array<{ id: string }> };
    news: { items: Array<{ kind: string; text: string }>; total: number };
  };
}

/**
 * A case of a new company whose customer opened the page: the Documents tab from case creation, the
 * inspection report at the main inspection's assignment, news of document sharing in the feed.
 */
async function world(settings: Partial<CustomerPageSettings> = {}) {
  const staff = await signedInUser(t.app, t.db, { level: 2 });
  await saveSettings(t.db, staff.companyId, {
    sendLink: 'case_created',
    accessFor: 'customer',
    showNews: 'case_created',
    newsFilter: ['document_shared', 'document_unshared'],
    showDocuments: 'case_created',
    showInspectionReport: 'main_inspection_assigned',
    ...settings,
  });
  const { name: staffName } = await t.db
    .selectFrom('users')
    .select('name')
    .where('id', '=', staff.id)
    .executeTakeFirstOrThrow();
  const s = uniqueSuffix();
  const headers = browserHeaders(staff.cookie);
  const created = await t.app.inject({
    method: 'POST',
    url: '/api/cases',
    headers,
    payload: {
      claimNumber: `SK-${s}`,
      address: { street: 'Markveien 40', postalCode: '0554', city: 'Oslo' },
      customer: { name: `Kunde ${s}`, email: `kunde-${s}@example.test`, phone: uniquePhone() },
    },
  });
  expect(created.statusCode, created.body).toBe(201);
  const caseId = (created.json() as { id: string }).id;
  const token = await reissueCustomerLinkToken(t.db, staff.companyId, caseId);
  const opened = await openCustomerLink(t.app, `${TEST_ORIGIN}/k/${token}`);
  if (!opened.cookie) throw new Error('no customer session');
  const cookie = opened.cookie;
  const { officeId } = await makePartnerWithOffice(t.db, staff.companyId);

  const upload = async (fileName: string, kind = 'inspection_report') => {
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
    return response.json() as LibraryItem;
  };
  const post = (url: string, payload: object) => t.app.inject({ method: 'POST', url, headers, payload });
  const assign = () => post(`/api/cases/${caseId}/main-inspection/assign`, { officeId });
  const sharing = (action: 'share' | 'unshare', id: string) =>
    post(`/api/cases/${caseId}/documents/${action}`, { documentIds: [id] });
  const library = async () => {
    const response = await t.app.inject({ method: 'GET', url: `/api/cases/${caseId}/documents`, headers });
    expect(response.statusCode, response.body).toBe(200);
    return (response.json() as { items: LibraryItem[] }).items;
  };
  const sharingOf = async (id: string) => (await library()).find((doc) => doc.id === id)?.customerSharing;
  const page = async () => {
    const response = await customerGet(t.app, '/api/customer/page', cookie);
    expect(response.statusCode, response.body).toBe(200);
    return (response.json() as CustomerPage).model;
  };
  const news = async () => (await page()).news.items.map((item) => item.text);
  const download = async (id: string) =>
    (await customerGet(t.app, `/api/customer/documents/${id}/download`, cookie)).statusCode;
  const log = async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: `/api/cases/${caseId}/log?topic=documents`,
      headers,
    });
    expect(response.statusCode, response.body).toBe(200);
    return (response.json() as { items: Array<{ kind: string; data: Record<string, unknown> }> }).items;
  };
  return { staff, staffName, caseId, upload, assign, sharing, library, sharingOf, page, news, download, log };
}

describe('reports shared by a milestone rule', () => {
  it('shows a report at its milestone: library, page, download and one news entry agree', async () => {
    const w = await world();
    const report = await w.upload('Besiktigelse.pdf');
    // Before the milestone: not on the page, not downloadable, no news; the library says when.
    expect(report.customerSharing).toEqual({
      state: 'automatic_pending',
      milestone: 'main_inspection_assigned',
      at: null,
      by: null,
    });
    expect((await w.page()).documents.inspectionReport).toBeNull();
    expect(await w.download(report.id)).toBe(404);
    expect(await w.news()).toEqual([]);

    const assigned = await w.assign();
    expect(assigned.statusCode, assigned.body).toBe(200);

    const model = await w.page();
    expect(model.documents.inspectionReport?.id).toBe(report.id);
    expect(await w.download(report.id)).toBe(200);
    expect(await w.news()).toEqual(['Dokument delt med deg: Besiktigelse.pdf']);
    const shared = await w.sharingOf(report.id);
    expect(shared).toMatchObject({
      state: 'shared_automatically',
      milestone: 'main_inspection_assigned',
      by: null,
    });
    // The date the library names is the one the customer page shows.
    expect(shared?.at).toBe(model.documents.inspectionReport?.sharedAt);
    expect((await w.log()).filter((event) => event.kind === 'document_shared')).toEqual([
      expect.objectContaining({
        data: {
          documentId: report.id,
          fileName: 'Besiktigelse.pdf',
          automatic: true,
          milestone: 'main_inspection_assigned',
        },
      }),
    ]);

    // Another change of the case announces nothing again.
    expect((await w.sharing('share', report.id)).statusCode).toBe(200);
    await w.upload('Vedlegg.pdf', 'other');
    expect(await w.news()).toEqual(['Dokument delt med deg: Besiktigelse.pdf']);
  });

  it('withholds an automatically shared report and shares it again, everywhere at once', async () => {
    const w = await world();
    const report = await w.upload('Besiktigelse.pdf');
    await w.assign();
    expect(await w.download(report.id)).toBe(200);

    const withheld = await w.sharing('unshare', report.id);
    expect(withheld.statusCode, withheld.body).toBe(200);
    expect(withheld.json()).toEqual([
      expect.objectContaining({
        id: report.id,
        customerSharing: expect.objectContaining({
          state: 'withheld',
          by: w.staffName,
          at: expect.any(String),
        }),
      }),
    ]);
    expect((await w.page()).documents.inspectionReport).toBeNull();
    expect(await w.download(report.id)).toBe(404);
    expect(await w.news()).toEqual([
      'Dokumentdeling opphevet: Besiktigelse.pdf',
      'Dokument delt med deg: Besiktigelse.pdf',
    ]);
    expect((await w.log()).find((event) => event.kind === 'document_unshared')?.data).toEqual({
      documentId: report.id,
      fileName: 'Besiktigelse.pdf',
      withheld: true,
    });
    // A repeat changes nothing.
    expect((await w.sharing('unshare', report.id)).statusCode).toBe(200);
    expect((await w.log()).filter((event) => event.kind === 'document_unshared')).toHaveLength(1);

    const again = await w.sharing('share', report.id);
    expect(again.statusCode, again.body).toBe(200);
    const sharedAgain = await w.sharingOf(report.id);
    expect(sharedAgain).toMatchObject({ state: 'shared_by_staff', by: w.staffName });
    // The page dates it as the library does: shared by hand again, now.
    expect((await w.page()).documents.inspectionReport).toMatchObject({
      id: report.id,
      sharedAt: sharedAgain?.at,
    });
    expect(await w.download(report.id)).toBe(200);
    expect((await w.news())[0]).toBe('Dokument delt med deg: Besiktigelse.pdf');
    expect(await w.news()).toHaveLength(3);

    // "Remove sharing" of a report shared by hand and by the rule takes it away for good.
    expect((await w.sharing('unshare', report.id)).statusCode).toBe(200);
    expect((await w.page()).documents.inspectionReport).toBeNull();
    expect(await w.download(report.id)).toBe(404);
    expect(await w.sharingOf(report.id)).toMatchObject({ state: 'withheld' });
  });

  it('never shows the customer a report withheld before its milestone, not even in the news', async () => {
    const w = await world();
    const report = await w.upload('Besiktigelse.pdf');
    expect((await w.sharing('unshare', report.id)).statusCode).toBe(200);
    expect(await w.sharingOf(report.id)).toMatchObject({
      state: 'withheld',
      milestone: 'main_inspection_assigned',
    });
    await w.assign();
    expect((await w.page()).documents.inspectionReport).toBeNull();
    expect(await w.download(report.id)).toBe(404);
    expect(await w.news()).toEqual([]);
    expect((await w.log()).find((event) => event.kind === 'document_unshared')?.data).toEqual({
      documentId: report.id,
      fileName: 'Besiktigelse.pdf',
      withheld: true,
      wasShared: false,
    });
  });

  it('announces a report uploaded after its milestone at the upload; a newer one replaces it', async () => {
    const w = await world();
    await w.assign();
    const first = await w.upload('Besiktigelse 1.pdf');
    expect(first.customerSharing).toMatchObject({ state: 'shared_automatically' });
    expect((await w.page()).documents.inspectionReport?.id).toBe(first.id);
    expect(await w.news()).toEqual(['Dokument delt med deg: Besiktigelse 1.pdf']);

    const second = await w.upload('Besiktigelse 2.pdf');
    expect((await w.page()).documents.inspectionReport?.id).toBe(second.id);
    expect(await w.download(first.id)).toBe(404);
    expect(await w.sharingOf(first.id)).toMatchObject({ state: 'replaced' });
    expect(await w.news()).toEqual([
      'Dokument delt med deg: Besiktigelse 2.pdf',
      'Dokument delt med deg: Besiktigelse 1.pdf',
    ]);
    // A report kind the rule never shares stays "not shared"; other documents are shared by hand only.
    const settlement = await w.upload('Oppgjør.pdf', 'customer_settlement_report');
    expect(settlement.customerSharing.state).toBe('not_shared');
  });

  it('names the later milestone when the Documents tab opens after the report rule', async () => {
    const w = await world({ showDocuments: 'positive_decision' });
    const report = await w.upload('Besiktigelse.pdf');
    await w.assign();
    expect(await w.sharingOf(report.id)).toMatchObject({
      state: 'automatic_pending',
      milestone: 'positive_decision',
    });
  });

  it('says so in the news when a report the customer sees is deleted', async () => {
    const w = await world();
    const report = await w.upload('Besiktigelse.pdf');
    await w.assign();
    const deleted = await t.app.inject({
      method: 'DELETE',
      url: `/api/cases/${w.caseId}/documents/${report.id}`,
      headers: browserHeaders(w.staff.cookie),
    });
    expect(deleted.statusCode, deleted.body).toBe(204);
    expect(await w.news()).toEqual([
      'Dokument fjernet: Besiktigelse.pdf',
      'Dokument delt med deg: Besiktigelse.pdf',
    ]);
  });
});

describe('reports shared by a milestone rule: simultaneous changes', { timeout: 120_000 }, () => {
  it('leaves page, downloads, news and library consistent when a withhold meets the milestone', async () => {
    const worlds = await Promise.all(Array.from({ length: 6 }, () => world()));
    const reports = await Promise.all(worlds.map((w) => w.upload('Besiktigelse.pdf')));
    // The milestone and the withhold of each case at the same moment, in both orders of sending.
    const answers = await Promise.all(
      worlds.flatMap((w, i) => {
        const report = reports[i]!;
        const both = [w.assign(), w.sharing('unshare', report.id)];
        return i % 2 === 0 ? both : both.reverse();
      }),
    );
    expect(answers.map((answer) => answer.statusCode)).toEqual(answers.map(() => 200));

    for (const [i, w] of worlds.entries()) {
      const report = reports[i]!;
      expect((await w.page()).documents.inspectionReport).toBeNull();
      expect(await w.download(report.id)).toBe(404);
      expect(await w.sharingOf(report.id)).toMatchObject({ state: 'withheld' });
      // Whichever ran first: either nothing was ever shown, or it was shown and then taken away.
      const news = await w.news();
      expect([
        [],
        ['Dokumentdeling opphevet: Besiktigelse.pdf', 'Dokument delt med deg: Besiktigelse.pdf'],
      ]).toContainEqual(news);
      const log = await w.log();
      expect(log.filter((event) => event.kind === 'document_shared').length).toBe(news.length / 2);
      expect(log.filter((event) => event.kind === 'document_unshared')).toHaveLength(1);
    }
  });

  it('announces a report once when its upload meets the milestone', async () => {
    const worlds = await Promise.all(Array.from({ length: 4 }, () => world()));
    await Promise.all(worlds.flatMap((w) => [w.assign(), w.upload('Besiktigelse.pdf')]));
    for (const w of worlds) {
      expect(await w.news()).toEqual(['Dokument delt med deg: Besiktigelse.pdf']);
      expect((await w.page()).documents.inspectionReport).not.toBeNull();
    }
  });
});
