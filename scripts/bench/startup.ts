import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Start-up of the server as a process manager sees it: from spawn until `/readyz` answers 200, and the
 * resident memory then — the compiled server (dist/node, what `npm start` runs) beside the TypeScript
 * sources under tsx (how it ran before issue 17). Each round starts on an empty SQLite DATA_DIR in
 * production mode, so migrations are part of it, and is stopped with SIGTERM. Used by `npm run bench`
 * and by `npm run check:production` (which starts its production copy through the same functions).
 */

export interface StartedServer {
  child: ChildProcess;
  startMs: number;
  rssMiB: number;
  output: () => string;
}

export interface StartupVariant {
  label: string;
  runsMs: number[];
  medianMs: number;
  medianRssMiB: number;
}

export interface StartupResults {
  rounds: number;
  variants: StartupVariant[];
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

/** Production settings that need no outside service: SMTP and SMS point at a closed local port. */
export function productionEnv(
  port: number,
  dataDir: string,
  extra: NodeJS.ProcessEnv = {},
): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (name.startsWith('npm_') && name !== 'npm_config_nodedir') delete env[name];
  }
  delete env.DATABASE_URL;
  delete env.NODE_OPTIONS;
  return {
    ...env,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    DATA_DIR: dataDir,
    SMTP_URL: 'smtp://127.0.0.1:9',
    SMS_PROVIDER: 'webhook',
    SMS_WEBHOOK_URL: 'http://127.0.0.1:9/sms',
    SMS_WEBHOOK_SECRET: 'bench-sms-webhook-secret-0123456789abcdef',
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

/** Spawns `node <args>` in `cwd` and waits until /readyz answers 200; throws after 30 s or an early exit. */
export async function startServer(
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<StartedServer> {
  const port = Number(env.PORT);
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { cwd, env });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`/readyz did not answer within 30 s:\n${output}`);
    }
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null);
    if (ready?.status === 200) break;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  const startMs = performance.now() - t0;
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const rssMiB = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
  return { child, startMs, rssMiB, output: () => output };
}

/** SIGTERM, then the exit code; kills and throws after 30 s. */
export async function stopServer(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), 30_000)));
  const code = await Promise.race([exited, timeout]);
  clearTimeout(timer);
  if (code === 'timeout') {
    child.kill('SIGKILL');
    throw new Error('the server did not stop within 30 s of SIGTERM');
  }
  return code;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/** `rounds` starts of each variant; `variants` default to dist/node (compiled here first) vs tsx. */
export async function measureStartup(
  rounds: number,
  webDistDir: string,
  variants?: Array<{ label: string; cwd: string; args: string[] }>,
): Promise<StartupResults> {
  const root = process.cwd();
  if (!variants) {
    const tsc = spawnSync(
      process.execPath,
      ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.server.json'],
      {
        stdio: 'inherit',
      },
    );
    if (tsc.status !== 0) throw new Error('the server did not compile (tsc -p tsconfig.server.json)');
    variants = [
      { label: 'compiled (dist/node)', cwd: root, args: ['dist/node/server/main.js'] },
      { label: 'sources under tsx', cwd: root, args: ['--import', 'tsx', 'src/server/main.ts'] },
    ];
  }
  const results: StartupVariant[] = [];
  for (const variant of variants) {
    const runsMs: number[] = [];
    const rss: number[] = [];
    for (let round = 0; round < rounds; round += 1) {
      const dataDir = mkdtempSync(path.join(tmpdir(), 'ks-startup-'));
      try {
        const env = productionEnv(await freePort(), dataDir, { WEB_DIST_DIR: webDistDir });
        const started = await startServer(variant.args, variant.cwd, env);
        runsMs.push(started.startMs);
        rss.push(started.rssMiB);
        await stopServer(started.child);
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    }
    results.push({ label: variant.label, runsMs, medianMs: median(runsMs), medianRssMiB: median(rss) });
  }
  return { rounds, variants: results };
}

/** One line per variant (the console and check:production). */
export const describeStartup = (results: StartupResults) =>
  results.variants.map(
    (v) =>
      `${v.label.padEnd(22)} start-up median ${(v.medianMs / 1000).toFixed(2)} s ` +
      `(${v.runsMs.map((ms) => (ms / 1000).toFixed(2)).join(', ')}), RSS median ${v.medianRssMiB.toFixed(0)} MiB`,
  );
