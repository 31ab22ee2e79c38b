import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CustomerSessionView } from '../../common/contracts/customer-access-api.ts';
import { AppError } from '../errors.ts';
import { checkSameOrigin } from '../http/authenticate.ts';
import type { App } from '../http/types.ts';
import {
  checkCustomerSession,
  presentCustomerSession,
  type CustomerSession,
  type RefusalNotice,
} from './customer-sessions.ts';
import { clearedCookie } from '../http/cookies.ts';

/**
 * The customer's credentials: the session cookie (and the notice and pending-link cookies beside
 * it), and the hook that authenticates the customer API under /api/customer/* by the session cookie
 * alone (staff sessions and API keys are not looked at; the staff hook leaves these paths alone).
 * Changes follow the same CSRF rule as staff changes: Origin = PUBLIC_BASE_URL's origin, JSON body.
 */

// The request decoration of the customer hook, declared by the module that owns it (the HTTP
// plumbing, http/types.ts, knows nothing of customers).
declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the customer API's hook for /api/customer/* requests; null without a valid session. */
    customerSession: CustomerSession | null;
    /** Set with a null session when the cookie's session belongs to a removed grant (the page says so). */
    customerRefusal: RefusalNotice | null;
  }
}

/** Customer session cookie: `__Host-` prefixed over HTTPS. */
export const customerCookieName = (secure: boolean) => (secure ? '__Host-ks_customer' : 'ks_customer');
/** Short-lived note that a refused link belonged to a company, so the refusal can show its contact text. */
export const customerNoticeCookieName = (secure: boolean) =>
  secure ? '__Host-ks_customer_notice' : 'ks_customer_notice';
/** A link opened while the browser holds another person's or case's session, until they decide. */
export const pendingLinkCookieName = (secure: boolean) =>
  secure ? '__Host-ks_customer_pending' : 'ks_customer_pending';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The value of a signed cookie, or null when it is missing or its signature is wrong. */
export function readSigned(request: FastifyRequest, name: string): string | null {
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

/** How long a refusal's notice (reason and company) stays for the page: our number, one hour. */
const NOTICE_MAX_AGE_S = 3600;

/** Leaves the refusal's notice for the page (signed, HttpOnly), so its reloads show the same. */
export function setNoticeCookie(app: App, reply: FastifyReply, notice: RefusalNotice): void {
  const secure = app.config.secureCookies;
  reply.setCookie(customerNoticeCookieName(secure), `${notice.reason}:${notice.companyId}`, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure,
    signed: true,
    maxAge: NOTICE_MAX_AGE_S,
  });
}

/** Sets the customer session cookie (signed, HttpOnly, until the session's absolute end). */
export function setSessionCookie(app: App, reply: FastifyReply, token: string, expiresAt: Date) {
  reply.setCookie(customerCookieName(app.config.secureCookies), token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: app.config.secureCookies,
    signed: true,
    expires: expiresAt,
  });
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

/**
 * The authentication of the customer API, added by app.ts inside its own scope (the `/api/customer`
 * plugin, a sibling of the staff API's):
 * the CSRF rule on changes, then the customer session cookie; 401 without a session unless the route
 * is `config.public`. Routes of the customer page read the session with {@link customerSessionOf} or
 * {@link requireCustomerCase}.
 */
export function registerCustomerAuthentication(app: App): void {
  const cookieName = customerCookieName(app.config.secureCookies);
  const readSession = rememberingReadSigned();
  app.decorateRequest('customerSession', null);
  app.decorateRequest('customerRefusal', null);
  app.addHook('onRequest', async (request, reply) => {
    if (!SAFE_METHODS.has(request.method)) checkSameOrigin(request, app.config.publicOrigin);
    const token = readSession(request, cookieName);
    const checked = token ? await checkCustomerSession(app.db, token) : null;
    request.customerSession = checked?.session ?? null;
    request.customerRefusal = checked?.notice ?? null;
    if (token && !request.customerSession)
      reply.clearCookie(cookieName, clearedCookie(app.config.secureCookies));
    // The session's grant was removed: the page (and its reloads, without the cookie) says so.
    if (request.customerRefusal) setNoticeCookie(app, reply, request.customerRefusal);
    if (!request.customerSession && !request.routeOptions.config.public) {
      throw new AppError(
        'unauthenticated',
        request.customerRefusal
          ? 'Your access to this case was removed.'
          : 'Open the link you received to continue.',
      );
    }
  });
}
