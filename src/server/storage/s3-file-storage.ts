import { randomUUID } from 'node:crypto';
import { pipeline, Readable, Transform } from 'node:stream';
import type * as ClientS3 from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Upload } from '@aws-sdk/lib-storage';
import type { FileStorageConfig } from '../config.ts';
import { assertStagingId, assertStorageKey, FileNotFoundError, type FileStorage } from './file-storage.ts';

export type S3StorageOptions = Extract<FileStorageConfig, { kind: 's3' }>;

/** The folder of staged uploads under the prefix (not a valid key: keys never start with `.`). */
const STAGING_FOLDER = '.tmp/';

/**
 * Every call is bounded: 5 s to connect, 30 s to the response headers, 60 s of silence on a socket
 * while a body streams (a paused download may idle, a stalled store may not hang a request), and at
 * most three attempts with the SDK's backoff (only replayable requests are retried: parts and
 * small bodies are buffered by `Upload`, downloads are retried only before their body starts).
 * Tests shorten them through the constructor.
 */
export const S3_LIMITS = {
  connectTimeoutMs: 5_000,
  answerTimeoutMs: 30_000,
  idleTimeoutMs: 60_000,
  maxAttempts: 3,
};
export type S3Limits = typeof S3_LIMITS;

type Sdk = typeof ClientS3 & { Upload: typeof Upload };
let sdkLoading: Promise<Sdk> | undefined;

/**
 * The AWS SDK takes ~0.5 s and ~20 MiB to load (and warns on Node 20): only a process that stores
 * files in S3 loads it, on its first storage call.
 */
function loadSdk(): Promise<Sdk> {
  sdkLoading ??= Promise.all([import('@aws-sdk/client-s3'), import('@aws-sdk/lib-storage')]).then(
    ([client, storage]) => ({ ...client, Upload: storage.Upload }),
  );
  return sdkLoading;
}

/** 5 MiB parts (S3's minimum), two in flight: at most ~10 MiB buffered per upload. */
const UPLOAD_PART_BYTES = 5 * 1024 * 1024;
const UPLOAD_QUEUE = 2;

/**
 * Files in an S3-compatible bucket under `<prefix>`, for several app hosts on one database (or a
 * disk that is not durable). The same rules as the disk: a key holds the whole object or nothing
 * (a PUT and a completed multipart upload appear at once; a failed one is aborted), an upload is
 * staged at `<prefix>.tmp/<id>.part` and copied onto its key in the row's transaction, and
 * `listStaged` gives the start-up recovery the staged objects with their age (by the store's clock).
 */
export class S3FileStorage implements FileStorage {
  private connection: Promise<{ sdk: Sdk; client: S3Client }> | undefined;

  constructor(
    readonly options: S3StorageOptions,
    private readonly limits: S3Limits = S3_LIMITS,
  ) {}

  async put(key: string, source: Readable | Buffer): Promise<{ sizeBytes: number }> {
    // A PUT (or a completed multipart upload) is atomic on its own: no staging needed.
    return this.upload(this.objectName(key), source);
  }

  async stage(
    source: Readable | Buffer,
    stagingId: string = randomUUID(),
  ): Promise<{ stagingId: string; sizeBytes: number }> {
    const { sizeBytes } = await this.upload(this.stagedName(stagingId), source);
    return { stagingId, sizeBytes };
  }

  async listStaged(): Promise<Array<{ stagingId: string; ageMs: number }>> {
    const { sdk, client } = await this.connect();
    const staged: Array<{ stagingId: string; ageMs: number }> = [];
    const folder = `${this.options.prefix}${STAGING_FOLDER}`;
    let token: string | undefined;
    do {
      const page = await client.send(
        new sdk.ListObjectsV2Command({
          Bucket: this.options.bucket,
          Prefix: folder,
          ContinuationToken: token,
        }),
      );
      for (const object of page.Contents ?? []) {
        const match = /^([0-9a-f-]{36})\.part$/.exec(object.Key?.slice(folder.length) ?? '');
        if (match?.[1] && object.LastModified) {
          staged.push({ stagingId: match[1], ageMs: Date.now() - object.LastModified.getTime() });
        }
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return staged;
  }

  async openStaged(stagingId: string): Promise<Readable> {
    return this.download(this.stagedName(stagingId), `${STAGING_FOLDER}${stagingId}`);
  }

  async commitStaged(stagingId: string, key: string): Promise<void> {
    const target = this.objectName(key);
    const source = this.stagedName(stagingId);
    const { sdk, client } = await this.connect();
    // A copy appears at its key whole or not at all; the staged object goes only after it.
    await client.send(
      new sdk.CopyObjectCommand({
        Bucket: this.options.bucket,
        Key: target,
        CopySource: `${this.options.bucket}/${source.split('/').map(encodeURIComponent).join('/')}`,
      }),
    );
    await client.send(new sdk.DeleteObjectCommand({ Bucket: this.options.bucket, Key: source }));
  }

  async discardStaged(stagingId: string): Promise<void> {
    const name = this.stagedName(stagingId);
    const { sdk, client } = await this.connect();
    await client.send(new sdk.DeleteObjectCommand({ Bucket: this.options.bucket, Key: name }));
  }

  async get(key: string): Promise<Readable> {
    return this.download(this.objectName(key), key);
  }

  async delete(key: string): Promise<void> {
    const name = this.objectName(key);
    const { sdk, client } = await this.connect();
    // S3 answers a delete of a missing object with success.
    await client.send(new sdk.DeleteObjectCommand({ Bucket: this.options.bucket, Key: name }));
  }

  async exists(key: string): Promise<boolean> {
    const name = this.objectName(key);
    const { sdk, client } = await this.connect();
    try {
      await client.send(new sdk.HeadObjectCommand({ Bucket: this.options.bucket, Key: name }));
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  async checkReady(): Promise<void> {
    const { sdk, client } = await this.connect();
    await client.send(new sdk.HeadBucketCommand({ Bucket: this.options.bucket }));
  }

  /** The S3 client of this storage (tests look into the bucket with it). */
  async client(): Promise<S3Client> {
    return (await this.connect()).client;
  }

  /** Closes the client's connections (tests; a server process simply exits). */
  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    (await connection)?.client.destroy();
  }

  /** The SDK and this storage's one client (one connection pool), made on first use. */
  private connect(): Promise<{ sdk: Sdk; client: S3Client }> {
    const { options, limits } = this;
    this.connection ??= loadSdk().then((sdk) => ({
      sdk,
      client: new sdk.S3Client({
        region: options.region,
        ...(options.endpoint ? { endpoint: options.endpoint } : {}),
        forcePathStyle: options.forcePathStyle,
        ...(options.credentials ? { credentials: options.credentials } : {}),
        maxAttempts: limits.maxAttempts,
        requestHandler: {
          connectionTimeout: limits.connectTimeoutMs,
          requestTimeout: limits.answerTimeoutMs,
          throwOnRequestTimeout: true,
          socketTimeout: limits.idleTimeoutMs,
        },
        // Checksums only where the API requires them: several S3-compatible stores reject the
        // newer default (CRC32 trailers on every upload).
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      }),
    }));
    return this.connection;
  }

  private objectName(key: string): string {
    assertStorageKey(key);
    return `${this.options.prefix}${key}`;
  }

  private stagedName(stagingId: string): string {
    assertStagingId(stagingId);
    return `${this.options.prefix}${STAGING_FOLDER}${stagingId}.part`;
  }

  /** Uploads a buffer or a stream of unknown length; a failing source stores nothing. */
  private async upload(name: string, source: Readable | Buffer): Promise<{ sizeBytes: number }> {
    let sizeBytes = 0;
    let body: Buffer | Readable = source;
    let sourceError: unknown;
    if (Buffer.isBuffer(source)) {
      sizeBytes = source.length;
    } else {
      source.once('error', (error) => (sourceError = error));
      const counter = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          sizeBytes += chunk.length;
          done(null, chunk);
        },
      });
      // A source error destroys the counter with it, so the upload below rejects (and is aborted).
      body = pipeline(source, counter, () => {});
    }
    try {
      const { sdk, client } = await this.connect();
      const upload = new sdk.Upload({
        client,
        params: { Bucket: this.options.bucket, Key: name, Body: body },
        partSize: UPLOAD_PART_BYTES,
        queueSize: UPLOAD_QUEUE,
      });
      await upload.done();
    } catch (error) {
      if (Buffer.isBuffer(source)) throw error;
      source.destroy();
      // The source's failure is the cause, even when aborting the multipart upload failed as well.
      throw sourceError ?? error;
    }
    return { sizeBytes };
  }

  private async download(name: string, label: string): Promise<Readable> {
    const { sdk, client } = await this.connect();
    try {
      const object = await client.send(new sdk.GetObjectCommand({ Bucket: this.options.bucket, Key: name }));
      if (!(object.Body instanceof Readable)) throw new Error(`S3 returned no body stream for ${label}`);
      return object.Body;
    } catch (error) {
      if (isNotFound(error)) throw new FileNotFoundError(label);
      throw error;
    }
  }
}

/** NoSuchKey (GET), NotFound (HEAD has no body: the SDK names it by its status). NoSuchBucket is not. */
function isNotFound(error: unknown): boolean {
  const name = (error as { name?: string } | null)?.name;
  return name === 'NoSuchKey' || name === 'NotFound';
}
