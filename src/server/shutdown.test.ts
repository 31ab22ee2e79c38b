import Fastify from 'fastify';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import type { Db } from './db/database.ts';
import type { App } from './http/types.ts';
import { stopServer } from './shutdown.ts';

// The stop's bound and exit code over a real socket (the whole stop of the real process is
// test/http/process/graceful-stop.test.ts): a request that finishes in time is answered and the stop
// is clean (0); one that outlasts SHUTDOWN_TIMEOUT_SECONDS is cut, logged, and the exit code says so (1).

/** A listening app whose GET /slow answers after `slowMs` (never, for Infinity), and what it logged. */
async function slowApp(slowMs: number) {
  const lines: Array<{ event?: string; connections?: number }> = [];
  const app = Fastify({
    logger: { level: 'info', stream: { write: (line: string) => lines.push(JSON.parse(line)) } },
  });
  app.get('/slow', async () => {
    if (slowMs !== Infinity) await new Promise((resolve) => setTimeout(resolve, slowMs));
    else await new Promise(() => {});
    return { ok: true };
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as AddressInfo).port;
  return { app: app as unknown as App, port, lines };
}

/** GET /slow on a kept-alive connection: its status, or the error that ended it. */
function getSlow(port: number) {
  return new Promise<number | string>((resolve) => {
    const req = request({ port, host: '127.0.0.1', path: '/slow', agent: false }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    req.end();
  });
}

const fakeDb = (destroy: () => Promise<void> = async () => {}) => ({ destroy }) as unknown as Db;
const purge = () => setInterval(() => {}, 60_000);

describe('stopServer', () => {
  it('lets a request in flight finish, and stops cleanly (exit code 0)', async () => {
    const { app, port } = await slowApp(500);
    const answer = getSlow(port);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    const code = await stopServer({ app, worker: null, purge: purge(), db: fakeDb(), timeoutMs: 5_000 });
    expect(await answer).toBe(200);
    expect(code).toBe(0);
    // Not held by the finished connection's keep-alive (72 s by default): closed once idle.
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('cuts a request that outlasts the bound, logs it, and exits with 1', async () => {
    const { app, port, lines } = await slowApp(Infinity);
    const answer = getSlow(port);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    const code = await stopServer({ app, worker: null, purge: purge(), db: fakeDb(), timeoutMs: 300 });
    expect(code).toBe(1);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(await answer).toBe('ECONNRESET');
    expect(lines.find((line) => line.event === 'shutdown_cut')).toMatchObject({ connections: 1 });
  });

  it('exits with 1 when a step of the stop fails, after running the others', async () => {
    const { app } = await slowApp(0);
    let workerStopped = false;
    const worker = { wake: () => {}, stop: async () => void (workerStopped = true) };
    const db = fakeDb(async () => {
      throw new Error('database gone');
    });
    expect(await stopServer({ app, worker, purge: purge(), db, timeoutMs: 1_000 })).toBe(1);
    expect(workerStopped).toBe(true);
  });
});

describe('stop configuration', () => {
  it('reads SHUTDOWN_TIMEOUT_SECONDS (default 25 s) and refuses a value outside 1–600, naming it', () => {
    expect(loadConfig({ SESSION_SECRET: 'x'.repeat(32) }).shutdownTimeoutMs).toBe(25_000);
    expect(
      loadConfig({ SESSION_SECRET: 'x'.repeat(32), SHUTDOWN_TIMEOUT_SECONDS: '5' }).shutdownTimeoutMs,
    ).toBe(5_000);
    for (const bad of ['0', '601', 'soon', '2.5'])
      expect(() => loadConfig({ SESSION_SECRET: 'x'.repeat(32), SHUTDOWN_TIMEOUT_SECONDS: bad })).toThrow(
        /SHUTDOWN_TIMEOUT_SECONDS/,
      );
  });

  it('reads WEB_DIST_DIR as a folder resolved from the working directory (default dist/web)', () => {
    expect(loadConfig({ SESSION_SECRET: 'x'.repeat(32) }).webDistDir).toBe(`${process.cwd()}/dist/web`);
    expect(loadConfig({ SESSION_SECRET: 'x'.repeat(32), WEB_DIST_DIR: '/srv/web' }).webDistDir).toBe(
      '/srv/web',
    );
  });
});
