import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { errorBody } from '../../common/contracts/api.ts';
import { isoDate, isoDateTime } from '../../common/contracts/date-formats.ts';
import type { Config } from '../config.ts';
import { operationIdOf, registerOpenApi } from './openapi.ts';
import type { App } from './types.ts';

// What openapi.ts adds to any route, including routes other modules add later: checked on a small
// app of made-up routes, so each rule is seen without the whole application.

interface Operation {
  operationId?: string;
  summary?: string;
  security?: unknown[];
  parameters?: { in: string; name: string; style?: string; schema?: unknown }[];
  responses: Record<string, { $ref?: string; content?: Record<string, unknown> }>;
}
type Document = { paths: Record<string, Record<string, Operation>>; components: Record<string, unknown> };

let app: App | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function documentOf(routes: (app: App) => void): Promise<Document> {
  const built = Fastify().withTypeProvider<ZodTypeProvider>() as unknown as App;
  app = built;
  built.setValidatorCompiler(validatorCompiler);
  built.setSerializerCompiler(serializerCompiler);
  built.decorate('config', { publicBaseUrl: 'https://kundeside.test' } as Config);
  await registerOpenApi(built, { staff: 'ks_session', customer: 'ks_customer' });
  routes(built);
  await built.ready();
  return built.swagger() as unknown as Document;
}

const ok = z.object({ ok: z.boolean() });

describe('operationIdOf', () => {
  it('reads as the method and the words of the path, without /api', () => {
    expect(operationIdOf('POST', '/api/cases/{id}/close')).toBe('postCasesIdClose');
    expect(operationIdOf('get', '/api/cases/{id}/quote-requests')).toBe('getCasesIdQuoteRequests');
    expect(operationIdOf('DELETE', '/api/cases/{id}/documents/{documentId}')).toBe(
      'deleteCasesIdDocumentsDocumentId',
    );
    expect(operationIdOf('GET', '/healthz')).toBe('getHealthz');
  });
});

describe('the document openapi.ts finishes', () => {
  it("takes a route's own operationId, else makes one, and never the same twice", async () => {
    const doc = await documentOf((app) => {
      app.get('/api/things', { schema: { operationId: 'listThings', response: { 200: ok } } }, async () => ({
        ok: true,
      }));
      app.get('/api/other', { config: { operationId: 'listThings' } as object }, async () => ({ ok: true }));
      app.post(
        '/api/things/:id/archive',
        { schema: { params: z.object({ id: z.string() }) } },
        async () => ({}),
      );
      app.route({ method: ['PUT', 'PATCH'], url: '/api/both', handler: async () => ({}) });
    });
    expect(doc.paths['/api/things']?.get?.operationId).toBe('listThings');
    expect(doc.paths['/api/other']?.get?.operationId).toBe('listThings2');
    expect(doc.paths['/api/things/{id}/archive']?.post?.operationId).toBe('postThingsIdArchive');
    expect([doc.paths['/api/both']?.put?.operationId, doc.paths['/api/both']?.patch?.operationId]).toEqual([
      'putBoth',
      'patchBoth',
    ]);
    expect(doc.paths['/api/both']?.put?.summary).toBe('PUT /api/both');
  });

  it('turns declared error bodies into the shared responses and adds the ones the route implies', async () => {
    const doc = await documentOf((app) => {
      app.post(
        '/api/things/:id/lock',
        {
          schema: {
            params: z.object({ id: z.string() }),
            body: z.object({ reason: z.string() }),
            response: { 200: ok, 409: errorBody, 423: errorBody, 422: z.object({ other: z.string() }) },
          },
        },
        async () => ({ ok: true }),
      );
    });
    const responses = doc.paths['/api/things/{id}/lock']?.post?.responses ?? {};
    expect(Object.keys(responses)).toEqual([
      '200',
      '400',
      '401',
      '403',
      '404',
      '409',
      '415',
      '422',
      '423',
      '500',
    ]);
    expect(responses['409']).toEqual({ $ref: '#/components/responses/Conflict' });
    expect(responses['423']).toEqual({ $ref: '#/components/responses/Locked' });
    expect(responses['500']).toEqual({ $ref: '#/components/responses/InternalError' });
    // A declared 4xx of another shape is the route's own.
    expect(responses['422']?.content).toBeDefined();
    expect(Object.keys(doc.components.responses as object).sort()).toEqual([
      'BadRequest',
      'Conflict',
      'Forbidden',
      'InternalError',
      'Locked',
      'NotFound',
      'Unauthorized',
      'UnsupportedMediaType',
    ]);
  });

  it('gives public routes and routes outside /api no security, the customer API its cookie', async () => {
    const doc = await documentOf((app) => {
      app.get('/api/open', { config: { public: true } }, async () => ({}));
      app.get('/status', async () => ({}));
      app.get('/api/customer/things', async () => ({}));
      app.get('/api/staff-things', async () => ({}));
      app.post('/api/keys-only', { schema: { security: [{ apiKey: [] }] } }, async () => ({}));
    });
    expect(doc.paths['/api/open']?.get?.security).toEqual([]);
    expect(doc.paths['/status']?.get?.security).toEqual([]);
    expect(doc.paths['/api/customer/things']?.get?.security).toEqual([{ customerSession: [] }]);
    expect(doc.paths['/api/staff-things']?.get?.security).toBeUndefined();
    expect(doc.paths['/api/keys-only']?.post?.security).toEqual([{ apiKey: [] }]);
    // A public GET with nothing to refuse still names the error envelope for client errors.
    expect(doc.paths['/status']?.get?.responses['4XX']).toEqual({
      $ref: '#/components/responses/ClientError',
    });
    expect(doc.paths['/api/staff-things']?.get?.responses['401']).toEqual({
      $ref: '#/components/responses/Unauthorized',
    });
  });

  it('documents event streams with their 429 and a query of any names as one object', async () => {
    const doc = await documentOf((app) => {
      app.get('/api/stream', { schema: { produces: ['text/event-stream'] } }, async () => '');
      app.get(
        '/api/callback',
        { config: { public: true }, schema: { querystring: z.record(z.string(), z.string()) } },
        async () => ({}),
      );
    });
    const stream = doc.paths['/api/stream']?.get;
    expect(stream?.responses['429']).toEqual({ $ref: '#/components/responses/TooManyRequests' });
    expect(stream?.responses['200']?.content).toEqual({
      'text/event-stream': { schema: { type: 'string' } },
    });
    expect(JSON.stringify(stream)).not.toContain('x-kundeside');
    expect(doc.paths['/api/callback']?.get?.parameters).toEqual([
      {
        in: 'query',
        name: 'query',
        style: 'form',
        explode: true,
        schema: { type: 'object', additionalProperties: { type: 'string' } },
      },
    ]);
  });

  it('documents the date helpers with their formats and sends the values unchanged', async () => {
    const doc = await documentOf((app) => {
      app.get(
        '/api/dated',
        { schema: { response: { 200: z.object({ at: isoDateTime, on: isoDate.nullable() }) } } },
        async () => ({ at: '2026-12-06T19:47:25.000Z', on: null }),
      );
    });
    const schema = JSON.stringify(doc.paths['/api/dated']?.get?.responses['200']);
    expect(schema).toContain('"at":{"type":"string","format":"date-time"}');
    expect(schema).toContain('"format":"date"');
    const response = await app!.inject({ method: 'GET', url: '/api/dated' });
    expect(response.json()).toEqual({ at: '2026-12-06T19:47:25.000Z', on: null });
  });
});
