import swagger, { type SwaggerTransform } from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorBody } from '../../common/contracts/api.ts';
import { uploadDocumentKinds } from '../../common/contracts/document-api.ts';
import { MAX_MESSAGE_CHARS, MAX_MESSAGE_FILES } from '../../common/contracts/message-api.ts';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../common/contracts/paging.ts';
import { errorCatalogue } from '../errors.ts';
import type { App } from './types.ts';

/** The cookies the document describes as security schemes (their names depend on HTTPS). */
export interface OpenApiCookies {
  /** The staff session cookie (auth/authenticate.ts `sessionCookieName`). */
  staff: string;
  /** The customer session cookie (customer-access/customer-auth.ts `customerCookieName`). */
  customer: string;
}

/**
 * The OpenAPI document, generated from the zod schemas of the routes, and its docs UI. Everything a
 * generated client needs is added here for every route alike (routes only declare their own
 * schemas): operationIds, the shared error responses, security per API surface, servers and tags.
 */
export async function registerOpenApi(app: App, cookies: OpenApiCookies): Promise<void> {
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Kundeside API',
        description:
          'Staff and integration API. Authenticate with a session cookie (POST /api/auth/login) or `Authorization: Bearer <api key>`. ' +
          `Lists answer in pages, one convention for all: the query \`page\` (1-based, default 1) and \`pageSize\` (1–${MAX_PAGE_SIZE}, ` +
          `default ${DEFAULT_PAGE_SIZE} unless the list says otherwise; more is 400 \`validation_failed\`), the answer ` +
          '`{items, total, page, pageSize}` (`total`: entries in all pages). Page 1 holds what matters now: the newest ' +
          'entries of a log, thread or history, the open items of reminders, quote requests and invoices. ' +
          'Every error answers `{"error": {"code", "message"}}` (components `Error`); clients act on `code`, never on `message`.',
        version: '1.0.0',
        license: { name: 'Proprietary: all rights reserved', url: app.config.publicBaseUrl },
      },
      // Paths start at /api, so the server is the installation's public base URL as it is configured.
      servers: [{ url: app.config.publicBaseUrl, description: 'This installation (PUBLIC_BASE_URL)' }],
      components: { securitySchemes: securitySchemes(cookies) },
      security: staffSecurity,
    },
    transform: describeRoute,
    transformObject: (documents) =>
      'openapiObject' in documents
        ? (finishDocument(documents.openapiObject as OpenApiDocument) as typeof documents.openapiObject)
        : documents.swaggerObject,
  });
  await app.register(swaggerUi, {
    routePrefix: '/api-docs',
    staticCSP: true,
    // Our own policy, not swagger-ui's looser default (which allows framing and any https: style).
    transformStaticCSP: () =>
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
      "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  });
}

/** `GET /api/openapi.json`, public: one of the staff API's plugins (app.ts). */
export async function openApiDocumentRoute(api: App): Promise<void> {
  api.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => api.swagger());
}

function securitySchemes(cookies: OpenApiCookies) {
  return {
    session: {
      type: 'apiKey',
      in: 'cookie',
      name: cookies.staff,
      description:
        'The staff session, set by POST /api/auth/login (signed, HttpOnly). Changes sent with it need the ' +
        'Origin of this installation and a JSON or multipart body (CSRF rule), else 403 `csrf_rejected`.',
    },
    apiKey: {
      type: 'http',
      scheme: 'bearer',
      description:
        'An API key (`ks_…`) made by a level-6 user: `Authorization: Bearer <api key>`. No CSRF rule.',
    },
    customerSession: {
      type: 'apiKey',
      in: 'cookie',
      name: cookies.customer,
      description:
        "The customer page's session, set when a customer opens the link sent to them (`/k/<token>`) and, " +
        'where the company asks for it, renewed by the SMS security code. Reaches one case only.',
    },
  } as const;
}

type SecurityRequirement = Record<string, string[]>;
const staffSecurity: SecurityRequirement[] = [{ session: [] }, { apiKey: [] }];
const customerSecurity: SecurityRequirement[] = [{ customerSession: [] }];

/** Where the customer API is mounted (app.ts): its routes take the customer cookie, not staff credentials. */
const CUSTOMER_API = '/api/customer/';

/**
 * Per route, after the zod schemas became JSON schemas: an operationId the route gives
 * (`schema.operationId` or `config.operationId`), the security of its API surface (public routes
 * none), and a mark on event streams (their 429) that `finishDocument` reads and removes.
 */
const describeRoute: SwaggerTransform = (input) => {
  const { schema, url } = jsonSchemaTransform(input);
  const described: Record<string, unknown> = { ...schema };
  if (described.hide) return { schema: described, url };
  const config = (input.route.config ?? {}) as { public?: boolean; operationId?: unknown };
  if (!described.operationId && typeof config.operationId === 'string')
    described.operationId = config.operationId;
  // A route's own `schema.security` stands. Outside /api no authentication hook runs (health,
  // logos): public like the routes marked so.
  if (described.security === undefined) {
    if (config.public || !url.startsWith('/api/')) described.security = [];
    else if (url.startsWith(CUSTOMER_API)) described.security = customerSecurity;
  }
  // A query of any names (`z.record`) has no properties to list one by one: one form-style object.
  const query = described.querystring as JsonSchema | undefined;
  if (query && !query.properties) {
    delete described.querystring;
    described[FREE_QUERY_MARK] = query;
  }
  const produces = input.schema && 'produces' in input.schema ? input.schema.produces : undefined;
  if (Array.isArray(produces) && produces.includes('text/event-stream')) described[STREAM_MARK] = true;
  return { schema: described, url };
};

const STREAM_MARK = 'x-kundeside-event-stream';
const FREE_QUERY_MARK = 'x-kundeside-free-query';

interface Operation {
  operationId?: string;
  summary?: string;
  tags?: string[];
  parameters?: { in: string; name: string }[];
  requestBody?: { content?: Record<string, unknown> };
  security?: SecurityRequirement[];
  responses?: Record<string, ResponseObject>;
  [STREAM_MARK]?: boolean;
  [FREE_QUERY_MARK]?: JsonSchema;
}

interface ResponseObject {
  $ref?: string;
  description?: string;
  content?: Record<string, { schema?: JsonSchema }>;
}

interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: unknown;
}

interface OpenApiDocument {
  paths?: Record<string, Record<string, Operation>>;
  tags?: { name: string; description: string }[];
  components?: {
    schemas?: Record<string, unknown>;
    responses?: Record<string, unknown>;
    securitySchemes?: Record<string, unknown>;
  };
}

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);
const SAFE_METHODS = new Set(['get', 'head', 'options']);

/** The shared error responses, by status: component name and what it means. */
const errorResponses: Record<string, { name: string; description: string }> = {
  '400': { name: 'BadRequest', description: 'The request is not valid; `fields` names each refused field.' },
  '401': { name: 'Unauthorized', description: 'Not signed in, or the credentials are not valid.' },
  '403': {
    name: 'Forbidden',
    description: 'Not allowed to do this (level, company setting), or a change failed the CSRF rule.',
  },
  '404': {
    name: 'NotFound',
    description: 'Not found, or not yours: the API never tells which (existence does not leak).',
  },
  '409': {
    name: 'Conflict',
    description: 'The request conflicts with the current state; `reason` refines it.',
  },
  '413': { name: 'PayloadTooLarge', description: 'The request or a file is too large, or a quota is full.' },
  '415': { name: 'UnsupportedMediaType', description: 'This content type is not accepted.' },
  '423': { name: 'Locked', description: 'Locked after too many wrong attempts.' },
  '429': {
    name: 'TooManyRequests',
    description: 'Too many attempts or open streams: wait the seconds of `Retry-After`.',
  },
  '500': { name: 'InternalError', description: 'Something went wrong on our side.' },
  '503': { name: 'ServiceUnavailable', description: 'The service is not ready.' },
  '4XX': { name: 'ClientError', description: 'The request was refused.' },
};

/** The catalogue's codes a status can carry, for the response's description. */
function codesOf(status: string): string[] {
  return Object.entries(errorCatalogue)
    .filter(([, entry]) => String(entry.status) === status || (status === '4XX' && entry.status < 500))
    .map(([code]) => code);
}

/** `components.responses` entry of one status: the error envelope, with the codes it can carry. */
function errorResponse(status: string) {
  const { description } = errorResponses[status] ?? { description: `Error ${status}.` };
  const codes = codesOf(status);
  return {
    description: codes.length
      ? `${description} Codes: ${codes.map((code) => `\`${code}\``).join(', ')}.`
      : description,
    ...(status === '429'
      ? {
          headers: {
            'Retry-After': {
              description: 'Seconds to wait before trying again.',
              schema: { type: 'integer' },
            },
          },
        }
      : {}),
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  };
}

/** The error envelope's JSON schema, from the same zod schema routes declare (`errorBody`). */
function errorSchema(): object {
  const { $schema: _ignored, ...schema } = z.toJSONSchema(errorBody, { target: 'openapi-3.0', io: 'output' });
  return schema;
}

/** Is this a declared answer in the error envelope (any route's `errorBody`, or a schema like it)? */
function isErrorEnvelope(response: ResponseObject): boolean {
  const error = response.content?.['application/json']?.schema?.properties?.error;
  return Boolean(error?.properties?.code && error.properties.message);
}

/** The error statuses every operation documents, from what it is: input, credentials, ids, streams. */
function errorStatuses(path: string, method: string, operation: Operation): string[] {
  const statuses = new Set<string>();
  const takesInput = Boolean(operation.requestBody) || Boolean(operation.parameters?.length);
  const needsCredentials = !(operation.security && operation.security.length === 0);
  // A change's body can be malformed, or of a type nothing reads, even where the route takes none.
  const changes = !SAFE_METHODS.has(method);
  if (takesInput || changes) statuses.add('400');
  if (changes) statuses.add('415');
  if (needsCredentials) statuses.add('401').add('403');
  // Changes under /api pass the CSRF rule first, signed in or not.
  if (changes && path.startsWith('/api/')) statuses.add('403');
  if (path.includes('{')) statuses.add('404');
  // Event streams are capped per session and address.
  if (operation[STREAM_MARK]) statuses.add('429');
  statuses.add('500');
  return [...statuses];
}

/** `postCasesIdClose` from POST /api/cases/{id}/close: the method, then the path's words in camelCase. */
export function operationIdOf(method: string, path: string): string {
  const words = path
    .split('/')
    .filter((segment, index) => segment && !(index === 1 && segment === 'api'))
    .flatMap((segment) => segment.replace(/[{}]/g, '').split(/[^A-Za-z0-9]+/))
    .filter(Boolean);
  return method.toLowerCase() + words.map((word) => word[0]?.toUpperCase() + word.slice(1)).join('');
}

/** Descriptions of the tags routes use; a tag not named here gets a plain one. */
const tagDescriptions: Record<string, string> = {
  health: 'Liveness and readiness of the server (no authentication).',
  auth: 'Staff sign-in, sign-out and the signed-in user with their abilities.',
  company: "The company's own settings and logo.",
  users: 'Staff users of the company (level 6 administers them).',
  partners: 'Partner firms, their offices and people.',
  admin: 'Company administration: API keys, development mailbox (level 6).',
  webhooks: 'Outbound webhooks: endpoints, their delivery log and replay (level 6; docs/integrations.md).',
  cases: 'Claims cases: create, search, view, change status, decide the claim, log, calls.',
  tasks: 'The main inspection and the repair tasks of a case.',
  documents: 'The document library of a case: uploads, downloads, previews, sharing with the customer.',
  economy: 'Reminders, quote requests, invoices and the budget of a case.',
  dashboard: 'Today/Tomorrow/Later counts and the cases behind them.',
  'customer page configuration':
    'The customer page settings of the company, their audit log and logo (level 6).',
  'customer access': 'Who of a case may open the customer page: grants, links, the milestone preview.',
  messages: 'Messages between staff and the customer of a case.',
  notifications: "The signed-in user's notifications.",
  live: 'Server-sent events that tell the staff app what to fetch again.',
  customer:
    "The customer page's API (customer session cookie): session, security code, page, news, messages.",
};

/**
 * The whole document, once: operationIds made unique, every operation's error responses as
 * references to the shared envelope, the summary a route forgot, the tags declared, and only the
 * components something uses.
 */
function finishDocument(document: OpenApiDocument): OpenApiDocument {
  withMultipartForms(document);
  const usedIds = new Set<string>();
  const usedResponses = new Set<string>();
  const usedTags = new Set<string>();
  for (const [path, pathItem] of Object.entries(document.paths ?? {})) {
    for (const method of Object.keys(pathItem)) {
      if (!HTTP_METHODS.has(method)) continue;
      // A route with several methods shares one object between them: each gets its own.
      const operation = structuredClone(pathItem[method] as Operation);
      pathItem[method] = operation;
      operation.operationId = uniqueId(operation.operationId ?? operationIdOf(method, path), usedIds);
      operation.summary ??= `${method.toUpperCase()} ${path}`;
      const freeQuery = operation[FREE_QUERY_MARK];
      if (freeQuery) {
        const parameter = { in: 'query', name: 'query', style: 'form', explode: true, schema: freeQuery };
        operation.parameters = [...(operation.parameters ?? []), parameter];
        delete operation[FREE_QUERY_MARK];
      }
      for (const tag of operation.tags ?? []) usedTags.add(tag);
      const responses: Record<string, ResponseObject> = { ...operation.responses };
      const statuses = new Set(errorStatuses(path, method, operation));
      for (const [status, response] of Object.entries(responses)) {
        if (Number(status) >= 400 && isErrorEnvelope(response)) statuses.add(status);
      }
      if (![...statuses, ...Object.keys(responses)].some((status) => status.startsWith('4')))
        statuses.add('4XX');
      for (const status of statuses) {
        const declared = responses[status];
        if (declared && !isErrorEnvelope(declared)) continue;
        const name = errorResponses[status]?.name ?? `Error${status}`;
        responses[status] = { $ref: `#/components/responses/${name}` };
        usedResponses.add(status);
      }
      if (operation[STREAM_MARK]) {
        const ok = responses['200'];
        if (ok && !ok.content) ok.content = { 'text/event-stream': { schema: { type: 'string' } } };
        delete operation[STREAM_MARK];
      }
      operation.responses = Object.fromEntries(
        Object.entries(responses).sort(([a], [b]) => a.localeCompare(b)),
      );
    }
  }
  document.tags = [...usedTags].sort().map((name) => ({
    name,
    description: tagDescriptions[name] ?? `Operations on ${name}.`,
  }));
  const sortedStatuses = [...usedResponses].sort();
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, Error: errorSchema() },
    responses: {
      ...document.components?.responses,
      ...Object.fromEntries(
        sortedStatuses.map((status) => [
          errorResponses[status]?.name ?? `Error${status}`,
          errorResponse(status),
        ]),
      ),
    },
  };
  return document;
}

/** The id itself, or with the first free number appended (`getCases2`) when another operation has it. */
function uniqueId(id: string, used: Set<string>): string {
  let unique = id;
  for (let n = 2; used.has(unique); n++) unique = `${id}${n}`;
  used.add(unique);
  return unique;
}

const binary = { type: 'string', format: 'binary' };
const messageForm = {
  type: 'object',
  properties: {
    body: { type: 'string', maxLength: MAX_MESSAGE_CHARS },
    files: { type: 'array', maxItems: MAX_MESSAGE_FILES, items: binary },
  },
};

/**
 * The multipart forms of the upload routes, which zod cannot describe (their parts are read as a
 * stream by the services): documented here so the OpenAPI document shows the real fields.
 */
const multipartForms: Record<string, object> = {
  '/api/cases/{id}/documents': {
    type: 'object',
    required: ['file', 'kind'],
    properties: {
      file: binary,
      kind: { type: 'string', enum: uploadDocumentKinds },
      partnerOfficeId: { type: 'string' },
    },
  },
  '/api/tasks/{id}/media': { type: 'object', required: ['file'], properties: { file: binary } },
  '/api/cases/{id}/messages': messageForm,
  '/api/customer/messages': messageForm,
};

function withMultipartForms(document: OpenApiDocument): OpenApiDocument {
  for (const [path, schema] of Object.entries(multipartForms)) {
    const operation = document.paths?.[path]?.post;
    if (!operation) continue;
    const content = operation.requestBody?.content ?? {};
    operation.requestBody = {
      ...operation.requestBody,
      content: { ...content, 'multipart/form-data': { schema } },
    };
  }
  return document;
}
