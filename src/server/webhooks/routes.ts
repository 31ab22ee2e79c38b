import { z } from 'zod';
import { pageView } from '../../common/contracts/paging.ts';
import { idSchema } from '../../common/contracts/schemas.ts';
import {
  createWebhookSchema,
  updateWebhookSchema,
  webhookDeliveryListQuery,
  webhookDeliveryView,
  webhookListQuery,
  webhookView,
  webhookWithSecretView,
} from '../../common/contracts/webhook-api.ts';
import { actorOf } from '../http/authenticate.ts';
import type { App } from '../http/types.ts';
import {
  createWebhook,
  deleteWebhook,
  getWebhook,
  listWebhookDeliveries,
  listWebhooks,
  replayWebhookDelivery,
  rotateWebhookSecret,
  updateWebhook,
} from './webhooks.ts';

const endpointParams = z.object({ id: idSchema });
const tags = ['webhooks'];

/** Outbound webhooks of the company (level 6; API keys of level 6 too). docs/integrations.md. */
export async function webhookRoutes(app: App): Promise<void> {
  app.get(
    '/webhooks',
    {
      schema: {
        tags,
        summary: 'Webhook endpoints of your company, newest first, in pages (level 6)',
        querystring: webhookListQuery,
        response: { 200: pageView(webhookView) },
      },
    },
    async (request) => listWebhooks(app.db, actorOf(request), request.query),
  );
  app.post(
    '/webhooks',
    {
      schema: {
        tags,
        summary: 'Register a webhook endpoint; its signing secret is shown in this answer only (level 6)',
        body: createWebhookSchema,
        response: { 201: webhookWithSecretView },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createWebhook(app.db, app.config, actorOf(request), request.body)),
  );
  app.get(
    '/webhooks/:id',
    {
      schema: {
        tags,
        summary: 'One webhook endpoint, without its secret (level 6)',
        params: endpointParams,
        response: { 200: webhookView },
      },
    },
    async (request) => getWebhook(app.db, actorOf(request), request.params.id),
  );
  app.patch(
    '/webhooks/:id',
    {
      schema: {
        tags,
        summary: 'Change the URL, event kinds or description, or switch the endpoint off or on (level 6)',
        params: endpointParams,
        body: updateWebhookSchema,
        response: { 200: webhookView },
      },
    },
    async (request) => updateWebhook(app.db, app.config, actorOf(request), request.params.id, request.body),
  );
  app.delete(
    '/webhooks/:id',
    {
      schema: {
        tags,
        summary: 'Delete an endpoint and its delivery log; nothing more is sent to it (level 6)',
        params: endpointParams,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await deleteWebhook(app.db, actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
  app.post(
    '/webhooks/:id/rotate-secret',
    {
      schema: {
        tags,
        summary: 'A new signing secret, shown once; the old one also signs for 24 hours (level 6)',
        params: endpointParams,
        response: { 200: webhookWithSecretView },
      },
    },
    async (request) => rotateWebhookSecret(app.db, app.config, actorOf(request), request.params.id),
  );
  app.get(
    '/webhooks/:id/deliveries',
    {
      schema: {
        tags,
        summary: 'The delivery log of an endpoint, newest first, in pages (level 6)',
        params: endpointParams,
        querystring: webhookDeliveryListQuery,
        response: { 200: pageView(webhookDeliveryView) },
      },
    },
    async (request) => listWebhookDeliveries(app.db, actorOf(request), request.params.id, request.query),
  );
  app.post(
    '/webhooks/:id/deliveries/:deliveryId/replay',
    {
      schema: {
        tags,
        summary: 'Send the event of a delivery again: same body, event id and delivery key (level 6)',
        params: z.object({ id: idSchema, deliveryId: idSchema }),
        response: { 201: webhookDeliveryView },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await replayWebhookDelivery(app.db, actorOf(request), request.params.id, request.params.deliveryId),
        ),
  );
}
