import { randomBytes } from 'node:crypto';
import { randomUUID } from 'node:crypto';
import { existsSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { MAX_CASE_BYTES, MAX_FILE_BYTES } from '../../common/contracts/document-api.ts';
import {
  browserHeaders,
  makeApiKey,
  makeCase,
  makePartnerWithOffice,
  signedInUser,
} from '../../../test/support/factory.ts';
import { storedFiles as storedFilesOf } from '../../../test/support/files.ts';
import { multipart, PDF, PNG, type Part } from '../../../test/support/multipart.ts';
import { TEST_ORIGIN, useTestApp } from '../../../test/support/test-app.ts';
import type { Actor } from '../security/actor.ts';
import { recoverStagedUploads } from './intake.ts';
import { LocalFileStorage } from '../storage/file-storage.ts';

const t = useTestApp();

// ---- test files, built in memory -------------------------------------------------------------

const HTML = Buffer.from('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>');
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(254, 0x90)]);

type Auth = { cookie: string } | { apiKey: string } | null;

const authHeaders = (auth: Auth): Record<string, string> =>
  auth === null
    ? { origin: TEST_ORIGIN }
    : 'cookie' in auth
      ? browserHeaders(auth.cookie)
      : { authorization: `Bearer ${auth.apiKey}` };

function postMultipart(url: string, parts: Part[], auth: Auth) {
  const { payload, contentType } = multipart(parts);
  return t.app.inject({
    method: 'POST',
    url,
    headers: { ...authHeaders(auth), 'content-type': contentType },
    payload,
  });
}

const file = (filename: string, content: Buffer): Part => ({ name: 'file', filename, content });
const kind = (value: string): Part => ({ name: 'kind', value });

// ---- fixtures --------------------------------------------------------------------------------

/** A signed-in staff user of a new company with one case. */
async function staffWithCase() {
  const user = await signedInUser(t.app, t.db);
  const actor: Actor = {
    kind: 'staff',
    userId: user.id,
    companyId: user.companyId,
    level: 1,
    sessionId: 'test',
  };
  const { id: caseId } = await makeCase(t.db, actor);
  return { user, actor, caseId, auth: { cookie: user.cookie } };
}

const documentRows = (caseId: string) =>
  t.db.selectFrom('documents').selectAll().where('case_id', '=', caseId).execute();

const eventsOf = (caseId: string, kinds: string[]) =>
  t.db
    .selectFrom('case_events')
    .selectAll()
    .where('case_id', '=', caseId)
    .where('kind', 'in', kinds)
    .orderBy('occurred_at')
    .execute();

const storedFiles = (companyId: string) => storedFilesOf(t.config.dataDir, companyId);

async function uploadPdf(caseId: string, auth: Auth, name = 'Skaderapport.pdf', extra: Part[] = []) {
  const response = await postMultipart(
    `/api/cases/${caseId}/documents`,
    [kind('inspection_report'), ...extra, file(name, PDF)],
    auth,
  );
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as { id: string; [key: string]: unknown };
}

// ---- tests -----------------------------------------------------------------------------------

describe('documents: authentication', () => {
  it('answers 401 on every documents route without a session, and stores nothing', async () => {
    const { caseId, user } = await staffWithCase();
    const { id: documentId } = await uploadPdf(caseId, { cookie: user.cookie });
    const before = storedFiles(user.companyId).length;
    const calls = [
      postMultipart(`/api/cases/${caseId}/documents`, [kind('other'), file('a.pdf', PDF)], null),
      postMultipart(`/api/tasks/${randomBytes(4).toString('hex')}/media`, [file('a.png', PNG)], null),
      t.app.inject({ method: 'GET', url: `/api/cases/${caseId}/documents` }),
      t.app.inject({ method: 'GET', url: `/api/documents/${documentId}/download` }),
      t.app.inject({
        method: 'POST',
        url: `/api/documents/${documentId}/seen`,
        headers: { origin: TEST_ORIGIN },
      }),
      t.app.inject({
        method: 'POST',
        url: `/api/cases/${caseId}/documents/share`,
        headers: { origin: TEST_ORIGIN },
        payload: { documentIds: [documentId] },
      }),
      t.app.inject({
        method: 'POST',
        url: `/api/cases/${caseId}/documents/unshare`,
        headers: { origin: TEST_ORIGIN },
        payload: { documentIds: [documentId] },
      }),
    ];
    for (const response of await Promise.all(calls)) {
      expect(response.statusCode).toBe(401);
      expect(response.json().error.code).toBe('unauthenticated');
    }
    expect(await documentRows(caseId)).toHaveLength(1);
    expect(storedFiles(user.companyId)).toHaveLength(before);
  });

  it('refuses a cookie upload without our Origin (CSRF) with 403', async () => {
    const { caseId, user } = await staffWithCase();
    const { payload, contentType } = multipart([kind('other'), file('a.pdf', PDF)]);
    const response = await t.app.inject({
      method: 'POST',
      url: `/api/cases/${caseId}/documents`,
      headers: { cookie: user.cookie, origin: 'https://evil.example', 'content-type': contentType },
      payload,
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe('csrf_rejected');
    expect(await documentRows(caseId)).toEqual([]);
    expect(storedFiles(user.companyId)).toEqual([]);
  });
});

describe('documents: bad input', () => {
  it('answers 400 for a missing or unknown kind, a missing file or an unknown field, storing nothing', async () => {
    const { caseId, user, auth } = await staffWithCase();
    const cases: Array<{ parts: Part[]; path: string }> = [
      { parts: [file('a.pdf', PDF)], path: 'body.kind' },
      { parts: [kind('invoice'), file('a.pdf', PDF)], path: 'body.kind' },
      { parts: [file('a.pdf', PDF), kind('invoice')], path: 'body.kind' },
      { parts: [kind('other')], path: 'body.file' },
      {
        parts: [kind('other'), { name: 'isPublic', value: 'true' }, file('a.pdf', PDF)],
        path: 'body.isPublic',
      },
      {
        parts: [kind('other'), file('a.pdf', PDF), { name: 'extra', filename: 'b.pdf', content: PDF }],
        path: 'body.file',
      },
    ];
    for (const { parts, path: field } of cases) {
      const response = await postMultipart(`/api/cases/${caseId}/documents`, parts, auth);
      expect(response.statusCode, response.body).toBe(400);
      const { error } = response.json();
      expect(error.code).toBe('validation_failed');
      expect(error.fields.map((f: { path: string }) => f.path)).toContain(field);
    }
    expect(await documentRows(caseId)).toEqual([]);
    expect(storedFiles(user.companyId)).toEqual([]);
    expect(await eventsOf(caseId, ['document_uploaded'])).toEqual([]);
  });

  it('answers 415 when the upload is not multipart, and 400 for share without ids', async () => {
    const { caseId, auth } = await staffWithCase();
    const json = await t.app.inject({
      method: 'POST',
      url: `/api/cases/${caseId}/documents`,
      headers: browserHeaders(auth.cookie),
      payload: { kind: 'other' },
    });
    expect(json.statusCode).toBe(415);
    expect(json.json().error.code).toBe('unsupported_media_type');
    for (const payload of [{ documentIds: [] }, {}, { documentIds: ['x'], all: true }]) {
      const response = await t.app.inject({
        method: 'POST',
        url: `/api/cases/${caseId}/documents/share`,
        headers: browserHeaders(auth.cookie),
        payload,
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.code).toBe('validation_failed');
    }
  });

  it('answers 400 for a malformed multipart body (no boundary, cut off), storing nothing', async () => {
    const { caseId, user, auth } = await staffWithCase();
    const { payload, contentType } = multipart([kind('other'), file('a.pdf', PDF)]);
    const bodies = [
      { contentType: 'multipart/form-data', payload },
      { contentType, payload: payload.subarray(0, payload.length - 30) },
    ];
    for (const body of bodies) {
      const response = await t.app.inject({
        method: 'POST',
        url: `/api/cases/${caseId}/documents`,
        headers: { ...browserHeaders(auth.cookie), 'content-type': body.contentType },
        payload: body.payload,
      });
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json().error.code).toBe('validation_failed');
    }
    expect(await documentRows(caseId)).toEqual([]);
    expect(storedFiles(user.companyId)).toEqual([]);
  });

  it('refuses a partner office of another company with 400', async () => {
    const { caseId, user, auth } = await staffWithCase();
    const other = await staffWithCase();
    const { officeId } = await makePartnerWithOffice(t.db, other.user.companyId);
    const response = await postMultipart(
      `/api/cases/${caseId}/documents`,
      [kind('other'), { name: 'partnerOfficeId', value: officeId }, file('a.pdf', PDF)],
      auth,
    );
    expect(response.statusCode).toBe(400);
    expect(response.json().error.fields).toEqual([
      { path: 'body.partnerOfficeId', message: expect.stringContaining('office'), code: 'unknown_reference' },
    ]);
    expect(await documentRows(caseId)).toEqual([]);
    expect(storedFiles(user.companyId)).toEqual([]);
  });
});

describe('documents: not yours', () => {
  it("answers 404 for another company's case, document and task, and changes nothing", async () => {
    const mine = await staffWithCase();
    const theirs = await staffWithCase();
    const theirDocument = await uploadPdf(theirs.caseId, theirs.auth);
    const [theirTask] = await t.db
      .selectFrom('tasks')
      .select('id')
      .where('case_id', '=', theirs.caseId)
      .execute();

    const responses = [
      await postMultipart(
        `/api/cases/${theirs.caseId}/documents`,
        [kind('other'), file('a.pdf', PDF)],
        mine.auth,
      ),
      await postMultipart(`/api/tasks/${theirTask?.id}/media`, [file('a.png', PNG)], mine.auth),
      await t.app.inject({
        method: 'GET',
        url: `/api/cases/${theirs.caseId}/documents`,
        headers: { cookie: mine.user.cookie },
      }),
      await t.app.inject({
        method: 'GET',
        url: `/api/documents/${theirDocument.id}/download`,
        headers: { cookie: mine.user.cookie },
      }),
      await t.app.inject({
        method: 'POST',
        url: `/api/documents/${theirDocument.id}/seen`,
        headers: browserHeaders(mine.user.cookie),
      }),
      await t.app.inject({
        method: 'POST',
        url: `/api/cases/${theirs.caseId}/documents/share`,
        headers: browserHeaders(mine.user.cookie),
        payload: { documentIds: [theirDocument.id] },
      }),
      // Their document through my own case: still not mine.
      await t.app.inject({
        method: 'POST',
        url: `/api/cases/${mine.caseId}/documents/share`,
        headers: browserHeaders(mine.user.cookie),
        payload: { documentIds: [theirDocument.id] },
      }),
    ];
    for (const response of responses) {
      expect(response.statusCode, response.body).toBe(404);
      expect(response.json().error.code).toBe('not_found');
    }
    expect(await documentRows(theirs.caseId)).toHaveLength(1);
    expect((await documentRows(theirs.caseId))[0]?.shared_at).toBeNull();
    expect(storedFiles(mine.user.companyId)).toEqual([]);
    expect(await eventsOf(theirs.caseId, ['document_shared'])).toEqual([]);
  });

  it('answers 404 and shares nothing when one id is a document of another case', async () => {
    const { actor, caseId, auth } = await staffWithCase();
    const { id: otherCaseId } = await makeCase(t.db, actor);
    const here = await uploadPdf(caseId, auth);
    const there = await uploadPdf(otherCaseId, auth);
    const response = await t.app.inject({
      method: 'POST',
      url: `/api/cases/${caseId}/documents/share`,
      headers: browserHeaders(auth.cookie),
      payload: { documentIds: [here.id, there.id] },
    });
    expect(response.statusCode).toBe(404);
    expect((await documentRows(caseId)).map((row) => row.shared_at)).toEqual([null]);
    expect(await eventsOf(caseId, ['document_shared'])).toEqual([]);
  });
});

describe('documents: upload, list and download', () => {
  it('stores a PDF and a PNG and sends back the same bytes with safe headers and the Norwegian name', async () => {
    const { caseId, user, auth } = await staffWithCase();
    const pdf = await uploadPdf(caseId, auth, 'Skaderapport Ørsta.pdf');
    expect(pdf).toMatchObject({
      caseId,
      taskId: null,
      kind: 'inspection_report',
      fileName: 'Skaderapport Ørsta.pdf',
      contentType: 'application/pdf',
      sizeBytes: PDF.length,
      uploadedBy: { kind: 'staff', name: expect.stringMatching(/^Test User/) },
      seen: true,
      shared: false,
      sharedAt: null,
    });
    const pngResponse = await postMultipart(
      `/api/cases/${caseId}/documents`,
      [file('bilde av skaden.PNG', PNG), kind('other')],
      auth,
    );
    expect(pngResponse.statusCode).toBe(201);
    const png = pngResponse.json();
    expect(png).toMatchObject({ kind: 'other', contentType: 'image/png', sizeBytes: PNG.length });

    const list = await t.app.inject({
      method: 'GET',
      url: `/api/cases/${caseId}/documents`,
      headers: { cookie: user.cookie },
    });
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((d: { id: string }) => d.id)).toEqual([png.id, pdf.id]);
    expect(list.headers['cache-control']).toBe('no-store');

    const download = await t.app.inject({
      method: 'GET',
      url: `/api/documents/${pdf.id}/download`,
      headers: { cookie: user.cookie },
    });
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(PDF)).toBe(true);
    expect(download.headers).toMatchObject({
      'content-type': 'application/pdf',
      'content-length': String(PDF.length),
      'content-disposition': `attachment; filename="Skaderapport Orsta.pdf"; filename*=UTF-8''Skaderapport%20%C3%98rsta.pdf`,
      'x-content-type-options': 'nosniff',
      'content-security-policy': "sandbox; default-src 'none'",
      'cache-control': 'private, no-store',
    });
    const filenameStar = /filename\*=UTF-8''(.+)$/.exec(String(download.headers['content-disposition']));
    expect(decodeURIComponent(filenameStar?.[1] ?? '')).toBe('Skaderapport Ørsta.pdf');

    const pngDownload = await t.app.inject({
      method: 'GET',
      url: `/api/documents/${png.id}/download`,
      headers: { cookie: user.cookie },
    });
    expect(pngDownload.rawPayload.equals(PNG)).toBe(true);
    expect(pngDownload.headers['content-type']).toBe('image/png');

    // Stored under server-made keys, never the client's name.
    const files = storedFiles(user.companyId).map((f) => path.basename(f));
    expect(files.sort()).toEqual([pdf.id, png.id].sort());
    const rows = await documentRows(caseId);
    expect(rows.map((row) => row.storage_key).sort()).toEqual(
      [`${user.companyId}/${pdf.id}`, `${user.companyId}/${png.id}`].sort(),
    );
    const events = await eventsOf(caseId, ['document_uploaded']);
    expect(events.map((e) => JSON.parse(e.data))).toEqual(
      expect.arrayContaining([
        { documentId: pdf.id, fileName: 'Skaderapport Ørsta.pdf', kind: 'inspection_report' },
        { documentId: png.id, fileName: 'bilde av skaden.PNG', kind: 'other' },
      ]),
    );
    expect(events).toHaveLength(2);
  });

  it('answers 404 (and logs) when the stored file of a document has gone missing', async () => {
    const { caseId, user, auth } = await staffWithCase();
    const { id } = await uploadPdf(caseId, auth);
    rmSync(path.join(t.config.dataDir, 'files', user.companyId, id));
    const response = await t.app.inject({
      method: 'GET',
      url: `/api/documents/${id}/download`,
      headers: { cookie: user.cookie },
    });
    expect(response.statusCode).toBe(404);
    expect(response.json().error.message).toMatch(/missing/);
  });

  it('accepts UTF-8 plain text as .txt', async () => {
    const { caseId, user, auth } = await staffWithCase();
    const text = Buffer.from('Notat fra befaring: fukt i kjeller, ærlig talt.\n');
    const response = await postMultipart(
      `/api/cases/${caseId}/documents`,
      [kind('other'), file('notat.txt', text)],
      auth,
    );
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json().contentType).toBe('text/plain; charset=utf-8');
    const download = await t.app.inject({
      method: 'GET',
      url: `/api/documents/${response.json().id}/download`,
      headers: { cookie: user.cookie },
    });
    expect(download.rawPayload.equals(text)).toBe(true);
  });

  it('lets an API key (Bearer) upload', async () => {
    const { caseId, user } = await staffWithCase();
    const { key, name } = await makeApiKey(t.db, user.companyId);
    const response = await postMultipart(
      `/api/cases/${caseId}/documents`,
      [kind('customer_settlement_report'), file('oppgjør.pdf', PDF)],
      { apiKey: key },
    );
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({
      kind: 'customer_settlement_report',
      fileName: 'oppgjør.pdf',
      uploadedBy: { kind: 'staff', name: `API: ${name}` },
    });
    const [event] = await eventsOf(caseId, ['document_uploaded']);
    expect(event).toMatchObject({ actor_kind: 'api_key', actor_name: `API: ${name}` });
  });

  it('stores task media with the task, and refuses other types there', async () => {
    const { caseId, user, auth } = await staffWithCase();
    const [task] = await t.db.selectFrom('tasks').select('id').where('case_id', '=', caseId).execute();
    const response = await postMultipart(`/api/tasks/${task?.id}/media`, [file('IMG_0001.png', PNG)], auth);
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({ kind: 'task_media', taskId: task?.id, contentType: 'image/png' });

    const text = await postMultipart(
      `/api/tasks/${task?.id}/media`,
      [file('notat.txt', Buffer.from('hei'))],
      auth,
    );
    expect(text.statusCode).toBe(415);
    const withKind = await postMultipart(
      `/api/tasks/${task?.id}/media`,
      [kind('other'), file('a.png', PNG)],
      auth,
    );
    expect(withKind.statusCode).toBe(400);

    const list = await t.app.inject({
      method: 'GET',
      url: `/api/cases/${caseId}/documents?taskId=${task?.id}`,
      headers: { cookie: user.cookie },
    });
    expect(list.json().items).toHaveLength(1);
    expect(storedFiles(user.companyId)).toHaveLength(1);
  });
});

describe('documents: type and size limits', () => {
  it('refuses HTML named .pdf, an .exe and a PDF named .png with 415 naming the types, storing nothing', async () => {
    const { caseId, user, auth } = await staffWithCase();
    const tries: Array<{ part: Part; mentions: RegExp[] }> = [
      { part: file('rapport.pdf', HTML), mentions: [/text\/html/, /\.pdf/] },
      { part: file('setup.exe', EXE), mentions: [/application\/x-msdownload/, /\.exe/] },
      { part: file('rapport.pdf', EXE), mentions: [/application\/x-msdownload/, /\.pdf/] },
      { part: file('rapport.png', PDF), mentions: [/application\/pdf/, /\.png/] },
      { part: file('side.txt', HTML), mentions: [/text\/html/] },
      { part: file('rapport', PDF), mentions: [/no extension/] },
    ];
    for (const { part, mentions } of tries) {
      const response = await postMultipart(`/api/cases/${caseId}/documents`, [kind('other'), part], auth);
      expect(response.statusCode, response.body).toBe(415);
      const { error } = response.json();
      expect(error.code).toBe('unsupported_media_type');
      for (const pattern of mentions) expect(error.message).toMatch(pattern);
    }
    expect(await documentRows(caseId)).toEqual([]);
    expect(storedFiles(user.companyId)).toEqual([]);
    expect(await eventsOf(caseId, ['document_uploaded'])).toEqual([]);
  });

  it('refuses a file over 25 MB with 413 and stores nothing', async () => {
    const { caseId, user, auth } = await staffWithCase();
    const big = Buffer.alloc(MAX_FILE_BYTES + 1, 0x20);
    PDF.copy(big);
    const response = await postMultipart(
      `/api/cases/${caseId}/documents`,
      [kind('other'), file('stor.pdf', big)],
      auth,
    );
    expect(response.statusCode).toBe(413);
    expect(response.json().error).toMatchObject({
      code: 'payload_too_large',
      message: expect.stringContaining('25 MB'),
    });
    expect(await documentRows(caseId)).toEqual([]);
    expect(storedFiles(user.companyId)).toEqual([]);
  });

  it('refuses an upload that would take the case over 500 MB with 413 and stores nothing', async () => {
    const { caseId, user, auth } = await staffWithCase();
    const first = await uploadPdf(caseId, auth);
    // Pretend the case already holds almost all it may (no need to write 500 MB in a test).
    await t.db
      .updateTable('documents')
      .set({ size_bytes: MAX_CASE_BYTES - 10 })
      .where('id', '=', first.id)
      .execute();
    const response = await postMultipart(
      `/api/cases/${caseId}/documents`,
      [kind('other'), file('b.pdf', PDF)],
      auth,
    );
    expect(response.statusCode).toBe(413);
    expect(response.json().error.message).toContain('500 MB');
    expect(await documentRows(caseId)).toHaveLength(1);
    expect(storedFiles(user.companyId)).toHaveLength(1);
  });
});

describe('documents: one upload at a time per case', () => {
  it('lets only one of two simultaneous uploads into a case with room for one, with one file and event', async () => {
    const { caseId, user, auth } = await staffWithCase();
    const first = await uploadPdf(caseId, auth);
    // Room for one more PDF, not two: each upload alone fits (and passes the quick check before its
    // bytes are read, whichever commits first), so only the check under the case lock can refuse one.
    await t.db
      .updateTable('documents')
      .set({ size_bytes: MAX_CASE_BYTES - 2 * PDF.length + 1 })
      .where('id', '=', first.id)
      .execute();
    const publish = vi.spyOn(t.app.live, 'publish');
    try {
      const responses = await Promise.all(
        ['b.pdf', 'c.pdf'].map((name) =>
          postMultipart(`/api/cases/${caseId}/documents`, [kind('other'), file(name, PDF)], auth),
        ),
      );
      expect(responses.map((r) => r.statusCode).sort()).toEqual([201, 413]);
      expect(publish.mock.calls.map(([signal]) => signal)).toEqual([{ caseId, topic: 'case' }]);
    } finally {
      publish.mockRestore();
    }
    expect(await documentRows(caseId)).toHaveLength(2);
    expect(await eventsOf(caseId, ['document_uploaded'])).toHaveLength(2);
    expect(storedFiles(user.companyId)).toHaveLength(2);
  });
});

describe('documents: sharing and seen', () => {
  it('writes one event per document whose sharing changes, none for a repeat', async () => {
    const { caseId, auth } = await staffWithCase();
    const a = await uploadPdf(caseId, auth, 'a.pdf');
    const b = await uploadPdf(caseId, auth, 'b.pdf');
    const call = (action: 'share' | 'unshare', documentIds: string[]) =>
      t.app.inject({
        method: 'POST',
        url: `/api/cases/${caseId}/documents/${action}`,
        headers: browserHeaders(auth.cookie),
        payload: { documentIds },
      });
    const shareEvents = () => eventsOf(caseId, ['document_shared', 'document_unshared']);

    const shared = await call('share', [a.id, b.id]);
    expect(shared.statusCode).toBe(200);
    expect(shared.json()).toEqual([
      expect.objectContaining({ id: a.id, shared: true, sharedAt: expect.any(String) }),
      expect.objectContaining({ id: b.id, shared: true }),
    ]);
    let events = await shareEvents();
    expect(events.map((e) => [e.kind, JSON.parse(e.data)])).toEqual(
      expect.arrayContaining([
        ['document_shared', { documentId: a.id, fileName: 'a.pdf' }],
        ['document_shared', { documentId: b.id, fileName: 'b.pdf' }],
      ]),
    );
    expect(events).toHaveLength(2);

    expect((await call('share', [a.id, a.id])).statusCode).toBe(200);
    expect(await shareEvents()).toHaveLength(2);

    const unshared = await call('unshare', [a.id]);
    expect(unshared.json()).toEqual([expect.objectContaining({ id: a.id, shared: false, sharedAt: null })]);
    events = await shareEvents();
    expect(events).toHaveLength(3);
    expect(events.filter((e) => e.kind === 'document_unshared').map((e) => JSON.parse(e.data))).toEqual([
      { documentId: a.id, fileName: 'a.pdf' },
    ]);
    expect((await call('unshare', [a.id])).statusCode).toBe(200);
    expect(await shareEvents()).toHaveLength(3);

    const rows = await documentRows(caseId);
    expect(rows.find((r) => r.id === a.id)?.shared_at).toBeNull();
    expect(rows.find((r) => r.id === b.id)?.shared_at).not.toBeNull();
  });

  it('tells open customer pages after a change of sharing, not after a repeat or a refusal', async () => {
    const { actor, caseId, auth } = await staffWithCase();
    const { id: otherCaseId } = await makeCase(t.db, actor);
    const a = await uploadPdf(caseId, auth, 'a.pdf');
    const elsewhere = await uploadPdf(otherCaseId, auth, 'b.pdf');
    const share = (documentIds: string[]) =>
      t.app.inject({
        method: 'POST',
        url: `/api/cases/${caseId}/documents/share`,
        headers: browserHeaders(auth.cookie),
        payload: { documentIds },
      });
    const publish = vi.spyOn(t.app.live, 'publish');
    try {
      expect((await share([a.id, elsewhere.id])).statusCode).toBe(404);
      expect(publish).not.toHaveBeenCalled();
      expect((await share([a.id])).statusCode).toBe(200);
      expect(publish.mock.calls.map(([signal]) => signal.topic).sort()).toEqual(['case', 'documents']);
      publish.mockClear();
      expect((await share([a.id])).statusCode).toBe(200);
      expect(publish.mock.calls.map(([signal]) => signal.topic)).not.toContain('documents');
    } finally {
      publish.mockRestore();
    }
    expect(await eventsOf(caseId, ['document_shared'])).toHaveLength(1);
  });

  it("counts a partner office's upload as unseen until staff mark it seen", async () => {
    const { caseId, user, auth } = await staffWithCase();
    const { officeId } = await makePartnerWithOffice(t.db, user.companyId);
    const office = await t.db
      .selectFrom('offices')
      .select('name')
      .where('id', '=', officeId)
      .executeTakeFirstOrThrow();
    const unseenPartnerUploads = async () =>
      (
        await t.db
          .selectFrom('documents')
          .select('id')
          .where('company_id', '=', user.companyId)
          .where('uploaded_by_kind', '=', 'partner')
          .where('seen_at', 'is', null)
          .execute()
      ).length;

    await uploadPdf(caseId, auth, 'own.pdf');
    expect(await unseenPartnerUploads()).toBe(0);
    const partnerDocument = await uploadPdf(caseId, auth, 'fra-partner.pdf', [
      { name: 'partnerOfficeId', value: officeId },
    ]);
    expect(partnerDocument).toMatchObject({
      uploadedBy: { kind: 'partner', name: office.name },
      seen: false,
      seenAt: null,
    });
    expect(await unseenPartnerUploads()).toBe(1);

    const seen = await t.app.inject({
      method: 'POST',
      url: `/api/documents/${partnerDocument.id}/seen`,
      headers: browserHeaders(user.cookie),
    });
    expect(seen.statusCode).toBe(200);
    expect(seen.json()).toMatchObject({ id: partnerDocument.id, seen: true, seenAt: expect.any(String) });
    expect(await unseenPartnerUploads()).toBe(0);

    const again = await t.app.inject({
      method: 'POST',
      url: `/api/documents/${partnerDocument.id}/seen`,
      headers: browserHeaders(user.cookie),
    });
    expect(again.json().seenAt).toBe(seen.json().seenAt);
  });
});

describe('documents: crash recovery of staged uploads', () => {
  it('moves a committed upload whose move a crash cut off onto its key, serving it in between', async () => {
    const { user, caseId, auth } = await staffWithCase();
    const { id } = await uploadPdf(caseId, auth, 'avbrutt.pdf');
    // The state a crash between the commit and the move leaves: the row, the bytes still staged.
    // The disk store's own layout (this app's FILE_STORAGE is disk): the S3 case is in s3-file-storage.test.ts.
    const storage = new LocalFileStorage(path.join(t.config.dataDir, 'files'));
    const key = `${user.companyId}/${id}`;
    const staged = path.join(t.config.dataDir, 'files', '.tmp', `${id}.part`);
    renameSync(storage.pathOf(key), staged);
    const during = await t.app.inject({
      method: 'GET',
      url: `/api/documents/${id}/download`,
      headers: { cookie: user.cookie },
    });
    expect(during.statusCode).toBe(200);
    expect(during.rawPayload.equals(PDF)).toBe(true);

    // An abandoned staged upload (no row) younger than an hour stays: it may be in flight elsewhere.
    const young = path.join(t.config.dataDir, 'files', '.tmp', `${randomUUID()}.part`);
    const old = path.join(t.config.dataDir, 'files', '.tmp', `${randomUUID()}.part`);
    writeFileSync(young, 'x');
    writeFileSync(old, 'x');
    const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000);
    utimesSync(old, twoHoursAgo, twoHoursAgo);

    const done = await recoverStagedUploads({ db: t.db, storage });
    expect(done).toMatchObject({ moved: 1 });
    expect(existsSync(storage.pathOf(key))).toBe(true);
    expect(existsSync(staged)).toBe(false);
    expect(existsSync(young)).toBe(true);
    expect(existsSync(old)).toBe(false);
    rmSync(young);
  });
});
