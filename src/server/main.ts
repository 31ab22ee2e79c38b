import { existsSync } from 'node:fs';
import path from 'node:path';
import { buildApp, periodicJobs } from './app.ts';
import { purgeExpiredSessions } from './auth/sessions.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { createDb } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import { createFileStorage } from './storage/file-storage.ts';
import { demoCustomerLink } from './demo/demo-link.ts';
import { DEMO_CUSTOMER_CASE, DEMO_SIGN_INS, seedDemoIfEmpty } from './demo/seed-demo.ts';
import { purgeCustomerSessions } from './customer-access/customer-sessions.ts';
import { startOutboxWorker, type OutboxWorker } from './outbox/worker.ts';
import { exitOnStopSignals, stopServer } from './shutdown.ts';

// The server's entry (`npm start` runs its compiled form, dist/node/server/main.js): validate
// configuration, migrate, load demo data on an empty database, and serve the built web app.

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

const db = createDb(config.database);
const ran = await migrateToLatest(db);
if (ran.length) console.log(`Migrated: ${ran.join(', ')}`);
// The app sets up the case write path and the outbox (customer links are sealed with the server
// secret) the demo seed runs through, so it is built first.
const app = await buildApp(config, { db });
const seeded = config.seedDemo ? await seedDemoIfEmpty(db, createFileStorage(config)) : false;

// The web app is built before the server starts (`npm run build`; `npm start` builds it when it is
// missing), never inside this process: a Vite build here would take ~500 MiB and delay listening.
if (!existsSync(path.join(config.webDistDir, 'staff', 'index.html'))) {
  console.error(`The web app is not built (no ${config.webDistDir}/staff/index.html). Run: npm run build`);
  process.exit(1);
}

await app.listen({ host: config.host, port: config.port });

// The outbox worker of this process (OUTBOX_WORKER=false leaves delivery to other processes).
const worker: OutboxWorker | null = config.outboxWorker
  ? startOutboxWorker({
      db,
      config,
      log: app.log.child({ module: 'outbox' }),
      metrics: app.metrics ?? undefined,
    })
  : null;

const purge = setInterval(() => {
  Promise.all([purgeExpiredSessions(db, config), purgeCustomerSessions(db)]).catch((error: unknown) =>
    app.log.error({ err: error }, 'session purge failed'),
  );
  // The app's clock-driven jobs (app.ts periodicJobs), each on its own so one failing stops no other.
  for (const job of periodicJobs)
    job(db).catch((error: unknown) => app.log.error({ err: error, job: job.name }, 'periodic job failed'));
}, 10 * 60_000);
purge.unref();
// From here on (the server answers /readyz already): SIGTERM/SIGINT stop gracefully, within
// SHUTDOWN_TIMEOUT_SECONDS (shutdown.ts).
exitOnStopSignals(() => stopServer({ app, worker, purge, db, timeoutMs: config.shutdownTimeoutMs }), app.log);

const base = config.publicBaseUrl;
console.log(`
Kundeside is running.
  Staff app:      ${base}/
  API docs:       ${base}/api-docs
  Health:         ${base}/healthz
  Database:       ${config.database.kind === 'sqlite' ? config.database.file : 'PostgreSQL (DATABASE_URL)'}
  E-mail:         ${config.smtpUrl ? 'SMTP (SMTP_URL)' : 'development mailbox (GET /api/admin/dev-mailbox, level 6)'}
  SMS:            ${config.sms.provider === 'webhook' ? 'webhook (SMS_WEBHOOK_URL)' : 'development mailbox'}
  Files:          ${config.fileStorage.kind === 's3' ? `S3 bucket ${config.fileStorage.bucket} (FILE_STORAGE=s3)` : `${config.dataDir}/files`}
  Outbox worker:  ${worker ? 'running in this process' : 'off (OUTBOX_WORKER=false)'}`);
if (config.seedDemo) {
  console.log(`\nDemo sign-in${seeded ? ' (demo data loaded now)' : ''}:`);
  for (const user of DEMO_SIGN_INS)
    console.log(`  ${user.label.padEnd(28)} ${user.email}  /  ${user.password}`);
  // A fresh link to one demo case's customer page (development only; earlier demo links stop working).
  const link = config.nodeEnv === 'production' ? null : await demoCustomerLink(db, base);
  if (link) console.log(`\nDemo customer page (${DEMO_CUSTOMER_CASE}, opens without SMS code):\n  ${link}`);
}
