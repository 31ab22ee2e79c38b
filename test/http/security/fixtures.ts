import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { defaultCustomerPageSettings } from '../../../src/common/rules/customer-page-settings.ts';
import { authorizationLevels } from '../../../src/common/rules/enums.ts';
import { reissueCustomerLinkToken } from '../../../src/server/customer-access/reissue-link.ts';
import type { Db } from '../../../src/server/db/database.ts';
import type { App } from '../../../src/server/http/types.ts';
import { openCustomerLink, saveSettings, uniquePhone, uniqueSuffix } from '../../support/customer.ts';
import {
  browserHeaders,
  makeActor,
  makeApiKey,
  makeCase,
  makePartnerWithOffice,
  makeUser,
  signIn,
} from '../../support/factory.ts';
import { TEST_ORIGIN, type TestContext } from '../../support/test-app.ts';

// Shared fixtures of the security suite (test/http/security/*.test.ts): the route list read from the
// app's own OpenAPI document, the public allow-list and the level table of every route, a valid
// request for every route, and a "tenant" — a company with one object of every kind, created through
// the real API — so each check can be run against every route, including routes added later.

// ---- the routes -----------------------------------------------------------------------------------

export interface RouteInfo {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The OpenAPI path, e.g. `/api/cases/{id}/tasks`. */
  path: string;
  /** `METHOD path`, the key of the tables below. */
  key: string;
  params: string[];
  /** Required query parameters with a value their schema accepts (the first of an enum). */
  requiredQuery: Record<string, string>;
  /** Content types of the request body (empty: no body). */
  bodyTypes: string[];
  /** The JSON schema of an application/json body. */
  jsonSchema: JsonSchema | null;
  /** A server-sent event stream (answers 200 and stays open): drive it over a socket, not inject. */
  streaming: boolean;
  /** A list in pages: takes the `page` and `pageSize` query parameters (src/common/contracts/paging.ts). */
  paged: boolean;
}

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  maxItems?: number;
  pattern?: string;
  format?: string;
  additionalProperties?: boolean | JsonSchema;
}

interface OpenApiOperation {
  parameters?: Array<{ in: string; name: string; required?: boolean; schema?: JsonSchema }>;
  requestBody?: { content: Record<string, { schema?: JsonSchema }> };
}

/** Every operation of the app's OpenAPI document (the same document GET /api/openapi.json serves). */
export async function routesOf(app: App): Promise<RouteInfo[]> {
  const response = await app.inject({ method: 'GET', url: '/api/openapi.json' });
  expect(response.statusCode).toBe(200);
  const doc = response.json() as { paths: Record<string, Record<string, OpenApiOperation>> };
  const routes: RouteInfo[] = [];
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const upper = method.toUpperCase() as RouteInfo['method'];
      const content = operation.requestBody?.content ?? {};
      routes.push({
        method: upper,
        path,
        key: `${upper} ${path}`,
        params: (operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name),
        requiredQuery: Object.fromEntries(
          (operation.parameters ?? [])
            .filter((p) => p.in === 'query' && p.required)
            .map((p) => [p.name, String(p.schema?.enum?.[0] ?? '1')]),
        ),
        bodyTypes: Object.keys(content),
        jsonSchema: content['application/json']?.schema ?? null,
        // OpenAPI 3 output drops `produces`; the summary names the stream.
        streaming: /text\/event-stream|server-sent events/i.test(JSON.stringify(operation)),
        paged: ['page', 'pageSize'].every((name) =>
          (operation.parameters ?? []).some((p) => p.in === 'query' && p.name === name),
        ),
      });
    }
  }
  return routes;
}

export const isCustomerRoute = (route: RouteInfo) => route.path.startsWith('/api/customer/');
export const isStaffApiRoute = (route: RouteInfo) =>
  route.path.startsWith('/api/') && !isCustomerRoute(route);
export const isChange = (route: RouteInfo) => route.method !== 'GET';

/**
 * Routes that answer without any session or key, and why. A route not listed here must answer 401
 * without credentials (the route matrix fails when one does not, and when a listed one stops being
 * public, so this list stays exact). GET /api/openapi.json is public too but hidden from the document.
 */
export const PUBLIC_ROUTES: Record<string, string> = {
  'GET /healthz': 'liveness probe (integration contract §1)',
  'GET /readyz': 'readiness probe (integration contract §1)',
  'POST /api/auth/login': 'sign-in itself',
  'POST /api/auth/logout': 'signing out without a session is a harmless no-op (204)',
  'GET /logos/{file}': 'logo renditions under content-hash names, shown on the customer page before sign-in',
  'GET /api/customer/session': 'tells the customer page whether a session exists (unavailable without one)',
  'POST /api/customer/pending-link/accept':
    'the waiting link (a signed cookie) is the credential: 409 without one; same-origin only',
  'POST /api/customer/pending-link/dismiss':
    'forgets a waiting link; nothing else changes (same-origin only)',
  'GET /api/auth/sso/{companyId}/start':
    'staff SSO starts before sign-in: a 303 to the company’s provider (or to the sign-in page saying why not)',
  'GET /api/auth/sso/callback':
    'the provider sends the browser back here; the sealed pending cookie and the code are the credentials (303)',
  'GET /api/customer/bankid/start':
    'a navigation: without a session waiting for BankID it redirects to the customer page, changing nothing',
  'GET /api/customer/bankid/callback':
    "the broker's redirect back: without the session and its sealed pending sign-in it redirects to the page, changing nothing",
};

/**
 * The lowest staff level of every route above level 1 (src/server/*\/policy.ts; level 6 = company
 * admin). Every other staff route is open to level 1, which the route matrix checks too: a new route
 * that needs more than level 1 fails the matrix until it is listed here.
 */
export const MIN_LEVEL: Record<string, number> = {
  'PATCH /api/company': 6,
  'POST /api/company/logo': 6,
  'POST /api/users': 6,
  'PATCH /api/users/{id}': 6,
  'POST /api/partners': 6,
  'POST /api/partners/{id}/offices': 6,
  'POST /api/offices/{id}/persons': 6,
  'GET /api/admin/api-keys': 6,
  'POST /api/admin/api-keys': 6,
  'DELETE /api/admin/api-keys/{id}': 6,
  'GET /api/admin/customer-page': 6,
  'PUT /api/admin/customer-page': 6,
  'GET /api/admin/customer-page/audit': 6,
  'POST /api/admin/customer-page/logo': 6,
  'GET /api/admin/dev-mailbox': 6,
  'GET /api/admin/bankid-broker': 6,
  'PUT /api/admin/bankid-broker': 6,
  'DELETE /api/admin/bankid-broker': 6,
  'GET /api/admin/sso': 6,
  'PUT /api/admin/sso': 6,
  'DELETE /api/admin/sso': 6,
  'GET /api/webhooks': 6,
  'POST /api/webhooks': 6,
  'GET /api/webhooks/{id}': 6,
  'PATCH /api/webhooks/{id}': 6,
  'DELETE /api/webhooks/{id}': 6,
  'POST /api/webhooks/{id}/rotate-secret': 6,
  'GET /api/webhooks/{id}/deliveries': 6,
  'POST /api/webhooks/{id}/deliveries/{deliveryId}/replay': 6,
  'POST /api/invoices/{id}/approve': 4,
  'GET /api/satisfaction': 4,
  'GET /api/audit-log': 6,
  'GET /api/cases/{id}/people/{contactId}/export': 6,
  'POST /api/cases/{id}/people/{contactId}/erase': 6,
  'POST /api/cases/{id}/cancel': 3,
  'POST /api/cases/{id}/reopen': 3,
  'POST /api/cases/{id}/claim-decision': 2,
  // The matrix asks with the first step, accept_claim (the decision's level); assigning needs level 1.
  'GET /api/cases/{id}/milestone-preview': 2,
  'PUT /api/cases/{id}/budget': 2,
  'PUT /api/cases/{id}/settlement': 2,
  'POST /api/cases/{id}/settlement/new-version': 2,
  'POST /api/cases/{id}/settlement/approve': 4,
  // Any document (the fixture's is shared, by the admin); level 1 may delete only its own unshared upload.
  'DELETE /api/cases/{id}/documents/{documentId}': 2,
};

export const minLevelOf = (route: RouteInfo) => MIN_LEVEL[route.key] ?? 1;

/**
 * Routes of a signed-in person only: an API key gets 403 whatever the id (notifications belong to a
 * user), so for keys the answer cannot tell whether an object exists either.
 */
export const USER_ONLY_ROUTES = new Set([
  'GET /api/notifications',
  'POST /api/notifications/{id}/read',
  'POST /api/notifications/read-all',
]);

// ---- test files ---------------------------------------------------------------------------------

export const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n' +
    '2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n' +
    'trailer\n<< /Root 1 0 R >>\n%%EOF\n',
);
/** A valid 1×1 PNG. */
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

type Part = { name: string; value: string } | { name: string; filename: string; content: Buffer };

/** A multipart/form-data body as a browser sends it (file names as raw UTF-8). */
export function multipart(parts: Part[]): { payload: Buffer; contentType: string } {
  const boundary = `----kundeside${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"`;
    if ('filename' in part) head += `; filename="${part.filename}"\r\nContent-Type: application/octet-stream`;
    chunks.push(Buffer.from(`${head}\r\n\r\n`, 'utf8'));
    chunks.push('filename' in part ? part.content : Buffer.from(part.value, 'utf8'));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

// ---- a tenant with one object of every kind ------------------------------------------------------

export interface Tenant {
  companyId: string;
  /** Session cookies of one signed-in user per level (1–6). */
  cookies: Record<number, string>;
  /** API keys (Bearer) per level 1–6. */
  keys: Record<number, string>;
  apiKeyId: string;
  userId: string;
  partnerId: string;
  officeId: string;
  personId: string;
  caseId: string;
  /** The customer of the case (has customer-page access). */
  customerContactId: string;
  /** A contact person of the case without access. */
  contactId: string;
  taskId: string;
  /** A document of the case, shared with the customer. */
  documentId: string;
  /** A document of the case, not shared. */
  privateDocumentId: string;
  reminderId: string;
  quoteRequestId: string;
  invoiceId: string;
  /** Customer session cookie (`ks_customer=…`) of the case's customer, state ok. */
  customerCookie: string;
  /** A second case of the same company with its own shared document. */
  otherCaseId: string;
  otherCaseDocumentId: string;
  /** A notification of the level-1 user (the case handler): the customer wrote on the case. */
  notificationId: string;
  /** A webhook endpoint (at a public address), one delivered event of the case, and one to delete. */
  webhookId: string;
  webhookDeliveryId: string;
  spareWebhookId: string;
}

type Ctx = Pick<TestContext, 'app' | 'db'>;

async function call(ctx: Ctx, options: InjectOptions, status: number): Promise<LightMyRequestResponse> {
  const response = await ctx.app.inject(options);
  if (response.statusCode !== status) {
    throw new Error(`${options.method} ${options.url}: ${response.statusCode} ${response.body}`);
  }
  return response;
}

const idIn = (response: LightMyRequestResponse) => (response.json() as { id: string }).id;

/**
 * A company whose every kind of object exists once, created through the API by its level-6 user,
 * with a signed-in user and an API key of every level and a customer session on its case.
 */
export async function makeTenant(ctx: Ctx, name = 'Tenant'): Promise<Tenant> {
  const admin = await makeActor(ctx.db, { level: 6 });
  const companyId = admin.companyId;
  await saveSettings(ctx.db, companyId, {
    sendLink: 'case_created',
    accessFor: 'customer',
    showDocuments: 'case_created',
    showBudget: 'case_created',
    showCommunication: 'case_created',
  });
  const users = await Promise.all(
    authorizationLevels.map(async (level) => {
      const user = await makeUser(ctx.db, { companyId, level });
      return { level: level as number, id: user.id, cookie: await signIn(ctx.app, user) };
    }),
  );
  const cookies = Object.fromEntries(users.map((u) => [u.level, u.cookie])) as Record<number, string>;
  const keyList = await Promise.all(
    authorizationLevels.map(async (level) => ({
      level: level as number,
      key: (await makeApiKey(ctx.db, companyId, level)).key,
    })),
  );
  const keys = Object.fromEntries(keyList.map((k) => [k.level, k.key])) as Record<number, string>;
  const spareKey = await makeApiKey(ctx.db, companyId, 1);
  const { partnerId, officeId, personId } = await makePartnerWithOffice(ctx.db, companyId);
  const owner = browserHeaders(cookies[6]!);
  const post = (url: string, payload: object, status = 201, method: 'POST' | 'PUT' = 'POST') =>
    call(ctx, { method, url, headers: owner, payload }, status);
  const upload = async (url: string, parts: Part[]) => {
    const { payload, contentType } = multipart(parts);
    return idIn(
      await call(
        ctx,
        { method: 'POST', url, headers: { ...owner, 'content-type': contentType }, payload },
        201,
      ),
    );
  };

  const makeCaseWithDocument = async () => {
    const s = uniqueSuffix();
    const { id: caseId } = await makeCase(ctx.db, admin, {
      caseHandlerId: users[0]!.id,
      claimNumber: `${name}-${s}`,
      address: { street: `${name}veien ${s}`, postalCode: '0152', city: 'Oslo' },
      customer: { name: `${name} Kunde ${s}`, email: `kunde-${s}@example.test`, phone: uniquePhone() },
      contacts: [
        { name: `${name} Kontakt ${s}`, role: 'contact_person', email: `kontakt-${s}@example.test` },
      ],
    });
    const documentId = await upload(`/api/cases/${caseId}/documents`, [
      { name: 'kind', value: 'other' },
      // An image, so its thumbnail and display image are on the route matrix too.
      { name: 'file', filename: `${name}-delt.png`, content: PNG },
    ]);
    await post(`/api/cases/${caseId}/documents/share`, { documentIds: [documentId] }, 200);
    return { caseId, documentId };
  };
  const { caseId, documentId } = await makeCaseWithDocument();
  const other = await makeCaseWithDocument();

  const contacts = await ctx.db
    .selectFrom('case_contacts')
    .select(['id', 'role'])
    .where('case_id', '=', caseId)
    .execute();
  const customerContactId = contacts.find((c) => c.role === 'customer')!.id;
  const contactId = contacts.find((c) => c.role === 'contact_person')!.id;

  const privateDocumentId = await upload(`/api/cases/${caseId}/documents`, [
    { name: 'kind', value: 'other' },
    { name: 'file', filename: `${name}-intern.pdf`, content: PDF },
  ]);
  const taskId = idIn(await post(`/api/cases/${caseId}/tasks`, { name: `${name} oppgave` }));
  await upload(`/api/tasks/${taskId}/media`, [{ name: 'file', filename: 'bilde.png', content: PNG }]);
  await post(`/api/cases/${caseId}/main-inspection/assign`, { officeId }, 200);
  await post(
    `/api/cases/${caseId}/calls`,
    { callerName: `${name} innringer`, number: '+4791234567', reached: true, durationSeconds: 30 },
    201,
  );
  const reminderId = idIn(
    await post(`/api/cases/${caseId}/reminders`, { dueOn: '2030-01-01', text: 'Husk' }),
  );
  const quoteRequestId = idIn(
    await post(`/api/cases/${caseId}/quote-requests`, {
      officeId,
      description: 'Tilbud',
      deadlineOn: '2030-01-01',
    }),
  );
  const invoiceId = idIn(
    await post(`/api/cases/${caseId}/invoices`, {
      officeId,
      description: 'Faktura',
      amountOre: 100_00,
      dueOn: '2030-01-01',
    }),
  );
  await post(
    `/api/cases/${caseId}/budget`,
    { lines: [{ description: 'Maling', amountOre: 500_00 }] },
    200,
    'PUT',
  );
  // A draft customer settlement (revision 1), so its approval and new version have something to act on.
  await post(
    `/api/cases/${caseId}/settlement`,
    { deductibleOre: 4000_00, lines: [{ kind: 'own_work', description: 'Maling', claimedOre: 500_00 }] },
    200,
    'PUT',
  );

  const token = await reissueCustomerLinkToken(ctx.db, companyId, caseId);
  if (!token) throw new Error('the customer has no access');
  const opened = await openCustomerLink(ctx.app, `${TEST_ORIGIN}/k/${token}`);
  if (!opened.cookie) throw new Error('no customer session');
  await call(
    ctx,
    {
      method: 'POST',
      url: '/api/customer/messages',
      headers: { cookie: opened.cookie, origin: TEST_ORIGIN },
      payload: { body: `Hei fra ${name}` },
    },
    201,
  );
  const notification = await ctx.db
    .selectFrom('staff_notifications')
    .select('id')
    .where('user_id', '=', users[0]!.id)
    .executeTakeFirstOrThrow();
  const webhooks = await makeWebhooks(ctx, owner, caseId);

  return {
    companyId,
    cookies,
    keys,
    apiKeyId: spareKey.id,
    userId: users[0]!.id,
    partnerId,
    officeId,
    personId,
    caseId,
    customerContactId,
    contactId,
    taskId,
    documentId,
    privateDocumentId,
    reminderId,
    quoteRequestId,
    invoiceId,
    customerCookie: opened.cookie,
    otherCaseId: other.caseId,
    otherCaseDocumentId: other.documentId,
    notificationId: notification.id,
    ...webhooks,
  };
}

/**
 * Two webhook endpoints at a literal public address (no DNS, allowed without the operator's
 * allowance) and a delivery of the case's first event, written as delivered so no worker sends it.
 */
async function makeWebhooks(ctx: Ctx, owner: Record<string, string>, caseId: string) {
  const register = async () =>
    idIn(
      await call(
        ctx,
        {
          method: 'POST',
          url: '/api/webhooks',
          headers: owner,
          payload: { url: 'https://93.184.216.34/kundeside', eventKinds: ['case_reopened'] },
        },
        201,
      ),
    );
  const webhookId = await register();
  const spareWebhookId = await register();
  const event = await ctx.db
    .selectFrom('case_events')
    .selectAll()
    .where('case_id', '=', caseId)
    .where('kind', '=', 'case_created')
    .executeTakeFirstOrThrow();
  const company = await ctx.db
    .selectFrom('cases')
    .select(['company_id', 'claim_number'])
    .where('id', '=', caseId)
    .executeTakeFirstOrThrow();
  const outboxId = `fixture-${uniqueSuffix()}`;
  const key = `webhook:${webhookId}:${event.id}`;
  const at = new Date().toISOString();
  await ctx.db
    .insertInto('outbox')
    .values({
      id: outboxId,
      company_id: company.company_id,
      case_id: caseId,
      access_id: null,
      kind: 'webhook_event',
      channel: 'webhook',
      recipient: webhookId,
      sender_name: null,
      subject: null,
      body_text: JSON.stringify({ version: 1, id: event.id, kind: 'case_created', caseId }).replaceAll(
        '{',
        '{{brace}}',
      ),
      body_html: null,
      secret_sealed: null,
      idempotency_key: key,
      state: 'sent',
      attempts: 1,
      next_attempt_at: at,
      last_error: null,
      locked_by: null,
      locked_until: null,
      delivered_via: 'webhook',
      created_at: at,
      sent_at: at,
    })
    .execute();
  const webhookDeliveryId = `fixture-${uniqueSuffix()}`;
  await ctx.db
    .insertInto('webhook_deliveries')
    .values({
      id: webhookDeliveryId,
      company_id: company.company_id,
      endpoint_id: webhookId,
      outbox_id: outboxId,
      outbox_key: key,
      event_id: event.id,
      event_kind: 'case_created',
      case_id: caseId,
      replay_of: null,
      last_status: 200,
      last_attempt_at: at,
      created_at: at,
    })
    .execute();
  return { webhookId, webhookDeliveryId, spareWebhookId };
}

/** Which object a path parameter names, from the path segment before it. */
export function idFor(route: RouteInfo, param: string, tenant: Tenant): string {
  if (param === 'contactId') return tenant.contactId;
  if (param === 'companyId') return tenant.companyId;
  if (param === 'file') return `${'0'.repeat(64)}-40.png`;
  const segments = route.path.split('/');
  const before = segments[segments.indexOf(`{${param}}`) - 1];
  // Deleting takes the spare endpoint, so the routes after it still find theirs.
  if (before === 'webhooks' && route.method === 'DELETE') return tenant.spareWebhookId;
  const byCollection: Record<string, string> = {
    users: tenant.userId,
    partners: tenant.partnerId,
    offices: tenant.officeId,
    'api-keys': tenant.apiKeyId,
    cases: tenant.caseId,
    tasks: tenant.taskId,
    documents: tenant.documentId,
    reminders: tenant.reminderId,
    'quote-requests': tenant.quoteRequestId,
    invoices: tenant.invoiceId,
    notifications: tenant.notificationId,
    webhooks: tenant.webhookId,
    deliveries: tenant.webhookDeliveryId,
  };
  const id = before ? byCollection[before] : undefined;
  if (!id) {
    throw new Error(
      `No fixture object for {${param}} of ${route.key}: add it to makeTenant/idFor in test/http/security/fixtures.ts`,
    );
  }
  return id;
}

/** The URL of a route for the objects of `tenant`. */
export function urlFor(route: RouteInfo, tenant: Tenant): string {
  const path = route.params.reduce(
    (url, param) => url.replace(`{${param}}`, encodeURIComponent(idFor(route, param, tenant))),
    route.path,
  );
  const query = new URLSearchParams(route.requiredQuery).toString();
  return query ? `${path}?${query}` : path;
}

const s = () => uniqueSuffix();

/**
 * A body the route's schema accepts, for the objects of `tenant` (so a refusal is about who asks,
 * never about the body). Routes with no entry get `{}`; the matrix then shows a 400 to fix here.
 */
export const VALID_BODIES: Record<string, (tenant: Tenant) => unknown> = {
  'POST /api/auth/login': () => ({ email: `nobody-${s()}@example.test`, password: 'not-the-password' }),
  'PATCH /api/company': () => ({ name: `Firma ${s()}` }),
  'POST /api/users': () => ({
    name: `Ny bruker ${s()}`,
    email: `ny-${s()}@example.test`,
    level: 1,
    password: 'a-long-password-2026',
  }),
  'PATCH /api/users/{id}': () => ({ name: `Nytt navn ${s()}` }),
  'POST /api/partners': () => ({ name: `Partner ${s()}` }),
  'POST /api/partners/{id}/offices': () => ({ name: `Kontor ${s()}` }),
  'POST /api/offices/{id}/persons': () => ({ name: `Person ${s()}` }),
  'POST /api/admin/api-keys': () => ({ name: `Nøkkel ${s()}`, level: 1 }),
  'POST /api/webhooks': () => ({ url: 'https://93.184.216.34/kjerne', eventKinds: ['case_reopened'] }),
  'PATCH /api/webhooks/{id}': () => ({ description: `Kjernesystem ${s()}` }),
  'PUT /api/admin/sso': () => ({
    issuer: 'https://login.example.test/realm',
    clientId: `kundeside-${s()}`,
    clientSecret: 'client-secret-of-the-fixture',
    enabled: false,
    ssoOnly: false,
  }),
  'POST /api/cases': () => ({
    claimNumber: `SEC-${s()}`,
    address: { street: 'Storgata 1', postalCode: '0155', city: 'Oslo' },
    customer: { name: 'Kari Nordmann' },
  }),
  'PATCH /api/cases/{id}': () => ({ description: `Beskrivelse ${s()}` }),
  'POST /api/cases/{id}/hold': () => ({}),
  'POST /api/cases/{id}/resume': () => ({}),
  'POST /api/cases/{id}/close': () => ({ comment: 'Ferdig' }),
  'POST /api/cases/{id}/cancel': () => ({}),
  'POST /api/cases/{id}/reopen': () => ({ reason: 'Ny skade' }),
  'POST /api/cases/{id}/claim-decision': () => ({ decision: 'accepted' }),
  // Erases the fixture's contact person: the routes after it that name the person answer 409 at most.
  'POST /api/cases/{id}/people/{contactId}/erase': () => ({ confirm: true }),
  'POST /api/cases/{id}/calls': () => ({
    callerName: 'Kari',
    number: '+4791234567',
    reached: false,
    durationSeconds: 0,
  }),
  'POST /api/cases/{id}/main-inspection/assign': (tenant) => ({ officeId: tenant.officeId }),
  'POST /api/cases/{id}/main-inspection/start': () => ({}),
  'POST /api/cases/{id}/main-inspection/finish': () => ({}),
  'POST /api/tasks/{id}/start': () => ({}),
  'POST /api/tasks/{id}/finish': () => ({}),
  'POST /api/cases/{id}/tasks': () => ({ name: `Oppgave ${s()}` }),
  'PATCH /api/tasks/{id}': () => ({ description: `Beskrivelse ${s()}` }),
  'POST /api/documents/{id}/seen': () => ({}),
  'POST /api/cases/{id}/documents/share': (tenant) => ({ documentIds: [tenant.privateDocumentId] }),
  'POST /api/cases/{id}/documents/unshare': (tenant) => ({ documentIds: [tenant.documentId] }),
  'POST /api/cases/{id}/reminders': () => ({ dueOn: '2030-02-01', text: 'Ring kunden' }),
  'POST /api/reminders/{id}/done': () => ({}),
  'POST /api/cases/{id}/quote-requests': () => ({
    description: 'Tilbud på maling',
    deadlineOn: '2030-02-01',
  }),
  'POST /api/quote-requests/{id}/answered': () => ({}),
  'POST /api/cases/{id}/invoices': () => ({ description: 'Faktura', amountOre: 250_00, dueOn: '2030-02-01' }),
  'POST /api/invoices/{id}/approve': () => ({}),
  'PUT /api/cases/{id}/budget': () => ({ lines: [{ description: 'Gulv', amountOre: 1000_00 }] }),
  'PUT /api/cases/{id}/settlement': () => ({
    deductibleOre: 4000_00,
    lines: [{ kind: 'contractor_repair', description: 'Gulv', claimedOre: 1000_00 }],
  }),
  // A 409 (settlement_changed) when the matrix saved the draft first: the level was still accepted.
  'POST /api/cases/{id}/settlement/approve': () => ({ revision: 1 }),
  'PUT /api/admin/customer-page': () => defaultCustomerPageSettings,
  'PUT /api/admin/bankid-broker': () => ({
    issuer: 'https://broker.example',
    clientId: 'kundeside',
    clientSecret: 'secret',
  }),
  'POST /api/cases/{id}/customer-access': (tenant) => ({ contactId: tenant.contactId }),
  'PUT /api/cases/{id}/customer-page-link': () => ({ sendLink: 'manual' }),
  'POST /api/customer/code/send': () => ({}),
  'POST /api/customer/code/verify': () => ({ code: '123456' }),
  'POST /api/customer/logout': () => ({}),
  // The fixture's case is open: a valid answer is refused with 409 satisfaction_not_open.
  'POST /api/customer/satisfaction': () => ({ score: 4, comment: 'Fornøyd' }),
  'POST /api/customer/pending-link/accept': () => ({}),
  'POST /api/customer/pending-link/dismiss': () => ({}),
  // Case messages (issue 8, being written): staff and customer post plain text.
  'POST /api/cases/{id}/messages': () => ({ body: `Melding ${s()}` }),
  'POST /api/customer/messages': () => ({ body: `Melding ${s()}` }),
  'POST /api/cases/{id}/messages/mark-all-read': () => ({}),
  'POST /api/notifications/{id}/read': () => ({}),
  'POST /api/notifications/read-all': () => ({}),
};

/** Multipart routes: the upload a browser would send. */
const MULTIPART_BODIES: Record<string, () => Part[]> = {
  'POST /api/company/logo': () => [{ name: 'file', filename: 'logo.png', content: PNG }],
  'POST /api/admin/customer-page/logo': () => [{ name: 'file', filename: 'logo.png', content: PNG }],
  'POST /api/cases/{id}/documents': () => [
    { name: 'kind', value: 'other' },
    { name: 'file', filename: 'vedlegg.pdf', content: PDF },
  ],
  'POST /api/tasks/{id}/media': () => [{ name: 'file', filename: 'bilde.png', content: PNG }],
};

export type Credentials =
  | { kind: 'none' }
  | { kind: 'cookie'; cookie: string }
  | { kind: 'key'; key: string }
  | { kind: 'customer'; cookie: string };

/**
 * The request a well-behaved client of `credentials` would send to `route` for `tenant`'s objects:
 * our Origin on changes (so CSRF is not what refuses it), a valid body, the URL with real ids.
 */
export function requestFor(route: RouteInfo, tenant: Tenant, credentials: Credentials): InjectOptions {
  const headers: Record<string, string> = {};
  if (credentials.kind === 'cookie' || credentials.kind === 'customer') headers.cookie = credentials.cookie;
  if (credentials.kind === 'key') headers.authorization = `Bearer ${credentials.key}`;
  if (isChange(route) && credentials.kind !== 'key') headers.origin = TEST_ORIGIN;
  const options: InjectOptions = { method: route.method, url: urlFor(route, tenant), headers };
  const multipartBody = MULTIPART_BODIES[route.key];
  if (multipartBody) {
    const { payload, contentType } = multipart(multipartBody());
    headers['content-type'] = contentType;
    options.payload = payload;
  } else if (route.bodyTypes.includes('application/json')) {
    options.payload = (VALID_BODIES[route.key] ?? (() => ({})))(tenant) as object;
  }
  return options;
}

// ---- assertions -----------------------------------------------------------------------------------

/** Row counts of every table of the schema (read from the database, so new tables count too). */
export async function tableCounts(db: Db): Promise<Record<string, number>> {
  const tables = (await db.introspection.getTables())
    .map((table) => table.name)
    .filter((n) => !n.startsWith('kysely_'));
  expect(tables.length).toBeGreaterThan(20);
  const counts: Record<string, number> = {};
  for (const table of tables.sort()) {
    const row = await db
      .selectFrom(table as 'cases')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  return counts;
}

/** The error body of the catalogue: exactly `{error: {code, message[, fields]}}`. */
export function expectErrorShape(response: LightMyRequestResponse, code?: string): void {
  expect(response.headers['content-type'], response.body).toMatch(/^application\/json/);
  const body = response.json() as { error?: Record<string, unknown> };
  expect(Object.keys(body)).toEqual(['error']);
  expect(body.error).toMatchObject({ code: code ?? expect.any(String), message: expect.any(String) });
  // `reason` and `params` refine a code (issue 16); nothing else is added.
  const known = ['code', 'message', 'fields', 'reason', 'params'];
  expect(Object.keys(body.error!).filter((k) => !known.includes(k))).toEqual([]);
}

/**
 * The headers every response carries (quality bar, "Input, output, headers"): nosniff, a referrer
 * policy, a CSP that forbids plugins, <base> and framing (or, on downloads, a sandbox), and no-store
 * on /api answers.
 */
export function expectSecurityHeaders(
  response: Pick<LightMyRequestResponse, 'statusCode' | 'headers'>,
  url: string,
): void {
  const where = `${url} → ${response.statusCode}`;
  const h = response.headers;
  expect(h['x-content-type-options'], where).toBe('nosniff');
  expect(h['referrer-policy'], where).toMatch(
    /^(no-referrer|same-origin|strict-origin|strict-origin-when-cross-origin)$/,
  );
  const csp = String(h['content-security-policy'] ?? '');
  if (/^attachment/.test(String(h['content-disposition'] ?? ''))) {
    expect(csp, where).toMatch(/(^|;\s*)sandbox(;|$)/);
    expect(csp, where).toContain("default-src 'none'");
  } else {
    expect(csp, where).toContain("object-src 'none'");
    expect(csp, where).toContain("base-uri 'none'");
    expect(csp, where).toContain("frame-ancestors 'none'");
    expect(csp, where).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  }
  if (url.startsWith('/api/')) expect(String(h['cache-control']), where).toContain('no-store');
}

/**
 * Opens a streaming route over a real socket (the app must listen) and returns its status and
 * headers as soon as they arrive, then hangs up.
 */
export async function openStream(
  app: App,
  options: InjectOptions,
): Promise<{ statusCode: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('the app does not listen');
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        host: '127.0.0.1',
        port: address.port,
        method: options.method,
        path: options.url as string,
        headers: options.headers as Record<string, string>,
      },
      (response) => {
        const statusCode = response.statusCode ?? 0;
        if (statusCode === 200) {
          // The first chunk (the retry hint) shows the stream is live; then hang up.
          response.once('data', (chunk: Buffer) => {
            resolve({ statusCode, headers: response.headers, body: chunk.toString('utf8') });
            request.destroy();
          });
          return;
        }
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ statusCode, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    request.on('error', reject);
    request.end();
  });
}
