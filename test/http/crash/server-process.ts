import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * The real server (`node --import tsx src/server/main.ts`, as `npm start` runs it) as a child process
 * that a test can kill with SIGKILL and start again on the same database and DATA_DIR.
 *
 * main.ts builds the web app into `<cwd>/dist/web` when it is missing (a Vite build, slow and shared
 * with other suites), so the child runs in a temp folder holding two placeholder HTML entries: the
 * API, the outbox worker and the file storage are exactly those of `npm start`.
 */

export const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));

export interface ServerProcess {
  readonly port: number;
  readonly baseUrl: string;
  /** Starts the server (with `extraEnv` on top of the usual) and resolves once /readyz answers 200. */
  start(extraEnv?: Record<string, string>): Promise<void>;
  /** SIGKILL: no shutdown hook runs, whatever is in flight is cut off. */
  kill(): Promise<void>;
  /** SIGTERM: the graceful stop of main.ts (worker stopped, server closed). */
  stop(): Promise<void>;
  /** stdout and stderr of every start so far (for failure messages). */
  output(): string;
  cleanup(): void;
}

/** A TCP port that is free now (the server is started on it again after each kill). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export async function serverProcess(env: Record<string, string>): Promise<ServerProcess> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const cwd = mkdtempSync(path.join(tmpdir(), 'ks-crash-cwd-'));
  for (const entry of ['staff', 'customer']) {
    mkdirSync(path.join(cwd, 'dist', 'web', entry), { recursive: true });
    writeFileSync(path.join(cwd, 'dist', 'web', entry, 'index.html'), '<!doctype html><title>test</title>');
  }
  mkdirSync(path.join(cwd, 'dist', 'web', 'assets'), { recursive: true });

  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  const log: string[] = [];

  const fullEnv = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? tmpdir(),
    TSX_TSCONFIG_PATH: path.join(projectRoot, 'tsconfig.json'),
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_BASE_URL: baseUrl,
    SEED_DEMO: 'false',
    LOG_LEVEL: 'warn',
    ...env,
  };

  const waitReady = async () => {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (!child || child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`the server exited during start:\n${log.join('')}`);
      }
      try {
        const response = await fetch(`${baseUrl}/readyz`);
        await response.body?.cancel();
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await sleep(100);
    }
    throw new Error(`the server did not become ready within 60 s:\n${log.join('')}`);
  };

  const signal = async (name: 'SIGKILL' | 'SIGTERM') => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill(name);
    await exited;
    child = null;
  };

  return {
    port,
    baseUrl,
    async start(extraEnv = {}) {
      if (child) throw new Error('already running');
      log.push(`--- start ${new Date().toISOString()}\n`);
      const started = spawn(
        process.execPath,
        [
          '--import',
          pathToFileURL(path.join(projectRoot, 'node_modules/tsx/dist/loader.mjs')).href,
          path.join(projectRoot, 'src/server/main.ts'),
        ],
        { cwd, env: { ...fullEnv, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      child = started;
      started.stdout?.on('data', (chunk: Buffer) => log.push(chunk.toString('utf8')));
      started.stderr?.on('data', (chunk: Buffer) => log.push(chunk.toString('utf8')));
      exited = new Promise<void>((resolve) => started.once('exit', () => resolve()));
      try {
        await waitReady();
      } catch (error) {
        await signal('SIGKILL');
        throw error;
      }
    },
    kill: () => signal('SIGKILL'),
    stop: () => signal('SIGTERM'),
    output: () => log.join(''),
    cleanup() {
      if (child && child.exitCode === null) child.kill('SIGKILL');
      rmSync(cwd, { recursive: true, force: true });
    },
  };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns true, or throws after `timeoutMs` with `what` in the message. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}
