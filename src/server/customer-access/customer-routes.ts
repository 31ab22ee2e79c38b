import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { errorBody } from '../../common/api.ts';
import {
  customerCodeSendView,
  customerCodeVerifySchema,
  customerSessionView,
  type CustomerSessionView,
} from '../../common/customer-access-api.ts';
import { emptyBodySchema } from '../../common/case-schemas.ts';
import { AppError } from '../errors.ts';
import { checkSameOrigin, CUSTOMER_API_PREFIX } from '../http/authenticate.ts';
import type { App } from '../http/types.ts';
import { hashToken, maskIdentifier } from '../security/tokens.ts';
import {
  endCustomerSession,
  openLink,
  presentCustomerSession,
  presentNoSession,
  resolveCustomerSession,
  sendSecurityCode,
  verifySecurityCode,
  type CustomerSession,
} from './customer-sessions.ts';
import { deleteCustomerSession, findAccessByTokenHash } from './queries.ts';

/**
 * The customer side of access: opening a link (GET /k/<token>, called by web-routes.ts) and the
 * customer API under /api/customer/*, authenticated by the customer session cookie alone (staff
 * sessions and API keys are not looked at; the staff hook leaves these paths alone). Changes follow
 * the same CSRF rule as staff changes: Origin = PUBLIC_BASE_URL's origin, JSON body.
 */

/** Customer session cookie: `__Host-` prefixed over HTTPS. */
export const customerCookieName = (secure: boolean) => (secure ? '__Host-ks_customer' : 'ks_customer');
/** Short-lived note that a refused link belonged to a company, so the refusal can show its contact text. */
export const customerNoticeCookieName = (secure: boolean) =>
  secure ? '__Host-ks_customer_notice' : 'ks_customer_notice';

/** A link token as issued (randomToken(): 43 base64url characters); other /k/ paths are the page's own. */
export const LINK_TOKEN_PATTERN = /^[A-Za-z0-9_-]{32,128}$/;
const NOTICE_MAX_AGE_S = 3600;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function readSigned(request: FastifyRequest, name: string): string | null {
  const raw = request.cookies[name];
  if (!raw) return null;
  const unsigned = request.unsignCookie(raw);
  return unsigned.valid && unsigned.value ? unsigned.value : null;
}

/**
 * {@link readSigned} remembering the values it checked, by their raw text, for one app (its secret):
 * the same session cookie arrives with every request of a page, and its HMAC took ~3 % of a
 * customer-page request's CPU (bench profile, issue 13). Bounded; a forged value is remembered as
 * invalid just the same.
 */
function rememberingReadSigned(): (request: FastifyRequest, name: string) => string | null {
  const checked = new Map<string, string | null>();
  return (request, name) => {
    const raw = request.cookies[name];
    if (!raw) return null;
    const known = checked.get(raw);
    if (known !== undefined) return known;
    const value = readSigned(request, name);
    if (checked.size >= 5000) checked.clear();
    checked.set(raw, value);
    return value;
  };
}

function setSessionCookie(app: App, reply: FastifyReply, token: string, expiresAt: Date) {
  reply.setCookie(customerCookieName(app.config.secureCookies), token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: app.config.secureCookies,
    signed: true,
    expires: expiresAt,
  });
}

/** A link opened while the browser holds another person's or case's session, until they decide. */
export const pendingLinkCookieName = (secure: boolean) =>
  secure ? '__Host-ks_customer_pending' : 'ks_customer_pending';
const PENDING_LINK_MAX_AGE_S = 15 * 60;

/**
 * GET /k/<token>: exchanges the link's token for a customer session cookie and redirects (303) to
 * the clean address /k/, so the token stays neither in the address bar, the history nor a Referer.
 * A link that does not work redirects the same way without a session; the page then shows the
 * friendly refusal (with the company's contact text when the link was known).
 *
 * A browser holds one customer session at a time, but a link never takes a live session away by
 * itself (attack review, issue 15: a cross-site navigation to an attacker's link signed the victim
 * into the attacker's case). When the link belongs to another grant than the live session's, it is
 * only noted (a signed, short-lived cookie) and the page asks the person whether to switch
 * (POST /api/customer/pending-link/accept, same-origin only). A link that is not known at all
 * leaves the live session alone. The same grant's link (opened again) replaces the session as before.
 */
export async function exchangeCustomerLink(
  app: App,
  request: FastifyRequest,
  reply: FastifyReply,
  token: string,
): Promise<FastifyReply> {
  const secure = app.config.secureCookies;
  reply.header('referrer-policy', 'no-referrer').header('cache-control', 'no-store');
  const previous = readSigned(request, customerCookieName(secure));
  const current = previous ? await resolveCustomerSession(app.db, previous) : null;
  if (current) {
    const access = await findAccessByTokenHash(app.db, hashToken(token));
    if (!access) {
      logRefusal(request, 'link_invalid');
      return reply.redirect('/k/', 303);
    }
    if (access.id !== current.access_id) {
      reply.setCookie(pendingLinkCookieName(secure), token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure,
        signed: true,
        maxAge: PENDING_LINK_MAX_AGE_S,
      });
      request.log.info({ event: 'customer_link_pending' }, 'security: customer link waits for confirmation');
      return reply.redirect('/k/', 303);
    }
  }
  await signInWithLink(app, request, reply, token, previous);
  return reply.redirect('/k/', 303);
}

/** Ends the browser's session (if any) and starts the link's, or leaves the refusal's notice. */
async function signInWithLink(
  app: App,
  request: FastifyRequest,
  reply: FastifyReply,
  token: string,
  previous: string | null,
): Promise<{ session: CustomerSession | null; notice: RefusalNotice | null }> {
  const secure = app.config.secureCookies;
  const sessionCookie = customerCookieName(secure);
  const noticeCookie = customerNoticeCookieName(secure);
  if (previous) await deleteCustomerSession(app.db, hashToken(previous));
  reply.clearCookie(pendingLinkCookieName(secure), { path: '/' });
  const result = await openLink(app.db, token);
  if (result.ok) {
    setSessionCookie(app, reply, result.token, result.expiresAt);
    reply.clearCookie(noticeCookie, { path: '/' });
    request.log.info({ event: 'customer_link_opened' }, 'security: customer link opened');
    return { session: await resolveCustomerSession(app.db, result.token), notice: null };
  }
  reply.clearCookie(sessionCookie, { path: '/' });
  const notice: RefusalNotice | null =
    result.reason !== 'link_invalid' && result.companyId
      ? { reason: result.reason, companyId: result.companyId }
      : null;
  if (notice) {
    reply.setCookie(noticeCookie, `${notice.reason}:${notice.companyId}`, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure,
      signed: true,
      maxAge: NOTICE_MAX_AGE_S,
    });
  } else {
    reply.clearCookie(noticeCookie, { path: '/' });
  }
  logRefusal(request, result.reason);
  return { session: null, notice };
}

function logRefusal(request: FastifyRequest, reason: string) {
  request.log.warn(
    { event: 'customer_link_refused', reason, ip: maskIdentifier(request.ip) },
    'security: customer link refused',
  );
}

type RefusalNotice = { reason: 'access_removed' | 'case_unavailable'; companyId: string };

function readNotice(request: FastifyRequest, secure: boolean): RefusalNotice | null {
  const value = readSigned(request, customerNoticeCookieName(secure));
  const match = value ? /^(access_removed|case_unavailable):(.+)$/.exec(value) : null;
  return match?.[1] && match[2]
    ? { reason: match[1] as 'access_removed' | 'case_unavailable', companyId: match[2] }
    : null;
}

/**
 * The customer session of a request outside /api/customer/ (the customer page's HTML, which carries
 * the first answer in it) and what GET /api/customer/session would answer for it.
 */
export async function customerSessionAnswer(
  app: App,
  request: FastifyRequest,
): Promise<{ session: CustomerSession | null; view: CustomerSessionView }> {
  const secure = app.config.secureCookies;
  const token = readSigned(request, customerCookieName(secure));
  const session = token ? await resolveCustomerSession(app.db, token) : null;
  const view = session
    ? presentCustomerSession(session)
    : await presentNoSession(app.db, readNotice(request, secure));
  return { session, view: withPendingLink(request, secure, view) };
}

/** The view with `pendingLink` when the browser holds a link waiting for the person's decision. */
function withPendingLink(
  request: FastifyRequest,
  secure: boolean,
  view: CustomerSessionView,
): CustomerSessionView {
  const pending = readSigned(request, pendingLinkCookieName(secure));
  return pending && LINK_TOKEN_PATTERN.test(pending) ? { ...view, pendingLink: true } : view;
}

/** The session of a customer request (the hook guarantees one on non-public routes). */
export function customerSessionOf(request: FastifyRequest): CustomerSession {
  if (!request.customerSession) throw new AppError('unauthenticated');
  return request.customerSession;
}

/**
 * For the customer page's data routes: the session's case, only while the page may show it (state
 * `ok`: grant active, case reachable, SMS code entered when required); 403 otherwise.
 */
export async function requireCustomerCase(
  app: App,
  request: FastifyRequest,
): Promise<{ session: CustomerSession; view: CustomerSessionView }> {
  const session = customerSessionOf(request);
  const view = await presentCustomerSession(session);
  if (view.state !== 'ok') throw new AppError('forbidden', 'The customer page is not available.');
  return { session, view };
}

const tags = ['customer'];

/**
 * The authentication of every /api/customer/* request (registered in app.ts beside the staff hook):
 * the CSRF rule on changes, then the customer session cookie; 401 without a session unless the route
 * is `config.public`. Routes of the customer page read the session with {@link customerSessionOf} or
 * {@link requireCustomerCase}.
 */
export function registerCustomerAuthentication(app: App): void {
  const cookieName = customerCookieName(app.config.secureCookies);
  const readSession = rememberingReadSigned();
  app.decorateRequest('customerSession', null);
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith(CUSTOMER_API_PREFIX)) return;
    if (!SAFE_METHODS.has(request.method)) checkSameOrigin(request, app.config.publicOrigin);
    const token = readSession(request, cookieName);
    request.customerSession = token ? await resolveCustomerSession(app.db, token) : null;
    if (token && !request.customerSession) reply.clearCookie(cookieName, { path: '/' });
    if (!request.customerSession && !request.routeOptions.config.public) {
      throw new AppError('unauthenticated', 'Open the link you received to continue.');
    }
  });
}

/** The customer API: session, SMS security code, logout. */
export async function customerRoutes(app: App): Promise<void> {
  const secure = app.config.secureCookies;
  const cookieName = customerCookieName(secure);

  app.get(
    '/api/customer/session',
    {
      config: { public: true },
      schema: {
        tags,
        summary:
          'What the customer page may show: ok (with the claim number), code_required (SMS code), or unavailable',
        response: { 200: customerSessionView },
      },
    },
    async (request) =>
      withPendingLink(
        request,
        secure,
        request.customerSession
          ? presentCustomerSession(request.customerSession)
          : await presentNoSession(app.db, readNotice(request, secure)),
      ),
  );

  app.post(
    '/api/customer/pending-link/accept',
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
    '/api/customer/pending-link/dismiss',
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
      reply.clearCookie(pendingLinkCookieName(secure), { path: '/' });
      return request.customerSession
        ? presentCustomerSession(request.customerSession)
        : presentNoSession(app.db, readNotice(request, secure));
    },
  );

  app.post(
    '/api/customer/code/send',
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
    '/api/customer/code/verify',
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
    '/api/customer/logout',
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
      reply.clearCookie(cookieName, { path: '/' });
      return reply.status(204).send(null);
    },
  );
}
