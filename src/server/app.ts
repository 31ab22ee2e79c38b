import cookie from '@fastify/cookie';
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { randomUUID } from 'node:crypto';
import { apiKeyRoutes } from './api-keys/routes.ts';
import { auditRoutes } from './audit/routes.ts';
import { runDataLifecycle, setUpDataLifecycle } from './data-lifecycle/run-data-lifecycle.ts';
import { registerStaffAuthentication, sessionCookieName } from './auth/authenticate.ts';
import { callRoutes } from './calls/routes.ts';
import { caseRoutes } from './cases/routes.ts';
import { keepCaseCounts } from './cases/case-counts.ts';
import { keepCaseSearchText } from './cases/search-text.ts';
import { keepDashboardEntries } from './dashboard/entries.ts';
import { dashboardRoutes } from './dashboard/routes.ts';
import { documentRoutes } from './documents/routes.ts';
import { economyRoutes } from './economy/routes.ts';
import { settlementRoutes } from './settlement/routes.ts';
import { taskRoutes } from './tasks/routes.ts';
import { authRoutes } from './auth/routes.ts';
import { staffLiveRoutes } from './auth/live-routes.ts';
import { companyLogoRoutes } from './companies/logo-routes.ts';
import { companyRoutes } from './companies/routes.ts';
import { customerPageConfigRoutes } from './customer-page-config/routes.ts';
import { customerCookieName, registerCustomerAuthentication } from './customer-access/customer-auth.ts';
import { customerLinkRoutes } from './customer-access/customer-links.ts';
import { customerRoutes } from './customer-access/customer-routes.ts';
import { customerAccessRoutes } from './customer-access/routes.ts';
import { bankIdAdminRoutes, bankIdCustomerRoutes } from './customer-access/bankid-routes.ts';
import { sendLinksWhenDue } from './customer-access/customer-access.ts';
import { logLinkDelivery } from './customer-access/link-delivery.ts';
import { companyLogoUploadRoutes } from './customer-page-config/company-logo.ts';
import { setUpCaseWork, type CaseChangeStep } from './case-commands/case-command.ts';
import { customerPageBootstrap, customerPageRoutes } from './customer-page/routes.ts';
import { shareReportsWhenDue } from './customer-page/report-shares.ts';
import { loadCustomerPageSettings } from './customer-page-config/settings.ts';
import { setUpReportSharing } from './documents/report-sharing.ts';
import { setUpSettlementReports } from './settlement-report/generate-settlement-report.ts';
import { createFileStorage } from './storage/file-storage.ts';
import { createOutbox, setUpOutbox, type DeliveryListener } from './outbox/outbox.ts';
import { smsDeliveryReportRoutes } from './sms-reports/routes.ts';
import { createLiveBus, setUpLive, signalCompanyCases } from './live/live.ts';
import { createStreamHub, type StreamSettings } from './live/sse.ts';
import { messageRoutes } from './messages/routes.ts';
import { customerMessageRoutes } from './messages/customer-routes.ts';
import { customerSatisfactionRoutes, satisfactionRoutes } from './satisfaction/routes.ts';
import { customerCaseArchiveRoutes } from './case-archive/routes.ts';
import { sendArchiveNoticesWhenDue } from './case-archive/archive-notices.ts';
import { fileMissingSettlementReports } from './settlement-report/file-missing-reports.ts';
import { personDataRoutes } from './person-data/routes.ts';
import { notificationRoutes } from './messages/notification-routes.ts';
import { fastifyTrustProxy, type Config } from './config.ts';
import type { Db } from './db/database.ts';
import { frameworkErrorAnswer, registerErrorHandler } from './http/error-handler.ts';
import { healthRoutes } from './http/health-routes.ts';
import { logOptions, type LogDestination } from './http/log-options.ts';
import { createMetrics, metricsRoute, timeRequests } from './http/metrics.ts';
import { openApiDocumentRoute, registerOpenApi } from './http/openapi.ts';
import { apiDefaults, registerSecurityHeaders } from './http/security-headers.ts';
import { serverTimeouts } from './http/server-timeouts.ts';
import type { App } from './http/types.ts';
import { customerPageHtml, webRoutes } from './http/web-routes.ts';
import { partnerRoutes } from './partners/routes.ts';
import { ssoRoutes } from './sso/routes.ts';
import { userRoutes } from './users/routes.ts';
import { queueWebhookEvents } from './webhooks/queue-events.ts';
import { webhookRoutes } from './webhooks/routes.ts';
import { webhookTransport } from './webhooks/transport.ts';

export interface AppDeps {
  db: Db;
  /** No logging (false), or where the log lines go (tests capture them); stdout by default. */
  logger?: false | LogDestination;
  /** Event-stream timings (tests shorten the heartbeat); live/sse.ts SSE by default. */
  liveStreams?: Partial<StreamSettings>;
}

/**
 * Every reaction other modules hang on a case change, in the order they run inside the change's
 * transaction (case work imports none of them). Tools that change cases without the app use it too.
 */
export const caseChangeSteps: readonly CaseChangeStep[] = [
  sendLinksWhenDue,
  shareReportsWhenDue,
  // After the steps that write events: queues the change's events for the company's webhooks.
  queueWebhookEvents,
  keepCaseSearchText,
  keepCaseCounts,
  keepDashboardEntries,
  // Last: tells the company's open staff apps, after the commit, that their counts may have moved.
  signalCompanyCases,
];

/**
 * Every reaction other modules hang on a delivered (or given-up) outbox message, in the outcome's
 * transaction (the outbox imports none of them): customer access logs its links' deliveries.
 */
export const deliveryListeners: readonly DeliveryListener[] = [logLinkDelivery];

/**
 * Work that runs on a clock, not on a request: main.ts runs each one every 10 minutes in every app
 * process (each is safe to run in several at once); tests call them with the `now` they need.
 */
export const periodicJobs: ReadonlyArray<(db: Db, now?: Date) => Promise<unknown>> = [
  // Customers told once, before the page of a closed case closes, to download its archive.
  sendArchiveNoticesWhenDue,
  // Once a day per company (a run row per Oslo day): personal data of cases past retention, outbox scrub.
  runDataLifecycle,
  // The settlement report of an approval whose after-commit step did not run (the process stopped).
  fileMissingSettlementReports,
];

/** The staff API's route plugins, under `/api` behind the staff hook (auth/authenticate.ts). */
const staffApi = [
  openApiDocumentRoute,
  authRoutes,
  companyRoutes,
  companyLogoUploadRoutes,
  userRoutes,
  partnerRoutes,
  apiKeyRoutes,
  ssoRoutes,
  caseRoutes,
  callRoutes,
  taskRoutes,
  documentRoutes,
  economyRoutes,
  settlementRoutes,
  dashboardRoutes,
  customerPageConfigRoutes,
  customerAccessRoutes,
  bankIdAdminRoutes,
  messageRoutes,
  notificationRoutes,
  staffLiveRoutes,
  webhookRoutes,
  satisfactionRoutes,
  auditRoutes,
  personDataRoutes,
];

/** The customer API's route plugins, under `/api/customer` behind the customer hook (customer-auth.ts). */
const customerApi = [
  customerRoutes,
  bankIdCustomerRoutes,
  customerPageRoutes,
  customerMessageRoutes,
  customerSatisfactionRoutes,
  customerCaseArchiveRoutes,
];

/**
 * Builds the HTTP application without listening, so tests drive it with `app.inject()`. Everything
 * it needs is built here from `config` and `deps` (no module state): the write path and the outbox
 * are given to the database handle, so services keep their `(db, …)` signatures.
 * Order: security headers → cookies → OpenAPI → the staff API (`/api`) and the customer API
 * (`/api/customer`), each a plugin with its authentication/CSRF hook in its own scope → the customer
 * page under /k/ (customer links are exchanged for a session there) → web pages.
 */
export async function buildApp(config: Config, deps: AppDeps): Promise<App> {
  const app = Fastify({
    // Redaction and masking hold for every destination, so a test reads the lines production writes.
    logger: deps.logger === false ? false : logOptions(config.logLevel, deps.logger),
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    },
    trustProxy: fastifyTrustProxy(config.trustProxy),
    bodyLimit: 1024 * 1024,
    frameworkErrors: frameworkErrorAnswer,
    ...serverTimeouts(config.requestTimeoutMs),
  }).withTypeProvider<ZodTypeProvider>();

  // JSON (and, where a route registers it, multipart) only: any other body type is 415.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('db', deps.db);
  app.decorate('config', config);
  const live = createLiveBus(config.database, app.log);
  app.decorate('live', live);
  app.decorate('liveStreams', createStreamHub(live, deps.liveStreams));
  // Metrics are kept only for a scraper (METRICS_TOKEN): without one, no registry and no hook.
  app.decorate('metrics', config.metricsToken ? createMetrics(deps.db, app.liveStreams, app.log) : null);
  // The one write path of case work, with every reaction other modules hang on a case change.
  setUpCaseWork(deps.db, { steps: caseChangeSteps, live, log: app.log });
  // Company and user signals (settings saved, notifications) sent after commit through the handle.
  setUpLive(deps.db, live, app.log);
  // The document library reads the customer page's report rule under the company's settings.
  setUpReportSharing(deps.db, loadCustomerPageSettings);
  // The settlement report generated after an approval is stored where uploads are (settlement-report/).
  setUpSettlementReports(deps.db, { storage: createFileStorage(config), log: app.log });
  // The daily retention job deletes the files of cases past retention from the same storage.
  setUpDataLifecycle(deps.db, { storage: createFileStorage(config), log: app.log });
  // The outbox of this app: messages queued by services (links, codes) are sealed with its server
  // secret; its worker (main.ts) is woken by it and runs the delivery listeners.
  // The 'webhook' channel is sent by the webhooks' own transport (signed POSTs to the endpoints).
  setUpOutbox(
    deps.db,
    createOutbox(config, deliveryListeners, { webhook: webhookTransport(deps.db, config) }),
  );
  // Open event streams end before the server waits for its connections to close; the bus itself
  // stops after the last request, so one finishing during a stop still signals its change.
  app.addHook('preClose', async () => {
    live.endStreams();
  });
  app.addHook('onClose', async () => live.close());

  registerErrorHandler(app);
  // Before any route plugin: a root hook reaches only the plugins registered after it.
  timeRequests(app);
  await registerSecurityHeaders(app);
  await app.register(cookie, { secret: config.sessionSecret });
  await registerOpenApi(app, {
    staff: sessionCookieName(config.secureCookies),
    customer: customerCookieName(config.secureCookies),
  });

  await app.register(healthRoutes);
  await app.register(metricsRoute);
  // Logo files are public and outside the APIs (content-hash URLs cached for a year).
  await app.register(companyLogoRoutes);
  // The SMS provider's delivery reports: signed, not signed in; its own scope reads the raw body.
  await app.register(smsDeliveryReportRoutes, { prefix: '/api/sms' });
  // The staff API and the customer API: sibling plugins, each with its prefix and its own
  // authentication hook in its scope (so neither looks at the other's credentials).
  await app.register(
    async (api: App) => {
      registerStaffAuthentication(api);
      apiDefaults(api);
      for (const routes of staffApi) await api.register(routes);
    },
    { prefix: '/api' },
  );
  await app.register(
    async (api: App) => {
      registerCustomerAuthentication(api);
      apiDefaults(api);
      for (const routes of customerApi) await api.register(routes);
    },
    { prefix: '/api/customer' },
  );
  await app.register(customerLinkRoutes, {
    servePage: customerPageHtml(app, (request) => customerPageBootstrap(app, request)),
  });
  await webRoutes(app);

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  return app;
}
