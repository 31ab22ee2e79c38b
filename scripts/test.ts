import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';

// `npm test`: every suite in one Vitest run — unit, HTTP on SQLite, HTTP on PostgreSQL, browser.
// Before the run it makes sure PostgreSQL and Chromium are here: it uses the server on
// 127.0.0.1:5432 (or KS_TEST_PG_URL), else starts a private cluster with initdb + pg_ctl; it installs
// Debian's chromium with apt-get when running as root. What it cannot provide is skipped LOUDLY,
// and with CI=true a skipped suite fails the run. Extra arguments go to Vitest.

const ci = process.env.CI === 'true' || process.env.CI === '1';
const env: NodeJS.ProcessEnv = { ...process.env };
const skipped: string[] = [];
const cleanups: Array<() => void> = [];

function loud(message: string): void {
  const bar = '!'.repeat(78);
  console.error(`\n${bar}\n${message}\n${bar}\n`);
}

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function findPgBin(name: string): string | null {
  const which = spawnSync(
    'sh',
    ['-c', `command -v ${name} || ls /usr/lib/postgresql/*/bin/${name} 2>/dev/null | tail -1`],
    {
      encoding: 'utf8',
    },
  );
  const found = which.stdout.trim().split('\n').pop();
  return found ? found : null;
}

/** A throw-away PostgreSQL cluster in a temp folder, owned by the `postgres` user when we are root. */
async function startPrivatePostgres(): Promise<string | null> {
  const initdb = findPgBin('initdb');
  const pgCtl = findPgBin('pg_ctl');
  if (!initdb || !pgCtl) return null;
  const dir = mkdtempSync(path.join(tmpdir(), 'ks-pg-'));
  const asRoot = process.getuid?.() === 0;
  const run = (cmd: string, args: string[]) =>
    asRoot
      ? spawnSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { encoding: 'utf8' })
      : spawnSync(cmd, args, { encoding: 'utf8' });
  if (asRoot) spawnSync('chown', ['postgres', dir]);
  const port = 55_000 + Math.floor(Math.random() * 5000);
  const init = run(initdb, [
    '-D',
    path.join(dir, 'data'),
    '-A',
    'trust',
    '-U',
    'postgres',
    '-E',
    'UTF8',
    '--locale=C.UTF-8',
    '--no-sync',
  ]);
  if (init.status !== 0) {
    console.error(init.stderr);
    return null;
  }
  const start = run(pgCtl, [
    '-D',
    path.join(dir, 'data'),
    '-l',
    path.join(dir, 'log'),
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
    '-w',
    'start',
  ]);
  if (start.status !== 0) {
    console.error(start.stderr);
    return null;
  }
  cleanups.push(() => {
    run(pgCtl, ['-D', path.join(dir, 'data'), '-m', 'immediate', 'stop']);
    rmSync(dir, { recursive: true, force: true });
  });
  return `postgres://postgres@127.0.0.1:${port}/postgres`;
}

async function providePostgres(): Promise<void> {
  const url = env.KS_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  if (await canConnect(url)) {
    env.KS_TEST_PG_URL = url;
    return;
  }
  loud(`PostgreSQL does not answer at ${url}. Starting a private cluster with initdb + pg_ctl…`);
  const privateUrl = await startPrivatePostgres();
  if (privateUrl && (await canConnect(privateUrl))) {
    console.error(`Using the private PostgreSQL cluster at ${privateUrl}`);
    env.KS_TEST_PG_URL = privateUrl;
    return;
  }
  const reason = 'no PostgreSQL server (none on 127.0.0.1:5432 and initdb/pg_ctl could not start one)';
  env.KS_SKIP_POSTGRES = reason;
  skipped.push(`http-postgres: ${reason}`);
}

const CHROMIUM = '/usr/lib/chromium/chromium';

function provideChromium(): void {
  if (existsSync(CHROMIUM)) return;
  if (process.getuid?.() === 0 && findPgBin('apt-get')) {
    loud("Chromium is missing. Installing Debian's chromium with apt-get (needed by the browser suite)…");
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  }
  if (existsSync(CHROMIUM)) return;
  const reason = `Chromium not found at ${CHROMIUM} (install it: apt-get install chromium)`;
  env.KS_SKIP_BROWSER = reason;
  skipped.push(`browser: ${reason}`);
}

await providePostgres();
provideChromium();
for (const line of skipped) loud(`SKIPPING SUITE ${line}`);

const vitest = path.resolve('node_modules/vitest/vitest.mjs');
const child = spawn(process.execPath, [vitest, 'run', ...process.argv.slice(2)], { stdio: 'inherit', env });
const code: number = await new Promise((resolve) => child.on('exit', (status) => resolve(status ?? 1)));
for (const cleanup of cleanups) cleanup();

if (skipped.length > 0) {
  loud(
    `${skipped.length} suite(s) skipped:\n${skipped.map((s) => `  - ${s}`).join('\n')}` +
      (ci ? '\nCI=true: a skipped suite is a failure.' : ''),
  );
  if (ci) process.exit(1);
}
process.exit(code);
