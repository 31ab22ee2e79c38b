import { z } from 'zod';
import { callView } from '../../common/contracts/case-api.ts';
import { recordCallSchema } from '../../common/contracts/case-schemas.ts';
import { pageQuery, pageView } from '../../common/contracts/paging.ts';
import { idSchema } from '../../common/contracts/schemas.ts';
import { actorOf } from '../http/authenticate.ts';
import type { App } from '../http/types.ts';
import { listCalls, recordCall } from './calls.ts';

const params = z.object({ id: idSchema });
// Listed with the case in the API documentation, as before calls had routes of their own.
const tags = ['cases'];

/** A case's calls: record one, and the call history in pages (registered after the case routes). */
export async function callRoutes(app: App): Promise<void> {
  app.post(
    '/cases/:id/calls',
    {
      schema: { tags, summary: 'Record a call', params, body: recordCallSchema, response: { 201: callView } },
    },
    async (request, reply) =>
      reply.status(201).send(await recordCall(app.db, actorOf(request), request.params.id, request.body)),
  );
  app.get(
    '/cases/:id/calls',
    {
      schema: {
        tags,
        summary: 'Call history of the case, newest first, in pages',
        params,
        querystring: pageQuery(),
        response: { 200: pageView(callView) },
      },
    },
    async (request) => listCalls(app.db, actorOf(request), request.params.id, request.query),
  );
}
