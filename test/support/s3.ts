import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import { loadConfig, type FileStorageConfig } from '../../src/server/config.ts';

/**
 * A real S3-protocol server (s3rver) on 127.0.0.1 with one empty bucket, its data in a temp folder:
 * what the S3 tests store into. `env` configures an app for it exactly as an operator would.
 */
export interface S3Server {
  endpoint: string;
  bucket: string;
  /** FILE_STORAGE=s3 and the S3_* variables for this server (credentials S3RVER/S3RVER). */
  env: Record<string, string>;
  /** The storage configuration `env` gives (through loadConfig, so validation runs too). */
  storageConfig(extraEnv?: Record<string, string>): Extract<FileStorageConfig, { kind: 's3' }>;
  /**
   * Makes an object `ageMs` old (its LastModified), as a crashed upload of an hour ago would be:
   * s3rver takes LastModified from the modification time of the file that holds the object.
   */
  ageObject(name: string, ageMs: number): void;
  stop(): Promise<void>;
}

export async function startS3Server(): Promise<S3Server> {
  const directory = mkdtempSync(path.join(tmpdir(), 'ks-s3-'));
  const bucket = `ks-test-${randomBytes(4).toString('hex')}`;
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const env = {
    FILE_STORAGE: 's3',
    S3_ENDPOINT: endpoint,
    S3_BUCKET: bucket,
    S3_ACCESS_KEY_ID: 'S3RVER',
    S3_SECRET_ACCESS_KEY: 'S3RVER',
  };
  return {
    endpoint,
    bucket,
    env,
    storageConfig(extraEnv = {}) {
      const { fileStorage } = loadConfig({
        DATA_DIR: directory,
        SESSION_SECRET: 'x'.repeat(32),
        ...env,
        ...extraEnv,
      });
      if (fileStorage.kind !== 's3') throw new Error('not an S3 configuration');
      return fileStorage;
    },
    ageObject(name, ageMs) {
      const parts = name.split('/');
      const file = path.join(directory, bucket, ...parts.slice(0, -1), `${parts.at(-1)}._S3rver_object`);
      const then = new Date(Date.now() - ageMs);
      utimesSync(file, then, then);
    },
    async stop() {
      // Keep-alive connections of the clients would hold close() open.
      server.httpServer?.closeAllConnections();
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
