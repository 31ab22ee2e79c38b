import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../../src/server/config.ts';
import { createDb, type Db } from '../../../src/server/db/database.ts';
import { migrateToLatest } from '../../../src/server/db/migrate.ts';
import { createOutbox, enqueueMessage, setUpOutbox } from '../../../src/server/outbox/outbox.ts';
import { STOP_RETRY } from '../../../src/server/live/sse.ts';
import { createTestDatabase, type TestDatabase } from '../../support/databases.ts';
import { makeUser } from '../../support/factory.ts';
import { skipReason } from '../../support/skip-unavailable.ts';
import { freePort, projectRoot, sleep, waitFor } from '../crash/server-process.ts';

// The graceful stop (issue 17 item 4) of the real server process (`node --import tsx
// src/server/main.ts`): SIGTERM while sign-ins are in flight (their bodies arrive over ~2 s), a live
// stream is open and the outbox worker is in the middle of an e-mail to a slow SMTP server. Every
// request in flight answers as it would have, no new connection is taken, the stream is told when to
// come back and ends, nothing stays claimed in the outbox, and the process exits 0 within the bound.

const SHUTDOWN_TIMEOUT_SECONDS = 10;
const SECRET = 'graceful-stop-secret-graceful-stop-0000';
const MAILS = 4;

let testDb: TestDatabase | undefined;
/** The process's database: on SQLite the file main.ts opens in DATA_DIR. */
let database: Config['database'];
let webDir = '';
let child: ChildProcess | null = null;
const output: string[] = [];
let exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
let baseUrl = '';
let port = 0;
let companyId = '';
const user = { email: '', password: '' };

/** The SMTP server: every message waits in DATA until the test opens the gate. */
const smtp = (() => {
  let opened = false;
  const waiting: Array<() => void> = [];
  let arrived: () => void = () => {};
  const firstArrived = new Promise<void>((resolve) => (arrived = resolve));
  let received = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      stream.resume();
      stream.on('end', () => {
        arrived();
        const done = () => {
          received += 1;
          callback();
        };
        if (opened) done();
        else waiting.push(done);
      });
    },
  });
  // The stopping process closes its SMTP connection: not an error of the test.
  server.on('error', () => {});
  return {
    server,
    firstArrived,
    received: () => received,
    open() {
      opened = true;
      for (const done of waiting.splice(0)) done();
    },
  };
})();

beforeAll(async () => {
  if (skipReason) return;
  testDb = await createTestDatabase();
  await new Promise<void>((resolve) => smtp.server.listen(0, '127.0.0.1', resolve));
  const smtpPort = (smtp.server.server.address() as AddressInfo).port;
  port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;

  // The database as the process finds it: a staff user, and e-mails queued for the worker.
  database =
    testDb.database.kind === 'sqlite'
      ? { kind: 'sqlite', file: path.join(testDb.dataDir, 'kundeside.sqlite') }
      : testDb.database;
  const db = createDb(database);
  try {
    await migrateToLatest(db);
    setUpOutbox(db, createOutbox({ sessionSecret: SECRET, publicBaseUrl: baseUrl }));
    const made = await makeUser(db, { level: 6 });
    Object.assign(user, { email: made.email, password: made.password });
    companyId = made.companyId;
    for (let index = 0; index < MAILS; index += 1) {
      await enqueueMessage(db, {
        companyId,
        kind: 'message_notice',
        channel: 'email',
        recipient: `kunde-${index}@example.test`,
        senderName: 'Test',
        subject: 'Saken din',
        bodyText: `Melding ${index}`,
        idempotencyKey: `graceful-stop:${index}`,
      });
    }
  } finally {
    await db.destroy();
  }

  // A minimal web build: the two HTML entries main.ts and web-routes.ts read at start.
  webDir = mkdtempSync(path.join(tmpdir(), 'ks-web-'));
  for (const entry of ['staff', 'customer']) {
    mkdirSync(path.join(webDir, entry), { recursive: true });
    writeFileSync(path.join(webDir, entry, 'index.html'), '<!doctype html><title>test</title>');
  }
  mkdirSync(path.join(webDir, 'assets'));

  const started = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    cwd: projectRoot,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? tmpdir(),
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_BASE_URL: baseUrl,
      DATA_DIR: testDb.dataDir,
      ...(testDb.database.kind === 'postgres' && { DATABASE_URL: testDb.database.url }),
      WEB_DIST_DIR: webDir,
      SESSION_SECRET: SECRET,
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      SEED_DEMO: 'false',
      LOG_LEVEL: 'warn',
      SHUTDOWN_TIMEOUT_SECONDS: String(SHUTDOWN_TIMEOUT_SECONDS),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = started;
  started.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
  started.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
  exited = new Promise((resolve) => started.once('exit', (code, signal) => resolve({ code, signal })));
  await waitFor(
    'the server to answer /readyz',
    async () => {
      if (started.exitCode !== null) throw new Error(`the server exited during start:\n${output.join('')}`);
      try {
        const response = await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(1000) });
        await response.body?.cancel();
        return response.ok;
      } catch {
        return false;
      }
    },
    30_000,
  );
}, 45_000);

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await new Promise<void>((resolve) => smtp.server.close(() => resolve()));
  await testDb?.drop();
  if (webDir) rmSync(webDir, { recursive: true, force: true });
});

/**
 * A sign-in over its own kept-alive connection whose JSON body arrives in 10 parts over ~2 s.
 * Resolves with the answer's status once the server closes the connection.
 */
function slowSignIn(email: string, password: string) {
  const body = Buffer.from(JSON.stringify({ email, password }));
  const head =
    'POST /api/auth/login HTTP/1.1\r\n' +
    `Host: 127.0.0.1:${port}\r\n` +
    `Origin: ${baseUrl}\r\n` +
    'Content-Type: application/json\r\n' +
    'Connection: keep-alive\r\n' +
    `Content-Length: ${body.length}\r\n\r\n`;
  let headSent: () => void = () => {};
  const sent = new Promise<void>((resolve) => (headSent = resolve));
  const answer = new Promise<{ status: number; closed: boolean }>((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    const received: Buffer[] = [];
    let timer: NodeJS.Timeout | undefined;
    const giveUp = setTimeout(() => finish(false), 15_000);
    function finish(closed: boolean) {
      clearInterval(timer);
      clearTimeout(giveUp);
      socket.destroy();
      const status = /^HTTP\/1\.1 (\d{3})/.exec(Buffer.concat(received).toString('latin1'));
      resolve({ status: status ? Number(status[1]) : 0, closed });
    }
    socket.on('data', (chunk) => received.push(chunk));
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
    socket.on('connect', () => {
      socket.write(head);
      headSent();
      const part = Math.ceil(body.length / 10);
      let offset = 0;
      timer = setInterval(() => {
        socket.write(body.subarray(offset, offset + part));
        offset += part;
        if (offset >= body.length) clearInterval(timer);
      }, 200);
    });
  });
  return { sent, answer };
}

/** The staff app's live stream: what it received, and a promise of its end. */
function openLiveStream(cookie: string) {
  const received: string[] = [];
  let opened: (response: IncomingMessage) => void = () => {};
  const open = new Promise<IncomingMessage>((resolve) => (opened = resolve));
  const ended = new Promise<void>((resolve, reject) => {
    const request = httpRequest(`${baseUrl}/api/live`, { headers: { cookie } }, (response) => {
      opened(response);
      response.setEncoding('utf8');
      response.on('data', (text: string) => received.push(text));
      response.on('end', () => resolve());
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end();
  });
  return { received, open, ended };
}

async function signInCookie(): Promise<string> {
  const response = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: baseUrl },
    body: JSON.stringify(user),
    signal: AbortSignal.timeout(5000),
  });
  expect(response.status).toBe(200);
  const cookie = response.headers.getSetCookie()[0];
  if (!cookie) throw new Error('sign-in set no cookie');
  return cookie.split(';')[0]!;
}

/** Rejects when `promise` has not settled within `ms` (every wait of this test is bounded). */
function within<T>(what: string, promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no result within ${ms} ms\n${output.join('')}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

describe('SIGTERM', () => {
  it('finishes requests in flight, refuses new ones, ends streams with a retry hint, releases the outbox, exits 0', async () => {
    // The worker has claimed the queued e-mails and is sending the first one (held by the SMTP server).
    await within('the first e-mail reaching SMTP', smtp.firstArrived, 10_000);

    const cookie = await signInCookie();
    const stream = openLiveStream(cookie);
    const streamResponse = await within('the live stream', stream.open, 5000);
    expect(streamResponse.statusCode).toBe(200);

    const inFlight = [
      slowSignIn(user.email, user.password),
      slowSignIn(user.email, user.password),
      slowSignIn(user.email, 'not-the-password'),
    ];
    await Promise.all(inFlight.map((request) => request.sent));
    await sleep(300);

    const stopAt = Date.now();
    child!.kill('SIGTERM');
    await sleep(500);

    // No new connection: refused, or (on a connection accepted just before) 503.
    const late = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2000) }).then(
      (response) => response.status,
      (error: Error & { cause?: { code?: string } }) => error.cause?.code ?? error.message,
    );
    expect([503, 'ECONNREFUSED']).toContain(late);

    // The stream was told when to come back (within the stop's jittered window) and ended.
    await within('the live stream to end', stream.ended, 5000);
    const hints = [...stream.received.join('').matchAll(/^retry: (\d+)$/gm)].map((match) => Number(match[1]));
    expect(hints.length).toBe(2); // the opening one, and the one of the stop
    expect(hints[1]).toBeGreaterThanOrEqual(STOP_RETRY.minMs);
    expect(hints[1]).toBeLessThanOrEqual(STOP_RETRY.minMs + STOP_RETRY.jitterMs);

    // The delivery under way is let finish.
    smtp.open();

    const answers = await within(
      'the sign-ins in flight',
      Promise.all(inFlight.map((request) => request.answer)),
      10_000,
    );
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 401]);
    // Each kept-alive connection was closed once its answer was sent (not left for the 72 s keep-alive).
    expect(answers.every((answer) => answer.closed)).toBe(true);

    const exit = await within('the process to exit', exited, SHUTDOWN_TIMEOUT_SECONDS * 1000);
    expect(exit, output.join('')).toEqual({ code: 0, signal: null });
    expect(Date.now() - stopAt).toBeLessThan(SHUTDOWN_TIMEOUT_SECONDS * 1000);
    expect(smtp.received()).toBe(1);

    // The outbox: the e-mail under way is sent, the rest are queued again, due, with no attempt counted.
    const db: Db = createDb(database);
    try {
      const rows = await db
        .selectFrom('outbox')
        .select(['state', 'attempts', 'locked_by', 'locked_until'])
        .where('company_id', '=', companyId)
        .execute();
      expect(rows.filter((row) => row.state === 'sent')).toHaveLength(1);
      const rest = rows.filter((row) => row.state !== 'sent');
      expect(rest).toHaveLength(MAILS - 1);
      for (const row of rest)
        expect(row).toMatchObject({ state: 'queued', attempts: 0, locked_by: null, locked_until: null });
    } finally {
      await db.destroy();
    }
  }, 30_000);
});
