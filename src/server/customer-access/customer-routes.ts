import { z } from 'zod';
import { errorBody } from '../../common/contracts/api.ts';
import {
  customerCodeSendView,
  customerCodeVerifySchema,
  customerSessionView,
} from '../../common/contracts/customer-access-api.ts';
import { emptyBodySchema } from '../../common/contracts/case-schemas.ts';
import { AppError } from '../errors.ts';
import type { App } from '../http/types.ts';
import {
  customerCookieName,
  customerSessionOf,
  pendingLinkCookieName,
  readSigned,
  setSessionCookie,
} from './customer-auth.ts';
import { LINK_TOKEN_PATTERN, readNotice, signInWithLink, withPendingLink } from './customer-links.ts';
import { sendSecurityCode, verifySecurityCode } from './customer-codes.ts';
import {
  endCustomerSession,
  presentCustomerSession,
  presentNoSession,
  resolveCustomerSession,
} from './customer-sessions.ts';
import { clearedCookie } from '../http/cookies.ts';

const tags = ['customer'];

/** The customer API: session, SMS security code, logout. */
export async function customerRoutes(app: App): Promise<void> {
  const secure = app.config.secureCookies;
  const cookieName = customerCookieName(secure);

  app.get(
    '/session',
    {
      config: { public: true },
      schema: {
        tags,
        summary:
          'What the customer page may show: ok (with the claim number), code_required (SMS code), bankid_required (BankID, with the SMS code as fallback while BankID is unavailable when the company allows it), or unavailable',
        response: { 200: customerSessionView },
      },
    },
    async (request) =>
      withPendingLink(
        request,
        secure,
        request.customerSession
          ? presentCustomerSession(request.customerSession)
          : await presentNoSession(app.db, request.customerRefusal ?? readNotice(request, secure)),
      ),
  );

  app.post(
    '/pending-link/accept',
    {
      config: { public: true },
      schema: {
        tags,
        summary:
          'Switch to the link opened last (it waits while another session was live): ends the current session and opens the link. 409 conflict when no link waits',
        body: emptyBodySchema,
        response: { 200: customerSessionView, 403: errorBody, 409: errorBody },
      },
    },
    async (request, reply) => {
      const pending = readSigned(request, pendingLinkCookieName(secure));
      if (!pending || !LINK_TOKEN_PATTERN.test(pending)) {
        throw new AppError('conflict', 'No link is waiting for confirmation.');
      }
      const opened = await signInWithLink(app, request, reply, pending, readSigned(request, cookieName));
      return opened.session
        ? presentCustomerSession(opened.session)
        : presentNoSession(app.db, opened.notice);
    },
  );

  app.post(
    '/pending-link/dismiss',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Stay on the current customer page: forgets the link that waits for confirmation',
        body: emptyBodySchema,
        response: { 200: customerSessionView, 403: errorBody },
      },
    },
    async (request, reply) => {
      reply.clearCookie(pendingLinkCookieName(secure), clearedCookie(secure));
      return request.customerSession
        ? presentCustomerSession(request.customerSession)
        : presentNoSession(app.db, request.customerRefusal ?? readNotice(request, secure));
    },
  );

  app.post(
    '/code/send',
    {
      schema: {
        tags,
        summary:
          'Send a 6-digit security code by SMS to the phone on record (1 per minute, 5 per hour, 10 per 24 hours: 429 with Retry-After); 423 code_locked while too many wrong codes lock the access',
        body: emptyBodySchema,
        response: {
          200: customerCodeSendView,
          401: errorBody,
          409: errorBody,
          423: errorBody,
          429: errorBody,
        },
      },
    },
    async (request) => {
      const result = await sendSecurityCode(
        app.db,
        app.config.sessionSecret,
        customerSessionOf(request),
        request.log,
      );
      return result;
    },
  );

  app.post(
    '/code/verify',
    {
      schema: {
        tags,
        summary:
          'Check the SMS code; on success the session is replaced by a new one that may see the case. The 15th wrong code in a row locks the access: 423 code_locked (also for the right code) until staff send a new link',
        body: customerCodeVerifySchema,
        response: {
          200: customerSessionView,
          400: errorBody,
          401: errorBody,
          409: errorBody,
          423: errorBody,
          429: errorBody,
        },
      },
    },
    async (request, reply) => {
      const { token, expiresAt } = await verifySecurityCode(
        app.db,
        app.config.sessionSecret,
        customerSessionOf(request),
        request.body.code,
        request.log,
      );
      setSessionCookie(app, reply, token, expiresAt);
      const session = await resolveCustomerSession(app.db, token);
      if (!session) throw new AppError('unauthenticated');
      return presentCustomerSession(session);
    },
  );

  app.post(
    '/logout',
    {
      schema: {
        tags,
        summary: 'End the customer session server-side',
        body: emptyBodySchema,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await endCustomerSession(app.db, customerSessionOf(request));
      reply.clearCookie(cookieName, clearedCookie(secure));
      return reply.status(204).send(null);
    },
  );
}
