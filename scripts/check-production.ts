import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

// `npm run check:production` (CI runs it): what an operator does, checked end to end.
//   1. `npm run build` here (unless --skip-build);
//   2. a copy holding only package.json, package-lock.json, scripts/run.mjs and dist/ — no sources, no
//      TypeScript runner — and `npm ci --omit=dev` in it;
//   3. no build tool, test tool or browser-only library is installed there;
//   4. the compiled server starts in production mode, answers /readyz, serves the staff app and the
//      API document, the admin command answers, and SIGTERM stops it with exit code 0.
// `--measure N` then starts the compiled server and the TypeScript sources under tsx N times each and
// prints the median start-up time (spawn → /readyz answering) and resident memory (docs/benchmarks.md).

const { values } = parseArgs({
  options: { 'skip-build': { type: 'boolean' }, measure: { type: 'string' }, keep: { type: 'boolean' } },
});
const root = process.cwd();
const work = mkdtempSync(path.join(tmpdir(), 'ks-production-'));
const app = path.join(work, 'app');
const children = new Set<ChildProcess>();
const started = performance.now();

/** Packages a production install must not carry (moved to devDependencies by issue 17). */
const DEV_ONLY = [
  'vite',
  '@vitejs/plugin-react',
  'tsx',
  'typescript',
  'vitest',
  'react-router',
  '@tanstack/react-query',
];

function step(text: string): void {
  console.log(`\n== ${text} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
}

function fail(text: string): never {
  console.error(`\nproduction install: FAILED — ${text}`);
  cleanUp();
  process.exit(1);
}

function cleanUp(): void {
  for (const child of children) child.kill('SIGKILL');
  if (!values.keep) rmSync(work, { recursive: true, force: true });
}

function run(command: string, args: string[], cwd: string): void {
  const result = spawnSync(command, args, { cwd, stdio: 'inherit' });
  if (result.status !== 0)
    fail(`\`${command} ${args.join(' ')}\` exited with ${result.status ?? result.signal}`);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Production settings that need no outside service: SMTP and SMS point at closed local ports. */
function productionEnv(port: number, dataDir: string): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env))
    if (name.startsWith('npm_') && name !== 'npm_config_nodedir') delete env[name];
  delete env.DATABASE_URL;
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
    LOG_LEVEL: 'warn',
  };
}

interface Started {
  child: ChildProcess;
  startMs: number;
  rssMiB: number;
  output: () => string;
}

/** Starts `args` in `cwd` and waits until /readyz answers 200 (30 s at most). */
async function startServer(args: string[], cwd: string, port: number, dataDir: string): Promise<Started> {
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { cwd, env: productionEnv(port, dataDir) });
  children.add(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null)
      fail(`the server exited with ${child.exitCode} before it was ready:\n${output}`);
    if (Date.now() > deadline) fail(`/readyz did not answer within 30 s:\n${output}`);
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null);
    if (ready?.status === 200) break;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  const startMs = performance.now() - t0;
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const rssMiB = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
  return { child, startMs, rssMiB, output: () => output };
}

/** SIGTERM, then the exit code (fails after 30 s). */
async function stop(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 30_000).unref());
  const code = await Promise.race([exited, timeout]);
  children.delete(child);
  if (code === 'timeout') fail('the server did not stop within 30 s of SIGTERM');
  return code;
}

async function expectStatus(url: string, status: number, contains?: string): Promise<void> {
  const response = await fetch(url);
  const body = await response.text();
  if (response.status !== status) fail(`GET ${url} answered ${response.status}, expected ${status}`);
  if (contains && !body.includes(contains)) fail(`GET ${url} did not contain ${JSON.stringify(contains)}`);
}

try {
  console.log(`Node ${process.version}; work folder ${work}`);
  if (!values['skip-build']) {
    step('npm run build');
    run('npm', ['run', 'build'], root);
  }
  for (const needed of ['dist/node/server/main.js', 'dist/web/staff/index.html']) {
    if (!existsSync(path.join(root, needed))) fail(`${needed} is missing: run npm run build`);
  }

  step('a copy with package.json, package-lock.json, scripts/run.mjs and dist/ only');
  mkdirSync(path.join(app, 'scripts'), { recursive: true });
  for (const file of ['package.json', 'package-lock.json', 'scripts/run.mjs']) {
    cpSync(path.join(root, file), path.join(app, file));
  }
  cpSync(path.join(root, 'dist'), path.join(app, 'dist'), { recursive: true });

  step('npm ci --omit=dev');
  run('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund'], app);
  const present = DEV_ONLY.filter((name) => existsSync(path.join(app, 'node_modules', name)));
  if (present.length > 0) fail(`development packages were installed: ${present.join(', ')}`);

  step('start in production mode');
  const port = await freePort();
  const server = await startServer(['scripts/run.mjs', 'server/main'], app, port, path.join(work, 'data'));
  const base = `http://127.0.0.1:${port}`;
  await expectStatus(`${base}/healthz`, 200, '"ok"');
  await expectStatus(`${base}/`, 200, '<div id="root"');
  await expectStatus(`${base}/api-docs/json`, 200, '"openapi"');
  await expectStatus(`${base}/api/cases`, 401);
  const admin = spawnSync(process.execPath, ['scripts/run.mjs', 'server/cli/admin', '--help'], {
    cwd: app,
    env: productionEnv(port, path.join(work, 'data')),
    encoding: 'utf8',
  });
  if (admin.status !== 0) fail(`the admin command failed: ${admin.stderr}`);
  const code = await stop(server.child);
  if (code !== 0) fail(`the server exited with ${code} after SIGTERM:\n${server.output()}`);
  console.log(
    `production install: ok — ready in ${(server.startMs / 1000).toFixed(2)} s, ` +
      `RSS ${server.rssMiB.toFixed(0)} MiB, stopped with exit code 0 (Node ${process.version})`,
  );

  const rounds = Number(values.measure ?? 0);
  if (rounds > 0) {
    step(`start-up, ${rounds} rounds each: compiled (the production copy) vs the sources under tsx`);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    const variants = [
      { label: 'compiled (dist/node)', cwd: app, args: ['scripts/run.mjs', 'server/main'] },
      { label: 'sources under tsx', cwd: root, args: ['--import', 'tsx', 'src/server/main.ts'] },
    ];
    for (const variant of variants) {
      const times: number[] = [];
      const rss: number[] = [];
      for (let round = 0; round < rounds; round += 1) {
        const dataDir = path.join(work, `measure-${round}`);
        const p = await freePort();
        const s = await startServer(variant.args, variant.cwd, p, dataDir);
        times.push(s.startMs);
        rss.push(s.rssMiB);
        await stop(s.child);
        rmSync(dataDir, { recursive: true, force: true });
      }
      console.log(
        `${variant.label.padEnd(22)} start-up median ${(median(times) / 1000).toFixed(2)} s ` +
          `(${times.map((t) => (t / 1000).toFixed(2)).join(', ')}), RSS median ${median(rss).toFixed(0)} MiB`,
      );
    }
  }
} catch (error) {
  fail(error instanceof Error ? (error.stack ?? error.message) : String(error));
}
cleanUp();
