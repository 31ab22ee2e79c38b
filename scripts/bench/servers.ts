import { createServer as createHttpServer, type OutgoingHttpHeaders, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
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

/**
 * The real app as production runs it (NODE_ENV=production, silent logs), in this process, listening
 * on 127.0.0.1. The outbox worker is not started (main.ts starts it, buildApp does not), so queued
 * notifications stay queued; SMTP and the SMS webhook point at closed ports and are never called.
 */
export async function startApp(bench: BenchDatabase, webDistDir: string): Promise<RunningApp> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const config: Config = {
    ...loadConfig({
      NODE_ENV: 'production',
      LOG_LEVEL: 'silent',
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_BASE_URL: baseUrl,
      DATA_DIR: bench.dataDir,
      SMTP_URL: 'smtp://127.0.0.1:9',
      SMS_PROVIDER: 'webhook',
      SMS_WEBHOOK_URL: 'http://127.0.0.1:9/sms',
      OUTBOX_WORKER: 'false',
      SEED_DEMO: 'false',
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
