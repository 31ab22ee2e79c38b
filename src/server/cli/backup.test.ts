import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageThreadView } from '../../common/contracts/message-api.ts';
import { browserHeaders, signedInUser, signIn } from '../../../test/support/factory.ts';
import { multipart, PDF } from '../../../test/support/multipart.ts';
import { TEST_ORIGIN } from '../../../test/support/test-app.ts';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { createDb, type Db } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import type { App } from '../http/types.ts';
import type { Manifest } from './backup.ts';

// `admin backup` taken in a child process while this process keeps writing through the app (new
// cases, staff messages with attachments), then `admin restore` into a new DATA_DIR: every write
// acknowledged before the backup started is there, byte for byte. SQLite only, so in the unit project.

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

interface Acknowledged {
  caseId: string;
  messageId: string;
  body: string;
  documentId: string;
  bytes: Buffer;
}

const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));

let root: string;
const source = {} as { app: App; db: Db; dataDir: string };
let restored: { app: App; db: Db } | undefined;
let staff: { email: string; password: string; cookie: string; companyId: string };

const envOf = (dataDir: string, extra: Record<string, string> = {}): Record<string, string> => ({
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? '',
  NODE_ENV: 'test',
  LOG_LEVEL: 'silent',
  PUBLIC_BASE_URL: TEST_ORIGIN,
  DATA_DIR: dataDir,
  ...extra,
});

/** Runs `admin.ts <args>` on `dataDir` in a child process; never rejects. */
function admin(dataDir: string, args: string[], extra: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/server/cli/admin.ts', ...args],
      { cwd: projectRoot, env: envOf(dataDir, extra), timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** The app as `npm start` would build it on `dataDir` (session secret from DATA_DIR, not the env). */
async function openApp(dataDir: string): Promise<{ app: App; db: Db }> {
  const config = loadConfig(envOf(dataDir, { OUTBOX_WORKER: 'false' }));
  const db = createDb(config.database);
  await migrateToLatest(db);
  const app = await buildApp(config, { db, logger: false });
  await app.ready();
  return { app, db };
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** A PDF no other upload has: its download proves these very bytes came back. */
const uniquePdf = () => Buffer.concat([PDF, Buffer.from(`%${randomBytes(24).toString('hex')}\n`)]);

/** Every file under `folder`, relative, `/`-separated. */
const filesUnder = (folder: string): string[] =>
  existsSync(folder)
    ? readdirSync(folder, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) =>
          path.relative(folder, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'),
        )
    : [];

async function createCase(app: App, cookie: string): Promise<string> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/cases',
    headers: browserHeaders(cookie),
    payload: {
      claimNumber: `SK-${randomBytes(5).toString('hex')}`,
      address: { street: 'Tollbugata 22', postalCode: '0152', city: 'Oslo' },
      customer: { name: 'Ola Nordmann', email: 'ola@example.test', phone: '912 34 567' },
    },
  });
  if (response.statusCode !== 201) throw new Error(`case: ${response.statusCode} ${response.body}`);
  return (response.json() as { id: string }).id;
}

async function postMessage(app: App, cookie: string, caseId: string): Promise<Acknowledged> {
  const body = `Tilbud ${randomBytes(4).toString('hex')}`;
  const bytes = uniquePdf();
  const { payload, contentType } = multipart([
    { name: 'body', value: body },
    { name: 'files', filename: 'tilbud.pdf', content: bytes, type: 'application/pdf' },
  ]);
  const response = await app.inject({
    method: 'POST',
    url: `/api/cases/${caseId}/messages`,
    headers: { ...browserHeaders(cookie), 'content-type': contentType },
    payload,
  });
  if (response.statusCode !== 201) throw new Error(`message: ${response.statusCode} ${response.body}`);
  const message = response.json() as { id: string; attachments: Array<{ id: string }> };
  return { caseId, messageId: message.id, body, documentId: message.attachments[0]!.id, bytes };
}

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'ks-backup-'));
  source.dataDir = path.join(root, 'data');
  Object.assign(source, await openApp(source.dataDir));
  staff = await signedInUser(source.app, source.db, { level: 6 });
});

afterAll(async () => {
  await restored?.app.close();
  await restored?.db.destroy();
  await source.app?.close();
  await source.db?.destroy();
  rmSync(root, { recursive: true, force: true });
});

describe('admin backup and restore', () => {
  const backupDir = () => path.join(root, 'backup');
  let beforeBackup: Acknowledged[] = [];
  let manifest: Manifest;

  it('takes a backup under write load that restores every write acknowledged before it started', async () => {
    const acknowledged: Acknowledged[] = [];
    let writing = true;
    const writer = async () => {
      while (writing) {
        const caseId = await createCase(source.app, staff.cookie);
        for (let i = 0; i < 2 && writing; i++)
          acknowledged.push(await postMessage(source.app, staff.cookie, caseId));
      }
    };
    const writers = [writer(), writer()];
    while (acknowledged.length < 12) await new Promise((resolve) => setTimeout(resolve, 10));

    beforeBackup = [...acknowledged];
    const run = await admin(source.dataDir, ['backup', '--to', backupDir()]);
    const duringBackup = acknowledged.length - beforeBackup.length;
    writing = false;
    await Promise.all(writers);

    expect(run, run.stderr).toMatchObject({ code: 0 });
    // The copy ran while the app kept committing messages and files.
    expect(duringBackup).toBeGreaterThan(0);
    const summary = JSON.parse(run.stdout) as {
      files: number;
      missingFiles: unknown[];
      sessionSecret: boolean;
    };
    expect(summary).toMatchObject({ missingFiles: [], sessionSecret: true });

    // The manifest lists every file with the hash of the bytes in the backup, and no staging file.
    manifest = JSON.parse(readFileSync(path.join(backupDir(), 'manifest.json'), 'utf8')) as Manifest;
    const entries = [manifest.database, manifest.sessionSecret!, ...manifest.files];
    for (const entry of entries) {
      expect(sha256(readFileSync(path.join(backupDir(), entry.path))), entry.path).toBe(entry.sha256);
    }
    expect(filesUnder(backupDir()).sort()).toEqual([...entries.map((e) => e.path), 'manifest.json'].sort());
    expect(manifest.files.map((file) => file.path)).toEqual(
      expect.arrayContaining(beforeBackup.map((w) => `files/${staff.companyId}/${w.documentId}`)),
    );
    expect(manifest.files.some((file) => file.path.includes('.tmp'))).toBe(false);

    const restoredDir = path.join(root, 'restored');
    const restore = await admin(restoredDir, ['restore', '--from', backupDir()]);
    expect(restore, restore.stderr).toMatchObject({ code: 0 });
    expect(JSON.parse(restore.stdout)).toMatchObject({
      integrity: 'ok',
      missingFiles: [],
      files: manifest.files.length,
      documents: expect.any(Number),
    });
    expect(JSON.parse(restore.stdout).documents).toBeGreaterThanOrEqual(beforeBackup.length);
    // Nothing half-written: no staged upload, no leftover of the restore itself.
    expect(readdirSync(restoredDir).sort()).toEqual(['files', 'kundeside.sqlite', 'session-secret']);
    expect(existsSync(path.join(restoredDir, 'files', '.tmp'))).toBe(false);

    restored = await openApp(restoredDir);
    const { app } = restored;
    // The session secret came along: the session from before the backup still signs in.
    const me = await app.inject({ method: 'GET', url: '/api/me', headers: { cookie: staff.cookie } });
    expect(me.statusCode, me.body).toBe(200);
    const cookie = await signIn(app, staff);
    for (const write of beforeBackup) {
      const thread = await app.inject({
        method: 'GET',
        url: `/api/cases/${write.caseId}/messages`,
        headers: { cookie },
      });
      expect(thread.statusCode, thread.body).toBe(200);
      const message = (thread.json() as MessageThreadView).items.find((m) => m.id === write.messageId);
      expect(message, write.messageId).toMatchObject({
        body: write.body,
        attachments: [{ id: write.documentId }],
      });
      const download = await app.inject({
        method: 'GET',
        url: `/api/documents/${write.documentId}/download`,
        headers: { cookie },
      });
      expect(download.statusCode, download.body).toBe(200);
      expect(download.rawPayload.equals(write.bytes), write.documentId).toBe(true);
    }
  }, 120_000);

  it('refuses a target folder that is not empty, writing nothing into it', async () => {
    const target = path.join(root, 'occupied');
    mkdirSync(target);
    writeFileSync(path.join(target, 'notes.txt'), 'keep me');
    const run = await admin(source.dataDir, ['backup', '--to', target]);
    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect(run.stderr).toMatch(/^error: --to: .*occupied is not empty/);
    expect(readdirSync(target)).toEqual(['notes.txt']);
  }, 60_000);

  it('refuses a tampered or incomplete backup, naming the file, and leaves DATA_DIR empty', async () => {
    const tampered = path.join(root, 'tampered');
    cpSync(backupDir(), tampered, { recursive: true });
    const victim = manifest.files[0]!.path;
    const bytes = readFileSync(path.join(tampered, victim));
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 2) ^ 0x01, bytes.length - 2);
    writeFileSync(path.join(tampered, victim), bytes);
    const target = path.join(root, 'from-tampered');
    const run = await admin(target, ['restore', '--from', tampered]);
    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect(run.stderr.trim()).toBe(
      `error: the backup is damaged: ${victim} does not match its SHA-256 in manifest.json`,
    );
    expect(filesUnder(target)).toEqual([]);

    rmSync(path.join(tampered, 'manifest.json'));
    const incomplete = await admin(target, ['restore', '--from', tampered]);
    expect(incomplete).toMatchObject({ code: 1, stdout: '' });
    expect(incomplete.stderr).toMatch(
      /manifest\.json does not exist \(not a backup, or one that did not finish\)/,
    );
  }, 60_000);

  it('refuses to restore over an existing database, naming it', async () => {
    const run = await admin(source.dataDir, ['restore', '--from', backupDir()]);
    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect(run.stderr).toContain(`${path.join(source.dataDir, 'kundeside.sqlite')}`);
    expect(run.stderr).toMatch(/restore only into an empty DATA_DIR/);
  }, 60_000);

  it('takes an upload whose move onto its key is still pending from the staging folder', async () => {
    // A row committed whose bytes are still staged under the document's id (the move after the commit
    // has not happened yet, or a crash stopped it): the backup puts them at the key.
    const pending = beforeBackup[1]!;
    const key = path.join(source.dataDir, 'files', staff.companyId, pending.documentId);
    renameSync(key, path.join(source.dataDir, 'files', '.tmp', `${pending.documentId}.part`));
    const target = path.join(root, 'with-pending');
    const run = await admin(source.dataDir, ['backup', '--to', target]);
    expect(run, run.stderr).toMatchObject({ code: 0 });
    expect(JSON.parse(run.stdout)).toMatchObject({ missingFiles: [] });
    const copy = path.join(target, 'files', staff.companyId, pending.documentId);
    expect(readFileSync(copy).equals(pending.bytes)).toBe(true);
    expect(existsSync(path.join(target, 'files', '.tmp'))).toBe(false);
  }, 60_000);

  it('names the document rows whose file is lost, in the backup and after the restore', async () => {
    const lost = beforeBackup[0]!;
    rmSync(path.join(source.dataDir, 'files', staff.companyId, lost.documentId));
    const target = path.join(root, 'with-loss');
    const run = await admin(source.dataDir, ['backup', '--to', target]);
    expect(run, run.stderr).toMatchObject({ code: 0 });
    const missing = [
      {
        documentId: lost.documentId,
        caseId: lost.caseId,
        storageKey: `${staff.companyId}/${lost.documentId}`,
      },
    ];
    expect(JSON.parse(run.stdout)).toMatchObject({ missingFiles: missing });

    const restore = await admin(path.join(root, 'restored-with-loss'), ['restore', '--from', target]);
    expect(restore, restore.stderr).toMatchObject({ code: 0 });
    expect(JSON.parse(restore.stdout)).toMatchObject({ integrity: 'ok', missingFiles: missing });
  }, 60_000);

  it('refuses object storage: the bucket is not on this disk', async () => {
    const extra = { FILE_STORAGE: 's3', S3_BUCKET: 'kundeside-files', S3_REGION: 'eu-north-1' };
    const run = await admin(source.dataDir, ['backup', '--to', path.join(root, 's3')], extra);
    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect(run.stderr).toMatch(/^error: the files are in object storage \(FILE_STORAGE=s3\)/);
    expect(existsSync(path.join(root, 's3'))).toBe(false);
  }, 60_000);

  it('refuses PostgreSQL with a pointer to pg_dump', async () => {
    const extra = { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' };
    const runs = await Promise.all([
      admin(source.dataDir, ['backup', '--to', path.join(root, 'pg')], extra),
      admin(path.join(root, 'pg-restore'), ['restore', '--from', backupDir()], extra),
    ]);
    for (const run of runs) {
      expect(run).toMatchObject({ code: 1, stdout: '' });
      expect(run.stderr).toMatch(
        /^error: backup and restore cover the embedded SQLite database only.*pg_dump/,
      );
    }
    expect(existsSync(path.join(root, 'pg'))).toBe(false);
  }, 60_000);
});
