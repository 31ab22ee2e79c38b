import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  MAX_CASE_BYTES,
  MAX_CUSTOMER_CASE_BYTES,
  type DocumentView,
} from '../../common/contracts/document-api.ts';
import { customerGet, openCustomerLink, saveSettings, uniqueSuffix } from '../../../test/support/customer.ts';
import { browserHeaders, makeActor, makeCase, signedInUser } from '../../../test/support/factory.ts';
import { multipart, PDF, type Part } from '../../../test/support/multipart.ts';
import { TEST_ORIGIN, useTestApp } from '../../../test/support/test-app.ts';
import { reissueCustomerLinkToken } from '../customer-access/reissue-link.ts';

// Issue 15 item 3: customers have their own, smaller share of a case's file quota, so they can never
// fill a case against staff; and staff delete documents through the write path (one event, gone from
// the library and the customer page, file removed after the commit). On SQLite and PostgreSQL.

// The hourly upload rate (messages/customer-write-limits.ts) has its own tests; here the quota alone.
const t = useTestApp({ CUSTOMER_WRITE_LIMITS: 'off' });

/** A case whose customer has opened the page (documents and communication shown from the start). */
async function world() {
  const admin = await signedInUser(t.app, t.db, { level: 6 });
  const clerk = await signedInUser(t.app, t.db, { level: 1, companyId: admin.companyId });
  await saveSettings(t.db, admin.companyId, {
    sendLink: 'case_created',
    accessFor: 'customer',
    showDocuments: 'case_created',
    showCommunication: 'case_created',
    // "Document sharing withdrawn" is the news kind a deleted shared document is told under.
    newsFilter: ['document_shared', 'document_unshared'],
  });
  const actor = await makeActor(t.db, { companyId: admin.companyId, level: 6 });
  const s = uniqueSuffix();
  const { id: caseId } = await makeCase(t.db, actor, {
    customer: { name: `Kari ${s}`, email: `kari-${s}@example.test`, phone: '+4791234567' },
  });
  const token = await reissueCustomerLinkToken(t.db, admin.companyId, caseId);
  if (!token) throw new Error('the customer has no access');
  const opened = await openCustomerLink(t.app, `${TEST_ORIGIN}/k/${token}`);
  if (!opened.cookie) throw new Error('no customer session');
  return { admin, clerk, caseId, customer: opened.cookie };
}

function postMultipart(url: string, parts: Part[], headers: Record<string, string>) {
  const { payload, contentType } = multipart(parts);
  return t.app.inject({ method: 'POST', url, headers: { ...headers, 'content-type': contentType }, payload });
}

async function staffUpload(cookie: string, caseId: string, name: string) {
  const response = await postMultipart(
    `/api/cases/${caseId}/documents`,
    [
      { name: 'kind', value: 'other' },
      { name: 'file', filename: name, content: PDF },
    ],
    browserHeaders(cookie),
  );
  return response;
}

async function uploaded(cookie: string, caseId: string, name: string): Promise<DocumentView> {
  const response = await staffUpload(cookie, caseId, name);
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as DocumentView;
}

const customerSendsFile = (cookie: string, name: string) =>
  postMultipart(
    '/api/customer/messages',
    [
      { name: 'body', value: 'Her er bildene' },
      { name: 'files', filename: name, content: PDF },
    ],
    { cookie, origin: TEST_ORIGIN },
  );

const share = (cookie: string, caseId: string, id: string) =>
  t.app.inject({
    method: 'POST',
    url: `/api/cases/${caseId}/documents/share`,
    headers: browserHeaders(cookie),
    payload: { documentIds: [id] },
  });

const remove = (cookie: string, caseId: string, id: string) =>
  t.app.inject({
    method: 'DELETE',
    url: `/api/cases/${caseId}/documents/${id}`,
    headers: browserHeaders(cookie),
  });

const library = async (cookie: string, caseId: string) => {
  const response = await t.app.inject({
    method: 'GET',
    url: `/api/cases/${caseId}/documents`,
    headers: { cookie },
  });
  expect(response.statusCode, response.body).toBe(200);
  return (response.json() as { items: DocumentView[] }).items;
};

const customerPage = async (cookie: string) => {
  const response = await customerGet(t.app, '/api/customer/page', cookie);
  expect(response.statusCode, response.body).toBe(200);
  return response;
};

const deletedEvents = (caseId: string) =>
  t.db
    .selectFrom('case_events')
    .select(['kind', 'data'])
    .where('case_id', '=', caseId)
    .where('kind', '=', 'document_deleted')
    .execute();

const setSize = (id: string, bytes: number) =>
  t.db.updateTable('documents').set({ size_bytes: bytes }).where('id', '=', id).execute();

const storedPath = (companyId: string, id: string) => path.join(t.config.dataDir, 'files', companyId, id);

describe('customer share of the case quota', () => {
  it('refuses a customer upload over 100 MB of customer files with 413, while staff still upload and text still goes through', async () => {
    const { admin, caseId, customer } = await world();
    const first = await customerSendsFile(customer, 'bilde-1.pdf');
    expect(first.statusCode, first.body).toBe(201);
    const customerDoc = (await library(admin.cookie, caseId)).find((d) => d.uploadedBy.kind === 'customer')!;

    // One byte of room left for customers: a file larger than that is refused under the lock.
    await setSize(customerDoc.id, MAX_CUSTOMER_CASE_BYTES - 1);
    const over = await customerSendsFile(customer, 'bilde-2.pdf');
    expect(over.statusCode, over.body).toBe(413);
    expect(over.json().error.code).toBe('payload_too_large');
    expect(over.json().error.message).toMatch(/customers/);

    // Full: refused before the bytes are read, same answer.
    await setSize(customerDoc.id, MAX_CUSTOMER_CASE_BYTES);
    const full = await customerSendsFile(customer, 'bilde-3.pdf');
    expect(full.statusCode, full.body).toBe(413);
    expect(full.json().error.code).toBe('payload_too_large');
    expect(
      (await library(admin.cookie, caseId)).filter((d) => d.uploadedBy.kind === 'customer'),
    ).toHaveLength(1);

    // A message without files is not an upload.
    const text = await t.app.inject({
      method: 'POST',
      url: '/api/customer/messages',
      headers: { cookie: customer, origin: TEST_ORIGIN },
      payload: { body: 'Bare tekst' },
    });
    expect(text.statusCode, text.body).toBe(201);

    // Staff keep the rest of the case: up to the case total, customers' files included.
    expect((await staffUpload(admin.cookie, caseId, 'rapport.pdf')).statusCode).toBe(201);
    const staffDoc = (await library(admin.cookie, caseId)).find((d) => d.fileName === 'rapport.pdf')!;
    await setSize(staffDoc.id, MAX_CASE_BYTES - MAX_CUSTOMER_CASE_BYTES - 1);
    const caseFull = await staffUpload(admin.cookie, caseId, 'for-mye.pdf');
    expect(caseFull.statusCode, caseFull.body).toBe(413);
    expect(caseFull.json().error.message).toMatch(/the most a case can hold/);

    // Deleting the customer's file gives customers their room back.
    expect((await remove(admin.cookie, caseId, customerDoc.id)).statusCode).toBe(204);
    await setSize(staffDoc.id, 0);
    const again = await customerSendsFile(customer, 'bilde-4.pdf');
    expect(again.statusCode, again.body).toBe(201);
  });

  it('refuses a customer upload when the case total is full even though customers used little', async () => {
    const { admin, caseId, customer } = await world();
    const staffDoc = await uploaded(admin.cookie, caseId, 'stor.pdf');
    await setSize(staffDoc.id, MAX_CASE_BYTES);
    const response = await customerSendsFile(customer, 'bilde.pdf');
    expect(response.statusCode, response.body).toBe(413);
    expect(response.json().error.message).toMatch(/the most a case can hold/);
  });
});

describe('deleting a document', () => {
  it('answers 401 without a session and 400 for a malformed id', async () => {
    const { admin, caseId } = await world();
    const doc = await uploaded(admin.cookie, caseId, 'a.pdf');
    const anonymous = await t.app.inject({
      method: 'DELETE',
      url: `/api/cases/${caseId}/documents/${doc.id}`,
      headers: { origin: TEST_ORIGIN },
    });
    expect(anonymous.statusCode).toBe(401);
    const malformed = await remove(admin.cookie, caseId, 'x'.repeat(65));
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.code).toBe('validation_failed');
    expect(await library(admin.cookie, caseId)).toHaveLength(1);
  });

  it('removes a shared document from the library, the customer page and its download, writes one event, removes the file; a second delete is 404', async () => {
    const { admin, caseId, customer } = await world();
    const doc = await uploaded(admin.cookie, caseId, 'Delt-rapport.pdf');
    expect((await share(admin.cookie, caseId, doc.id)).statusCode).toBe(200);
    expect((await customerPage(customer)).body).toContain(doc.id);
    const download = `/api/customer/documents/${doc.id}/download`;
    expect((await customerGet(t.app, download, customer)).statusCode).toBe(200);
    expect(existsSync(storedPath(admin.companyId, doc.id))).toBe(true);

    const response = await remove(admin.cookie, caseId, doc.id);
    expect(response.statusCode, response.body).toBe(204);
    expect(response.body).toBe('');

    expect((await library(admin.cookie, caseId)).map((d) => d.id)).not.toContain(doc.id);
    const page = await customerPage(customer);
    expect(page.body).not.toContain(doc.id);
    // It was shared: the customer saw it, so the news may name it.
    expect(page.body).toContain('Dokument fjernet: Delt-rapport.pdf');
    const gone = await customerGet(t.app, download, customer);
    expect(gone.statusCode).toBe(404);
    expect(gone.json().error.code).toBe('not_found');
    const staffDownload = await t.app.inject({
      method: 'GET',
      url: `/api/documents/${doc.id}/download`,
      headers: { cookie: admin.cookie },
    });
    expect(staffDownload.statusCode).toBe(404);
    expect(existsSync(storedPath(admin.companyId, doc.id))).toBe(false);

    const events = await deletedEvents(caseId);
    expect(events.map((e) => JSON.parse(e.data))).toEqual([
      { documentId: doc.id, fileName: 'Delt-rapport.pdf', kind: 'other', wasShared: true },
    ]);
    const log = await t.app.inject({
      method: 'GET',
      url: `/api/cases/${caseId}/log?topic=documents`,
      headers: { cookie: admin.cookie },
    });
    expect(log.body).toContain('document_deleted');

    const second = await remove(admin.cookie, caseId, doc.id);
    expect(second.statusCode).toBe(404);
    expect(second.json().error.code).toBe('not_found');
    expect(await deletedEvents(caseId)).toHaveLength(1);
  });

  it('never names a deleted document the customer was not shown in the news', async () => {
    const { admin, caseId, customer } = await world();
    const doc = await uploaded(admin.cookie, caseId, 'Intern-vurdering.pdf');
    expect((await remove(admin.cookie, caseId, doc.id)).statusCode).toBe(204);
    expect(await deletedEvents(caseId)).toHaveLength(1);
    const page = await customerPage(customer);
    expect(page.body).not.toContain('Intern-vurdering');
    expect(page.body).not.toContain(doc.id);
  });

  it('removes a customer’s message file from the thread on both sides', async () => {
    const { admin, caseId, customer } = await world();
    expect((await customerSendsFile(customer, 'kunde-bilde.pdf')).statusCode).toBe(201);
    const doc = (await library(admin.cookie, caseId)).find((d) => d.uploadedBy.kind === 'customer')!;
    expect((await customerPage(customer)).body).toContain(doc.id);

    expect((await remove(admin.cookie, caseId, doc.id)).statusCode).toBe(204);
    const thread = await t.app.inject({
      method: 'GET',
      url: `/api/cases/${caseId}/messages`,
      headers: { cookie: admin.cookie },
    });
    expect(thread.statusCode).toBe(200);
    expect(thread.body).toContain('Her er bildene');
    expect(thread.body).not.toContain(doc.id);
    expect((await customerPage(customer)).body).not.toContain(doc.id);
    expect(
      (await customerGet(t.app, `/api/customer/documents/${doc.id}/download`, customer)).statusCode,
    ).toBe(404);
    const attachments = await t.db
      .selectFrom('message_attachments')
      .select('document_id')
      .where('document_id', '=', doc.id)
      .execute();
    expect(attachments).toEqual([]);
  });

  it('writes one event when the same document is deleted twice at once', async () => {
    const { admin, caseId } = await world();
    const doc = await uploaded(admin.cookie, caseId, 'dobbel.pdf');
    const answers = await Promise.all([
      remove(admin.cookie, caseId, doc.id),
      remove(admin.cookie, caseId, doc.id),
    ]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([204, 404]);
    expect(await deletedEvents(caseId)).toHaveLength(1);
    expect(await library(admin.cookie, caseId)).toEqual([]);
  });

  it('needs level 2 for others’ and shared documents; level 1 deletes its own unshared upload', async () => {
    const { admin, clerk, caseId } = await world();
    const adminsDoc = await uploaded(admin.cookie, caseId, 'admin.pdf');
    const clerksDoc = await uploaded(clerk.cookie, caseId, 'mitt.pdf');
    const clerksShared = await uploaded(clerk.cookie, caseId, 'mitt-delt.pdf');
    expect((await share(clerk.cookie, caseId, clerksShared.id)).statusCode).toBe(200);

    // The server tells each of them what they may delete.
    const asClerk = new Map((await library(clerk.cookie, caseId)).map((d) => [d.fileName, d.deletable]));
    expect(Object.fromEntries(asClerk)).toEqual({
      'admin.pdf': false,
      'mitt.pdf': true,
      'mitt-delt.pdf': false,
    });
    expect((await library(admin.cookie, caseId)).every((d) => d.deletable)).toBe(true);

    for (const id of [adminsDoc.id, clerksShared.id]) {
      const refused = await remove(clerk.cookie, caseId, id);
      expect(refused.statusCode, refused.body).toBe(403);
      expect(refused.json().error.code).toBe('forbidden');
    }
    expect(await library(admin.cookie, caseId)).toHaveLength(3);
    expect(await deletedEvents(caseId)).toEqual([]);

    expect((await remove(clerk.cookie, caseId, clerksDoc.id)).statusCode).toBe(204);
    expect((await remove(admin.cookie, caseId, clerksShared.id)).statusCode).toBe(204);
    expect((await library(admin.cookie, caseId)).map((d) => d.fileName)).toEqual(['admin.pdf']);
  });

  it('answers 404 for another company’s document and for a document of another case', async () => {
    const { admin, caseId } = await world();
    const doc = await uploaded(admin.cookie, caseId, 'a.pdf');
    const stranger = await signedInUser(t.app, t.db, { level: 6 });
    const foreign = await remove(stranger.cookie, caseId, doc.id);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().error.code).toBe('not_found');
    const actor = await makeActor(t.db, { companyId: admin.companyId, level: 6 });
    const { id: otherCaseId } = await makeCase(t.db, actor);
    expect((await remove(admin.cookie, otherCaseId, doc.id)).statusCode).toBe(404);
    expect(await library(admin.cookie, caseId)).toHaveLength(1);
    expect(await deletedEvents(caseId)).toEqual([]);
  });

  it('succeeds when the stored file cannot be removed (the failure is logged, not the answer)', async () => {
    const { admin, caseId } = await world();
    const doc = await uploaded(admin.cookie, caseId, 'laast.pdf');
    // A folder where the file was: unlinking it fails after the commit.
    const where = storedPath(admin.companyId, doc.id);
    rmSync(where);
    mkdirSync(path.join(where, 'inside'), { recursive: true });
    const response = await remove(admin.cookie, caseId, doc.id);
    expect(response.statusCode, response.body).toBe(204);
    expect(await library(admin.cookie, caseId)).toEqual([]);
    expect(await deletedEvents(caseId)).toHaveLength(1);
    rmSync(where, { recursive: true });
  });
});
