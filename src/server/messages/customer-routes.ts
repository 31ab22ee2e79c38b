import multipart from '@fastify/multipart';
import { postMessageBody } from '../../common/contracts/message-api.ts';
import { requireCustomerCase } from '../customer-access/customer-auth.ts';
import { customerMessageSchema } from './customer-presenter.ts';
import { createFileStorage } from '../storage/file-storage.ts';
import { errorBody } from '../../common/contracts/api.ts';
import type { App } from '../http/types.ts';
import { streamCaseSignals } from '../live/sse.ts';
import { customerStreamGuard } from '../customer-access/customer-stream-guard.ts';
import { postCustomerMessage } from './customer-messages.ts';
import { messageInputOf, messageMultipartLimits, type MessageDeps } from './message-intake.ts';
import { findContactEmail } from './queries.ts';

const tags = ['customer'];

/**
 * The customer's side of the thread (the thread itself arrives with GET /api/customer/page): write
 * (when the communication method allows it) and the live signals of the session's case. Only the
 * session's case is ever reachable.
 */
export async function customerMessageRoutes(app: App): Promise<void> {
  await app.register(multipart, { throwFileSizeLimit: false, limits: messageMultipartLimits });
  const deps: MessageDeps = {
    db: app.db,
    storage: createFileStorage(app.config),
    log: app.log,
    customerWriteLimits: app.config.customerWriteLimits,
    securityLog: app.log,
  };

  app.post(
    '/messages',
    {
      schema: {
        tags,
        summary:
          'Write to the company from the customer page: JSON {body} or multipart (field body, up to 10 files in the ' +
          'field files; photos and documents as for the document library). 403 communication_not_allowed when the ' +
          'communication method is "only to the customer" or communication is not shown. 429 too_many_requests ' +
          'with Retry-After (seconds) past 10 messages per session in 10 minutes, 60 per case in an hour, or ' +
          '60 files / 100 MB per case in an hour (CUSTOMER_WRITE_LIMITS); nothing is stored then',
        consumes: ['application/json', 'multipart/form-data'],
        body: postMessageBody.nullish(),
        response: { 201: customerMessageSchema, 401: errorBody, 403: errorBody, 429: errorBody },
      },
    },
    async (request, reply) => {
      const { session } = await requireCustomerCase(app, request);
      const sender = {
        accessId: session.access_id,
        name: session.contact_name,
        email: await findContactEmail(app.db, session.contact_id),
      };
      const message = await postCustomerMessage(deps, session, sender, messageInputOf(request));
      return reply.status(201).send(message);
    },
  );

  app.get(
    '/live',
    {
      schema: {
        tags,
        summary:
          'Server-sent events for the session’s case: `change` with {topic} when the thread or the shared documents change, `settings` when the company changed what its pages show; fetch the page again then',
        produces: ['text/event-stream'],
      },
    },
    async (request, reply) => {
      const { session } = await requireCustomerCase(app, request);
      const guard = customerStreamGuard(app.db, session, request.ip);
      streamCaseSignals(request, reply, app.liveStreams, session.case_id, guard, [
        { scope: 'company', id: session.company_id, topic: 'settings' },
      ]);
    },
  );
}
