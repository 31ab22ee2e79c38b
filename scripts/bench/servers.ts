import { fork } from 'node:child_process';
import { createServer as createHttpServer, type OutgoingHttpHeaders, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import path from 'node:path';
import { buildApp } from '../../src/server/app.ts';
import { loadConfig, type Config } from '../../src/server/config.ts';
import { createDb, type Db } from '../../src/server/db/database.ts';
import type { App } from '../../src/server/http/types.ts';
import type { BenchDatabase } from './databases.ts';

/** A free TCP port on 127.0.0.1 (the app's PUBLIC_BASE_URL must name its port before it listens). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface RunningApp {
  app: App;
  db: Db;
  config: Config;
  baseUrl: string;
  close(): Promise<void>;
}

/** What an app process needs of its database: where it is and its DATA_DIR (session secret, files). */
export type AppDatabase = Pick<BenchDatabase, 'database' | 'dataDir'>;

/**
 * The real app as production runs it (NODE_ENV=production, silent logs), in this process, listening
 * on 127.0.0.1. The outbox worker is not started (main.ts starts it, buildApp does not), so queued
 * notifications stay queued; SMTP and the SMS webhook point at closed ports and are never called.
 * `publicBaseUrl` (default: its own origin) lets a second process serve the same public address, as
 * two processes behind one load balancer do: links, cookies and the Origin check then match both.
 */
export async function startApp(
  bench: AppDatabase,
  webDistDir: string,
  publicBaseUrl?: string,
): Promise<RunningApp> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const config: Config = {
    ...loadConfig({
      NODE_ENV: 'production',
      LOG_LEVEL: 'silent',
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_BASE_URL: publicBaseUrl ?? baseUrl,
      // Shared by every process on this database: the session secret is kept here, so a cookie one
      // process signed is valid in the other.
      DATA_DIR: bench.dataDir,
      SMTP_URL: 'smtp://127.0.0.1:9',
      SMS_PROVIDER: 'webhook',
      SMS_WEBHOOK_URL: 'http://127.0.0.1:9/sms',
      SMS_WEBHOOK_SECRET: 'bench-sms-webhook-secret-0123456789abcdef',
      OUTBOX_WORKER: 'false',
      SEED_DEMO: 'false',
      // The message post is measured at many posts a second from a few sessions: far past the
      // customer write limits a production process keeps (issue 15 item 4), so they are lifted here.
      CUSTOMER_WRITE_LIMITS: 'off',
      DATABASE_URL: bench.database.kind === 'postgres' ? bench.database.url : undefined,
    }),
    webDistDir,
  };
  const db = createDb(config.database);
  const app = await buildApp(config, { db });
  await app.listen({ host: '127.0.0.1', port });
  return {
    app,
    db,
    config,
    baseUrl,
    close: async () => {
      await app.close();
      await db.destroy();
    },
  };
}

/** What the parent sends app-process.ts. */
export interface AppProcessJob {
  target: AppDatabase;
  webDistDir: string;
  publicBaseUrl: string;
}

/** What app-process.ts answers: its origin once it listens, or why it could not start. */
export type AppProcessReady = { baseUrl: string } | { error: string };

/**
 * The same app in a child process of its own (app-process.ts), on another port of the same
 * database: the second process of a scale-out measurement. `close` asks it to shut down cleanly
 * (disconnect) and kills it when it has not exited within 10 s.
 */
export async function startAppProcess(
  target: AppDatabase,
  webDistDir: string,
  publicBaseUrl: string,
): Promise<{ baseUrl: string; close(): Promise<void> }> {
  const child = fork(path.join(import.meta.dirname, 'app-process.ts'), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const close = async () => {
    if (child.connected) child.disconnect();
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    const ready = await new Promise<AppProcessReady>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error('second app process did not start within 60 s')),
        60_000,
      );
      child.once('message', (message: AppProcessReady) => {
        clearTimeout(timer);
        resolve(message);
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`second app process exited (${code}) before it listened`));
      });
      child.send({ target, webDistDir, publicBaseUrl } satisfies AppProcessJob);
    });
    if ('error' in ready) throw new Error(`second app process: ${ready.error}`);
    return { baseUrl: ready.baseUrl, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** A captured response: what the bare server sends back for every request. */
export interface CapturedResponse {
  status: number;
  headers: OutgoingHttpHeaders;
  body: Buffer;
}

/** Headers that belong to one exchange, not to the response: the bare server leaves them out. */
const perExchange = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding', 'content-length']);

/** Fetches one response and keeps its status, headers and bytes. */
export async function captureResponse(
  url: string,
  headers: Record<string, string>,
): Promise<CapturedResponse> {
  const response = await fetch(url, { headers });
  const body = Buffer.from(await response.arrayBuffer());
  const kept: OutgoingHttpHeaders = {};
  response.headers.forEach((value, name) => {
    if (!perExchange.has(name)) kept[name] = value;
  });
  return { status: response.status, headers: kept, body };
}

/** A bare Node `http` server returning the captured bytes: the ceiling the app is compared with. */
export async function startBareServer(
  captured: CapturedResponse,
): Promise<{ url: string; close(): Promise<void> }> {
  const headers = { ...captured.headers, 'content-length': String(captured.body.length) };
  const server: Server = createHttpServer((_request, response) => {
    response.writeHead(captured.status, headers);
    response.end(captured.body);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
