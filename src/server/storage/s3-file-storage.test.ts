import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { Readable } from 'node:stream';
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startS3Server, type S3Server } from '../../../test/support/s3.ts';
import { loadConfig } from '../config.ts';
import {
  createFileStorage,
  FileNotFoundError,
  LocalFileStorage,
  readAll,
  type FileStorage,
} from './file-storage.ts';
import { S3FileStorage } from './s3-file-storage.ts';

// The FileStorage contract, run against both adapters: the local disk and S3 (a real S3-protocol
// server, s3rver, on 127.0.0.1). The documents module relies on exactly these rules for its
// crash safety: a key holds a whole file or nothing, uploads are staged outside the keys and moved
// in the row's transaction, and start-up recovery lists what is staged with its age.

let s3: S3Server;
beforeAll(async () => {
  s3 = await startS3Server();
});
afterAll(() => s3?.stop());

/** One adapter under test, with a way to see everything it holds (keys and staging area alike). */
interface Harness {
  storage: FileStorage;
  everything(): Promise<string[]>;
  /** Makes a staged upload look `ageMs` old (a crash of long ago). */
  age(stagingId: string, ageMs: number): void;
  cleanup(): Promise<void>;
}

function diskHarness(): Harness {
  const root = mkdtempSync(path.join(tmpdir(), 'ks-storage-'));
  const files = path.join(root, 'files');
  const relative = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory()
        ? relative(path.join(dir, entry.name))
        : [path.relative(files, path.join(dir, entry.name)).split(path.sep).join('/')],
    );
  return {
    storage: new LocalFileStorage(files),
    everything: async () => (existsSync(files) ? relative(files).sort() : []),
    age(stagingId, ageMs) {
      const then = new Date(Date.now() - ageMs);
      utimesSync(path.join(files, '.tmp', `${stagingId}.part`), then, then);
    },
    cleanup: async () => rmSync(root, { recursive: true, force: true }),
  };
}

/** Each S3 harness has its own prefix in the shared bucket, so the tests never see each other's. */
function s3Harness(): Harness {
  const prefix = `t${randomBytes(4).toString('hex')}`;
  const storage = new S3FileStorage(s3.storageConfig({ S3_PREFIX: prefix }));
  return {
    storage,
    async everything() {
      const page = await (
        await storage.client()
      ).send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: `${prefix}/` }));
      return (page.Contents ?? []).map((object) => object.Key!.slice(prefix.length + 1)).sort();
    },
    age: (stagingId, ageMs) => s3.ageObject(`${prefix}/.tmp/${stagingId}.part`, ageMs),
    cleanup: async () => storage.close(),
  };
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** A stream that sends `bytesBeforeFailing` bytes in 64 KiB chunks, then fails like a cut connection. */
function failingStream(bytesBeforeFailing: number): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= bytesBeforeFailing) {
        this.destroy(new Error('connection lost'));
        return;
      }
      const chunk = randomBytes(Math.min(65_536, bytesBeforeFailing - sent));
      sent += chunk.length;
      this.push(chunk);
    },
  });
}

describe.each([
  ['LocalFileStorage', diskHarness],
  ['S3FileStorage', s3Harness],
])('FileStorage contract: %s', (_name, makeHarness) => {
  let h: Harness;
  beforeEach(() => {
    h = makeHarness();
  });
  afterEach(() => h.cleanup());

  it('puts, reads, checks and deletes files by key; deleting a missing key is no error', async () => {
    expect(await h.storage.put('company/one', Buffer.from('hello'))).toEqual({ sizeBytes: 5 });
    expect(
      await h.storage.put('company/two', Readable.from([Buffer.from('wor'), Buffer.from('ld')])),
    ).toEqual({ sizeBytes: 5 });
    expect(await h.storage.exists('company/one')).toBe(true);
    expect((await readAll(await h.storage.get('company/two'))).toString()).toBe('world');
    await h.storage.delete('company/one');
    await h.storage.delete('company/one');
    expect(await h.storage.exists('company/one')).toBe(false);
    await expect(h.storage.get('company/one')).rejects.toBeInstanceOf(FileNotFoundError);
    expect(await h.everything()).toEqual(['company/two']);
  });

  it('stores a stream larger than one upload part byte for byte', async () => {
    // 12 MiB: three 5 MiB parts on S3 (a multipart upload), one file on disk.
    const bytes = randomBytes(12 * 1024 * 1024);
    const chunks = Array.from({ length: 12 * 16 }, (_, i) => bytes.subarray(i * 65_536, (i + 1) * 65_536));
    expect(await h.storage.put('company/big', Readable.from(chunks))).toEqual({ sizeBytes: bytes.length });
    expect(sha256(await readAll(await h.storage.get('company/big')))).toBe(sha256(bytes));
  });

  it('stores nothing, neither at the key nor staged, when the source stream fails', async () => {
    await expect(h.storage.put('company/broken', failingStream(1000))).rejects.toThrow('connection lost');
    await expect(h.storage.stage(failingStream(1000))).rejects.toThrow('connection lost');
    // Past the first part: on S3 a multipart upload is under way when the source fails.
    await expect(h.storage.put('company/broken', failingStream(6 * 1024 * 1024))).rejects.toThrow(
      'connection lost',
    );
    await expect(h.storage.stage(failingStream(6 * 1024 * 1024))).rejects.toThrow('connection lost');
    expect(await h.storage.exists('company/broken')).toBe(false);
    expect(await h.storage.listStaged()).toEqual([]);
    expect(await h.everything()).toEqual([]);
  });

  it('stages bytes outside the keys, lists them with their age, and moves them onto a key', async () => {
    const { stagingId, sizeBytes } = await h.storage.stage(Buffer.from('staged'));
    expect(sizeBytes).toBe(6);
    expect(await h.storage.exists('company/doc')).toBe(false);
    const [listed, ...more] = await h.storage.listStaged();
    expect(more).toEqual([]);
    expect(listed?.stagingId).toBe(stagingId);
    expect(listed?.ageMs).toBeGreaterThan(-2_000);
    expect(listed?.ageMs).toBeLessThan(60_000);
    expect((await readAll(await h.storage.openStaged(stagingId))).toString()).toBe('staged');

    await h.storage.commitStaged(stagingId, 'company/doc');
    expect((await readAll(await h.storage.get('company/doc'))).toString()).toBe('staged');
    expect(await h.storage.listStaged()).toEqual([]);
    expect(await h.everything()).toEqual(['company/doc']);
    // A second move of the same staging id (another process got there first) fails: nothing to move.
    await expect(h.storage.commitStaged(stagingId, 'company/doc')).rejects.toThrow();
    expect((await readAll(await h.storage.get('company/doc'))).toString()).toBe('staged');
  });

  it('stages under a given id (a document id), and lists an old staged upload with its age', async () => {
    const id = randomUUID();
    expect(await h.storage.stage(Readable.from([Buffer.from('a'), Buffer.from('b')]), id)).toEqual({
      stagingId: id,
      sizeBytes: 2,
    });
    h.age(id, 2 * 3_600_000);
    const [listed] = await h.storage.listStaged();
    expect(listed?.stagingId).toBe(id);
    // S3's LastModified has whole seconds.
    expect(listed?.ageMs).toBeGreaterThan(2 * 3_600_000 - 1_000);
    expect(listed?.ageMs).toBeLessThan(2 * 3_600_000 + 60_000);
  });

  it('discards staged bytes; discarding a missing id is no error; a missing staged file is not found', async () => {
    const { stagingId } = await h.storage.stage(Buffer.from('gone soon'));
    await h.storage.discardStaged(stagingId);
    await h.storage.discardStaged(stagingId);
    await h.storage.discardStaged(randomUUID());
    expect(await h.storage.listStaged()).toEqual([]);
    await expect(h.storage.openStaged(stagingId)).rejects.toBeInstanceOf(FileNotFoundError);
    await expect(h.storage.commitStaged(stagingId, 'company/doc')).rejects.toThrow();
    expect(await h.everything()).toEqual([]);
  });

  it('refuses keys that could leave the storage area or hit its staging area, and bad staging ids', async () => {
    for (const key of ['../x', '/etc/passwd', 'a//b', '.tmp/x', 'a/../../b', 'a\\b', '', 'a/', 'a b']) {
      await expect(h.storage.put(key, Buffer.from('x')), key).rejects.toThrow('Invalid storage key');
      await expect(h.storage.get(key), key).rejects.toThrow('Invalid storage key');
      await expect(h.storage.exists(key), key).rejects.toThrow('Invalid storage key');
      await expect(h.storage.delete(key), key).rejects.toThrow('Invalid storage key');
    }
    const { stagingId } = await h.storage.stage(Buffer.from('x'));
    await expect(h.storage.commitStaged(stagingId, '../escape')).rejects.toThrow('Invalid storage key');
    for (const id of ['../../company/one', 'not-a-uuid', `${randomUUID()}/x`]) {
      await expect(h.storage.stage(Buffer.from('x'), id), id).rejects.toThrow('Invalid staging id');
      await expect(h.storage.discardStaged(id), id).rejects.toThrow('Invalid staging id');
    }
    await h.storage.discardStaged(stagingId);
    expect(await h.everything()).toEqual([]);
  });
});

describe('S3FileStorage in a shared bucket', () => {
  it('keeps its objects under S3_PREFIX and lists only its own staged uploads', async () => {
    const ours = new S3FileStorage(s3.storageConfig({ S3_PREFIX: 'kundeside/prod/' }));
    const other = new S3FileStorage(
      s3.storageConfig({ S3_PREFIX: `other${randomBytes(3).toString('hex')}` }),
    );
    try {
      await ours.put('company/doc', Buffer.from('ours'));
      const { stagingId } = await ours.stage(Buffer.from('staged'));
      // Something else in the bucket under `.tmp/` that is not an upload of ours.
      await (
        await ours.client()
      ).send(new PutObjectCommand({ Bucket: s3.bucket, Key: 'kundeside/prod/.tmp/notes.txt', Body: 'x' }));
      const names = await (
        await ours.client()
      ).send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: 'kundeside/prod/' }));
      expect((names.Contents ?? []).map((object) => object.Key).sort()).toEqual([
        `kundeside/prod/.tmp/${stagingId}.part`,
        'kundeside/prod/.tmp/notes.txt',
        'kundeside/prod/company/doc',
      ]);
      expect((await ours.listStaged()).map((staged) => staged.stagingId)).toEqual([stagingId]);
      expect(await other.exists('company/doc')).toBe(false);
      expect(await other.listStaged()).toEqual([]);
    } finally {
      await ours.close();
      await other.close();
    }
  });

  it('is what createFileStorage gives for FILE_STORAGE=s3, one instance (one client) per configuration', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'ks-storage-'));
    try {
      const config = loadConfig({ DATA_DIR: root, SESSION_SECRET: 'x'.repeat(32), ...s3.env });
      const storage = createFileStorage(config);
      expect(storage).toBeInstanceOf(S3FileStorage);
      expect(createFileStorage(config)).toBe(storage);
      await storage.put('company/via-config', Buffer.from('configured'));
      expect((await readAll(await storage.get('company/via-config'))).toString()).toBe('configured');
      // Nothing was written to the disk: the files live in the bucket.
      expect(readdirSync(root)).toEqual([]);
      await storage.delete('company/via-config');
      expect(
        createFileStorage(loadConfig({ DATA_DIR: root, SESSION_SECRET: 'x'.repeat(32) })),
      ).toBeInstanceOf(LocalFileStorage);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('gives up on a store that accepts connections but never answers, after its attempts', async () => {
    const connections: Socket[] = [];
    const silent = createNetServer((socket) => connections.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const storage = new S3FileStorage(
      { ...s3.storageConfig(), endpoint: `http://127.0.0.1:${port}` },
      { connectTimeoutMs: 500, answerTimeoutMs: 300, idleTimeoutMs: 300, maxAttempts: 2 },
    );
    try {
      const started = Date.now();
      await expect(storage.exists('company/doc')).rejects.toMatchObject({ name: 'TimeoutError' });
      expect(Date.now() - started).toBeLessThan(5_000);
      // Each attempt on a connection of its own, and no more attempts than allowed.
      expect(connections).toHaveLength(2);
    } finally {
      await storage.close();
      for (const socket of connections) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('fails a download whose body stops arriving, instead of hanging the response', async () => {
    const stalling = createHttpServer((_request, response) => {
      response.writeHead(200, { 'content-length': '1000', 'content-type': 'application/octet-stream' });
      response.write(Buffer.alloc(10));
      // …and nothing more.
    });
    await new Promise<void>((resolve) => stalling.listen(0, '127.0.0.1', resolve));
    const { port } = stalling.address() as AddressInfo;
    const storage = new S3FileStorage(
      { ...s3.storageConfig(), endpoint: `http://127.0.0.1:${port}` },
      { connectTimeoutMs: 500, answerTimeoutMs: 500, idleTimeoutMs: 400, maxAttempts: 1 },
    );
    try {
      const started = Date.now();
      const body = await storage.get('company/doc');
      await expect(readAll(body)).rejects.toThrow();
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await storage.close();
      stalling.closeAllConnections();
      await new Promise((resolve) => stalling.close(resolve));
    }
  });

  it('reports a missing bucket as an error, never as a missing file', async () => {
    const storage = new S3FileStorage({ ...s3.storageConfig(), bucket: 'no-such-bucket-here' });
    try {
      await expect(storage.get('company/doc')).rejects.not.toBeInstanceOf(FileNotFoundError);
      await expect(storage.get('company/doc')).rejects.toMatchObject({ name: 'NoSuchBucket' });
    } finally {
      await storage.close();
    }
  });
});

describe('FILE_STORAGE configuration', () => {
  const base = { DATA_DIR: tmpdir(), SESSION_SECRET: 'x'.repeat(32) };
  const problems = (env: Record<string, string>) => {
    try {
      loadConfig({ ...base, ...env });
      return '';
    } catch (error) {
      return (error as Error).message;
    }
  };

  it('defaults to disk, and refuses S3_BUCKET without FILE_STORAGE=s3', () => {
    expect(loadConfig(base).fileStorage).toEqual({ kind: 'disk' });
    expect(problems({ S3_BUCKET: 'claims' })).toContain('S3_BUCKET: is set but FILE_STORAGE is not s3');
    expect(problems({ FILE_STORAGE: 'nfs' })).toContain('FILE_STORAGE');
  });

  it('requires the bucket, the region for AWS itself, and both keys or neither', () => {
    const message = problems({ FILE_STORAGE: 's3', S3_ACCESS_KEY_ID: 'AKIA' });
    expect(message).toContain('S3_BUCKET: is required when FILE_STORAGE=s3');
    expect(message).toContain("S3_REGION: is required for AWS S3 (no S3_ENDPOINT): the bucket's region");
    expect(message).toContain('S3_SECRET_ACCESS_KEY: is required with the other S3 key');
    expect(problems({ FILE_STORAGE: 's3', S3_BUCKET: 'Not_A_Bucket', S3_REGION: 'eu-north-1' })).toContain(
      'S3_BUCKET: must be a bucket name',
    );
    expect(problems({ FILE_STORAGE: 's3', S3_BUCKET: 'claims', S3_ENDPOINT: 'ftp://store' })).toContain(
      'S3_ENDPOINT: must be an http:// or https:// URL',
    );
    expect(
      problems({ FILE_STORAGE: 's3', S3_BUCKET: 'claims', S3_REGION: 'eu-north-1', S3_PREFIX: '../up' }),
    ).toContain('S3_PREFIX: must be folder names');
    expect(
      problems({
        FILE_STORAGE: 's3',
        S3_BUCKET: 'claims',
        S3_REGION: 'eu-north-1',
        S3_FORCE_PATH_STYLE: 'yes',
      }),
    ).toContain('S3_FORCE_PATH_STYLE');
  });

  it('configures AWS with the default credential chain, and other stores with path-style URLs and us-east-1', () => {
    expect(
      loadConfig({ ...base, FILE_STORAGE: 's3', S3_BUCKET: 'claims', S3_REGION: 'eu-north-1' }).fileStorage,
    ).toEqual({
      kind: 's3',
      bucket: 'claims',
      region: 'eu-north-1',
      endpoint: undefined,
      forcePathStyle: false,
      prefix: '',
      credentials: undefined,
    });
    expect(
      loadConfig({
        ...base,
        FILE_STORAGE: 's3',
        S3_BUCKET: 'claims',
        S3_ENDPOINT: 'https://minio.internal:9000',
        S3_ACCESS_KEY_ID: 'id',
        S3_SECRET_ACCESS_KEY: 'secret',
        S3_PREFIX: 'kundeside',
      }).fileStorage,
    ).toEqual({
      kind: 's3',
      bucket: 'claims',
      region: 'us-east-1',
      endpoint: 'https://minio.internal:9000',
      forcePathStyle: true,
      prefix: 'kundeside/',
      credentials: { accessKeyId: 'id', secretAccessKey: 'secret' },
    });
  });
});
