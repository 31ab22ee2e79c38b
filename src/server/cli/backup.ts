import SQLite from 'better-sqlite3';
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { Config } from '../config.ts';
import { sqliteFiles } from '../db/database.ts';
import { migrations } from '../db/migrations/index.ts';
import { syncDirectory } from '../storage/file-storage.ts';

/**
 * `admin backup --to DIR` and `admin restore --from DIR` for the embedded default: the SQLite
 * database, DATA_DIR/files and DATA_DIR/session-secret (issue 17 item 5).
 *
 * Backup runs while the server writes. Its consistency rule:
 * 1. The files are copied once (pass 1), then the database is snapshotted through SQLite's online
 *    backup API, then the files are copied again (pass 2: new files and any whose size or mtime moved).
 * 2. A document's bytes are staged under its id before its row commits and moved onto its key after
 *    the commit; they are removed only after the commit that deleted the row. So every row of the
 *    snapshot has its file at the key in pass 1 or in pass 2 — except when it was still staged (then
 *    the staged bytes are copied onto the key, as crash recovery at start would move them) or when it
 *    was moved after pass 1 saw its folder and deleted before pass 2 did. Such rows (or rows whose file
 *    was already lost on the server) are listed in the manifest's `missingFiles` and reported by both
 *    commands: never silently.
 * 3. Files of rows created after the snapshot, or deleted between pass 1 and the snapshot, are copied
 *    too: orphans without a row, never shown, harmless. `.tmp` staging is not copied.
 * The manifest (hashes of everything) is written last and fsynced: a folder without one is an
 * incomplete backup, which restore refuses.
 */

/** What a backup holds; `path`s are relative to the backup folder with `/` separators. */
export interface Manifest {
  format: typeof FORMAT;
  formatVersion: typeof FORMAT_VERSION;
  createdAt: string;
  /** The newest migration applied to the copied database. */
  schemaVersion: string | null;
  database: FileEntry;
  /** null when the server takes SESSION_SECRET from the environment (no file to copy). */
  sessionSecret: FileEntry | null;
  files: FileEntry[];
  missingFiles: MissingFile[];
}

interface FileEntry {
  path: string;
  size: number;
  sha256: string;
}

/** A document row of the database copy whose bytes are not in the backup. */
interface MissingFile {
  documentId: string;
  caseId: string;
  storageKey: string;
}

export const MANIFEST_FILE = 'manifest.json';
const FORMAT = 'kundeside-backup';
const FORMAT_VERSION = 1;
const DATABASE_FILE = 'kundeside.sqlite';
const SECRET_FILE = 'session-secret';
const FILES_DIR = 'files';
/** The file storage's staging folder (file-storage.ts): unfinished uploads, never copied as such. */
const STAGING_DIR = '.tmp';
/** As many pages as SQLite takes in one backup step: "all of them". */
const ALL_PAGES = 0x7fffffff;

const POSTGRES_REFUSAL =
  'backup and restore cover the embedded SQLite database only; with DATABASE_URL (PostgreSQL) back up ' +
  'the database with pg_dump or pg_basebackup and DATA_DIR/files with your file backup (README: Backups)';

/** Paths a manifest may name: the database, the secret, or a storage key under files/. */
const ENTRY_PATH = /^(kundeside\.sqlite|session-secret|files(\/[A-Za-z0-9][A-Za-z0-9._-]*){1,9})$/;

const entrySchema = z.object({
  path: z.string().regex(ENTRY_PATH),
  size: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

const manifestSchema = z.object({
  format: z.literal(FORMAT),
  formatVersion: z.literal(FORMAT_VERSION),
  createdAt: z.string(),
  schemaVersion: z.string().nullable(),
  database: entrySchema.extend({ path: z.literal(DATABASE_FILE) }),
  sessionSecret: entrySchema.extend({ path: z.literal(SECRET_FILE) }).nullable(),
  files: z.array(
    entrySchema.extend({
      path: z
        .string()
        .regex(/^files\//)
        .pipe(entrySchema.shape.path),
    }),
  ),
  missingFiles: z.array(z.object({ documentId: z.string(), caseId: z.string(), storageKey: z.string() })),
});

/** What `backup` prints. */
export interface BackupSummary {
  backup: string;
  schemaVersion: string | null;
  databaseBytes: number;
  files: number;
  fileBytes: number;
  sessionSecret: boolean;
  missingFiles: MissingFile[];
}

/** What `restore` prints. */
export interface RestoreSummary {
  dataDir: string;
  schemaVersion: string | null;
  integrity: 'ok';
  cases: number;
  documents: number;
  files: number;
  fileBytes: number;
  databaseBytes: number;
  missingFiles: MissingFile[];
}

/** Takes an online backup of DATA_DIR (SQLite database, files, session secret) into the empty folder `to`. */
export async function backupDataDir(config: Config, to: string): Promise<BackupSummary> {
  const database = sqliteDatabase(config);
  refuseObjectStorage(config);
  if (!existsSync(database)) throw new Error(`there is no database at ${database} (check DATA_DIR)`);
  const target = path.resolve(to);
  await prepareEmptyFolder(target);

  const storeRoot = path.join(config.dataDir, FILES_DIR);
  const copied = new Map<string, CopiedFile>();
  await copyStore(storeRoot, target, copied);
  const snapshot = path.join(target, DATABASE_FILE);
  await snapshotDatabase(database, snapshot);
  await copyStore(storeRoot, target, copied);

  const { schemaVersion, documents } = readSnapshot(snapshot);
  const missingFiles: MissingFile[] = [];
  for (const document of documents) {
    const relative = `${FILES_DIR}/${document.storage_key}`;
    if (copied.has(relative)) continue;
    // Committed but not yet moved (or a crash left it staged): copy the staged bytes onto the key.
    const sources = [
      path.join(storeRoot, STAGING_DIR, `${document.id}.part`),
      path.join(storeRoot, ...document.storage_key.split('/')),
    ];
    const entry = await copyFirstPresent(sources, target, relative);
    if (entry) copied.set(relative, { mtimeMs: 0, entry });
    else {
      missingFiles.push({
        documentId: document.id,
        caseId: document.case_id,
        storageKey: document.storage_key,
      });
    }
  }

  const secretFile = path.join(config.dataDir, SECRET_FILE);
  const sessionSecret = existsSync(secretFile)
    ? { path: SECRET_FILE, ...(await copyHashed(secretFile, path.join(target, SECRET_FILE))) }
    : null;
  const files = [...copied.values()].map((file) => file.entry).sort((a, b) => a.path.localeCompare(b.path));
  const manifest: Manifest = {
    format: FORMAT,
    formatVersion: FORMAT_VERSION,
    createdAt: new Date().toISOString(),
    schemaVersion,
    database: { path: DATABASE_FILE, ...(await hashFile(snapshot)) },
    sessionSecret,
    files,
    missingFiles,
  };
  await syncFolders(target, files);
  await writeManifest(target, manifest);
  warnMissing(missingFiles);
  return {
    backup: target,
    schemaVersion,
    databaseBytes: manifest.database.size,
    files: files.length,
    fileBytes: sum(files),
    sessionSecret: sessionSecret !== null,
    missingFiles,
  };
}

/**
 * Restores the backup in `from` into the configured DATA_DIR, which must hold none of what a backup
 * brings. Everything is copied into a folder inside DATA_DIR first, each file's hash checked on the
 * way, and moved into place (the database last) only when all of it matched and the database passed
 * SQLite's integrity check: a refused restore leaves DATA_DIR as it was.
 */
export async function restoreDataDir(config: Config, from: string): Promise<RestoreSummary> {
  const database = sqliteDatabase(config);
  refuseObjectStorage(config);
  const source = path.resolve(from);
  const manifest = await readManifest(source);
  if (manifest.schemaVersion !== null && !Object.hasOwn(migrations, manifest.schemaVersion)) {
    throw new Error(
      `the backup's database is at migration ${manifest.schemaVersion}, which this version does not know: restore it with the version that took it`,
    );
  }
  const storeRoot = path.join(config.dataDir, FILES_DIR);
  const secretFile = path.join(config.dataDir, SECRET_FILE);
  const present = [
    ...sqliteFiles(database),
    storeRoot,
    ...(manifest.sessionSecret ? [secretFile] : []),
  ].filter((file) => existsSync(file));
  if (present.length > 0) {
    throw new Error(
      `DATA_DIR is not empty: ${present.join(', ')} already exist (restore only into an empty DATA_DIR)`,
    );
  }

  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  const staging = path.join(config.dataDir, `.restore-${randomUUID()}`);
  await mkdir(path.join(staging, FILES_DIR), { recursive: true, mode: 0o700 });
  try {
    const entries = [
      manifest.database,
      ...(manifest.sessionSecret ? [manifest.sessionSecret] : []),
      ...manifest.files,
    ];
    for (const entry of entries) await copyVerified(source, staging, entry);
    const checked = checkRestoredDatabase(path.join(staging, DATABASE_FILE), path.join(staging, FILES_DIR));
    await syncFolders(staging, manifest.files);
    await rename(path.join(staging, FILES_DIR), storeRoot);
    if (manifest.sessionSecret) await rename(path.join(staging, SECRET_FILE), secretFile);
    await rename(path.join(staging, DATABASE_FILE), database);
    await syncDirectory(config.dataDir);
    warnMissing(checked.missingFiles);
    return {
      dataDir: config.dataDir,
      schemaVersion: manifest.schemaVersion,
      integrity: 'ok',
      ...checked,
      files: manifest.files.length,
      fileBytes: sum(manifest.files),
      databaseBytes: manifest.database.size,
    };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** The SQLite database file, or the refusal for PostgreSQL. */
function sqliteDatabase(config: Config): string {
  if (config.database.kind !== 'sqlite') throw new Error(POSTGRES_REFUSAL);
  return config.database.file;
}

/** Only the disk store is copied: a bucket (FILE_STORAGE=s3) is backed up with the object store's tools. */
function refuseObjectStorage(config: Config): void {
  if (config.fileStorage.kind === 'disk') return;
  throw new Error(
    `the files are in object storage (FILE_STORAGE=${config.fileStorage.kind}) and this command copies the disk store only: back up the bucket with its own tools (versioning, replication) and the database with pg_dump or sqlite3's .backup (README: Backups)`,
  );
}

async function prepareEmptyFolder(folder: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') throw new Error(`--to: ${folder} is a file, not a folder`);
    if (code !== 'ENOENT') throw error;
    await mkdir(folder, { recursive: true, mode: 0o700 });
    return;
  }
  if (names.length > 0) {
    throw new Error(`--to: ${folder} is not empty (a backup goes into a new or empty folder)`);
  }
}

interface CopiedFile {
  /** The source's mtime when copied: pass 2 copies again what changed since pass 1. */
  mtimeMs: number;
  entry: FileEntry;
}

/** Copies every file of the store (not its staging folder) that `copied` does not hold as it is now. */
async function copyStore(storeRoot: string, target: string, copied: Map<string, CopiedFile>): Promise<void> {
  for (const relative of await listFiles(storeRoot)) {
    const from = path.join(storeRoot, ...relative.split('/'));
    const info = await stat(from).catch(ignoreMissing);
    if (!info) continue; // Deleted since the listing: its row is gone (or it was never a row's file).
    const backupPath = `${FILES_DIR}/${relative}`;
    const before = copied.get(backupPath);
    if (before && before.mtimeMs === info.mtimeMs && before.entry.size === info.size) continue;
    const hashed = await copyHashed(from, path.join(target, FILES_DIR, ...relative.split('/'))).catch(
      ignoreMissing,
    );
    if (hashed) copied.set(backupPath, { mtimeMs: info.mtimeMs, entry: { path: backupPath, ...hashed } });
  }
}

/** The store's regular files as `/`-separated relative paths, without the staging folder. */
async function listFiles(root: string, prefix = ''): Promise<string[]> {
  const entries = await readdir(path.join(root, ...prefix.split('/')), { withFileTypes: true }).catch(
    ignoreMissing,
  );
  const files: string[] = [];
  for (const entry of entries ?? []) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (!prefix && entry.name === STAGING_DIR) continue;
    if (entry.isDirectory()) files.push(...(await listFiles(root, relative)));
    else if (entry.isFile() && ENTRY_PATH.test(`${FILES_DIR}/${relative}`)) files.push(relative);
  }
  return files;
}

async function copyFirstPresent(
  sources: string[],
  target: string,
  relative: string,
): Promise<FileEntry | null> {
  for (const source of sources) {
    const hashed = await copyHashed(source, path.join(target, ...relative.split('/'))).catch(ignoreMissing);
    if (hashed) return { path: relative, ...hashed };
  }
  return null;
}

/**
 * Copies the database as of one commit. All pages go in one step, which reads inside one read
 * transaction (WAL: the server's writers go on meanwhile); with small steps SQLite restarts the copy
 * whenever another process commits, which under steady writes might never finish.
 */
async function snapshotDatabase(source: string, target: string): Promise<void> {
  const db = new SQLite(source, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    await db.backup(target, { progress: () => ALL_PAGES });
  } finally {
    db.close();
  }
  // A single self-contained file (no -wal beside it), readable by the owner only; then durable.
  const copy = new SQLite(target, { fileMustExist: true });
  try {
    copy.pragma('journal_mode = DELETE');
  } finally {
    copy.close();
  }
  const handle = await open(target, 'r+', 0o600);
  try {
    await handle.chmod(0o600);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** The newest migration and every document row of the snapshot. */
function readSnapshot(file: string) {
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok')
      throw new Error(`the database copy failed SQLite's integrity check: ${String(integrity)}`);
    const latest = db.prepare('select name from kysely_migration order by name desc limit 1').get() as
      { name: string } | undefined;
    const documents = db
      .prepare('select id, case_id, storage_key from documents order by id')
      .all() as Array<{
      id: string;
      case_id: string;
      storage_key: string;
    }>;
    return { schemaVersion: latest?.name ?? null, documents };
  } finally {
    db.close();
  }
}

/** Integrity check, counts, and the document rows whose file is not under `filesRoot`. */
function checkRestoredDatabase(file: string, filesRoot: string) {
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') {
      throw new Error(`${DATABASE_FILE} fails SQLite's integrity check: ${String(integrity)}`);
    }
    const count = (table: string) =>
      (db.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
    const rows = db.prepare('select id, case_id, storage_key from documents order by id').all() as Array<{
      id: string;
      case_id: string;
      storage_key: string;
    }>;
    const missingFiles = rows
      .filter((row) => !existsSync(path.join(filesRoot, ...row.storage_key.split('/'))))
      .map((row) => ({ documentId: row.id, caseId: row.case_id, storageKey: row.storage_key }));
    return { cases: count('cases'), documents: rows.length, missingFiles };
  } finally {
    db.close();
  }
}

async function readManifest(folder: string): Promise<Manifest> {
  const file = path.join(folder, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new Error(`--from: ${file} does not exist (not a backup, or one that did not finish)`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`--from: ${file} is not valid JSON (the backup is damaged)`);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `--from: ${file} is not a backup manifest (${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''})`,
    );
  }
  return parsed.data as Manifest;
}

/** Copies one entry of the backup into `staging`, refusing when it is absent or its size or hash differs. */
async function copyVerified(source: string, staging: string, entry: FileEntry): Promise<void> {
  const from = path.join(source, ...entry.path.split('/'));
  const copied = await copyHashed(from, path.join(staging, ...entry.path.split('/'))).catch(ignoreMissing);
  if (!copied) throw new Error(`the backup is incomplete: ${entry.path} is missing`);
  if (copied.sha256 !== entry.sha256 || copied.size !== entry.size) {
    throw new Error(`the backup is damaged: ${entry.path} does not match its SHA-256 in ${MANIFEST_FILE}`);
  }
}

/** Copies `from` to `to` (0600, fsynced, replacing an older copy) and returns its size and SHA-256. */
async function copyHashed(from: string, to: string): Promise<{ size: number; sha256: string }> {
  const input = await open(from, 'r');
  await mkdir(path.dirname(to), { recursive: true, mode: 0o700 });
  const output = await open(to, 'w', 0o600);
  const hash = createHash('sha256');
  let size = 0;
  try {
    for await (const chunk of input.createReadStream({ autoClose: false })) {
      const bytes = chunk as Buffer;
      hash.update(bytes);
      size += bytes.length;
      await writeAll(output, bytes);
    }
    await output.sync();
  } finally {
    await output.close();
    await input.close();
  }
  return { size, sha256: hash.digest('hex') };
}

async function writeAll(handle: FileHandle, bytes: Buffer): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) {
    offset += (await handle.write(bytes, offset, bytes.length - offset)).bytesWritten;
  }
}

async function hashFile(file: string): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { size, sha256: hash.digest('hex') };
}

/** The manifest goes last, through a temporary name: it exists only complete, after all it lists. */
async function writeManifest(target: string, manifest: Manifest): Promise<void> {
  const temporary = path.join(target, `${MANIFEST_FILE}.part`);
  const handle = await open(temporary, 'wx', 0o600);
  try {
    await writeAll(handle, Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`));
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, path.join(target, MANIFEST_FILE));
  await syncDirectory(target);
}

/** Makes the new names durable: fsync every folder the entries were written into, and the root. */
async function syncFolders(root: string, entries: FileEntry[]): Promise<void> {
  const folders = new Set<string>([root]);
  for (const entry of entries) {
    const parts = entry.path.split('/').slice(0, -1);
    for (let i = 1; i <= parts.length; i++) folders.add(path.join(root, ...parts.slice(0, i)));
  }
  for (const folder of folders) await syncDirectory(folder);
}

/** One stderr line naming the rows without a file (the JSON on stdout lists them in full). */
function warnMissing(missing: MissingFile[]): void {
  if (missing.length === 0) return;
  const ids = missing.map((file) => file.documentId).join(', ');
  console.error(`warning: ${missing.length} document row(s) have no file (missingFiles): ${ids}`);
}

const sum = (entries: FileEntry[]) => entries.reduce((total, entry) => total + entry.size, 0);

function ignoreMissing(error: unknown): null {
  if ((error as NodeJS.ErrnoException | null)?.code === 'ENOENT') return null;
  throw error;
}
