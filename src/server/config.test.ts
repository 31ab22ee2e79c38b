import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

const SECRET = 'a-configured-secret-of-at-least-32-chars';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'ks-config-'));
});
afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

/** loadConfig on exactly these variables (never the test process's own environment). */
const load = (env: Record<string, string | undefined> = {}) => loadConfig({ DATA_DIR: dataDir, ...env });

function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    load(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(env)}`);
}

describe('loadConfig defaults', () => {
  it('serves on 127.0.0.1:3000 with SQLite under DATA_DIR and links to http://HOST:PORT', () => {
    const config = load();
    expect(config).toMatchObject({
      nodeEnv: 'development',
      host: '127.0.0.1',
      port: 3000,
      dataDir,
      database: { kind: 'sqlite', file: path.join(dataDir, 'kundeside.sqlite') },
      publicBaseUrl: 'http://127.0.0.1:3000',
      publicOrigin: 'http://127.0.0.1:3000',
      secureCookies: false,
      smtpUrl: undefined,
      sms: { provider: 'dev-mailbox' },
      logLevel: 'info',
      session: { idleMs: 30 * 60_000, absoluteMs: 12 * 3_600_000 },
      seedDemo: true,
    });
  });

  it('defaults DATA_DIR to ./data, resolved to an absolute path', () => {
    const config = loadConfig({ SESSION_SECRET: SECRET });
    expect(config.dataDir).toBe(path.resolve('data'));
    expect(config.database).toEqual({ kind: 'sqlite', file: path.resolve('data', 'kundeside.sqlite') });
  });

  it('builds the default public URL from HOST and PORT', () => {
    expect(load({ HOST: '0.0.0.0', PORT: '8080' }).publicBaseUrl).toBe('http://0.0.0.0:8080');
  });

  it('treats empty variables as unset', () => {
    const config = load({ PORT: '', DATABASE_URL: '', SMS_PROVIDER: '', PUBLIC_BASE_URL: '' });
    expect(config.port).toBe(3000);
    expect(config.database.kind).toBe('sqlite');
    expect(config.sms).toEqual({ provider: 'dev-mailbox' });
  });
});

describe('loadConfig values', () => {
  it('uses PostgreSQL for a postgres:// or postgresql:// DATABASE_URL', () => {
    for (const url of ['postgres://u@db:5432/ks', 'postgresql://u:p@db/ks']) {
      expect(load({ DATABASE_URL: url }).database).toEqual({ kind: 'postgres', url });
    }
  });

  it('turns on secure cookies for an https PUBLIC_BASE_URL, and strips trailing slashes', () => {
    const config = load({ PUBLIC_BASE_URL: 'https://skade.example.no/' });
    expect(config.secureCookies).toBe(true);
    expect(config.publicBaseUrl).toBe('https://skade.example.no');
    expect(config.publicOrigin).toBe('https://skade.example.no');
  });

  it('keeps a path of PUBLIC_BASE_URL in links but not in the origin', () => {
    const config = load({ PUBLIC_BASE_URL: 'https://example.no/kundeside' });
    expect(config.publicBaseUrl).toBe('https://example.no/kundeside');
    expect(config.publicOrigin).toBe('https://example.no');
  });

  it('uses the SMS webhook when SMS_PROVIDER=webhook and SMS_WEBHOOK_URL are set', () => {
    const config = load({ SMS_PROVIDER: 'webhook', SMS_WEBHOOK_URL: 'https://sms.example/send' });
    expect(config.sms).toEqual({ provider: 'webhook', webhookUrl: 'https://sms.example/send' });
  });

  it('reads session lifetimes, SEED_DEMO and SMTP_URL', () => {
    const config = load({
      SESSION_IDLE_MINUTES: '15',
      SESSION_ABSOLUTE_HOURS: '8',
      SEED_DEMO: 'false',
      SMTP_URL: 'smtp://127.0.0.1:2525',
    });
    expect(config.session).toEqual({ idleMs: 15 * 60_000, absoluteMs: 8 * 3_600_000 });
    expect(config.seedDemo).toBe(false);
    expect(config.smtpUrl).toBe('smtp://127.0.0.1:2525');
  });
});

describe('loadConfig errors', () => {
  it.each([
    ['PORT', { PORT: 'abc' }],
    ['PORT', { PORT: '70000' }],
    ['PORT', { PORT: '80.5' }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://db/ks' }],
    ['DATABASE_URL', { DATABASE_URL: './data/db.sqlite' }],
    ['PUBLIC_BASE_URL', { PUBLIC_BASE_URL: 'ftp://example.no' }],
    ['PUBLIC_BASE_URL', { PUBLIC_BASE_URL: 'example.no' }],
    ['SMS_PROVIDER', { SMS_PROVIDER: 'carrier-pigeon' }],
    ['SMTP_URL', { SMTP_URL: 'http://mail.example' }],
    ['SESSION_SECRET', { SESSION_SECRET: 'too-short' }],
    ['SESSION_IDLE_MINUTES', { SESSION_IDLE_MINUTES: '0' }],
    ['SEED_DEMO', { SEED_DEMO: 'yes' }],
    ['NODE_ENV', { NODE_ENV: 'staging' }],
  ])('throws a ConfigError naming %s for %o', (name, env) => {
    expect(configError(env).message).toContain(name);
  });

  it('requires SMS_WEBHOOK_URL when SMS_PROVIDER=webhook', () => {
    const error = configError({ SMS_PROVIDER: 'webhook' });
    expect(error.message).toContain('SMS_WEBHOOK_URL');
    expect(error.message).toContain('SMS_PROVIDER=webhook');
  });

  it('never loads the demo data in production: off by default there, SEED_DEMO=true refuses to start', () => {
    const production = { NODE_ENV: 'production', SMTP_URL: 'smtp://127.0.0.1:2525', SMS_PROVIDER: 'webhook' };
    const sms = { SMS_WEBHOOK_URL: 'https://sms.example/send', SMS_WEBHOOK_SECRET: SECRET };
    expect(load({ ...production, ...sms }).seedDemo).toBe(false);
    expect(load({ ...production, ...sms, SEED_DEMO: 'false' }).seedDemo).toBe(false);
    const error = configError({ ...production, ...sms, SEED_DEMO: 'true' });
    expect(error.message).toContain('SEED_DEMO');
    expect(error.message).toContain('NODE_ENV=production');
    expect(load({}).seedDemo).toBe(true);
  });

  it('names every bad variable at once', () => {
    const { message } = configError({ PORT: '-1', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' });
    for (const name of ['PORT', 'DATABASE_URL', 'LOG_LEVEL']) expect(message).toContain(name);
  });

  it('does not echo the value of a bad SESSION_SECRET', () => {
    const { message } = configError({ SESSION_SECRET: 'hunter2-secret' });
    expect(message).not.toContain('hunter2');
  });
});

describe('session secret', () => {
  it('generates a secret once into DATA_DIR, readable only by the owner, and reuses it', () => {
    const first = load();
    const file = path.join(dataDir, 'session-secret');
    expect(first.sessionSecret.length).toBeGreaterThanOrEqual(32);
    expect(readFileSync(file, 'utf8').trim()).toBe(first.sessionSecret);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o077).toBe(0);

    const second = load();
    expect(second.sessionSecret).toBe(first.sessionSecret);
  });

  it('creates DATA_DIR when it does not exist yet', () => {
    const nested = path.join(dataDir, 'a', 'b');
    const config = loadConfig({ DATA_DIR: nested });
    expect(readFileSync(path.join(nested, 'session-secret'), 'utf8').trim()).toBe(config.sessionSecret);
  });

  it('uses a secret already in DATA_DIR, and gives each new DATA_DIR its own', () => {
    writeFileSync(path.join(dataDir, 'session-secret'), 'kept-from-an-earlier-start-0123456789\n');
    expect(load().sessionSecret).toBe('kept-from-an-earlier-start-0123456789');
    const other = mkdtempSync(path.join(tmpdir(), 'ks-config-'));
    try {
      expect(loadConfig({ DATA_DIR: other }).sessionSecret).not.toBe('kept-from-an-earlier-start-0123456789');
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('prefers SESSION_SECRET and then writes nothing', () => {
    expect(load({ SESSION_SECRET: SECRET }).sessionSecret).toBe(SECRET);
    expect(() => statSync(path.join(dataDir, 'session-secret'))).toThrow();
  });
});

describe('delivery settings (customer access)', () => {
  it('uses the development mailbox without SMTP_URL / SMS_PROVIDER outside production', () => {
    expect(load()).toMatchObject({
      smtpUrl: undefined,
      sms: { provider: 'dev-mailbox' },
      devMailbox: true,
      outboxWorker: true,
      mailFrom: 'no-reply@[127.0.0.1]',
      smsFrom: 'Kundeside',
    });
    expect(load({ PUBLIC_BASE_URL: 'https://kunde.forsikring.no' }).mailFrom).toBe(
      'no-reply@kunde.forsikring.no',
    );
  });

  it('stops production start-up without SMTP_URL and SMS_PROVIDER, naming both', () => {
    const error = configError({ NODE_ENV: 'production' });
    expect(error.message).toMatch(/SMTP_URL: is required when NODE_ENV=production/);
    expect(error.message).toMatch(/SMS_PROVIDER: is required when NODE_ENV=production/);
    expect(configError({ NODE_ENV: 'production', SMTP_URL: 'smtp://127.0.0.1:2525' }).message).not.toMatch(
      /SMTP_URL/,
    );
  });

  it('starts in production with real delivery, without the development mailbox', () => {
    const config = load({
      NODE_ENV: 'production',
      SMTP_URL: 'smtp://mail.example.no:587',
      SMTP_FROM: 'kundeside@forsikring.no',
      SMS_PROVIDER: 'webhook',
      SMS_WEBHOOK_URL: 'https://sms.example.no/send',
      SMS_WEBHOOK_SECRET: SECRET,
      SMS_FROM: 'Forsikring',
      OUTBOX_WORKER: 'false',
    });
    expect(config).toMatchObject({
      devMailbox: false,
      mailFrom: 'kundeside@forsikring.no',
      smsFrom: 'Forsikring',
      outboxWorker: false,
      sms: { provider: 'webhook', webhookUrl: 'https://sms.example.no/send' },
    });
  });

  it('refuses a bad SMTP_FROM, SMS_FROM or SMS_WEBHOOK_URL', () => {
    expect(configError({ SMTP_FROM: 'not an address' }).message).toMatch(/SMTP_FROM/);
    expect(configError({ SMS_FROM: 'Far too long a sender' }).message).toMatch(/SMS_FROM/);
    expect(configError({ SMS_PROVIDER: 'webhook', SMS_WEBHOOK_URL: 'ftp://x.example' }).message).toMatch(
      /SMS_WEBHOOK_URL/,
    );
  });
});

describe('SMS_WEBHOOK_SECRET (signed SMS requests, delivery reports)', () => {
  const webhook = { SMS_PROVIDER: 'webhook', SMS_WEBHOOK_URL: 'https://sms.example.no/send' };
  const production = { NODE_ENV: 'production', SMTP_URL: 'smtp://mail.example.no:587', ...webhook };

  it('is kept with the webhook, and optional outside production', () => {
    expect(load({ ...webhook, SMS_WEBHOOK_SECRET: SECRET }).sms).toEqual({
      provider: 'webhook',
      webhookUrl: 'https://sms.example.no/send',
      webhookSecret: SECRET,
    });
    expect(load(webhook).sms).toEqual({ provider: 'webhook', webhookUrl: 'https://sms.example.no/send' });
  });

  it('is required in production with the webhook, so the provider can tell our requests from forged ones', () => {
    expect(configError(production).message).toMatch(
      /SMS_WEBHOOK_SECRET: is required when NODE_ENV=production and SMS_PROVIDER=webhook/,
    );
    expect(load({ ...production, SMS_WEBHOOK_SECRET: SECRET }).sms).toMatchObject({ webhookSecret: SECRET });
  });

  it('refuses a short or blank-containing secret, and one without the webhook', () => {
    expect(configError({ ...webhook, SMS_WEBHOOK_SECRET: 'too-short' }).message).toMatch(
      /SMS_WEBHOOK_SECRET: must be at least 32 characters/,
    );
    expect(configError({ ...webhook, SMS_WEBHOOK_SECRET: `${SECRET} x` }).message).toMatch(
      /SMS_WEBHOOK_SECRET: must be printable ASCII without spaces/,
    );
    expect(configError({ SMS_WEBHOOK_SECRET: SECRET }).message).toMatch(
      /SMS_WEBHOOK_SECRET: is only used with SMS_PROVIDER=webhook/,
    );
  });
});
