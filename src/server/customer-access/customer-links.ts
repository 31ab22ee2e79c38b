import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CustomerSessionView } from '../../common/contracts/customer-access-api.ts';
import type { App } from '../http/types.ts';
import { CUSTOMER_PAGE_PREFIX } from '../http/web-routes.ts';
import { hashToken, maskIdentifier } from '../security/tokens.ts';
import {
  customerCookieName,
  customerNoticeCookieName,
  pendingLinkCookieName,
  readSigned,
  setNoticeCookie,
  setSessionCookie,
} from './customer-auth.ts';
import {
  checkCustomerSession,
  openLink,
  presentCustomerSession,
  presentNoSession,
  resolveCustomerSession,
  type CustomerSession,
  type RefusalNotice,
} from './customer-sessions.ts';
import { deleteCustomerSession, findAccessByTokenHash } from './queries.ts';
import { clearedCookie } from '../http/cookies.ts';

/**
 * Opening a customer's link: GET /k/<token> (registered here, {@link customerLinkRoutes}) exchanges
 * it for a customer session; a link opened while another session is live waits for the person's
 * decision (the pending link); a refused link leaves a notice for the page. Also the session answer
 * the customer page's HTML carries.
 */

/** A link token as issued (link-tokens.ts: 43 base64url characters); other /k/ paths are the page's own. */
export const LINK_TOKEN_PATTERN = /^[A-Za-z0-9_-]{32,128}$/;
const PENDING_LINK_MAX_AGE_S = 15 * 60;

/**
 * The customer page's addresses under /k/, a plugin of its own (registered by app.ts): a link as
 * sent to a customer, `GET /k/<token>`, is exchanged for a session and redirected to /k/
 * ({@link exchangeCustomerLink}); every other /k/ path (and HEAD) is the customer page itself,
 * served by `servePage` (http/web-routes.ts customerPageHtml). It never sends a Referer (quality bar).
 */
export async function customerLinkRoutes(
  app: App,
  options: { servePage: (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply> },
): Promise<void> {
  app.get<{ Params: { '*': string } }>(
    `${CUSTOMER_PAGE_PREFIX}*`,
    { schema: { hide: true } },
    async (request, reply) => {
      reply.header('referrer-policy', 'no-referrer');
      const rest = request.params['*'];
      if (request.method === 'GET' && LINK_TOKEN_PATTERN.test(rest)) {
        return exchangeCustomerLink(app, request, reply, rest);
      }
      return options.servePage(request, reply);
    },
  );
}

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
export async function signInWithLink(
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
  reply.clearCookie(pendingLinkCookieName(secure), clearedCookie(secure));
  const result = await openLink(app.db, token);
  if (result.ok) {
    setSessionCookie(app, reply, result.token, result.expiresAt);
    reply.clearCookie(noticeCookie, clearedCookie(secure));
    request.log.info({ event: 'customer_link_opened' }, 'security: customer link opened');
    return { session: await resolveCustomerSession(app.db, result.token), notice: null };
  }
  reply.clearCookie(sessionCookie, clearedCookie(secure));
  const notice: RefusalNotice | null =
    result.reason !== 'link_invalid' && result.companyId
      ? { reason: result.reason, companyId: result.companyId }
      : null;
  if (notice) {
    setNoticeCookie(app, reply, notice);
  } else {
    reply.clearCookie(noticeCookie, clearedCookie(secure));
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

/** The refusal notice the browser holds, if any. */
export function readNotice(request: FastifyRequest, secure: boolean): RefusalNotice | null {
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
  const checked = token ? await checkCustomerSession(app.db, token) : null;
  const session = checked?.session ?? null;
  // A session of a removed grant says so (its company's page) on every reload while it is stored.
  const view = session
    ? presentCustomerSession(session)
    : await presentNoSession(app.db, checked?.notice ?? readNotice(request, secure));
  return { session, view: withPendingLink(request, secure, view) };
}

/** The view with `pendingLink` when the browser holds a link waiting for the person's decision. */
export function withPendingLink(
  request: FastifyRequest,
  secure: boolean,
  view: CustomerSessionView,
): CustomerSessionView {
  const pending = readSigned(request, pendingLinkCookieName(secure));
  return pending && LINK_TOKEN_PATTERN.test(pending) ? { ...view, pendingLink: true } : view;
}
