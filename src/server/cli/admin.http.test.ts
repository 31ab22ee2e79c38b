import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../../../test/support/factory.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/support/databases.ts';
import { skipReason } from '../../../test/support/skip-unavailable.ts';
import { testConfig } from '../../../test/support/test-app.ts';
import { resolveApiKey } from '../api-keys/api-keys.ts';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { createDb, type Db } from '../db/database.ts';
import type { App } from '../http/types.ts';

// Runs the real `npm run admin` entry point in a child process against a fresh database of this
// suite (SQLite or PostgreSQL), then checks the rows and that the printed API key works.

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));

let testDb: TestDatabase;
let env: NodeJS.ProcessEnv;
let db: Db;
let app: App;

/** Runs `admin.ts <args>` with the test database; never rejects. */
function admin(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/server/cli/admin.ts', ...args],
      { cwd: projectRoot, env, timeout: 30_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Runs a command that must succeed and returns its JSON output. */
async function adminJson(...args: string[]): Promise<Record<string, unknown>> {
  const run = await admin(...args);
  expect(run, run.stderr).toMatchObject({ code: 0 });
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

/** Maps `items` with at most `limit` calls running at once (each child process costs a CPU second). */
async function inParallel<T, R>(limit: number, items: T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return results;
}

const count = async (table: 'companies' | 'users' | 'api_keys' | 'partners' | 'offices' | 'persons') =>
  Number(
    (
      await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

beforeAll(async () => {
  if (skipReason) return;
  testDb = await createTestDatabase();
  env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: testDb.dataDir,
    ...(testDb.database.kind === 'postgres' && { DATABASE_URL: testDb.database.url }),
  };
  // The database the CLI itself opens (for SQLite: DATA_DIR/kundeside.sqlite), still unmigrated.
  const database = loadConfig(env as Record<string, string>).database;
  db = createDb(database);
  app = await buildApp({ ...testConfig(testDb), database }, { db, logger: false });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  await db?.destroy();
  await testDb?.drop();
});

describe('admin command line', () => {
  const ids: Record<string, string> = {};

  it('creates a company on an empty database (migrating it first) and prints its id', async () => {
    const out = await adminJson(
      'company:create',
      '--name',
      ' Fjord Forsikring ',
      '--type',
      'insurance',
      '--org-number',
      '987654321',
    );
    expect(out).toEqual({ id: expect.any(String) });
    ids.company = out.id as string;
    const row = await db
      .selectFrom('companies')
      .selectAll()
      .where('id', '=', ids.company)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      name: 'Fjord Forsikring',
      portal_type: 'insurance',
      org_number: '987654321',
    });
  });

  it('creates a user who can sign in at the given level', async () => {
    const out = await adminJson(
      'user:create',
      '--company',
      ids.company!,
      '--email',
      'Admin@Fjord.example',
      '--name',
      'Ada Admin',
      '--level',
      '6',
      '--password',
      'correct-horse-battery',
      '--phone',
      '912 34 567',
    );
    expect(out).toEqual({ id: expect.any(String) });
    const row = await db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', out.id as string)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      company_id: ids.company,
      email: 'admin@fjord.example',
      phone: '+4791234567',
      level: 6,
    });
    expect(row.password_hash).not.toContain('correct-horse-battery');

    const cookie = await signIn(app, { email: 'admin@fjord.example', password: 'correct-horse-battery' });
    const me = await app.inject({ method: 'GET', url: '/api/me', headers: { cookie } });
    expect(me.json()).toMatchObject({ level: 6 });
  });

  it('creates API keys (level 6 by default) that authenticate as the company', async () => {
    const byDefault = await adminJson('apikey:create', '--company', ids.company!, '--name', 'Integration');
    const reader = await adminJson(
      'apikey:create',
      '--company',
      ids.company!,
      '--name',
      'Reader',
      '--level',
      '2',
    );
    for (const out of [byDefault, reader]) {
      expect(out).toEqual({ id: expect.any(String), key: expect.stringMatching(/^ks_/) });
    }
    const keyRows = await db.selectFrom('api_keys').select(['id', 'key_hash']).execute();
    expect(keyRows.map((row) => row.id).sort()).toEqual([byDefault.id, reader.id].sort());
    expect(keyRows.map((row) => row.key_hash)).not.toContain(byDefault.key);

    expect(await resolveApiKey(db, byDefault.key as string)).toMatchObject({
      companyId: ids.company,
      level: 6,
    });
    expect(await resolveApiKey(db, reader.key as string)).toMatchObject({ companyId: ids.company, level: 2 });
    const company = await app.inject({
      method: 'GET',
      url: '/api/company',
      headers: { authorization: `Bearer ${byDefault.key as string}` },
    });
    expect(company.statusCode).toBe(200);
    expect(company.json()).toMatchObject({ id: ids.company, name: 'Fjord Forsikring' });
  });

  it('creates a partner, an office of it and a person in the office, all in the company', async () => {
    const partner = await adminJson('partner:create', '--company', ids.company!, '--name', 'Takst AS');
    const office = await adminJson(
      'office:create',
      ...['--partner', partner.id as string, '--name', 'Takst Bergen'],
      ...['--phone', '55 00 00 00', '--email', 'Bergen@Takst.example'],
    );
    const person = await adminJson(
      'person:create',
      ...['--office', office.id as string, '--name', 'Per Takstmann', '--email', 'per@takst.example'],
    );
    for (const out of [partner, office, person]) expect(out).toEqual({ id: expect.any(String) });

    const partnerRow = await db
      .selectFrom('partners')
      .selectAll()
      .where('id', '=', partner.id as string)
      .executeTakeFirstOrThrow();
    expect(partnerRow).toMatchObject({ company_id: ids.company, name: 'Takst AS' });
    const officeRow = await db
      .selectFrom('offices')
      .selectAll()
      .where('id', '=', office.id as string)
      .executeTakeFirstOrThrow();
    expect(officeRow).toMatchObject({
      company_id: ids.company,
      partner_id: partner.id,
      phone: '+4755000000',
      email: 'bergen@takst.example',
    });
    const personRow = await db
      .selectFrom('persons')
      .selectAll()
      .where('id', '=', person.id as string)
      .executeTakeFirstOrThrow();
    expect(personRow).toMatchObject({ company_id: ids.company, office_id: office.id, phone: null });
  });

  it('prints the commands on help', async () => {
    const run = await admin('help');
    expect(run.code).toBe(0);
    for (const command of [
      'company:create',
      'user:create',
      'apikey:create',
      'office:create',
      'person:create',
    ]) {
      expect(run.stdout).toContain(command);
    }
  });

  it('refuses bad input with a non-zero exit code, one line naming the problem, and no row', async () => {
    const before = await Promise.all(
      (['companies', 'users', 'api_keys', 'partners', 'offices', 'persons'] as const).map(count),
    );
    const user = (company: string, email: string, level: string) => [
      'user:create',
      ...['--company', company, '--email', email, '--level', level],
      ...['--name', 'Nils', '--password', 'long-enough-password'],
    ];
    const cases: Array<{ args: string[]; code: number; message: RegExp }> = [
      { args: ['company:create', '--type', 'insurance'], code: 2, message: /needs --name/ },
      {
        args: ['company:create', '--name', 'X', '--type', 'foo'],
        code: 1,
        message: /--type must be one of insurance, contractor/,
      },
      {
        args: user(ids.company!, 'not-an-address', '9'),
        code: 1,
        message: /--email must be an e-mail address; --level must be 1–6/,
      },
      {
        args: user(ids.company!, 'ADMIN@fjord.example', '1'),
        code: 1,
        message: /a user with this e-mail address already exists/,
      },
      {
        args: user('no-such-company', 'n@x.example', '1'),
        code: 1,
        message: /--company: there is no company with the id "no-such-company"/,
      },
      {
        args: ['partner:create', '--company', 'no-such-company', '--name', 'P'],
        code: 1,
        message: /no company with the id/,
      },
      {
        args: ['office:create', '--partner', 'no-such-partner', '--name', 'O'],
        code: 1,
        message: /no partner with the id "no-such-partner"/,
      },
      {
        args: ['person:create', '--office', 'no-such-office', '--name', 'P'],
        code: 1,
        message: /no office with the id "no-such-office"/,
      },
      { args: ['company:delete', '--name', 'X'], code: 2, message: /unknown command "company:delete"/ },
      {
        args: ['company:create', '--name', 'X', '--type', 'insurance', '--color', 'red'],
        code: 2,
        message: /has no flag --color/,
      },
    ];
    const runs = await inParallel(2, cases, (c) => admin(...c.args));
    runs.forEach((run, i) => {
      const expected = cases[i]!;
      const label = expected.args.join(' ');
      expect({ label, code: run.code, stdout: run.stdout }).toEqual({
        label,
        code: expected.code,
        stdout: '',
      });
      expect(run.stderr.trim().split('\n'), label).toHaveLength(1);
      expect(run.stderr, label).toMatch(/^error: /);
      expect(run.stderr, label).toMatch(expected.message);
    });

    const after = await Promise.all(
      (['companies', 'users', 'api_keys', 'partners', 'offices', 'persons'] as const).map(count),
    );
    expect(after).toEqual(before);
  }, 120_000);
});
