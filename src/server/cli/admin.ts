import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import {
  createApiKeySchema,
  createCompanySchema,
  createOfficeSchema,
  createPartnerSchema,
  createPersonSchema,
  createUserSchema,
} from '../../common/contracts/schemas.ts';
import { createApiKey } from '../api-keys/api-keys.ts';
import { createCompany } from '../companies/companies.ts';
import { findCompany } from '../companies/queries.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { backupDataDir, restoreDataDir } from './backup.ts';
import { createDb, type Db } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { AppError } from '../errors.ts';
import {
  companyOfOffice,
  companyOfPartner,
  createOffice,
  createPartner,
  createPerson,
} from '../partners/partners.ts';
import { createUser } from '../users/users.ts';

// `npm run admin -- <command> [--flag value …]`: the operator's command line (integration contract §2).
// It stands above tenants: it creates companies and their first users, API keys and partners.
// Success prints one JSON object on stdout (exit 0). Wrong usage exits 2 and rejected input exits 1,
// each with one `error: …` line on stderr and nothing on stdout. Input is checked before the
// database is opened, so a rejected command writes nothing.

type Flags = Record<string, string | undefined>;

/** Creates the rows of a command whose input has already been validated. */
type Action = (db: Db) => Promise<object>;

interface Command {
  summary: string;
  /** Flag name → placeholder shown in the help; `?` marks an optional flag. */
  flags: Record<string, string>;
  /** Validates the flags (throws InputError) and returns what to do with the database. */
  prepare: (flags: Flags) => Action;
}

/** A command that works on DATA_DIR itself and must not open (and migrate) the database first. */
interface DataDirCommand extends Omit<Command, 'prepare'> {
  run: (flags: Flags) => Promise<object>;
}

/**
 * The configuration for restore, read without creating DATA_DIR/session-secret (loadConfig makes one
 * when SESSION_SECRET is unset): the DATA_DIR must stay empty until the backup's own secret arrives.
 */
const configForRestore = () =>
  loadConfig({ ...process.env, SESSION_SECRET: process.env.SESSION_SECRET || 'restore-'.repeat(4) });

/** Wrong use of the command line (unknown command or flag, missing flag): exit code 2. */
class UsageError extends Error {}

/** Input the command line understood but refuses (invalid value, unknown id): exit code 1. */
class InputError extends Error {}

/** The flag each field of the shared schemas is read from. */
const flagOfField: Record<string, string> = {
  name: '--name',
  email: '--email',
  phone: '--phone',
  level: '--level',
  password: '--password',
  portalType: '--type',
  orgNumber: '--org-number',
};

const commands: Record<string, Command | DataDirCommand> = {
  'company:create': {
    summary: 'Create a company (a portal).',
    flags: { name: '<text>', type: 'insurance|contractor', 'org-number': '?<9 digits>' },
    prepare: (f) => {
      const input = parse(createCompanySchema, {
        name: f.name,
        portalType: f.type,
        orgNumber: f['org-number'],
      });
      return (db) => createCompany(db, input);
    },
  },
  'user:create': {
    summary: 'Create a staff user of a company (level 6 is the company admin).',
    flags: {
      company: '<company id>',
      email: '<e-mail>',
      name: '<text>',
      level: '<1-6>',
      password: '<at least 10 characters>',
      phone: '?<+47…>',
    },
    prepare: (f) => {
      const input = parse(createUserSchema, {
        name: f.name,
        email: f.email,
        phone: f.phone,
        level: f.level,
        password: f.password,
      });
      return async (db) => createUser(db, await requireCompany(db, f.company), input);
    },
  },
  'apikey:create': {
    summary: 'Create an API key acting at --level (default 6) in a company; the key is shown only once.',
    flags: { company: '<company id>', name: '<text>', level: '?<1-6>' },
    prepare: (f) => {
      const input = parse(createApiKeySchema, { name: f.name, level: f.level });
      return async (db) => {
        const { id, key } = await createApiKey(db, await requireCompany(db, f.company), input);
        return { id, key };
      };
    },
  },
  'partner:create': {
    summary: 'Create a partner (inspection firm or contractor) of a company.',
    flags: { company: '<company id>', name: '<text>' },
    prepare: (f) => {
      const input = parse(createPartnerSchema, { name: f.name });
      return async (db) => createPartner(db, await requireCompany(db, f.company), input);
    },
  },
  'office:create': {
    summary: 'Create an office of a partner.',
    flags: { partner: '<partner id>', name: '<text>', phone: '?<+47…>', email: '?<e-mail>' },
    prepare: (f) => {
      const input = parse(createOfficeSchema, { name: f.name, phone: f.phone, email: f.email });
      const partnerId = f.partner ?? '';
      return async (db) => {
        const companyId = await companyOfPartner(db, partnerId);
        if (!companyId) throw new InputError(`--partner: there is no partner with the id "${partnerId}"`);
        return createOffice(db, companyId, partnerId, input);
      };
    },
  },
  'person:create': {
    summary: 'Create a person working in an office of a partner.',
    flags: { office: '<office id>', name: '<text>', email: '?<e-mail>', phone: '?<+47…>' },
    prepare: (f) => {
      const input = parse(createPersonSchema, { name: f.name, phone: f.phone, email: f.email });
      const officeId = f.office ?? '';
      return async (db) => {
        const companyId = await companyOfOffice(db, officeId);
        if (!companyId) throw new InputError(`--office: there is no office with the id "${officeId}"`);
        return createPerson(db, companyId, officeId, input);
      };
    },
  },
  backup: {
    summary:
      'Copy the SQLite database, DATA_DIR/files and the session secret into a new or empty folder, while the server runs.',
    flags: { to: '<folder>' },
    run: (f) => backupDataDir(loadConfig(), f.to ?? ''),
  },
  restore: {
    summary: 'Restore a backup (its hashes checked first) into an empty DATA_DIR; the server must not run.',
    flags: { from: '<backup folder>' },
    run: (f) => restoreDataDir(configForRestore(), f.from ?? ''),
  },
};

const isOptional = (placeholder: string) => placeholder.startsWith('?');

function usage(): string {
  const lines = ['Usage: npm run admin -- <command> [--flag value …]', '', 'Commands:'];
  for (const [name, command] of Object.entries(commands)) {
    const flags = Object.entries(command.flags).map(([flag, placeholder]) =>
      isOptional(placeholder) ? `[--${flag} ${placeholder.slice(1)}]` : `--${flag} ${placeholder}`,
    );
    lines.push(`  ${name} ${flags.join(' ')}`, `      ${command.summary}`);
  }
  lines.push('  help', '      Show this text.', '');
  lines.push('Prints JSON on stdout. Exit code 0: done; 1: input rejected; 2: wrong usage.');
  lines.push('Uses the database of DATABASE_URL (PostgreSQL) or DATA_DIR (SQLite), migrated first.');
  lines.push('backup and restore: SQLite and DATA_DIR only, nothing migrated (README: Backups).');
  return lines.join('\n');
}

function parseCommandLine(argv: string[]): { command: Command | DataDirCommand; flags: Flags } {
  const [name, ...rest] = argv;
  if (name === undefined) throw new UsageError('no command given');
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!command) throw new UsageError(`unknown command "${name}"`);
  const flags = parseFlags(name, command, rest);
  const missing = Object.entries(command.flags)
    .filter(([flag, placeholder]) => !isOptional(placeholder) && flags[flag] === undefined)
    .map(([flag]) => `--${flag}`);
  if (missing.length > 0) throw new UsageError(`${name} needs ${missing.join(', ')}`);
  return { command, flags };
}

function parseFlags(name: string, command: Command | DataDirCommand, args: string[]): Flags {
  const options: Record<string, { type: 'string' }> = Object.fromEntries(
    Object.keys(command.flags).map((flag) => [flag, { type: 'string' as const }]),
  );
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values as Flags;
  } catch (error) {
    throw new UsageError(describeParseError(name, command, error));
  }
}

function describeParseError(name: string, command: Command | DataDirCommand, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown }).code;
  const unknown = /Unknown option '([^']+)'/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && unknown) {
    const allowed = Object.keys(command.flags).map((flag) => `--${flag}`);
    return `${name} has no flag ${unknown} (it takes ${allowed.join(', ')})`;
  }
  const positional = /Unexpected argument '([^']*)'/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL' && positional !== undefined) {
    return `unexpected argument "${positional}" (give values as --flag value)`;
  }
  const option = /Option '(--[\w-]+)/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) {
    return `${option} needs a value (write a value starting with "-" as ${option}=-value)`;
  }
  return message;
}

function parse<T extends z.ZodType>(schema: T, input: object): z.output<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new InputError(describeZodError(parsed.error));
  return parsed.data;
}

/** One line naming every rejected flag, e.g. `--level must be 1–6`. */
function describeZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const field = String(issue.path[0] ?? '');
      const flag = flagOfField[field] ?? (field ? `--${field}` : 'input');
      return `${flag} ${issueText(issue)}`;
    })
    .join('; ');
}

function issueText(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_value') return `must be one of ${issue.values.map(String).join(', ')}`;
  if (issue.code === 'invalid_type') {
    return `must be ${issue.expected === 'int' ? 'a whole number' : `a ${issue.expected}`}`;
  }
  return lowerFirst(issue.message);
}

async function requireCompany(db: Db, companyId: string | undefined): Promise<string> {
  const id = companyId ?? '';
  if (!(await findCompany(db, id)))
    throw new InputError(`--company: there is no company with the id "${id}"`);
  return id;
}

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);

/** The text of any thrown value; pg reports a refused connection as an AggregateError without a message. */
function errorText(error: unknown): string {
  if (error instanceof AggregateError && !error.message) return error.errors.map(errorText).join('; ');
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

function describeFailure(error: unknown): { message: string; exitCode: number } {
  if (error instanceof UsageError) {
    return { message: `${error.message}; run \`npm run admin -- help\` for the commands`, exitCode: 2 };
  }
  if (error instanceof InputError) return { message: error.message, exitCode: 1 };
  if (error instanceof z.ZodError) return { message: describeZodError(error), exitCode: 1 };
  if (error instanceof ConfigError) return { message: error.message.replace(/\s*\n\s*/g, ' '), exitCode: 1 };
  if (error instanceof AppError)
    return { message: lowerFirst(error.message.replace(/\.$/, '')), exitCode: 1 };
  return { message: errorText(error), exitCode: 1 };
}

async function withDatabase(action: Action): Promise<object> {
  const db = createDb(loadConfig().database);
  try {
    const ran = await migrateToLatest(db).catch((error: unknown) => {
      const cause = error instanceof Error && error.cause !== undefined ? error.cause : error;
      throw new Error(`the database could not be opened or migrated: ${errorText(cause)}`);
    });
    if (ran.length > 0) console.error(`migrated: ${ran.join(', ')}`);
    return await action(db);
  } finally {
    await db.destroy();
  }
}

/** Runs the command line on `argv` (the arguments after the script) and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'help' || argv.includes('--help') || argv.includes('-h')) {
    console.log(usage());
    return 0;
  }
  try {
    const { command, flags } = parseCommandLine(argv);
    const result = 'run' in command ? await command.run(flags) : await withDatabase(command.prepare(flags));
    console.log(JSON.stringify(result));
    return 0;
  } catch (error) {
    const { message, exitCode } = describeFailure(error);
    console.error(`error: ${message}`);
    return exitCode;
  }
}

const invokedDirectly =
  process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) process.exitCode = await main(process.argv.slice(2));
