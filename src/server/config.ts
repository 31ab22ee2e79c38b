import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';

/**
 * Every environment variable the process reads, validated in one place.
 * The names are those of the integration contract §1; README.md documents each one.
 */
const booleanText = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');

/** An IP address, or one with a CIDR prefix (`10.0.0.0/8`, `fd00::/8`). */
function isAddressOrCidr(text: string): boolean {
  const [address = '', prefix, ...rest] = text.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
}

/**
 * Which proxies in front of us may tell the client's address (X-Forwarded-For), as Fastify's
 * `trustProxy`: `false` (none: the socket's address counts), `true` (any — only when nothing
 * reaches us but through the proxy), a hop count, or a comma-separated list of addresses/CIDRs.
 */
const trustProxyText = z
  .string()
  .trim()
  .transform((value, ctx): boolean | number | string[] => {
    if (value === 'false' || value === '0') return false;
    if (value === 'true') return true;
    if (/^\d{1,2}$/.test(value)) return Number(value);
    const addresses = value.split(',').map((part) => part.trim());
    if (addresses.every(isAddressOrCidr)) return addresses;
    ctx.addIssue({
      code: 'custom',
      message: 'must be false, true, a hop count (1–99) or a comma-separated list of IP addresses or CIDRs',
    });
    return z.NEVER;
  });

/**
 * Limits on what a customer writes from the customer page (issue 15 item 4). Our numbers, each far
 * above what a policyholder writing about their claim does, far below a flood:
 * - 10 messages per session in 10 minutes: a person typing sends a few in a sitting (one a minute
 *   for ten minutes is already a lot); a script is stopped after 10;
 * - 60 messages per case in an hour, across all its people and sessions (a new session per link
 *   opening cannot lift it): a case's handler can still read what arrives;
 * - 60 files and 100 MB of files per case in an hour: six full messages of photos; the customers'
 *   100 MB share of a case caps what is stored, this caps how fast it is refilled after deletions.
 */
export interface CustomerWriteLimits {
  messagesPerSession: number;
  messagesPerCase: number;
  filesPerCase: number;
  bytesPerCase: number;
}

export const DEFAULT_CUSTOMER_WRITE_LIMITS: CustomerWriteLimits = {
  messagesPerSession: 10,
  messagesPerCase: 60,
  filesPerCase: 60,
  bytesPerCase: 100 * 1024 * 1024,
};

/** CUSTOMER_WRITE_LIMITS: `on` (the defaults), `off` (none: the benchmark), or `name=number` overrides. */
const customerWriteLimitsText = z
  .string()
  .trim()
  .transform((value, ctx): CustomerWriteLimits | null => {
    if (value === 'on') return DEFAULT_CUSTOMER_WRITE_LIMITS;
    if (value === 'off') return null;
    const names = { session: 'messagesPerSession', case: 'messagesPerCase', files: 'filesPerCase' } as const;
    const limits = { ...DEFAULT_CUSTOMER_WRITE_LIMITS };
    for (const part of value.split(',')) {
      const match = /^\s*(session|case|files|mb)\s*=\s*(\d{1,6})\s*$/.exec(part);
      if (!match || Number(match[2]) < 1) {
        ctx.addIssue({
          code: 'custom',
          message: 'must be on, off, or a comma-separated list of session=N, case=N, files=N, mb=N (N ≥ 1)',
        });
        return z.NEVER;
      }
      const count = Number(match[2]);
      if (match[1] === 'mb') limits.bytesPerCase = count * 1024 * 1024;
      else limits[names[match[1] as keyof typeof names]] = count;
    }
    return limits;
  });

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// (leave it unset for SQLite)')
      .optional(),
    DATA_DIR: z.string().min(1).default('./data'),
    PUBLIC_BASE_URL: z
      .url()
      .refine((value) => /^https?:\/\//.test(value), 'must be an http:// or https:// origin')
      .optional(),
    SMTP_URL: z
      .url()
      .refine((value) => /^smtps?:\/\//.test(value), 'must start with smtp:// or smtps://')
      .optional(),
    SMTP_FROM: z.email().optional(),
    SMS_PROVIDER: z.enum(['webhook']).optional(),
    SMS_WEBHOOK_URL: z
      .url()
      .refine((value) => /^https?:\/\//.test(value), 'must be an http:// or https:// URL')
      .optional(),
    SMS_FROM: z
      .string()
      .regex(/^(\+?\d{3,15}|[A-Za-z0-9 ]{1,11})$/, 'must be a phone number or 1–11 letters and digits')
      .optional(),
    // Shared with the SMS provider: signs our requests and checks its delivery reports (HMAC-SHA256).
    SMS_WEBHOOK_SECRET: z
      .string()
      .min(32, 'must be at least 32 characters')
      .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces')
      .optional(),
    OUTBOX_WORKER: booleanText.default(true),
    // Outbound webhooks to loopback, private, link-local … addresses (webhooks/targets.ts): off by default.
    WEBHOOK_ALLOW_PRIVATE_TARGETS: booleanText.default(false),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    SESSION_IDLE_MINUTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(30),
    SESSION_ABSOLUTE_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 30)
      .default(12),
    // Default: true, except in production (see below).
    SEED_DEMO: booleanText.optional(),
    // A 25 MiB upload over a slow mobile link (2 Mbit/s) takes about 105 s.
    REQUEST_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(120),
    TRUST_PROXY: trustProxyText.default(false),
    CUSTOMER_WRITE_LIMITS: customerWriteLimitsText.default(DEFAULT_CUSTOMER_WRITE_LIMITS),
    // Sent in a header by the scraper: printable ASCII, long enough not to be guessed.
    METRICS_TOKEN: z
      .string()
      .min(32, 'must be at least 32 characters')
      .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces')
      .optional(),
    FILE_STORAGE: z.enum(['disk', 's3']).default('disk'),
    S3_ENDPOINT: z
      .url()
      .refine((value) => /^https?:\/\//.test(value), 'must be an http:// or https:// URL')
      .optional(),
    S3_BUCKET: z
      .string()
      .regex(
        /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
        'must be a bucket name: 3–63 lowercase letters, digits, dots, hyphens',
      )
      .optional(),
    S3_REGION: z
      .string()
      .regex(/^[a-z0-9-]{1,40}$/, 'must be a region name such as eu-north-1')
      .optional(),
    S3_ACCESS_KEY_ID: z.string().min(1).optional(),
    S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
    S3_FORCE_PATH_STYLE: booleanText.optional(),
    S3_PREFIX: z
      .string()
      .regex(
        /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}(\/[A-Za-z0-9][A-Za-z0-9._-]{0,63}){0,3}\/?$/,
        'must be folder names of letters, digits, ".", "_", "-" joined by "/" (e.g. kundeside/prod)',
      )
      .optional(),
    // Below the 30 s a process manager commonly waits after SIGTERM before SIGKILL (Kubernetes, Docker).
    SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(600).default(25),
    WEB_DIST_DIR: z.string().min(1).default('dist/web'),
  })
  .superRefine((env, ctx) => {
    // Production never falls back to the development mailbox: messages to customers must go out.
    if (env.NODE_ENV === 'production') {
      // The demo company's sign-ins are published in the README: never in production.
      if (env.SEED_DEMO === true) {
        ctx.addIssue({
          code: 'custom',
          path: ['SEED_DEMO'],
          message:
            'must not be true when NODE_ENV=production (the demo company signs in with passwords published in the README)',
        });
      }
      if (!env.SMTP_URL) {
        ctx.addIssue({
          code: 'custom',
          path: ['SMTP_URL'],
          message:
            'is required when NODE_ENV=production (e-mail to customers; the development mailbox is off in production)',
        });
      }
      if (!env.SMS_PROVIDER) {
        ctx.addIssue({
          code: 'custom',
          path: ['SMS_PROVIDER'],
          message:
            'is required when NODE_ENV=production (set SMS_PROVIDER=webhook and SMS_WEBHOOK_URL; the development mailbox is off in production)',
        });
      }
    }
    for (const issue of fileStorageIssues(env)) ctx.addIssue({ code: 'custom', ...issue });
    if (env.SMS_PROVIDER === 'webhook' && !env.SMS_WEBHOOK_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['SMS_WEBHOOK_URL'],
        message: 'is required when SMS_PROVIDER=webhook',
      });
    }
    // Production: the provider must be able to tell our requests from forged ones, and we its reports.
    if (env.NODE_ENV === 'production' && env.SMS_PROVIDER === 'webhook' && !env.SMS_WEBHOOK_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['SMS_WEBHOOK_SECRET'],
        message: 'is required when NODE_ENV=production and SMS_PROVIDER=webhook (signs the SMS requests)',
      });
    }
    if (env.SMS_WEBHOOK_SECRET && env.SMS_PROVIDER !== 'webhook') {
      ctx.addIssue({
        code: 'custom',
        path: ['SMS_WEBHOOK_SECRET'],
        message: 'is only used with SMS_PROVIDER=webhook',
      });
    }
  });

export type Env = z.input<typeof envSchema>;

export interface Config {
  nodeEnv: 'development' | 'production' | 'test';
  host: string;
  port: number;
  database: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };
  dataDir: string;
  publicBaseUrl: string;
  /** Origin of PUBLIC_BASE_URL: the only Origin accepted on cookie-authenticated changes. */
  publicOrigin: string;
  /** True when customers and staff reach us over HTTPS: Secure cookies, __Host- prefix, HSTS. */
  secureCookies: boolean;
  smtpUrl: string | undefined;
  /** Sender address of e-mail (the display name is the company's). */
  mailFrom: string;
  /**
   * `webhookSecret` (SMS_WEBHOOK_SECRET): signs every request to the webhook and authenticates the
   * provider's delivery reports (outbox/delivery-reports.ts); without it neither happens.
   */
  sms: { provider: 'webhook'; webhookUrl: string; webhookSecret?: string } | { provider: 'dev-mailbox' };
  /** Sender of SMS (`from` of the webhook body). */
  smsFrom: string;
  /** Whether `npm start` runs the outbox worker in this process. */
  outboxWorker: boolean;
  /**
   * WEBHOOK_ALLOW_PRIVATE_TARGETS: webhook endpoints may be on loopback, private, link-local, CGNAT or
   * unique-local addresses (a core system inside the insurer's network; tests). Off: refused at
   * registration and on the address resolved at every send. https stays required in production.
   */
  webhookAllowPrivateTargets: boolean;
  /** The development mailbox (GET /api/admin/dev-mailbox) is available: never in production. */
  devMailbox: boolean;
  logLevel: string;
  sessionSecret: string;
  session: { idleMs: number; absoluteMs: number };
  seedDemo: boolean;
  /** Longest time a client may take to send one whole request, body included (http/server-timeouts.ts). */
  requestTimeoutMs: number;
  /** Fastify's `trustProxy`: whose X-Forwarded-For decides `request.ip` (sign-in limits, stream caps). */
  trustProxy: boolean | number | string[];
  /** Limits on customers' messages and uploads; null: none (CUSTOMER_WRITE_LIMITS=off, the benchmark). */
  customerWriteLimits: CustomerWriteLimits | null;
  /** Bearer token of GET /metrics (http/metrics.ts); unset: no metrics are kept and /metrics is 404. */
  metricsToken: string | undefined;
  /** Where uploaded files live (FILE_STORAGE): `${dataDir}/files`, or an S3-compatible bucket. */
  fileStorage: FileStorageConfig;
  /** Where the built web assets are (WEB_DIST_DIR; `npm run build` writes them to dist/web). */
  webDistDir: string;
  /** How long a stop (SIGTERM) waits for requests in flight and the outbox delivery in progress (shutdown.ts). */
  shutdownTimeoutMs: number;
}

/**
 * TRUST_PROXY as Fastify's option: a hop count becomes the function Fastify builds from one at run
 * time (its types accept no number): trust the nearest `hops` addresses of X-Forwarded-For.
 */
export function fastifyTrustProxy(
  value: Config['trustProxy'],
): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof value !== 'number') return value;
  return (_address, hop) => hop < value;
}

/** Thrown when the environment is invalid; the message names every bad variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads and validates the environment; throws ConfigError naming the variables that are wrong. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  const publicBaseUrl = (e.PUBLIC_BASE_URL ?? `http://${e.HOST}:${e.PORT}`).replace(/\/+$/, '');
  const publicOrigin = new URL(publicBaseUrl).origin;
  return {
    nodeEnv: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    database: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL }
      : { kind: 'sqlite', file: path.join(dataDir, 'kundeside.sqlite') },
    dataDir,
    publicBaseUrl,
    publicOrigin,
    secureCookies: publicOrigin.startsWith('https:'),
    smtpUrl: e.SMTP_URL,
    mailFrom: e.SMTP_FROM ?? defaultMailFrom(publicBaseUrl),
    sms:
      e.SMS_PROVIDER === 'webhook' && e.SMS_WEBHOOK_URL
        ? {
            provider: 'webhook',
            webhookUrl: e.SMS_WEBHOOK_URL,
            ...(e.SMS_WEBHOOK_SECRET && { webhookSecret: e.SMS_WEBHOOK_SECRET }),
          }
        : { provider: 'dev-mailbox' },
    smsFrom: e.SMS_FROM ?? 'Kundeside',
    outboxWorker: e.OUTBOX_WORKER,
    webhookAllowPrivateTargets: e.WEBHOOK_ALLOW_PRIVATE_TARGETS,
    devMailbox: e.NODE_ENV !== 'production',
    logLevel: e.LOG_LEVEL,
    sessionSecret: e.SESSION_SECRET ?? readOrCreateSecret(dataDir),
    session: { idleMs: e.SESSION_IDLE_MINUTES * 60_000, absoluteMs: e.SESSION_ABSOLUTE_HOURS * 3_600_000 },
    seedDemo: e.SEED_DEMO ?? e.NODE_ENV !== 'production',
    requestTimeoutMs: e.REQUEST_TIMEOUT_SECONDS * 1000,
    trustProxy: e.TRUST_PROXY,
    customerWriteLimits: e.CUSTOMER_WRITE_LIMITS,
    metricsToken: e.METRICS_TOKEN,
    fileStorage: fileStorageConfig(e),
    webDistDir: path.resolve(e.WEB_DIST_DIR),
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_SECONDS * 1000,
  };
}

/** FILE_STORAGE=disk (the default: `${DATA_DIR}/files`) or s3 (any S3-compatible store). */
export type FileStorageConfig =
  | { kind: 'disk' }
  | {
      kind: 's3';
      bucket: string;
      region: string;
      /** Unset: AWS S3 itself (the endpoint follows from the region). */
      endpoint: string | undefined;
      forcePathStyle: boolean;
      /** Prepended to every object name: '' or ending in '/'. */
      prefix: string;
      /** Unset: the AWS SDK's default provider chain (environment, profile, instance/task role). */
      credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
    };

type ParsedEnv = z.output<typeof envSchema>;

/**
 * The S3 variables that are missing or contradictory. S3_REGION has no default for AWS itself (a
 * wrong region fails every request with a redirect, far from the cause), and `us-east-1` for any
 * other endpoint (what MinIO, Ceph, Garage and s3rver accept when they do not care).
 */
function fileStorageIssues(env: {
  FILE_STORAGE: 'disk' | 's3';
  S3_ENDPOINT?: string | undefined;
  S3_BUCKET?: string | undefined;
  S3_REGION?: string | undefined;
  S3_ACCESS_KEY_ID?: string | undefined;
  S3_SECRET_ACCESS_KEY?: string | undefined;
}): Array<{ path: string[]; message: string }> {
  if (env.FILE_STORAGE !== 's3') {
    // Forgetting FILE_STORAGE=s3 would put each host's files on its own disk: say so at start.
    return env.S3_BUCKET
      ? [
          {
            path: ['S3_BUCKET'],
            message: 'is set but FILE_STORAGE is not s3 (set FILE_STORAGE=s3, or unset it)',
          },
        ]
      : [];
  }
  const issues: Array<{ path: string[]; message: string }> = [];
  if (!env.S3_BUCKET) issues.push({ path: ['S3_BUCKET'], message: 'is required when FILE_STORAGE=s3' });
  if (!env.S3_REGION && !env.S3_ENDPOINT) {
    issues.push({
      path: ['S3_REGION'],
      message: "is required for AWS S3 (no S3_ENDPOINT): the bucket's region, e.g. eu-north-1",
    });
  }
  if (Boolean(env.S3_ACCESS_KEY_ID) !== Boolean(env.S3_SECRET_ACCESS_KEY)) {
    const missing = env.S3_ACCESS_KEY_ID ? 'S3_SECRET_ACCESS_KEY' : 'S3_ACCESS_KEY_ID';
    issues.push({
      path: [missing],
      message:
        'is required with the other S3 key (set both, or neither for the AWS default credential chain)',
    });
  }
  return issues;
}

function fileStorageConfig(e: ParsedEnv): FileStorageConfig {
  if (e.FILE_STORAGE === 'disk' || !e.S3_BUCKET) return { kind: 'disk' };
  return {
    kind: 's3',
    bucket: e.S3_BUCKET,
    region: e.S3_REGION ?? 'us-east-1',
    endpoint: e.S3_ENDPOINT,
    // Most stores other than AWS serve buckets only under the path (no per-bucket DNS names).
    forcePathStyle: e.S3_FORCE_PATH_STYLE ?? Boolean(e.S3_ENDPOINT),
    prefix: e.S3_PREFIX ? `${e.S3_PREFIX.replace(/\/$/, '')}/` : '',
    credentials:
      e.S3_ACCESS_KEY_ID && e.S3_SECRET_ACCESS_KEY
        ? { accessKeyId: e.S3_ACCESS_KEY_ID, secretAccessKey: e.S3_SECRET_ACCESS_KEY }
        : undefined,
  };
}

/** no-reply@<host of PUBLIC_BASE_URL> (an IP address as a literal, a name without dots as .invalid). */
function defaultMailFrom(publicBaseUrl: string): string {
  const host = new URL(publicBaseUrl).hostname;
  if (/^[\d.]+$/.test(host)) return `no-reply@[${host}]`;
  return host.includes('.') ? `no-reply@${host}` : `no-reply@${host}.invalid`;
}

/**
 * The session secret signs cookies. When none is configured it is generated once and kept in
 * DATA_DIR so restarts do not sign everybody out. Several processes must share it (set SESSION_SECRET).
 */
function readOrCreateSecret(dataDir: string): string {
  const file = path.join(dataDir, 'session-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  try {
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (error) {
    // Another process created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(file, 'utf8').trim();
    throw error;
  }
}
