import { afterEach, describe, expect, it, vi } from 'vitest';
import { reissueCustomerLinkToken } from '../customer-access/reissue-link.ts';
import { openCustomerLink, saveSettings, uniquePhone, uniqueSuffix } from '../../../test/support/customer.ts';
import { browserHeaders, makeActor, makeCase, signedInUser } from '../../../test/support/factory.ts';
import { storedFiles } from '../../../test/support/files.ts';
import { multipart, PDF, PNG, type Part } from '../../../test/support/multipart.ts';
import { useSinks } from '../../../test/support/sinks.ts';
import { TEST_ORIGIN, useTestApp } from '../../../test/support/test-app.ts';
import { tableCounts } from '../../../test/http/security/fixtures.ts';

// Customer write limits (issue 15 item 4) over HTTP on SQLite and PostgreSQL, with small numbers so
// the tests stay short (the defaults are flooded in test/http/security/brute-force.test.ts): 429 with
// Retry-After and nothing written, the per-case limit across sessions, simultaneous posts, the files
// per case, and the case handler's e-mail at most once per quarter hour while unread.

const sinks = useSinks();
const t = useTestApp({ ...sinks.env, CUSTOMER_WRITE_LIMITS: 'session=10,case=15,files=12,mb=1' });

afterEach(() => {
  vi.useRealTimers();
});

/** Freezes Date at `at` (timers and I/O keep running). */
function clockAt(at: Date): void {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(at);
}

/** A case handled by a signed-in user whose customer may write; `open()` starts a customer session. */
async function customerCase() {
  const staff = await signedInUser(t.app, t.db, { level: 6 });
  await saveSettings(t.db, staff.companyId, { sendLink: 'case_created', accessFor: 'customer' });
  const actor = await makeActor(t.db, { companyId: staff.companyId, level: 6 });
  const s = uniqueSuffix();
  const { id: caseId } = await makeCase(t.db, actor, {
    claimNumber: `RL-${s}`,
    customer: { name: `Kunde ${s}`, email: `kunde-${s}@example.test`, phone: uniquePhone() },
    caseHandlerId: staff.id,
  });
  const token = await reissueCustomerLinkToken(t.db, staff.companyId, caseId);
  if (!token) throw new Error('no grant');
  const open = async () => {
    const opened = await openCustomerLink(t.app, `${TEST_ORIGIN}/k/${token}`);
    if (!opened.cookie) throw new Error('no customer session');
    return opened.cookie;
  };
  return { staff, caseId, companyId: staff.companyId, open };
}

const post = (cookie: string, text = `Hei ${uniqueSuffix()}`) =>
  t.app.inject({
    method: 'POST',
    url: '/api/customer/messages',
    headers: { cookie, origin: TEST_ORIGIN },
    payload: { body: text },
  });

function postFiles(cookie: string, files: Part[], text = 'Bilder') {
  const { payload, contentType } = multipart([{ name: 'body', value: text }, ...files]);
  return t.app.inject({
    method: 'POST',
    url: '/api/customer/messages',
    headers: { cookie, origin: TEST_ORIGIN, 'content-type': contentType },
    payload,
  });
}

const png = (n: number): Part[] =>
  Array.from({ length: n }, (_, i) => ({ name: 'files', filename: `bilde-${i}.png`, content: PNG }));

const messagesOf = async (caseId: string) =>
  Number(
    (
      await t.db
        .selectFrom('case_messages')
        .select((eb) => eb.fn.countAll<string | number>().as('n'))
        .where('case_id', '=', caseId)
        .executeTakeFirstOrThrow()
    ).n,
  );

const handlerMails = async (caseId: string) =>
  Number(
    (
      await t.db
        .selectFrom('outbox')
        .select((eb) => eb.fn.countAll<string | number>().as('n'))
        .where('case_id', '=', caseId)
        .where('kind', '=', 'staff_notice')
        .executeTakeFirstOrThrow()
    ).n,
  );

/** The refusal of a limit: 429, our code, a Retry-After of whole seconds within `maxSeconds`. */
function expectLimited(response: Awaited<ReturnType<typeof post>>, maxSeconds: number): number {
  expect(response.statusCode, response.body).toBe(429);
  expect(response.json().error.code).toBe('too_many_requests');
  const seconds = Number(response.headers['retry-after']);
  expect(Number.isInteger(seconds)).toBe(true);
  expect(seconds).toBeGreaterThan(0);
  expect(seconds).toBeLessThanOrEqual(maxSeconds);
  return seconds;
}

describe('messages per session', () => {
  it('accepts 10 in 10 minutes, then 429 with Retry-After writing nothing (no row, file, outbox, event), until the window has room', async () => {
    const start = new Date();
    clockAt(start);
    const c = await customerCase();
    const cookie = await c.open();
    for (let i = 0; i < 10; i += 1) expect((await post(cookie)).statusCode).toBe(201);
    const before = await tableCounts(t.db);
    const filesBefore = storedFiles(t.config.dataDir, c.companyId);
    expectLimited(await post(cookie), 600);
    // With files: refused before the body is read — a file of a refused type would otherwise be 415.
    const refused = await postFiles(cookie, [
      { name: 'files', filename: 'bilde.png', content: PNG },
      { name: 'files', filename: 'program.exe', content: Buffer.from('MZ\x90\x00') },
    ]);
    expect(expectLimited(refused, 600)).toBeGreaterThan(590);
    expect(await tableCounts(t.db)).toEqual(before);
    expect(storedFiles(t.config.dataDir, c.companyId)).toEqual(filesBefore);
    // 10 minutes after the first ten (all sent at one instant) the session has room for ten more,
    // but the case only for five more of its 15 an hour.
    clockAt(new Date(start.getTime() + 10 * 60_000 + 1_000));
    for (let i = 0; i < 5; i += 1) expect((await post(cookie)).statusCode).toBe(201);
    expect(expectLimited(await post(cookie), 3600)).toBeGreaterThan(2900);
    expect(await messagesOf(c.caseId)).toBe(15);
  });

  it('gives the use back when a message is refused for another reason (an empty message is 400, not a use)', async () => {
    const c = await customerCase();
    const cookie = await c.open();
    for (let i = 0; i < 5; i += 1) expect((await post(cookie, '   ')).statusCode).toBe(400);
    for (let i = 0; i < 10; i += 1) expect((await post(cookie)).statusCode).toBe(201);
    expectLimited(await post(cookie), 600);
  });

  it('lets exactly 10 of 20 simultaneous posts of one session through; the others write nothing', async () => {
    const c = await customerCase();
    const cookie = await c.open();
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => post(cookie, `Samtidig ${i}`)));
    const codes = answers.map((answer) => answer.statusCode).sort();
    expect(codes).toEqual([...Array<number>(10).fill(201), ...Array<number>(10).fill(429)]);
    for (const answer of answers.filter((a) => a.statusCode === 429)) expectLimited(answer, 600);
    expect(await messagesOf(c.caseId)).toBe(10);
  });
});

describe('messages per case', () => {
  it('counts every session of the case: a new session cannot lift the limit', async () => {
    const c = await customerCase();
    const first = await c.open();
    const second = await c.open();
    for (let i = 0; i < 10; i += 1) expect((await post(first)).statusCode).toBe(201);
    expectLimited(await post(first), 600);
    for (let i = 0; i < 5; i += 1) expect((await post(second)).statusCode).toBe(201);
    // The second session has used 5 of its 10, but the case's 15 an hour are gone.
    expectLimited(await post(second), 3600);
    const third = await c.open();
    expect(expectLimited(await post(third), 3600)).toBeGreaterThan(3500);
    expect(await messagesOf(c.caseId)).toBe(15);
    // Another case of the same company is not affected.
    const other = await customerCase();
    expect((await post(await other.open())).statusCode).toBe(201);
  });

  it('lets exactly the case limit through when many sessions post at once', async () => {
    const c = await customerCase();
    const sessions = await Promise.all(Array.from({ length: 4 }, () => c.open()));
    const answers = await Promise.all(
      Array.from({ length: 24 }, (_, i) => post(sessions[i % 4]!, `Fra økt ${i % 4}`)),
    );
    expect(answers.filter((a) => a.statusCode === 201)).toHaveLength(15);
    expect(answers.filter((a) => a.statusCode === 429)).toHaveLength(9);
    expect(await messagesOf(c.caseId)).toBe(15);
  });
});

describe('files per case', () => {
  it('refuses files past the hour’s 12 (with the message’s own, under the lock; when full, before reading)', async () => {
    const c = await customerCase();
    const cookie = await c.open();
    expect((await postFiles(cookie, png(10))).statusCode).toBe(201);
    const before = await tableCounts(t.db);
    const filesBefore = storedFiles(t.config.dataDir, c.companyId);
    expectLimited(await postFiles(cookie, png(3)), 3600);
    expect(await tableCounts(t.db)).toEqual(before);
    expect(storedFiles(t.config.dataDir, c.companyId)).toEqual(filesBefore);
    expect((await postFiles(cookie, png(2))).statusCode).toBe(201);
    // Full: refused before the body is read (the .exe would be 415 otherwise); text alone still goes.
    const exe = { name: 'files', filename: 'program.exe', content: Buffer.from('MZ\x90\x00') };
    expectLimited(await postFiles(cookie, [exe]), 3600);
    expect((await post(cookie)).statusCode).toBe(201);
  });

  it('refuses past 1 MB of files an hour (mb=1)', async () => {
    const c = await customerCase();
    const cookie = await c.open();
    const big = (name: string): Part => ({
      name: 'files',
      filename: name,
      content: Buffer.concat([PDF, Buffer.alloc(600 * 1024, 0x20)]),
    });
    expect((await postFiles(cookie, [big('a.pdf')])).statusCode).toBe(201);
    expectLimited(await postFiles(cookie, [big('b.pdf')]), 3600);
    expect(storedFiles(t.config.dataDir, c.companyId)).toHaveLength(1);
  });

  it('lets simultaneous uploads fill the hour exactly (12 files), leaving no file of the refused', async () => {
    const c = await customerCase();
    const sessions = await Promise.all(Array.from({ length: 2 }, () => c.open()));
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => postFiles(sessions[i % 2]!, png(3), `Filer ${i}`)),
    );
    expect(answers.filter((a) => a.statusCode === 201)).toHaveLength(4);
    expect(answers.filter((a) => a.statusCode === 429)).toHaveLength(4);
    expect(storedFiles(t.config.dataDir, c.companyId)).toHaveLength(12);
  });
});

describe("the case handler's e-mail", () => {
  it('goes once per quarter hour while unread, always lists every message, and again at once after reading', async () => {
    const start = new Date();
    clockAt(start);
    const c = await customerCase();
    const cookie = await c.open();
    for (let i = 0; i < 5; i += 1) expect((await post(cookie)).statusCode).toBe(201);
    expect(await handlerMails(c.caseId)).toBe(1);
    const notifications = await t.db
      .selectFrom('staff_notifications')
      .select('id')
      .where('case_id', '=', c.caseId)
      .execute();
    expect(notifications).toHaveLength(5);
    // 15 minutes after the e-mail, still unread: one more.
    clockAt(new Date(start.getTime() + 15 * 60_000 + 1_000));
    expect((await post(cookie)).statusCode).toBe(201);
    expect((await post(cookie)).statusCode).toBe(201);
    expect(await handlerMails(c.caseId)).toBe(2);
    // Read: the next message notifies at once, the one after it waits again.
    const read = await t.app.inject({
      method: 'POST',
      url: `/api/cases/${c.caseId}/messages/mark-all-read`,
      headers: browserHeaders(c.staff.cookie),
      payload: {},
    });
    expect(read.statusCode, read.body).toBe(200);
    expect((await post(cookie)).statusCode).toBe(201);
    expect(await handlerMails(c.caseId)).toBe(3);
    expect((await post(cookie)).statusCode).toBe(201);
    expect(await handlerMails(c.caseId)).toBe(3);
    expect(await messagesOf(c.caseId)).toBe(9);
  });

  it('sends one e-mail for many simultaneous messages', async () => {
    const c = await customerCase();
    const sessions = await Promise.all(Array.from({ length: 2 }, () => c.open()));
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => post(sessions[i % 2]!)));
    expect(answers.every((a) => a.statusCode === 201)).toBe(true);
    expect(await handlerMails(c.caseId)).toBe(1);
  });
});
