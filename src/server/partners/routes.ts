import { z } from 'zod';
import { idView, partnerListQuery, partnerView } from '../../common/contracts/api.ts';
import { pageView } from '../../common/contracts/paging.ts';
import {
  createOfficeSchema,
  createPartnerSchema,
  createPersonSchema,
  idSchema,
} from '../../common/contracts/schemas.ts';
import { actorOf } from '../http/authenticate.ts';
import type { App } from '../http/types.ts';
import { createOfficeAs, createPartnerAs, createPersonAs, getPartner, listPartners } from './partners.ts';

const params = z.object({ id: idSchema });

/** Partners of the company, their offices and the persons working there. */
export async function partnerRoutes(app: App): Promise<void> {
  app.get(
    '/partners',
    {
      schema: {
        tags: ['partners'],
        summary: 'Partners with offices and persons, by name, in pages (default 100 a page)',
        querystring: partnerListQuery,
        response: { 200: pageView(partnerView) },
      },
    },
    async (request) => listPartners(app.db, actorOf(request), request.query),
  );
  app.get(
    '/partners/:id',
    { schema: { tags: ['partners'], summary: 'One partner', params, response: { 200: partnerView } } },
    async (request) => getPartner(app.db, actorOf(request), request.params.id),
  );
  app.post(
    '/partners',
    {
      schema: {
        tags: ['partners'],
        summary: 'Add a partner (level 6)',
        body: createPartnerSchema,
        response: { 201: idView },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createPartnerAs(app.db, actorOf(request), request.body)),
  );
  app.post(
    '/partners/:id/offices',
    {
      schema: {
        tags: ['partners'],
        summary: 'Add an office (level 6)',
        params,
        body: createOfficeSchema,
        response: { 201: idView },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createOfficeAs(app.db, actorOf(request), request.params.id, request.body)),
  );
  app.post(
    '/offices/:id/persons',
    {
      schema: {
        tags: ['partners'],
        summary: 'Add a person to an office (level 6)',
        params,
        body: createPersonSchema,
        response: { 201: idView },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createPersonAs(app.db, actorOf(request), request.params.id, request.body)),
  );
}
