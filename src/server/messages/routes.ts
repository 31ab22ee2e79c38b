import multipart from '@fastify/multipart';
import { z } from 'zod';
import { emptyBodySchema } from '../../common/contracts/case-schemas.ts';
import {
  markAllReadView,
  messageThreadQuery,
  messageThreadView,
  postedMessageView,
  postMessageBody,
} from '../../common/contracts/message-api.ts';
import { idSchema } from '../../common/contracts/schemas.ts';
import { authorize } from '../security/actor.ts';
import { loadCase } from '../cases/access.ts';
import { casePolicy } from '../cases/policy.ts';
import { createFileStorage } from '../storage/file-storage.ts';
import { actorOf } from '../http/authenticate.ts';
import type { App } from '../http/types.ts';
import { streamCaseSignals } from '../live/sse.ts';
import { staffStreamGuard } from '../auth/stream-guard.ts';
import { messageInputOf, messageMultipartLimits, type MessageDeps } from './message-intake.ts';
import { listCaseMessages, markAllMessagesRead, postStaffMessage } from './staff-messages.ts';

const params = z.object({ id: idSchema });
const tags = ['messages'];

/** Staff side of the message thread: list, write, mark all read, and the case's live signals. */
export async function messageRoutes(app: App): Promise<void> {
  await app.register(multipart, { throwFileSizeLimit: false, limits: messageMultipartLimits });
  const deps: MessageDeps = {
    db: app.db,
    storage: createFileStorage(app.config),
    log: app.log,
  };

  app.get(
    '/cases/:id/messages',
    {
      schema: {
        tags,
        summary:
          'The case’s message thread with the customer, newest first, in pages (page 1: the newest), with the unread count and whether staff may write',
        params,
        querystring: messageThreadQuery,
        response: { 200: messageThreadView },
      },
    },
    async (request) => listCaseMessages(app.db, actorOf(request), request.params.id, request.query),
  );

  app.post(
    '/cases/:id/messages',
    {
      schema: {
        tags,
        summary:
          'Write to the people with access: JSON {body} or multipart (field body, up to 10 files in the field files; ' +
          'each file at most 25 MB, 500 MB per case, types as for documents). 403 communication_not_allowed when the ' +
          'communication method is "only from the customer" or communication is hidden. Notifies by e-mail (SMS without e-mail), never with the text; ' +
          '`delivery` says who has access and who was notified',
        consumes: ['application/json', 'multipart/form-data'],
        params,
        // The JSON form; a multipart body has no parsed body here and is read by the service.
        body: postMessageBody.nullish(),
        response: { 201: postedMessageView },
      },
    },
    async (request, reply) => {
      const view = await postStaffMessage(deps, actorOf(request), request.params.id, messageInputOf(request));
      return reply.status(201).send(view);
    },
  );

  app.post(
    '/cases/:id/messages/mark-all-read',
    {
      schema: {
        tags,
        summary:
          'Mark all messages from the customer read: clears the arrow, the banner and the dashboard count; logged',
        params,
        body: emptyBodySchema,
        response: { 200: markAllReadView },
      },
    },
    async (request) => markAllMessagesRead(deps, actorOf(request), request.params.id),
  );

  app.get(
    '/cases/:id/live',
    {
      schema: {
        tags,
        summary:
          'Server-sent events: `change` with {topic} whenever the thread (or sharing) of the case changes; fetch again then',
        params,
        produces: ['text/event-stream'],
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      authorize(actor, casePolicy.read);
      const row = await loadCase(app.db, actor, request.params.id);
      const guard = staffStreamGuard(app.db, app.config, actor);
      streamCaseSignals(request, reply, app.liveStreams, row.id, guard);
    },
  );
}
