import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AuditLogView } from '../../common/contracts/audit-api.ts';
import {
  customerGet,
  customerPost,
  openCustomerLink,
  saveSettings,
  uniquePhone,
  uniqueSuffix,
} from '../../../test/support/customer.ts';
import { browserHeaders, makeCase, signedInUser, staffActor } from '../../../test/support/factory.ts';
import { multipart, PDF } from '../../../test/support/multipart.ts';
import { TEST_ORIGIN, useTestApp } from '../../../test/support/test-app.ts';
import { reissueCustomerLinkToken } from '../customer-access/reissue-link.ts';
import { nowIso } from '../db/database.ts';
import type { OutboxTable } from '../db/schema.ts';
import { newId } from '../security/tokens.ts';
import { ANONYMISED_MESSAGE, ANONYMISED_NAME } from './anonymise-case.ts';
import { OUTBOX_GRACE_DAYS, retentionCutoff, runDataLifecycle } from './run-data-lifecycle.ts';

const t = useTestApp({ CUSTOMER_WRITE_LIMITS: 'off' });

const DAY = 24 * 60 * 60 * 1000;
/** Each test runs the job on a day of its own: runs are once per company and day. */
let dayNumber = 0;
const nextDay = () => new Date(Date.UTC(2036, 0, 1 + dayNumber++, 10, 0, 0));

type Admin = Awaited<ReturnType<typeof signedInUser>>;

const staffPost = (cookie: string, url: string, payload: object = {}) =>
  t.app.inject({ method: 'POST', url, headers: browserHeaders(cookie), payload });

/**
 * A case with a customer (name, e-mail, phone) who opened the page and wrote a message, a staff
 * message naming the customer, and a stored file; closed through the API, then its closing time set
 * to `closedAt` (the clock of a case closed years ago).
 */
async function caseWithPersonalData(admin: Admin, closedAt: Date | null) {
  const s = uniqueSuffix();
  const customer = { name: `Kari Nordmann ${s}`, email: `kari-${s}@example.test`, phone: uniquePhone() };
  const { id: caseId } = await makeCase(t.db, staffActor(admin, 6), { customer });
  const token = await reissueCustomerLinkToken(t.db, admin.companyId, caseId);
  if (!token) throw new Error('the customer has no access');
  const opened = await openCustomerLink(t.app, `${TEST_ORIGIN}/k/${token}`);
  if (!opened.cookie) throw new Error('no customer session');
  const fromCustomer = await customerPost(t.app, '/api/customer/messages', opened.cookie, {
    body: 'Vannet kom inn under kjøkkenbenken.',
  });
  expect(fromCustomer.statusCode, fromCustomer.body).toBe(201);
  const fromStaff = await staffPost(admin.cookie, `/api/cases/${caseId}/messages`, {
    body: `Hei ${customer.name}, takstmannen kommer tirsdag.`,
  });
  expect(fromStaff.statusCode, fromStaff.body).toBe(201);
  const { payload, contentType } = multipart([
    { name: 'kind', value: 'inspection_report' },
    { name: 'file', filename: 'Skaderapport.pdf', content: PDF },
  ]);
  const uploaded = await t.app.inject({
    method: 'POST',
    url: `/api/cases/${caseId}/documents`,
    headers: { ...browserHeaders(admin.cookie), 'content-type': contentType },
    payload,
  });
  expect(uploaded.statusCode, uploaded.body).toBe(201);
  if (closedAt) {
    const closed = await staffPost(admin.cookie, `/api/cases/${caseId}/close`);
    expect(closed.statusCode, closed.body).toBe(200);
    await t.db
      .updateTable('cases')
      .set({ closed_at: nowIso(closedAt) })
      .where('id', '=', caseId)
      .execute();
  }
  return { caseId, customer, customerCookie: opened.cookie };
}

const caseRow = (caseId: string) =>
  t.db.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirstOrThrow();
const contactsOf = (caseId: string) =>
  t.db.selectFrom('case_contacts').select(['name', 'email', 'phone']).where('case_id', '=', caseId).execute();
const messagesOf = (caseId: string) =>
  t.db
    .selectFrom('case_messages')
    .select(['body', 'sender_name', 'sender_email', 'sender_kind'])
    .where('case_id', '=', caseId)
    .execute();
const documentsOf = (caseId: string) =>
  t.db.selectFrom('documents').select(['id', 'storage_key']).where('case_id', '=', caseId).execute();
const fileOnDisk = (storageKey: string) => existsSync(path.join(t.config.dataDir, 'files', storageKey));

async function retentionLines(admin: Admin) {
  const response = await t.app.inject({
    method: 'GET',
    url: '/api/audit-log?action=retention.ran',
    headers: browserHeaders(admin.cookie),
  });
  expect(response.statusCode, response.body).toBe(200);
  return (response.json() as AuditLogView).items;
}

const runsOf = (companyId: string) =>
  t.db.selectFrom('retention_runs').selectAll().where('company_id', '=', companyId).orderBy('day').execute();

describe('retention job: cases past the company’s retention', () => {
  it('anonymises a case closed 10 years + 1 day ago and deletes its files; 9 years ago and open cases untouched', async () => {
    const now = nextDay();
    const admin = await signedInUser(t.app, t.db, { level: 6 });
    await saveSettings(t.db, admin.companyId, { sendLink: 'case_created', accessFor: 'customer' });
    const old = await caseWithPersonalData(admin, new Date(retentionCutoff(now, 10).getTime() - DAY));
    const recent = await caseWithPersonalData(admin, retentionCutoff(now, 9));
    const open = await caseWithPersonalData(admin, null);
    const oldFiles = await documentsOf(old.caseId);
    expect(oldFiles).toHaveLength(1);
    expect(fileOnDisk(oldFiles[0]!.storage_key)).toBe(true);
    const before = await caseRow(old.caseId);

    const results = await runDataLifecycle(t.db, now);
    expect(results.find((r) => r.companyId === admin.companyId)).toMatchObject({
      casesAnonymised: 1,
      filesDeleted: 1,
    });

    // The old case: people, messages, files and access gone…
    expect(await contactsOf(old.caseId)).toEqual([{ name: ANONYMISED_NAME, email: null, phone: null }]);
    const messages = await messagesOf(old.caseId);
    expect(messages.length).toBeGreaterThanOrEqual(2);
    for (const message of messages) expect(message.body).toBe(ANONYMISED_MESSAGE);
    expect(messages.find((m) => m.sender_kind === 'customer')).toMatchObject({
      sender_name: ANONYMISED_NAME,
      sender_email: null,
    });
    expect(await documentsOf(old.caseId)).toEqual([]);
    expect(fileOnDisk(oldFiles[0]!.storage_key)).toBe(false);
    expect((await customerGet(t.app, '/api/customer/satisfaction', old.customerCookie)).statusCode).toBe(401);
    const grants = await t.db
      .selectFrom('customer_access')
      .select('state')
      .where('case_id', '=', old.caseId)
      .execute();
    expect(grants.map((g) => g.state)).toEqual(['removed']);
    const log = await t.db
      .selectFrom('case_events')
      .select('data')
      .where('case_id', '=', old.caseId)
      .execute();
    const logText = log.map((e) => e.data).join('\n');
    expect(logText).not.toContain(old.customer.name);
    expect(logText).not.toContain(old.customer.email);
    const outbox = await t.db
      .selectFrom('outbox')
      .select(['recipient', 'body_text', 'subject'])
      .where('case_id', '=', old.caseId)
      .execute();
    expect(outbox.length).toBeGreaterThan(0);
    for (const row of outbox) expect(row).toEqual({ recipient: '', body_text: '', subject: null });
    const search = await t.app.inject({
      method: 'GET',
      url: `/api/cases?q=${encodeURIComponent(old.customer.name)}`,
      headers: browserHeaders(admin.cookie),
    });
    expect(search.statusCode, search.body).toBe(200);
    expect((search.json() as { total: number }).total).toBe(0);

    // …its facts kept.
    const after = await caseRow(old.caseId);
    expect(after).toMatchObject({
      claim_number: before.claim_number,
      status: 'closed',
      closed_at: before.closed_at,
      created_at: before.created_at,
      street: before.street,
    });
    expect(after.personal_data_removed_at).toBe(nowIso(now));

    // The case closed 9 years ago and the open case: untouched.
    for (const kept of [recent, open]) {
      expect(await contactsOf(kept.caseId)).toEqual([
        { name: kept.customer.name, email: kept.customer.email, phone: kept.customer.phone },
      ]);
      expect((await messagesOf(kept.caseId)).map((m) => m.body)).toContain(
        'Vannet kom inn under kjøkkenbenken.',
      );
      const files = await documentsOf(kept.caseId);
      expect(files).toHaveLength(1);
      expect(fileOnDisk(files[0]!.storage_key)).toBe(true);
      expect((await customerGet(t.app, '/api/customer/satisfaction', kept.customerCookie)).statusCode).toBe(
        200,
      );
      expect((await caseRow(kept.caseId)).personal_data_removed_at).toBeNull();
    }

    // The run is recorded, and audited.
    expect(await runsOf(admin.companyId)).toMatchObject([
      { day: '2036-01-01', cases_anonymised: 1, files_deleted: 1, finished_at: nowIso(now) },
    ]);
    const lines = await retentionLines(admin);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      actor: { kind: 'system', id: null, name: null },
      detail: { casesAnonymised: 1, filesDeleted: 1, retentionYears: 10 },
    });
  });

  it('follows the company’s own retention, and a case reopened since is not touched', async () => {
    const now = nextDay();
    const admin = await signedInUser(t.app, t.db, { level: 6 });
    const saved = await t.app.inject({
      method: 'PATCH',
      url: '/api/company',
      headers: browserHeaders(admin.cookie),
      payload: { personalDataRetentionYears: 3 },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const fourYears = await caseWithPersonalData(admin, retentionCutoff(now, 4));
    const reopened = await caseWithPersonalData(admin, retentionCutoff(now, 4));
    const reopen = await staffPost(admin.cookie, `/api/cases/${reopened.caseId}/reopen`, {
      reason: 'Ny skade',
    });
    expect(reopen.statusCode, reopen.body).toBe(200);

    await runDataLifecycle(t.db, now);
    expect(await contactsOf(fourYears.caseId)).toEqual([{ name: ANONYMISED_NAME, email: null, phone: null }]);
    expect((await contactsOf(reopened.caseId))[0]!.name).toBe(reopened.customer.name);
    expect((await retentionLines(admin))[0]).toMatchObject({
      detail: { casesAnonymised: 1, retentionYears: 3 },
    });
  });

  it('runs once a day: a second run the same day does nothing, two at once make one run; the next day runs again', async () => {
    const now = nextDay();
    const admin = await signedInUser(t.app, t.db, { level: 6 });
    const first = await caseWithPersonalData(admin, new Date(retentionCutoff(now, 10).getTime() - DAY));

    const parallel = await Promise.all([runDataLifecycle(t.db, now), runDataLifecycle(t.db, now)]);
    const ours = parallel.flat().filter((r) => r.companyId === admin.companyId);
    expect(ours).toHaveLength(1);
    expect(ours[0]).toMatchObject({ casesAnonymised: 1 });

    // A case past retention arriving later the same day waits for tomorrow.
    const second = await caseWithPersonalData(admin, new Date(retentionCutoff(now, 10).getTime() - DAY));
    const later = await runDataLifecycle(t.db, new Date(now.getTime() + 60 * 60 * 1000));
    expect(later.filter((r) => r.companyId === admin.companyId)).toEqual([]);
    expect((await contactsOf(second.caseId))[0]!.name).toBe(second.customer.name);
    expect(await runsOf(admin.companyId)).toHaveLength(1);
    expect(await retentionLines(admin)).toHaveLength(1);

    const tomorrow = await runDataLifecycle(t.db, new Date(now.getTime() + DAY));
    expect(tomorrow.filter((r) => r.companyId === admin.companyId)).toMatchObject([{ casesAnonymised: 1 }]);
    expect((await contactsOf(second.caseId))[0]!.name).toBe(ANONYMISED_NAME);
    expect((await contactsOf(first.caseId))[0]!.name).toBe(ANONYMISED_NAME);
    expect(await runsOf(admin.companyId)).toHaveLength(2);
    expect(await retentionLines(admin)).toHaveLength(2);
  });
});

describe('retention job: outbox scrubbing', () => {
  it('clears addresses and texts of rows delivered or failed longer ago than the grace period only', async () => {
    const now = nextDay();
    const admin = await signedInUser(t.app, t.db, { level: 6 });
    const ago = (days: number) => nowIso(new Date(now.getTime() - days * DAY));
    const row = (id: string, values: Partial<OutboxTable>): OutboxTable => ({
      id,
      company_id: admin.companyId,
      case_id: null,
      access_id: null,
      kind: 'message_notice',
      channel: 'email',
      recipient: `kari-${id}@example.test`,
      sender_name: 'Test Forsikring',
      subject: 'Ny melding i saken din',
      body_text: 'Hei Kari, du har en ny melding.',
      body_html: '<p>Hei Kari</p>',
      secret_sealed: null,
      idempotency_key: `test:${id}`,
      state: 'sent',
      attempts: 1,
      next_attempt_at: ago(60),
      last_error: null,
      locked_by: null,
      locked_until: null,
      delivered_via: 'smtp',
      created_at: ago(60),
      sent_at: ago(60),
      provider_status: null,
      provider_status_at: null,
      provider_error: null,
      ...values,
    });
    const ids = {
      sentLongAgo: newId(),
      sentRecently: newId(),
      failedLongAgo: newId(),
      queued: newId(),
      smsLongAgo: newId(),
    };
    await t.db
      .insertInto('outbox')
      .values([
        row(ids.sentLongAgo, { sent_at: ago(OUTBOX_GRACE_DAYS + 1) }),
        row(ids.sentRecently, {
          sent_at: ago(OUTBOX_GRACE_DAYS - 1),
          created_at: ago(OUTBOX_GRACE_DAYS - 1),
        }),
        row(ids.failedLongAgo, {
          state: 'failed',
          sent_at: null,
          last_error: 'mailbox full',
          delivered_via: null,
        }),
        row(ids.queued, { state: 'queued', sent_at: null, delivered_via: null }),
        row(ids.smsLongAgo, {
          channel: 'sms',
          recipient: '+4791234567',
          subject: null,
          body_html: null,
          delivered_via: 'sms-webhook',
          provider_status: 'delivered',
          provider_status_at: ago(59),
          sent_at: ago(59),
        }),
      ])
      .execute();

    const results = await runDataLifecycle(t.db, now);
    expect(results.find((r) => r.companyId === admin.companyId)).toMatchObject({ outboxScrubbed: 3 });

    const rows = await t.db
      .selectFrom('outbox')
      .selectAll()
      .where('company_id', '=', admin.companyId)
      .execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const id of [ids.sentLongAgo, ids.failedLongAgo, ids.smsLongAgo]) {
      const scrubbed = byId.get(id)!;
      expect(scrubbed).toMatchObject({
        recipient: '',
        subject: null,
        body_text: '',
        body_html: null,
        personal_data_scrubbed_at: nowIso(now),
      });
    }
    // Status, channel and times stay.
    expect(byId.get(ids.sentLongAgo)).toMatchObject({
      state: 'sent',
      channel: 'email',
      sent_at: ago(OUTBOX_GRACE_DAYS + 1),
    });
    expect(byId.get(ids.failedLongAgo)).toMatchObject({ state: 'failed', last_error: 'mailbox full' });
    expect(byId.get(ids.smsLongAgo)).toMatchObject({ channel: 'sms', provider_status: 'delivered' });
    // Within the grace period, or not delivered yet: kept whole.
    for (const id of [ids.sentRecently, ids.queued]) {
      expect(byId.get(id)).toMatchObject({
        recipient: `kari-${id}@example.test`,
        body_text: 'Hei Kari, du har en ny melding.',
        personal_data_scrubbed_at: null,
      });
    }
  });
});
