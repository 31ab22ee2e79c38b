import SQLite from 'better-sqlite3';
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/server/security/actor.ts';
import { loadConfig, type Config } from '../../../src/server/config.ts';
import { createDb, type Db } from '../../../src/server/db/database.ts';
import { caseChangeSteps, deliveryListeners } from '../../../src/server/app.ts';
import { setUpCaseWork } from '../../../src/server/case-commands/case-command.ts';
import { migrateToLatest } from '../../../src/server/db/migrate.ts';
import { createOutbox, setUpOutbox } from '../../../src/server/outbox/outbox.ts';
import { runOutboxOnce } from '../../../src/server/outbox/worker.ts';
import type { AuthorizationLevel } from '../../../src/common/rules/enums.ts';
import { uniquePhone, uniqueSuffix } from '../../support/customer.ts';
import { createTestDatabase, type TestDatabase } from '../../support/databases.ts';
import { makeApiKey, makeCase, makeCompany } from '../../support/factory.ts';
import { startSinks, type Sinks } from '../../support/sinks.ts';
import { skipReason } from '../../support/skip-unavailable.ts';
import { serverProcess, sleep, waitFor, type ServerProcess } from './server-process.ts';

// Crash safety of the real server (`npm start`'s main.ts in a child process): a stream of staff
// requests — new cases and manual grants (each queues the customer link by e-mail and SMS through
// the outbox), uploads, and staff messages to the customer (text, or text with files; each queues a
// notice to everyone with access) — while the
// process is killed with SIGKILL at random moments and started again on the same database and
// DATA_DIR. Afterwards: every acknowledged request is there exactly once, nothing is half-written,
// no file lies outside the temp area without its row, and every queued message reaches the SMTP
// and SMS sinks exactly once by idempotency key (a re-send after a kill carries the same key and
// the same content, as a provider honouring keys would collapse it).

const SECRET = 'crash-test-secret-crash-test-secret-0000';
const ROUNDS = 4;
const CONCURRENCY = 6;

interface Sent {
  kind: 'case' | 'grant' | 'upload' | 'message';
  /** Claim number, contact id, file name or message text: how its rows are found. */
  marker: string;
  acked: boolean;
  /** The HTTP status when an answer arrived (no answer: the process was killed mid-flight). */
  status: number | null;
  /** The files sent (an upload's one, a message's attachments), by their unique names. */
  files: Array<{ name: string; sha256: string }>;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** A text file the upload's type sniffing accepts (UTF-8 text, not HTML), of `size` bytes. */
function textFile(size: number): Buffer {
  const line = () => `${randomBytes(30).toString('hex')}\n`;
  let text = '';
  while (text.length < size) text += line();
  return Buffer.from(text.slice(0, size), 'utf8');
}

/** Every file under `dir` (relative paths), the temp area `.tmp` apart. */
function storedFiles(root: string): string[] {
  if (!existsSync(root)) return [];
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) {
        if (full !== path.join(root, '.tmp')) walk(full);
      } else found.push(path.relative(root, full).split(path.sep).join('/'));
    }
  };
  walk(root);
  return found.sort();
}

/** The staged uploads (`.tmp/*.part`) under the storage root. */
function stagedFiles(root: string): string[] {
  const dir = path.join(root, '.tmp');
  return existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith('.part')) : [];
}

describe.skipIf(Boolean(skipReason))('crash safety: the server killed with SIGKILL under load', () => {
  let testDb: TestDatabase;
  let db: Db;
  let sinks: Sinks;
  let server: ServerProcess;
  let apiKey: string;
  let actor: Actor;
  let databaseEnv: Record<string, string>;
  let config: Config;
  let filesRoot: string;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    // The child derives its SQLite file from DATA_DIR; both sides must open the same file.
    const database: Config['database'] =
      testDb.database.kind === 'sqlite'
        ? { kind: 'sqlite', file: path.join(testDb.dataDir, 'kundeside.sqlite') }
        : testDb.database;
    databaseEnv = database.kind === 'postgres' ? { DATABASE_URL: database.url } : {};
    filesRoot = path.join(testDb.dataDir, 'files');
    db = createDb(database);
    await migrateToLatest(db);
    // Cases are set up here through the services, beside the server process.
    setUpCaseWork(db, { steps: caseChangeSteps, live: null });
    sinks = await startSinks({ tolerateClientErrors: true });
    server = await serverProcess({
      NODE_ENV: 'production',
      DATA_DIR: testDb.dataDir,
      SESSION_SECRET: SECRET,
      ...sinks.env,
      SMS_WEBHOOK_SECRET: SECRET,
      ...databaseEnv,
    });
    config = {
      ...loadConfig({
        NODE_ENV: 'test',
        DATA_DIR: testDb.dataDir,
        PUBLIC_BASE_URL: server.baseUrl,
        SESSION_SECRET: SECRET,
        LOG_LEVEL: 'silent',
        ...sinks.env,
      }),
      database,
    };
    // Links queued here (cases set up below) are sealed with the server's secret.
    setUpOutbox(db, createOutbox(config, deliveryListeners));
    const company = await makeCompany(db);
    apiKey = (await makeApiKey(db, company.id, 6)).key;
    actor = {
      kind: 'api_key',
      apiKeyId: 'crash-setup',
      companyId: company.id,
      level: 6 as AuthorizationLevel,
    };
  });

  afterAll(async () => {
    server?.cleanup();
    await sinks?.setSmsFault('none');
    await sinks?.close();
    await db?.destroy();
    await testDb?.drop();
  });

  const api = (pathName: string, init: RequestInit = {}) =>
    fetch(`${server.baseUrl}${pathName}`, {
      ...init,
      headers: { authorization: `Bearer ${apiKey}`, ...(init.headers as Record<string, string>) },
    });

  /** A case of this company with `contacts` further people (e-mail and phone each) to grant access to. */
  async function caseWithContacts(contacts: number) {
    const { id } = await makeCase(db, actor, {
      customer: { name: 'Kari Kunde', email: `kari-${uniqueSuffix()}@example.test`, phone: uniquePhone() },
      contacts: Array.from({ length: contacts }, (_, i) => ({
        name: `Kontakt ${i}`,
        role: 'other' as const,
        email: `kontakt-${uniqueSuffix()}@example.test`,
        phone: uniquePhone(),
      })),
    });
    const people = await db
      .selectFrom('case_contacts')
      .select(['id'])
      .where('case_id', '=', id)
      .where('role', '=', 'other')
      .execute();
    return { caseId: id, contactIds: people.map((p) => p.id) };
  }

  it('keeps every acknowledged request exactly once, nothing half-written, every message delivered once', async ({
    annotate,
  }) => {
    const grantPool: Array<{ caseId: string; contactId: string }> = [];
    for (let i = 0; i < 5; i += 1) {
      const c = await caseWithContacts(20);
      for (const contactId of c.contactIds) grantPool.push({ caseId: c.caseId, contactId });
    }
    const uploadCase = (await caseWithContacts(0)).caseId;
    // Only its customer has access, so each message queues one notice.
    const messageCase = (await caseWithContacts(0)).caseId;

    const sent: Sent[] = [];
    let kills = 0;

    const send = async (kind: Sent['kind'], round: number, n: number): Promise<void> => {
      const entry: Sent = { kind, marker: '', acked: false, status: null, files: [] };
      const attach = (form: FormData, field: string) => {
        const bytes = textFile(randomInt(1_000, 400_000));
        const name = `crash-${round}-${n}-${uniqueSuffix()}.txt`;
        entry.files.push({ name, sha256: sha256(bytes) });
        form.append(field, new Blob([new Uint8Array(bytes)], { type: 'text/plain' }), name);
      };
      let request: () => Promise<Response>;
      if (kind === 'case') {
        entry.marker = `CRASH-${round}-${n}-${uniqueSuffix()}`;
        const body = {
          claimNumber: entry.marker,
          address: { street: 'Kirkegata 1', postalCode: '0153', city: 'Oslo' },
          customer: { name: 'Ola Kunde', email: `ola-${uniqueSuffix()}@example.test`, phone: uniquePhone() },
        };
        request = () =>
          api('/api/cases', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body),
          });
      } else if (kind === 'grant') {
        const target = grantPool.shift()!;
        entry.marker = target.contactId;
        request = () =>
          api(`/api/cases/${target.caseId}/customer-access`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ contactId: target.contactId }),
          });
      } else if (kind === 'message') {
        // Every other message carries one or two files (multipart), the rest are JSON text.
        entry.marker = `Crash message ${round}-${n}-${uniqueSuffix()}`;
        if (n % 2 === 0) {
          const form = new FormData();
          form.append('body', entry.marker);
          for (let i = 0; i < 1 + (n % 3 === 0 ? 1 : 0); i += 1) attach(form, 'files');
          request = () => api(`/api/cases/${messageCase}/messages`, { method: 'POST', body: form });
        } else {
          request = () =>
            api(`/api/cases/${messageCase}/messages`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ body: entry.marker }),
            });
        }
      } else {
        const form = new FormData();
        form.append('kind', 'other');
        attach(form, 'file');
        entry.marker = entry.files[0]!.name;
        request = () => api(`/api/cases/${uploadCase}/documents`, { method: 'POST', body: form });
      }
      sent.push(entry);
      try {
        const response = await request();
        await response.arrayBuffer();
        entry.status = response.status;
        entry.acked = response.ok;
      } catch {
        // Cut off by the kill: neither acknowledged nor refused.
      }
    };

    for (let round = 0; round < ROUNDS; round += 1) {
      await server.start();
      let stop = false;
      let n = 0;
      const kinds: Array<Sent['kind']> = ['case', 'grant', 'upload', 'message'];
      const startedAt = sent.length;
      const expected = kinds.filter((k) => k !== 'grant' || grantPool.length > 10);
      const streams = Array.from({ length: CONCURRENCY }, async () => {
        while (!stop) {
          let kind = kinds[n % kinds.length]!;
          if (kind === 'grant' && !grantPool.length) kind = 'case';
          n += 1;
          await send(kind, round, n);
        }
      });
      // Kill at a random moment, once this start has answered a request of every kind (so every
      // round makes progress however slow the machine is).
      await waitFor(
        'an answered request of every kind',
        async () => expected.every((k) => sent.slice(startedAt).some((e) => e.kind === k && e.acked)),
        60_000,
      );
      await sleep(randomInt(0, 1200));
      await server.kill();
      kills += 1;
      stop = true;
      await Promise.all(streams);
    }

    // The last start: no load; its worker delivers what is due. Messages claimed by a killed
    // process stay leased for OUTBOX_LIMITS.leaseMs (2 min): they are delivered further down by a
    // worker pass with the clock moved past the lease, as the running worker would after 2 minutes.
    await server.start();
    const answered = sent.filter((s) => s.status !== null);
    expect(
      answered.filter((s) => !s.acked).map((s) => `${s.kind} ${s.marker}: ${s.status}`),
      'no request that got an answer was refused',
    ).toEqual([]);
    const acked = sent.filter((s) => s.acked);
    expect(acked.filter((s) => s.kind === 'case').length).toBeGreaterThan(0);
    expect(acked.filter((s) => s.kind === 'grant').length).toBeGreaterThan(0);
    expect(acked.filter((s) => s.kind === 'upload').length).toBeGreaterThan(0);
    expect(acked.filter((s) => s.kind === 'message').length).toBeGreaterThan(0);

    // Acknowledged uploads and message attachments download with their bytes from the restarted server.
    for (const file of acked.flatMap((s) => s.files)) {
      const row = await db
        .selectFrom('documents')
        .select('id')
        .where('file_name', '=', file.name)
        .executeTakeFirstOrThrow();
      const response = await api(`/api/documents/${row.id}/download`);
      expect(response.status, `download of ${file.name}`).toBe(200);
      expect(sha256(Buffer.from(await response.arrayBuffer()))).toBe(file.sha256);
    }

    await waitFor(
      'the worker to deliver everything that is not leased by a killed process',
      async () => {
        const due = await db
          .selectFrom('outbox')
          .select('id')
          .where('state', '=', 'queued')
          .where('next_attempt_at', '<=', new Date().toISOString())
          .execute();
        return due.length === 0;
      },
      45_000,
    );
    await server.stop();
    const later = new Date(Date.now() + 3 * 60_000);
    await runOutboxOnce({ db, config }, later);

    // --- Cases: an acknowledged case once; any case of the stream complete with its two links.
    const cases = await db
      .selectFrom('cases')
      .select(['id', 'claim_number'])
      .where('claim_number', 'like', 'CRASH-%')
      .execute();
    const casesByMarker = new Map<string, string[]>();
    for (const c of cases)
      casesByMarker.set(c.claim_number, [...(casesByMarker.get(c.claim_number) ?? []), c.id]);
    for (const s of sent.filter((e) => e.kind === 'case')) {
      const found = casesByMarker.get(s.marker) ?? [];
      if (s.acked) expect(found, `acknowledged case ${s.marker}`).toHaveLength(1);
      else expect(found.length, `unacknowledged case ${s.marker}`).toBeLessThanOrEqual(1);
    }
    for (const c of cases) {
      const [access, links] = await Promise.all([
        db.selectFrom('customer_access').select('id').where('case_id', '=', c.id).execute(),
        db
          .selectFrom('outbox')
          .select('channel')
          .where('case_id', '=', c.id)
          .where('kind', '=', 'customer_link')
          .execute(),
      ]);
      expect(access, `access of case ${c.claim_number}`).toHaveLength(1);
      expect(links.map((l) => l.channel).sort(), `links of case ${c.claim_number}`).toEqual(['email', 'sms']);
    }

    // --- Grants: acknowledged once and active; any grant complete with its two links.
    for (const s of sent.filter((e) => e.kind === 'grant')) {
      const grants = await db
        .selectFrom('customer_access')
        .select(['id', 'state'])
        .where('contact_id', '=', s.marker)
        .execute();
      if (s.acked)
        expect(
          grants.map((g) => g.state),
          `acknowledged grant ${s.marker}`,
        ).toEqual(['active']);
      else expect(grants.length).toBeLessThanOrEqual(1);
      for (const grant of grants) {
        const links = await db
          .selectFrom('outbox')
          .select('channel')
          .where('access_id', '=', grant.id)
          .where('kind', '=', 'customer_link')
          .execute();
        expect(links.map((l) => l.channel).sort(), `links of grant ${grant.id}`).toEqual(['email', 'sms']);
      }
    }

    // --- Uploads: an acknowledged upload once.
    const documents = await db
      .selectFrom('documents')
      .select(['id', 'file_name', 'storage_key', 'size_bytes'])
      .where('case_id', 'in', [uploadCase, messageCase])
      .execute();
    for (const s of sent.filter((e) => e.kind === 'upload')) {
      const rows = documents.filter((d) => d.file_name === s.marker);
      if (s.acked) expect(rows, `acknowledged upload ${s.marker}`).toHaveLength(1);
      else expect(rows.length).toBeLessThanOrEqual(1);
    }

    // --- Staff messages: an acknowledged message once; any message with all its files and a notice.
    for (const s of sent.filter((e) => e.kind === 'message')) {
      const rows = await db
        .selectFrom('case_messages')
        .select('id')
        .where('case_id', '=', messageCase)
        .where('body', '=', s.marker)
        .execute();
      if (s.acked) expect(rows, `acknowledged message ${s.marker}`).toHaveLength(1);
      else expect(rows.length).toBeLessThanOrEqual(1);
      for (const message of rows) {
        const attached = await db
          .selectFrom('message_attachments as a')
          .innerJoin('documents as d', 'd.id', 'a.document_id')
          .select('d.file_name')
          .where('a.message_id', '=', message.id)
          .execute();
        expect(attached.map((a) => a.file_name).sort(), `files of message ${s.marker}`).toEqual(
          s.files.map((f) => f.name).sort(),
        );
        const notices = await db
          .selectFrom('outbox')
          .select('id')
          .where('idempotency_key', 'like', `message:${message.id}:%`)
          .execute();
        expect(notices.length, `notices of message ${s.marker}`).toBeGreaterThan(0);
      }
    }

    // --- Files: every document row has its file with the bytes sent; no file without its row.
    const sentFiles = new Map(sent.flatMap((e) => e.files).map((f) => [f.name, f.sha256]));
    for (const d of documents) {
      const file = path.join(filesRoot, ...d.storage_key.split('/'));
      expect(existsSync(file), `file of document ${d.file_name}`).toBe(true);
      const bytes = readFileSync(file);
      expect(sha256(bytes), `bytes of ${d.file_name}`).toBe(sentFiles.get(d.file_name));
      expect(Number(d.size_bytes)).toBe(bytes.length);
    }
    const keys = new Set(
      (await db.selectFrom('documents').select('storage_key').execute()).map((d) => d.storage_key),
    );
    // Asserted last, so the checks below run and report whatever this finds.
    const orphans = storedFiles(filesRoot).filter((file) => !keys.has(file));

    // --- The outbox: every message sent, each key delivered, re-sends only after a kill, same content.
    const outbox = await db
      .selectFrom('outbox')
      .select(['idempotency_key', 'channel', 'recipient', 'state', 'last_error'])
      .execute();
    expect(outbox.filter((m) => m.state !== 'sent')).toEqual([]);
    const deliveries = [
      ...sinks.mails.map((m) => ({ key: m.idempotencyKey, to: m.to.join(','), content: m.text })),
      ...sinks.sms.map((m) => ({ key: m.idempotencyKey, to: m.to, content: m.body })),
    ];
    const byKey = new Map<string, typeof deliveries>();
    for (const d of deliveries) byKey.set(d.key, [...(byKey.get(d.key) ?? []), d]);
    expect([...byKey.keys()].sort()).toEqual(outbox.map((m) => m.idempotency_key).sort());
    for (const m of outbox) {
      const seen = byKey.get(m.idempotency_key)!;
      expect(seen.every((d) => d.to === m.recipient && d.content === seen[0]!.content)).toBe(true);
    }
    // Only a message in delivery at the moment of a kill can be sent twice (one at a time per worker).
    const resent = deliveries.length - byKey.size;
    expect(resent).toBeLessThanOrEqual(kills);

    await annotate(
      `crash safety (${testDb.database.kind}): ${kills} kills, ${sent.length} requests, ` +
        `${acked.length} acknowledged, ${sent.filter((s) => s.status === null).length} cut off; ` +
        `${outbox.length} outbox messages, ${resent} re-sent after a kill; ${orphans.length} orphan files`,
    );
    expect(orphans, 'files outside the temp area without a document row').toEqual([]);
  }, 150_000);

  it('leaves no stored file behind when killed between storing an upload and committing its row', async () => {
    // Hold the case row (PostgreSQL) or the write lock (SQLite) so the upload stops inside its
    // transaction, after its bytes were staged; kill the server there; then look at the disk.
    await server.stop();
    const { caseId } = await caseWithContacts(0);
    const companyDir = path.join(filesRoot, actor.companyId);
    const before = new Set(storedFiles(filesRoot));
    const stagedBefore = new Set(stagedFiles(filesRoot));
    // No outbox worker: on SQLite its polls would wait for the same write lock.
    await server.start({ OUTBOX_WORKER: 'false' });
    // The key's last use is recorded at most once a minute: record it now, before the lock.
    const warmUp = await api(`/api/cases/${caseId}`);
    await warmUp.arrayBuffer();
    expect(warmUp.status).toBe(200);
    let release: () => Promise<void>;
    if (testDb.database.kind === 'postgres') {
      const client = new pg.Client({ connectionString: testDb.database.url });
      await client.connect();
      await client.query('begin');
      await client.query('update cases set updated_at = updated_at where id = $1', [caseId]);
      release = async () => {
        await client.query('rollback');
        await client.end();
      };
    } else {
      const sqlite = new SQLite(path.join(testDb.dataDir, 'kundeside.sqlite'));
      sqlite.exec('begin immediate');
      release = async () => {
        sqlite.exec('rollback');
        sqlite.close();
      };
    }
    try {
      const form = new FormData();
      form.append('kind', 'other');
      form.append('file', new Blob([new Uint8Array(textFile(5_000))], { type: 'text/plain' }), 'locked.txt');
      let answered = false;
      const upload = api(`/api/cases/${caseId}/documents`, { method: 'POST', body: form }).then(
        (response) => {
          answered = true;
          return response.status;
        },
        () => null,
      );
      // (An answer instead — which must not come while the lock is held — fails the check below.)
      // Its bytes are staged (under .tmp, named by the document id) before the transaction starts.
      await waitFor(
        'the upload to stage its file',
        async () => answered || stagedFiles(filesRoot).some((f) => !stagedBefore.has(f)),
        30_000,
      );
      expect(existsSync(companyDir) && storedFiles(filesRoot).some((f) => !before.has(f))).toBe(false);
      await server.kill();
      expect(await upload, 'the upload was cut off, not answered').toBeNull();
    } finally {
      await release();
    }
    await server.start();
    await server.stop();
    const rows = await db.selectFrom('documents').select('id').where('case_id', '=', caseId).execute();
    expect(rows).toEqual([]);
    expect(
      storedFiles(filesRoot).filter((f) => !before.has(f)),
      'a file of an upload that was never committed, outside the temp area',
    ).toEqual([]);
  }, 90_000);
});
