import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import yauzl from 'yauzl';
import { describe, expect, it } from 'vitest';
import type { ErasePersonView } from '../../common/contracts/person-data-api.ts';
import {
  customerPost,
  deliver,
  openCustomerLink,
  saveSettings,
  uniquePhone,
  uniqueSuffix,
} from '../../../test/support/customer.ts';
import { browserHeaders, makeCase, signedInUser, staffActor } from '../../../test/support/factory.ts';
import { storedFiles } from '../../../test/support/files.ts';
import { multipart, PNG, type Part } from '../../../test/support/multipart.ts';
import { TEST_ORIGIN, useTestApp } from '../../../test/support/test-app.ts';
import { reissueCustomerLinkToken } from '../customer-access/reissue-link.ts';
import type { Db } from '../db/database.ts';

const t = useTestApp({ CUSTOMER_WRITE_LIMITS: 'off' });

/** Every zip entry: name → bytes. */
function unzip(bytes: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true }, (error, zip) => {
      if (error) return reject(error);
      const entries = new Map<string, Buffer>();
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError) return reject(streamError);
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => {
            entries.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
          stream.on('error', reject);
        });
      });
      zip.on('end', () => resolve(entries));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

/**
 * Every row of every table that mentions one of `needles` (any case), as "table: row". The tables are
 * read from the database itself, so a table added later is searched too.
 */
async function rowsMentioning(db: Db, needles: string[]): Promise<string[]> {
  const found: string[] = [];
  const lowered = needles.map((n) => n.toLowerCase());
  for (const table of await db.introspection.getTables()) {
    const untyped = db as unknown as Kysely<Record<string, Record<string, unknown>>>;
    const rows = await untyped.selectFrom(table.name).selectAll().execute();
    for (const row of rows) {
      const text = Object.values(row)
        .map((v) => (Buffer.isBuffer(v) ? v.toString('utf8') : String(v)))
        .join('\u0001')
        .toLowerCase();
      if (lowered.some((n) => text.includes(n)))
        found.push(`${table.name}: ${JSON.stringify(row).slice(0, 300)}`);
    }
  }
  return found;
}

/** The parts of person.json the tests read. */
interface ExportJson {
  exportedAt: string;
  person: Record<string, unknown> & { addedAt: string };
  customerPageAccess: unknown[];
  sessions: unknown[];
  messagesWritten: Array<{ text: string; writtenAt: string }>;
  filesUploaded: Array<{ inThisZip: string }>;
  messagesSentToThem: Array<{ recipient: string }>;
  calls: unknown[];
  caseLog: Array<{ kind: string }>;
}

const customerHeaders = (cookie: string) => ({ cookie, origin: TEST_ORIGIN });

function customerUpload(cookie: string, text: string, file: Part) {
  const { payload, contentType } = multipart([{ name: 'body', value: text }, file]);
  return t.app.inject({
    method: 'POST',
    url: '/api/customer/messages',
    headers: { ...customerHeaders(cookie), 'content-type': contentType },
    payload,
  });
}

/**
 * A case of a new company with two people: Kari (the customer, who opened her page, wrote a message
 * with a photo, was called and written to) and Per (a contact person, who must stay untouched).
 */
async function world() {
  const admin = await signedInUser(t.app, t.db, { level: 6 });
  const clerk = await signedInUser(t.app, t.db, { companyId: admin.companyId, level: 5 });
  await saveSettings(t.db, admin.companyId, { sendLink: 'case_created', accessFor: 'both' });
  const s = uniqueSuffix();
  const kari = { name: `Kari Sletteby ${s}`, email: `kari-${s}@example.test`, phone: uniquePhone() };
  const per = { name: `Per Blir ${s}`, email: `per-${s}@example.test`, phone: uniquePhone() };
  const { id: caseId } = await makeCase(t.db, staffActor(admin, 6), {
    customer: kari,
    contacts: [{ role: 'contact_person', ...per }],
    description: `Vannskade hos ${kari.name}, ring ${kari.phone}`,
  });
  const contacts = await t.db.selectFrom('case_contacts').selectAll().where('case_id', '=', caseId).execute();
  const kariId = contacts.find((c) => c.role === 'customer')!.id;
  const perId = contacts.find((c) => c.role === 'contact_person')!.id;
  const token = await reissueCustomerLinkToken(t.db, admin.companyId, caseId);
  if (!token) throw new Error('the customer has no access');
  const opened = await openCustomerLink(t.app, `${TEST_ORIGIN}/k/${token}`);
  if (!opened.cookie) throw new Error('no customer session');
  const posted = await customerUpload(opened.cookie, `Hilsen ${kari.name}, kari sin tekst ${s}`, {
    name: 'files',
    filename: `kari-bilde-${s}.png`,
    content: PNG,
    type: 'image/png',
  });
  expect(posted.statusCode, posted.body).toBe(201);
  const staffMessage = await t.app.inject({
    method: 'POST',
    url: `/api/cases/${caseId}/messages`,
    headers: browserHeaders(admin.cookie),
    payload: { body: `Hei ${kari.name}! Vi kommer i morgen.` },
  });
  expect(staffMessage.statusCode, staffMessage.body).toBe(201);
  const call = await t.app.inject({
    method: 'POST',
    url: `/api/cases/${caseId}/calls`,
    headers: browserHeaders(admin.cookie),
    payload: {
      direction: 'outgoing',
      partyName: kari.name,
      number: kari.phone,
      reached: true,
      durationSeconds: 60,
    },
  });
  expect(call.statusCode, call.body).toBe(201);
  await deliver(t);
  // Her page read once: a stored customer page (customer_page_models) that names her.
  const page = await t.app.inject({
    method: 'GET',
    url: '/api/customer/page',
    headers: { cookie: opened.cookie },
  });
  expect(page.statusCode, page.body).toBe(200);
  return {
    admin,
    clerk,
    caseId,
    kari,
    per,
    kariId,
    perId,
    customer: opened.cookie,
    secret: `kari sin tekst ${s}`,
  };
}

const exportOf = (cookie: string, caseId: string, contactId: string) =>
  t.app.inject({
    method: 'GET',
    url: `/api/cases/${caseId}/people/${contactId}/export`,
    headers: browserHeaders(cookie),
  });

const erase = (cookie: string, caseId: string, contactId: string, payload: object = { confirm: true }) =>
  t.app.inject({
    method: 'POST',
    url: `/api/cases/${caseId}/people/${contactId}/erase`,
    headers: browserHeaders(cookie),
    payload,
  });

describe('export and erasure of one person: who may', () => {
  it('401 without a session, 400 without the confirmation, 403 below level 6, 404 across companies', async () => {
    const w = await world();
    const anonymous = await t.app.inject({
      method: 'POST',
      url: `/api/cases/${w.caseId}/people/${w.kariId}/erase`,
      headers: { origin: TEST_ORIGIN },
      payload: { confirm: true },
    });
    expect(anonymous.statusCode).toBe(401);
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/cases/${w.caseId}/people/${w.kariId}/export` }))
        .statusCode,
    ).toBe(401);

    for (const payload of [{}, { confirm: false }, { confirm: 'yes' }, { confirm: true, extra: 1 }]) {
      const refused = await erase(w.admin.cookie, w.caseId, w.kariId, payload);
      expect(refused.statusCode, JSON.stringify(payload)).toBe(400);
      expect(refused.json()).toMatchObject({ error: { code: 'validation_failed' } });
    }

    expect((await exportOf(w.clerk.cookie, w.caseId, w.kariId)).statusCode).toBe(403);
    expect((await erase(w.clerk.cookie, w.caseId, w.kariId)).statusCode).toBe(403);

    const stranger = await signedInUser(t.app, t.db, { level: 6 });
    expect((await exportOf(stranger.cookie, w.caseId, w.kariId)).statusCode).toBe(404);
    expect((await erase(stranger.cookie, w.caseId, w.kariId)).statusCode).toBe(404);
    // A contact of another case of the same company is not on this case.
    const other = await world();
    expect((await exportOf(w.admin.cookie, w.caseId, other.kariId)).statusCode).toBe(404);
    expect((await erase(other.admin.cookie, other.caseId, w.kariId)).statusCode).toBe(404);

    // Nothing was erased by any of the refused calls, and no audit line written for them.
    const kari = await t.db
      .selectFrom('case_contacts')
      .selectAll()
      .where('id', '=', w.kariId)
      .executeTakeFirstOrThrow();
    expect(kari).toMatchObject({ name: w.kari.name, email: w.kari.email, erased_at: null });
    const lines = await t.db
      .selectFrom('audit_log')
      .selectAll()
      .where('company_id', '=', w.admin.companyId)
      .execute();
    expect(lines.filter((l) => l.action.startsWith('person.'))).toEqual([]);
  });
});

describe('export of one person (level 6)', () => {
  it('is a zip with person.json of everything about her and her file, nothing of another person, audited', async () => {
    const w = await world();
    const response = await exportOf(w.admin.cookie, w.caseId, w.kariId);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('application/zip');
    expect(String(response.headers['content-disposition'])).toMatch(/^attachment;/);
    const entries = await unzip(response.rawPayload);
    const json = JSON.parse(entries.get('person.json')!.toString('utf8')) as ExportJson;

    expect(json.person).toMatchObject({
      id: w.kariId,
      name: w.kari.name,
      email: w.kari.email,
      phone: w.kari.phone,
    });
    expect(json.customerPageAccess).toHaveLength(1);
    expect(json.sessions.length).toBeGreaterThanOrEqual(1);
    expect(json.messagesWritten).toHaveLength(1);
    expect(json.messagesWritten[0]!.text).toContain(w.secret);
    expect(json.filesUploaded).toHaveLength(1);
    const filePath = json.filesUploaded[0]!.inThisZip;
    expect(entries.get(filePath)?.equals(PNG)).toBe(true);
    expect(json.messagesSentToThem.length).toBeGreaterThanOrEqual(1);
    expect(json.messagesSentToThem.every((m) => [w.kari.email, w.kari.phone].includes(m.recipient))).toBe(
      true,
    );
    expect(json.calls).toEqual([expect.objectContaining({ otherParty: w.kari.name, number: w.kari.phone })]);
    expect(json.caseLog.map((e) => e.kind)).toEqual(
      expect.arrayContaining([
        'customer_access_granted',
        'customer_link_sent',
        'message_from_customer',
        'call_recorded',
      ]),
    );
    for (const date of [json.exportedAt, json.person.addedAt, json.messagesWritten[0]!.writtenAt]) {
      expect(date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
    // Nothing of Per, nothing secret.
    const all = [...entries.values()].map((b) => b.toString('utf8')).join('\n');
    for (const needle of [w.per.name, w.per.email, w.per.phone]) expect(all).not.toContain(needle);
    expect(all).not.toMatch(/token_hash|code_hash|secret_sealed/);
    expect([...entries.keys()].sort()).toEqual(['person.json', filePath].sort());

    const lines = await t.db
      .selectFrom('audit_log')
      .selectAll()
      .where('company_id', '=', w.admin.companyId)
      .where('action', '=', 'person.exported')
      .execute();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      subject_type: 'person',
      subject_id: w.kariId,
      actor_user_id: w.admin.id,
    });
    expect(lines[0]!.detail).not.toContain(w.kari.name);
  });
});

describe('erasure of one person (level 6)', () => {
  it('leaves nothing of her in any table or in the file storage, keeps Per and the case, and is audited', async () => {
    const w = await world();
    // Closed, and her satisfaction answer with a comment naming her number.
    const closed = await t.app.inject({
      method: 'POST',
      url: `/api/cases/${w.caseId}/close`,
      headers: browserHeaders(w.admin.cookie),
      payload: {},
    });
    expect(closed.statusCode, closed.body).toBe(200);
    const answered = await customerPost(t.app, '/api/customer/satisfaction', w.customer, {
      score: 5,
      comment: `Ring meg gjerne på ${w.kari.phone}`,
    });
    expect(answered.statusCode, answered.body).toBe(201);
    const kariNeedles = [w.kari.name, w.kari.email, w.kari.phone, w.secret];
    const before = await rowsMentioning(t.db, kariNeedles);
    for (const table of ['customer_page_models', 'satisfaction_answers', 'case_search', 'outbox', 'calls']) {
      expect(
        before.some((row) => row.startsWith(`${table}:`)),
        table,
      ).toBe(true);
    }
    const documents = await t.db
      .selectFrom('documents')
      .selectAll()
      .where('case_id', '=', w.caseId)
      .where('uploaded_by_kind', '=', 'customer')
      .execute();
    expect(documents).toHaveLength(1);
    const fileKey = documents[0]!.storage_key;
    const filesRoot = path.join(t.config.dataDir, 'files');
    expect(existsSync(path.join(filesRoot, fileKey))).toBe(true);

    const response = await erase(w.admin.cookie, w.caseId, w.kariId);
    expect(response.statusCode, response.body).toBe(200);
    const view = response.json() as ErasePersonView;
    expect(view.erased).toMatchObject({ grants: 1, messages: 1, files: 1, calls: 1 });
    expect(response.body).not.toContain(w.kari.name);

    expect(await rowsMentioning(t.db, kariNeedles)).toEqual([]);
    expect(
      storedFiles(t.config.dataDir, w.admin.companyId).filter((f) => f.includes(path.basename(fileKey))),
    ).toEqual([]);

    // Her access and sessions are gone: her page answers 401.
    const page = await t.app.inject({
      method: 'GET',
      url: '/api/customer/page',
      headers: { cookie: w.customer },
    });
    expect(page.statusCode).toBe(401);
    const grant = await t.db
      .selectFrom('customer_access')
      .selectAll()
      .where('contact_id', '=', w.kariId)
      .executeTakeFirstOrThrow();
    expect(grant).toMatchObject({ state: 'removed', identified_name: null });

    // Per, the thread and the case facts stay.
    expect((await rowsMentioning(t.db, [w.per.name, w.per.email])).length).toBeGreaterThan(0);
    const per = await t.db
      .selectFrom('case_contacts')
      .selectAll()
      .where('id', '=', w.perId)
      .executeTakeFirstOrThrow();
    expect(per).toMatchObject({ name: w.per.name, email: w.per.email, erased_at: null });
    const messages = await t.db
      .selectFrom('case_messages')
      .selectAll()
      .where('case_id', '=', w.caseId)
      .execute();
    expect(messages).toHaveLength(2);
    const answer = await t.db
      .selectFrom('satisfaction_answers')
      .selectAll()
      .where('case_id', '=', w.caseId)
      .executeTakeFirstOrThrow();
    expect(answer).toMatchObject({ score: 5, comment: null });
    expect(messages.find((m) => m.direction === 'from_customer')).toMatchObject({
      body: '[Slettet]',
      sender_name: 'Slettet',
      sender_email: null,
    });
    expect(messages.find((m) => m.direction === 'to_customer')!.body).toBe(
      'Hei Slettet! Vi kommer i morgen.',
    );

    // One event without personal data, one audit line with counts only.
    const events = await t.db
      .selectFrom('case_events')
      .selectAll()
      .where('case_id', '=', w.caseId)
      .where('kind', '=', 'person_erased')
      .execute();
    expect(events.map((e) => JSON.parse(e.data))).toEqual([{ contactId: w.kariId }]);
    const lines = await t.db
      .selectFrom('audit_log')
      .selectAll()
      .where('company_id', '=', w.admin.companyId)
      .where('action', '=', 'person.erased')
      .execute();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ subject_type: 'person', subject_id: w.kariId });

    // The case page still reads, and the staff log says what happened.
    const caseView = await t.app.inject({
      method: 'GET',
      url: `/api/cases/${w.caseId}`,
      headers: browserHeaders(w.admin.cookie),
    });
    expect(caseView.statusCode).toBe(200);
    expect(caseView.body).not.toContain(w.kari.name);
    const shown = caseView.json() as {
      customer: { name: string; erasedAt?: string };
      contacts: { erasedAt?: string }[];
    };
    expect(shown.customer).toMatchObject({
      name: 'Slettet',
      email: null,
      phone: null,
      erasedAt: expect.any(String),
    });
    expect(shown.contacts.map((c) => c.erasedAt)).toEqual([undefined]);

    // Idempotent: a second erasure and an export afterwards are 409 person_erased.
    const again = await erase(w.admin.cookie, w.caseId, w.kariId);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: { code: 'person_erased' } });
    expect((await exportOf(w.admin.cookie, w.caseId, w.kariId)).json()).toMatchObject({
      error: { code: 'person_erased' },
    });
  });

  it('cancels messages still queued to her', async () => {
    const admin = await signedInUser(t.app, t.db, { level: 6 });
    await saveSettings(t.db, admin.companyId, { sendLink: 'case_created', accessFor: 'customer' });
    const s = uniqueSuffix();
    const kari = { name: `Kari Kø ${s}`, email: `kari-ko-${s}@example.test` };
    const { id: caseId } = await makeCase(t.db, staffActor(admin, 6), { customer: kari });
    const queued = await t.db.selectFrom('outbox').selectAll().where('case_id', '=', caseId).execute();
    expect(queued.filter((r) => r.state === 'queued' && r.recipient === kari.email)).toHaveLength(1);
    const contact = await t.db
      .selectFrom('case_contacts')
      .select('id')
      .where('case_id', '=', caseId)
      .executeTakeFirstOrThrow();
    expect((await erase(admin.cookie, caseId, contact.id)).statusCode).toBe(200);
    const rows = await t.db.selectFrom('outbox').selectAll().where('case_id', '=', caseId).execute();
    expect(rows.every((r) => r.state !== 'queued' && r.recipient === '' && r.body_text === '')).toBe(true);
    await deliver(t);
    expect(await rowsMentioning(t.db, [kari.name, kari.email])).toEqual([]);
  });
});

describe('erasure racing other changes', () => {
  it('racing her own message post: consistent, nothing of her left whichever ran first', async () => {
    const w = await world();
    const [erased, posted] = await Promise.all([
      erase(w.admin.cookie, w.caseId, w.kariId),
      customerPost(t.app, '/api/customer/messages', w.customer, { body: `Siste ord fra ${w.kari.name}` }),
    ]);
    expect(erased.statusCode, erased.body).toBe(200);
    expect([201, 401, 403]).toContain(posted.statusCode);
    expect(await rowsMentioning(t.db, [w.kari.name, w.kari.email, w.kari.phone])).toEqual([]);
  });

  it('two erasures at once: one erases, the other is 409, one event and one audit line', async () => {
    const w = await world();
    const responses = await Promise.all([
      erase(w.admin.cookie, w.caseId, w.kariId),
      erase(w.admin.cookie, w.caseId, w.kariId),
    ]);
    expect(responses.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const events = await t.db
      .selectFrom('case_events')
      .select('id')
      .where('case_id', '=', w.caseId)
      .where('kind', '=', 'person_erased')
      .execute();
    expect(events).toHaveLength(1);
    const lines = await t.db
      .selectFrom('audit_log')
      .select('id')
      .where('company_id', '=', w.admin.companyId)
      .where('action', '=', 'person.erased')
      .execute();
    expect(lines).toHaveLength(1);
  });
});
