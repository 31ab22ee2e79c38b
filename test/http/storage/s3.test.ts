import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentView } from '../../../src/common/contracts/document-api.ts';
import { buildApp } from '../../../src/server/app.ts';
import { reissueCustomerLinkToken } from '../../../src/server/customer-access/reissue-link.ts';
import { createDb, type Db } from '../../../src/server/db/database.ts';
import { migrateToLatest } from '../../../src/server/db/migrate.ts';
import { recoverStagedUploads } from '../../../src/server/documents/intake.ts';
import { createFileStorage } from '../../../src/server/storage/file-storage.ts';
import type { S3FileStorage } from '../../../src/server/storage/s3-file-storage.ts';
import { customerGet, openCustomerLink, saveSettings, uniqueSuffix } from '../../support/customer.ts';
import { createTestDatabase, type TestDatabase } from '../../support/databases.ts';
import { browserHeaders, makeCase, makeUser, signedInUser, staffActor } from '../../support/factory.ts';
import { multipart, PDF, PNG, type Part } from '../../support/multipart.ts';
import { startS3Server, type S3Server } from '../../support/s3.ts';
import { skipReason } from '../../support/skip-unavailable.ts';
import { TEST_ORIGIN, useTestApp } from '../../support/test-app.ts';
import { serverProcess, type ServerProcess } from '../crash/server-process.ts';

// FILE_STORAGE=s3 against a real S3-protocol server (s3rver on 127.0.0.1, started here): the
// document paths (staff upload, customer download, a customer's file in a message, image previews)
// and the crash recovery of staged uploads work on the bucket as on the disk, on SQLite and
// PostgreSQL. Then two real server processes on one PostgreSQL database and one bucket — the
// deployment S3 is for — where a file uploaded through one downloads through the other.

const PREFIX = 'kundeside';

let s3: S3Server;
const env: Record<string, string> = { CUSTOMER_WRITE_LIMITS: 'off' };
beforeAll(async () => {
  s3 = await startS3Server();
  Object.assign(env, s3.env, { S3_PREFIX: PREFIX });
});
// Registered after the S3 server's start, so the app's hooks see the S3 variables in `env`.
const t = useTestApp(env);
afterAll(() => s3?.stop());

/** The object names in the bucket under our prefix (without it). */
async function objectsInBucket(): Promise<string[]> {
  const storage = createFileStorage(t.config) as S3FileStorage;
  const page = await (
    await storage.client()
  ).send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: `${PREFIX}/` }));
  return (page.Contents ?? []).map((object) => object.Key!.slice(PREFIX.length + 1));
}

function postMultipart(url: string, parts: Part[], headers: Record<string, string>) {
  const { payload, contentType } = multipart(parts);
  return t.app.inject({ method: 'POST', url, headers: { ...headers, 'content-type': contentType }, payload });
}

async function staffUpload(cookie: string, caseId: string, name: string, content: Buffer) {
  const response = await postMultipart(
    `/api/cases/${caseId}/documents`,
    [
      { name: 'kind', value: 'other' },
      { name: 'file', filename: name, content },
    ],
    browserHeaders(cookie),
  );
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as DocumentView;
}

const staffGet = (cookie: string, url: string) => t.app.inject({ method: 'GET', url, headers: { cookie } });

/** A case whose customer has opened the page, documents and messages shown. */
async function world() {
  const admin = await signedInUser(t.app, t.db, { level: 6 });
  await saveSettings(t.db, admin.companyId, {
    sendLink: 'case_created',
    accessFor: 'customer',
    showDocuments: 'case_created',
    showCommunication: 'case_created',
  });
  const s = uniqueSuffix();
  const { id: caseId } = await makeCase(t.db, staffActor(admin, 6), {
    customer: { name: `Kari ${s}`, email: `kari-${s}@example.test`, phone: '+4791234567' },
  });
  const token = await reissueCustomerLinkToken(t.db, admin.companyId, caseId);
  if (!token) throw new Error('the customer has no access');
  const opened = await openCustomerLink(t.app, `${TEST_ORIGIN}/k/${token}`);
  if (!opened.cookie) throw new Error('no customer session');
  return { admin, caseId, customer: opened.cookie };
}

describe.skipIf(Boolean(skipReason))('documents with FILE_STORAGE=s3', () => {
  it('stores a staff upload in the bucket, and the customer downloads it once shared', async () => {
    const { admin, caseId, customer } = await world();
    const doc = await staffUpload(admin.cookie, caseId, 'Skaderapport.pdf', PDF);
    expect(await objectsInBucket()).toContain(`${admin.companyId}/${doc.id}`);
    // Nothing on the local disk: the bucket is the only copy.
    expect(existsSync(path.join(t.config.dataDir, 'files'))).toBe(false);

    const share = await t.app.inject({
      method: 'POST',
      url: `/api/cases/${caseId}/documents/share`,
      headers: browserHeaders(admin.cookie),
      payload: { documentIds: [doc.id] },
    });
    expect(share.statusCode, share.body).toBe(200);
    const download = await customerGet(t.app, `/api/customer/documents/${doc.id}/download`, customer);
    expect(download.statusCode, download.body).toBe(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.rawPayload.equals(PDF)).toBe(true);
  });

  it('stores a customer’s file sent with a message, and staff download it', async () => {
    const { admin, caseId, customer } = await world();
    const sent = await postMultipart(
      '/api/customer/messages',
      [
        { name: 'body', value: 'Her er rapporten' },
        { name: 'files', filename: 'kunde.pdf', content: PDF },
      ],
      { cookie: customer, origin: TEST_ORIGIN },
    );
    expect(sent.statusCode, sent.body).toBe(201);
    const library = await staffGet(admin.cookie, `/api/cases/${caseId}/documents`);
    const doc = (library.json() as { items: DocumentView[] }).items.find((d) => d.fileName === 'kunde.pdf');
    expect(doc).toBeDefined();
    const download = await staffGet(admin.cookie, `/api/documents/${doc!.id}/download`);
    expect(download.statusCode, download.body).toBe(200);
    expect(download.rawPayload.equals(PDF)).toBe(true);
  });

  it('makes and serves the previews of an image from the bucket', async () => {
    const { admin, caseId } = await world();
    const image = await staffUpload(admin.cookie, caseId, 'Bilde.png', PNG);
    const thumbnail = await staffGet(admin.cookie, `/api/documents/${image.id}/thumbnail`);
    expect(thumbnail.statusCode, thumbnail.body).toBe(200);
    expect(thumbnail.headers['content-type']).toBe('image/webp');
    expect(await objectsInBucket()).toContain(`previews/${admin.companyId}/${image.id}.thumb`);
  });

  it('is ready only while the bucket answers: /readyz is 503 for a bucket that does not exist', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    const config = {
      ...t.config,
      fileStorage: { ...t.config.fileStorage, bucket: `missing-${randomUUID()}` },
    } as typeof t.config;
    const app = await buildApp(config, { db: t.db, logger: false });
    try {
      const ready = await app.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toEqual({
        error: { code: 'not_ready', message: 'The file storage does not answer.' },
      });
    } finally {
      await app.close();
      await (createFileStorage(config) as S3FileStorage).close();
    }
  });

  it('recovers staged uploads at start as on disk: moves a committed one, removes an abandoned old one', async () => {
    const { admin, caseId } = await world();
    const doc = await staffUpload(admin.cookie, caseId, 'Avbrutt.pdf', PDF);
    const storage = createFileStorage(t.config) as S3FileStorage;
    const key = `${PREFIX}/${admin.companyId}/${doc.id}`;
    const staged = `${PREFIX}/.tmp/${doc.id}.part`;
    // The state a crash between the row's commit and the move leaves: the row, the bytes still staged.
    await (
      await storage.client()
    ).send(new CopyObjectCommand({ Bucket: s3.bucket, Key: staged, CopySource: `${s3.bucket}/${key}` }));
    await (await storage.client()).send(new DeleteObjectCommand({ Bucket: s3.bucket, Key: key }));
    const during = await staffGet(admin.cookie, `/api/documents/${doc.id}/download`);
    expect(during.statusCode, during.body).toBe(200);
    expect(during.rawPayload.equals(PDF)).toBe(true);

    // Abandoned uploads without a row: a young one may be in flight in another process and stays.
    const young = `${PREFIX}/.tmp/${randomUUID()}.part`;
    const old = `${PREFIX}/.tmp/${randomUUID()}.part`;
    for (const name of [young, old]) {
      await (await storage.client()).send(new PutObjectCommand({ Bucket: s3.bucket, Key: name, Body: 'x' }));
    }
    s3.ageObject(old, 2 * 3_600_000);

    expect(await recoverStagedUploads({ db: t.db, storage })).toEqual({ moved: 1, removed: 1 });
    const names = await objectsInBucket();
    expect(names).toContain(`${admin.companyId}/${doc.id}`);
    expect(names).not.toContain(`.tmp/${doc.id}.part`);
    expect(names).toContain(young.slice(PREFIX.length + 1));
    expect(names).not.toContain(old.slice(PREFIX.length + 1));
    const after = await staffGet(admin.cookie, `/api/documents/${doc.id}/download`);
    expect(after.rawPayload.equals(PDF)).toBe(true);
    await storage.discardStaged(young.slice(`${PREFIX}/.tmp/`.length, -'.part'.length));
  });
});

// Two app hosts share files only where they share a database: PostgreSQL. On SQLite two processes
// on one DATA_DIR is not a deployment we support, so this part runs on the http-postgres project only.
// Defined only there (not skipped on SQLite): a skipped test would read as a suite not run.
const twoHosts = process.env.TEST_DB === 'postgres' ? describe.skipIf(Boolean(skipReason)) : null;
twoHosts?.('two server processes on one PostgreSQL database and one bucket', () => {
  const SECRET = 's3-test-secret-s3-test-secret-s3-test-00';
  let testDb: TestDatabase;
  let db: Db;
  const servers: ServerProcess[] = [];
  const dataDirs: string[] = [];

  beforeAll(async () => {
    testDb = await createTestDatabase('postgres');
    db = createDb(testDb.database);
    // Migrated once here, so the two processes do not race to migrate at start.
    await migrateToLatest(db);
    if (testDb.database.kind !== 'postgres') throw new Error('not PostgreSQL');
    for (let i = 0; i < 2; i++) {
      const dataDir = mkdtempSync(path.join(tmpdir(), 'ks-s3-host-'));
      dataDirs.push(dataDir);
      const server = await serverProcess({
        ...s3.env,
        S3_PREFIX: 'two-hosts',
        DATABASE_URL: testDb.database.url,
        DATA_DIR: dataDir,
        SESSION_SECRET: SECRET,
        OUTBOX_WORKER: 'false',
      });
      servers.push(server);
    }
    await Promise.all(servers.map((server) => server.start()));
  }, 120_000);

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    for (const server of servers) server.cleanup();
    await db?.destroy();
    await testDb?.drop();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  async function signInAt(server: ServerProcess, user: { email: string; password: string }) {
    const response = await fetch(`${server.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { origin: server.baseUrl, 'content-type': 'application/json' },
      body: JSON.stringify({ email: user.email, password: user.password }),
      signal: AbortSignal.timeout(10_000),
    });
    expect(response.status, await response.clone().text()).toBe(200);
    const cookie = response.headers.getSetCookie()[0]?.split(';')[0];
    if (!cookie) throw new Error('sign-in set no cookie');
    return cookie;
  }

  async function uploadAt(
    server: ServerProcess,
    cookie: string,
    caseId: string,
    name: string,
    content: Buffer,
  ) {
    const { payload, contentType } = multipart([
      { name: 'kind', value: 'other' },
      { name: 'file', filename: name, content },
    ]);
    const response = await fetch(`${server.baseUrl}/api/cases/${caseId}/documents`, {
      method: 'POST',
      headers: { cookie, origin: server.baseUrl, 'content-type': contentType },
      body: new Uint8Array(payload),
      signal: AbortSignal.timeout(10_000),
    });
    expect(response.status, await response.clone().text()).toBe(201);
    return (await response.json()) as DocumentView;
  }

  async function downloadAt(server: ServerProcess, cookie: string, documentId: string) {
    const response = await fetch(`${server.baseUrl}/api/documents/${documentId}/download`, {
      headers: { cookie },
      signal: AbortSignal.timeout(10_000),
    });
    expect(response.status).toBe(200);
    return Buffer.from(await response.arrayBuffer());
  }

  it('serves through one process a file uploaded through the other, both ways', async () => {
    const [first, second] = servers as [ServerProcess, ServerProcess];
    const user = await makeUser(db, { level: 6 });
    const atFirst = await signInAt(first, user);
    const atSecond = await signInAt(second, user);
    const created = await fetch(`${first.baseUrl}/api/cases`, {
      method: 'POST',
      headers: { cookie: atFirst, origin: first.baseUrl, 'content-type': 'application/json' },
      body: JSON.stringify({
        claimNumber: `S3-${uniqueSuffix()}`,
        address: { street: 'Kirkegata 1', postalCode: '0153', city: 'Oslo' },
        customer: { name: 'Ola Kunde', email: `ola-${uniqueSuffix()}@example.test`, phone: '+4791234567' },
      }),
      signal: AbortSignal.timeout(10_000),
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const { id: caseId } = (await created.json()) as { id: string };
    // Distinct from the other tests' files, and more than one upload part (5 MiB) on its way in.
    const big = Buffer.concat([PDF, Buffer.alloc(6 * 1024 * 1024, 0x20), Buffer.from('\n%%EOF\n')]);

    const one = await uploadAt(first, atFirst, caseId, 'Fra-vert-1.pdf', PDF);
    expect((await downloadAt(second, atSecond, one.id)).equals(PDF)).toBe(true);
    const two = await uploadAt(second, atSecond, caseId, 'Fra-vert-2.pdf', big);
    expect((await downloadAt(first, atFirst, two.id)).equals(big)).toBe(true);
    // Neither host kept a copy on its own disk.
    for (const dir of dataDirs) expect(existsSync(path.join(dir, 'files'))).toBe(false);
  });
});
