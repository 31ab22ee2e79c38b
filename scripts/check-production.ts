import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  describeStartup,
  freePort,
  measureStartup,
  productionEnv,
  startServer,
  stopServer,
  type StartedServer,
} from './bench/startup.ts';

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
let server: StartedServer | null = null;
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
  server?.child.kill('SIGKILL');
  if (!values.keep) rmSync(work, { recursive: true, force: true });
}

function run(command: string, args: string[], cwd: string): void {
  const result = spawnSync(command, args, { cwd, stdio: 'inherit' });
  if (result.status !== 0)
    fail(`\`${command} ${args.join(' ')}\` exited with ${result.status ?? result.signal}`);
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
  const env = productionEnv(port, path.join(work, 'data'));
  server = await startServer(['scripts/run.mjs', 'server/main'], app, env);
  const base = `http://127.0.0.1:${port}`;
  await expectStatus(`${base}/healthz`, 200, '"ok"');
  await expectStatus(`${base}/`, 200, '<div id="root"');
  await expectStatus(`${base}/api-docs/json`, 200, '"openapi"');
  await expectStatus(`${base}/api/cases`, 401);
  const admin = spawnSync(process.execPath, ['scripts/run.mjs', 'server/cli/admin', '--help'], {
    cwd: app,
    env,
    encoding: 'utf8',
  });
  if (admin.status !== 0) fail(`the admin command failed: ${admin.stderr}`);
  const code = await stopServer(server.child);
  if (code !== 0) fail(`the server exited with ${code} after SIGTERM:\n${server.output()}`);
  console.log(
    `production install: ok — ready in ${(server.startMs / 1000).toFixed(2)} s, ` +
      `RSS ${server.rssMiB.toFixed(0)} MiB, stopped with exit code 0 (Node ${process.version})`,
  );
  server = null;

  const rounds = Number(values.measure ?? 0);
  if (rounds > 0) {
    step(`start-up, ${rounds} rounds each: compiled (the production copy) vs the sources under tsx`);
    const measured = await measureStartup(rounds, path.join(root, 'dist/web'), [
      { label: 'compiled (dist/node)', cwd: app, args: ['scripts/run.mjs', 'server/main'] },
      { label: 'sources under tsx', cwd: root, args: ['--import', 'tsx', 'src/server/main.ts'] },
    ]);
    for (const line of describeStartup(measured)) console.log(line);
  }
} catch (error) {
  fail(error instanceof Error ? (error.stack ?? error.message) : String(error));
}
cleanUp();
