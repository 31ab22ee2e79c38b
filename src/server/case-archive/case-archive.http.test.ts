import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import type { CaseArchiveView } from '../../common/contracts/case-archive-api.ts';
import {
  customerGet,
  customerPost,
  openCustomerLink,
  saveSettings,
  uniqueSuffix,
} from '../../../test/support/customer.ts';
import { browserHeaders, makeCase, signedInUser, staffActor } from '../../../test/support/factory.ts';
import { multipart, PDF, type Part } from '../../../test/support/multipart.ts';
import { TEST_ORIGIN, useTestApp } from '../../../test/support/test-app.ts';
import { buildApp } from '../app.ts';
import { reissueCustomerLinkToken } from '../customer-access/reissue-link.ts';
import { createDb } from '../db/database.ts';
import { ARCHIVE_NOTICE_DAYS, sendArchiveNoticesWhenDue } from './archive-notices.ts';

const t = useTestApp({ CUSTOMER_WRITE_LIMITS: 'off' });

const DAY = 86_400_000;
const file = (filename: string, content: Buffer): Part => ({ name: 'file', filename, content });
const kind = (value: string): Part => ({ name: 'kind', value });
/** A PDF of its own bytes (a comment line), so every file in the archive can be told apart. */
const pdf = () => Buffer.concat([PDF, Buffer.from(`%${randomBytes(8).toString('hex')}\n`)]);

/** A case of a new company whose customer opened the page; settings: 30 days visible after closing. */
async function world(overrides: { visibleDaysAfterClose?: number } = {}) {
  const admin = await signedInUser(t.app, t.db, { level: 6 });
  await saveSettings(t.db, admin.companyId, {
    sendLink: 'case_created',
    accessFor: 'customer',
    visibleDaysAfterClose: overrides.visibleDaysAfterClose ?? 30,
  });
  const s = uniqueSuffix();
  const { id: caseId } = await makeCase(t.db, staffActor(admin, 6), {
    customer: { name: `Kari ${s}`, email: `kari-${s}@example.test` },
    caseHandlerId: admin.id,
  });
  const token = await reissueCustomerLinkToken(t.db, admin.companyId, caseId);
  if (!token) throw new Error('the customer has no access');
  const opened = await openCustomerLink(t.app, `${TEST_ORIGIN}/k/${token}`);
  if (!opened.cookie) throw new Error('no customer session');
  return { admin, caseId, customer: opened.cookie, email: `kari-${s}@example.test` };
}

async function upload(cookie: string, caseId: string, name: string, bytes: Buffer, as = 'other') {
  const { payload, contentType } = multipart([kind(as), file(name, bytes)]);
  const response = await t.app.inject({
    method: 'POST',
    url: `/api/cases/${caseId}/documents`,
    headers: { ...browserHeaders(cookie), 'content-type': contentType },
    payload,
  });
  expect(response.statusCode, response.body).toBe(201);
  return (response.json() as { id: string }).id;
}

async function staff(cookie: string, url: string, payload: object = {}) {
  const response = await t.app.inject({ method: 'POST', url, headers: browserHeaders(cookie), payload });
  expect(response.statusCode, response.body).toBeLessThan(300);
  return response;
}

const download = (cookie: string | null, lang?: string) =>
  customerGet(t.app, `/api/customer/archive/download${lang ? `?lang=${lang}` : ''}`, cookie);

/** The entries of a zip, read back with yauzl: name → bytes. */
function unzip(bytes: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error('no zip'));
      const entries = new Map<string, Buffer>();
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (openError, stream) => {
          if (openError || !stream) return reject(openError ?? new Error('no stream'));
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

const archiveNotices = (caseId: string) =>
  t.db
    .selectFrom('outbox')
    .selectAll()
    .where('case_id', '=', caseId)
    .where('kind', '=', 'archive_notice')
    .execute();

describe('case archive: the download', () => {
  it('needs the customer session: no cookie and a staff session both get 401', async () => {
    const w = await world();
    expect((await download(null)).statusCode).toBe(401);
    expect((await download(w.admin.cookie)).statusCode).toBe(401);
    expect((await customerGet(t.app, '/api/customer/archive', null)).statusCode).toBe(401);
  });

  it('refuses an unknown language with 400', async () => {
    const w = await world();
    const response = await download(w.customer, 'de');
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: { code: 'validation_failed' } });
  });

  it('is refused while the case is open (409 archive_not_available)', async () => {
    const w = await world();
    const state = (await customerGet(t.app, '/api/customer/archive', w.customer)).json() as CaseArchiveView;
    expect(state).toEqual({ state: 'not_closed', lastDay: null });
    const response = await download(w.customer);
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ error: { code: 'archive_not_available' } });
  });

  it('is not there once the page has closed (0 days visible after closing)', async () => {
    const w = await world({ visibleDaysAfterClose: 0 });
    await staff(w.admin.cookie, `/api/cases/${w.caseId}/close`);
    expect([401, 403]).toContain((await download(w.customer)).statusCode);
  });

  it('streams a zip of the shared documents, the thread and a summary — nothing internal', async () => {
    const w = await world();
    const sharedBytes = pdf();
    const secondBytes = pdf();
    const shared = await upload(w.admin.cookie, w.caseId, 'Takst <Ørsta>.pdf', sharedBytes);
    const sameName = await upload(w.admin.cookie, w.caseId, 'Takst <Ørsta>.pdf', secondBytes);
    const report = await upload(w.admin.cookie, w.caseId, 'Besiktigelse.pdf', pdf(), 'inspection_report');
    const internal = await upload(w.admin.cookie, w.caseId, 'Intern vurdering.pdf', pdf());
    await staff(w.admin.cookie, `/api/cases/${w.caseId}/documents/share`, {
      documentIds: [shared, sameName],
    });
    await staff(w.admin.cookie, `/api/cases/${w.caseId}/messages`, {
      body: 'Hei! Takstmannen kommer <b>tirsdag</b> & ser på skaden.',
    });
    const posted = await customerPost(t.app, '/api/customer/messages', w.customer, {
      body: 'Takk, <script>alert(1)</script> passer fint.',
    });
    expect(posted.statusCode, posted.body).toBe(201);
    await staff(w.admin.cookie, `/api/cases/${w.caseId}/close`, { comment: 'INTERNT: avslag på del 2' });

    const state = (await customerGet(t.app, '/api/customer/archive', w.customer)).json() as CaseArchiveView;
    expect(state.state).toBe('available');
    expect(state.lastDay).toMatch(/^\d{4}-\d\d-\d\d$/);

    const response = await download(w.customer);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('application/zip');
    expect(response.headers['content-disposition']).toMatch(
      /^attachment; filename=".*\.zip"; filename\*=UTF-8''Sak%20/,
    );
    expect(response.headers['cache-control']).toContain('no-store');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    const entries = await unzip(response.rawPayload);
    const names = [...entries.keys()].sort();
    expect(names).toEqual(
      [
        'dokumenter/Takst _Ørsta_ (2).pdf',
        'dokumenter/Takst _Ørsta_.pdf',
        'meldinger.html',
        'sammendrag.html',
      ].sort(),
    );
    // Every shared document's bytes, exactly.
    expect(entries.get('dokumenter/Takst _Ørsta_.pdf')?.equals(sharedBytes)).toBe(true);
    expect(entries.get('dokumenter/Takst _Ørsta_ (2).pdf')?.equals(secondBytes)).toBe(true);
    // The inspection report is not shown before the main inspection is assigned (the default
    // setting), the unshared document never: neither is in the archive.
    for (const hidden of [report, internal]) expect(names.join()).not.toContain(hidden);
    expect(names.some((name) => name.includes('Besiktigelse'))).toBe(false);

    const thread = entries.get('meldinger.html')?.toString('utf8') ?? '';
    expect(thread).toContain('Takstmannen kommer &lt;b&gt;tirsdag&lt;/b&gt; &amp; ser på skaden.');
    expect(thread).toContain('Takk, &lt;script&gt;alert(1)&lt;/script&gt; passer fint.');
    expect(thread).not.toMatch(/<script/i);
    expect(thread).toContain('lang="nb"');
    expect(thread).toContain(`(deg)`);

    const summary = entries.get('sammendrag.html')?.toString('utf8') ?? '';
    expect(summary).toContain('Saksnummer');
    expect(summary).toContain('Saken ble avsluttet');
    expect(summary).toContain('href="dokumenter/Takst%20_%C3%98rsta_.pdf"');
    expect(summary).not.toMatch(/<script/i);
    for (const text of [...entries.values()].map((bytes) => bytes.toString('latin1'))) {
      expect(text).not.toContain('INTERNT');
      expect(text).not.toContain('Intern vurdering');
    }
  });

  it('writes the archive in English with ?lang=en', async () => {
    const w = await world();
    await staff(w.admin.cookie, `/api/cases/${w.caseId}/messages`, { body: 'Hello there' });
    await staff(w.admin.cookie, `/api/cases/${w.caseId}/close`);
    const response = await download(w.customer, 'en');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-disposition']).toContain("filename*=UTF-8''Case%20");
    const entries = await unzip(response.rawPayload);
    expect([...entries.keys()].sort()).toEqual(['messages.html', 'summary.html']);
    expect(entries.get('messages.html')?.toString('utf8')).toContain('Hello there');
    expect(entries.get('summary.html')?.toString('utf8')).toContain('Claim number');
  });

  it("holds nothing of another company's case", async () => {
    const a = await world();
    const b = await world();
    const secret = await upload(a.admin.cookie, a.caseId, 'A-sin-fil.pdf', pdf());
    await staff(a.admin.cookie, `/api/cases/${a.caseId}/documents/share`, { documentIds: [secret] });
    await staff(a.admin.cookie, `/api/cases/${a.caseId}/messages`, { body: 'Melding til A' });
    await staff(b.admin.cookie, `/api/cases/${b.caseId}/close`);
    const entries = await unzip((await download(b.customer)).rawPayload);
    expect([...entries.keys()].sort()).toEqual(['meldinger.html', 'sammendrag.html']);
    for (const bytes of entries.values()) {
      expect(bytes.toString('utf8')).not.toContain('A-sin-fil');
      expect(bytes.toString('utf8')).not.toContain('Melding til A');
    }
    // A's staff reach B's customer API with nothing: 401.
    expect((await download(a.admin.cookie)).statusCode).toBe(401);
  });
});

describe('case archive: the notice before the page closes', () => {
  it(`goes out ${ARCHIVE_NOTICE_DAYS} days before the last day, once`, async () => {
    const w = await world();
    await staff(w.admin.cookie, `/api/cases/${w.caseId}/close`);
    const closedAt = Date.now();
    await sendArchiveNoticesWhenDue(t.db, new Date(closedAt + 10 * DAY));
    expect(await archiveNotices(w.caseId)).toHaveLength(0);

    await sendArchiveNoticesWhenDue(t.db, new Date(closedAt + 17 * DAY));
    const notices = await archiveNotices(w.caseId);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ channel: 'email', recipient: w.email });
    expect(notices[0]?.subject).toMatch(/^Siden om saken din stenges \d{1,2}\. \p{L}+ \d{4}$/u);
    expect(notices[0]?.body_text).toContain('Last ned arkivet ditt før det.');
    expect(notices[0]?.body_text).toContain('{{link}}');

    await sendArchiveNoticesWhenDue(t.db, new Date(closedAt + 20 * DAY));
    expect(await archiveNotices(w.caseId)).toHaveLength(1);
  });

  it('goes out at once when the window is shorter than the notice period, and never with 0 days', async () => {
    const short = await world({ visibleDaysAfterClose: 3 });
    const none = await world({ visibleDaysAfterClose: 0 });
    await staff(short.admin.cookie, `/api/cases/${short.caseId}/close`);
    await staff(none.admin.cookie, `/api/cases/${none.caseId}/close`);
    await sendArchiveNoticesWhenDue(t.db, new Date());
    expect(await archiveNotices(short.caseId)).toHaveLength(1);
    expect(await archiveNotices(none.caseId)).toHaveLength(0);
  });

  it('is sent once by two app processes running the job at the same moment', async () => {
    const w = await world();
    await staff(w.admin.cookie, `/api/cases/${w.caseId}/close`);
    // A second process: on PostgreSQL its own database handle and app (outbox) on the same database.
    // SQLite's driver is synchronous: a second handle in this process would block the thread while
    // it waits for the first's write lock (in production that wait is in another process), so there
    // the runs share one handle, whose transactions interleave at every await as two processes' do.
    const tokens = () =>
      t.db
        .selectFrom('customer_link_tokens as k')
        .innerJoin('customer_access as a', 'a.id', 'k.access_id')
        .select('k.token_hash')
        .where('a.case_id', '=', w.caseId)
        .execute();
    const tokensBefore = (await tokens()).length;
    const postgres = t.config.database.kind === 'postgres';
    const otherDb = postgres ? createDb(t.config.database) : t.db;
    const other = postgres ? await buildApp(t.config, { db: otherDb, logger: false }) : null;
    try {
      const when = new Date(Date.now() + 20 * DAY);
      await Promise.all([
        sendArchiveNoticesWhenDue(t.db, when),
        sendArchiveNoticesWhenDue(otherDb, when),
        sendArchiveNoticesWhenDue(t.db, when),
        sendArchiveNoticesWhenDue(otherDb, when),
      ]);
    } finally {
      if (other) {
        await other.close();
        await otherDb.destroy();
      }
    }
    expect(await archiveNotices(w.caseId)).toHaveLength(1);
    const claims = await t.db
      .selectFrom('case_archive_notices')
      .selectAll()
      .where('case_id', '=', w.caseId)
      .execute();
    expect(claims).toHaveLength(1);
    expect(Number(claims[0]?.recipients)).toBe(1);
    // One run did the work: one new link was minted for the one notice (not one per run).
    expect((await tokens()).length).toBe(tokensBefore + 1);
  });

  it('comes again after the case is reopened and closed anew', async () => {
    const w = await world({ visibleDaysAfterClose: 3 });
    await staff(w.admin.cookie, `/api/cases/${w.caseId}/close`);
    await sendArchiveNoticesWhenDue(t.db, new Date());
    await staff(w.admin.cookie, `/api/cases/${w.caseId}/reopen`);
    await staff(w.admin.cookie, `/api/cases/${w.caseId}/close`);
    await sendArchiveNoticesWhenDue(t.db, new Date());
    expect(await archiveNotices(w.caseId)).toHaveLength(2);
  });
});
