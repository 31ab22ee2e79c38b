import { z } from 'zod';
import { apiKeyListQuery, apiKeyView } from '../../common/contracts/api.ts';
import { pageView } from '../../common/contracts/paging.ts';
import { createApiKeySchema, idSchema } from '../../common/contracts/schemas.ts';
import { actorOf } from '../http/authenticate.ts';
import type { App } from '../http/types.ts';
import { createApiKeyAs, listApiKeysAs, revokeApiKey } from './api-keys.ts';

/** API keys of the company, for integrations (level 6). */
export async function apiKeyRoutes(app: App): Promise<void> {
  app.get(
    '/admin/api-keys',
    {
      schema: {
        tags: ['admin'],
        summary: 'API keys of your company, newest first, in pages (level 6)',
        querystring: apiKeyListQuery,
        response: { 200: pageView(apiKeyView) },
      },
    },
    async (request) => listApiKeysAs(app.db, actorOf(request), request.query),
  );
  app.post(
    '/admin/api-keys',
    {
      schema: {
        tags: ['admin'],
        summary: 'Create an API key; the key is shown once (level 6)',
        body: createApiKeySchema,
        response: { 201: z.object({ id: z.string(), key: z.string(), name: z.string(), level: z.number() }) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createApiKeyAs(app.db, actorOf(request), request.body)),
  );
  app.delete(
    '/admin/api-keys/:id',
    {
      schema: {
        tags: ['admin'],
        summary: 'Revoke an API key (level 6)',
        params: z.object({ id: idSchema }),
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await revokeApiKey(app.db, actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
