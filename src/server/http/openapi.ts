import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { uploadDocumentKinds } from '../../common/contracts/document-api.ts';
import { MAX_MESSAGE_CHARS, MAX_MESSAGE_FILES } from '../../common/contracts/message-api.ts';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../common/contracts/paging.ts';
import type { App } from './types.ts';

/** The OpenAPI document, generated from the zod schemas of the routes, and its docs UI. */
export async function registerOpenApi(app: App): Promise<void> {
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Kundeside API',
        description:
          'Staff and integration API. Authenticate with a session cookie (POST /api/auth/login) or `Authorization: Bearer <api key>`. ' +
          `Lists answer in pages, one convention for all: the query \`page\` (1-based, default 1) and \`pageSize\` (1–${MAX_PAGE_SIZE}, ` +
          `default ${DEFAULT_PAGE_SIZE} unless the list says otherwise; more is 400 \`validation_failed\`), the answer ` +
          '`{items, total, page, pageSize}` (`total`: entries in all pages). Page 1 holds what matters now: the newest ' +
          'entries of a log, thread or history, the open items of reminders, quote requests and invoices.',
        version: '1.0.0',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'ks_session' },
          apiKey: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { apiKey: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: (documents) =>
      'openapiObject' in documents
        ? (withMultipartForms(documents.openapiObject as OpenApiDocument) as typeof documents.openapiObject)
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

type OpenApiDocument = {
  paths?: Record<string, Record<string, { requestBody?: { content?: Record<string, unknown> } }>>;
};

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
