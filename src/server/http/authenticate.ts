import type { FastifyReply, FastifyRequest } from 'fastify';
import { resolveApiKey } from '../api-keys/api-keys.ts';
import type { Actor } from '../auth/actor.ts';
import { resolveSession } from '../auth/sessions.ts';
import { AppError } from '../errors.ts';
import type { App } from './types.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const ACCEPTED_BODY_TYPES = /^(application\/json|multipart\/form-data)\b/i;

/** Path prefix of the customer-page API, authenticated by the customer session alone. */
export const CUSTOMER_API_PREFIX = '/api/customer/';

/** Name of the staff session cookie: `__Host-` prefixed when served over HTTPS. */
export const sessionCookieName = (secure: boolean) => (secure ? '__Host-ks_session' : 'ks_session');

/**
 * Resolves who is calling every /api request (bearer API key or session cookie), refuses
 * unauthenticated calls to non-public routes with 401, and applies the CSRF rule of the integration
 * contract §3 to every browser (non-API-key) change.
 */
export function registerAuthentication(app: App): void {
  app.decorateRequest('actor', null);
  const cookieName = sessionCookieName(app.config.secureCookies);

  app.addHook('onRequest', async (request, reply) => {
    // The customer API has its own session and hook (customer-access/customer-routes.ts): staff
    // credentials are not looked at there, and customer sessions are never accepted here.
    if (!request.url.startsWith('/api/') || request.url.startsWith(CUSTOMER_API_PREFIX)) return;
    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization);
      const actor = match?.[1] ? await resolveApiKey(app.db, match[1]) : null;
      if (!actor) {
        request.log.warn({ event: 'api_key_refused' }, 'security: API key refused');
        throw new AppError('unauthenticated', 'The API key is not valid.');
      }
      request.actor = actor;
      return;
    }

    if (!SAFE_METHODS.has(request.method)) checkSameOrigin(request, app.config.publicOrigin);
    request.actor = await actorFromCookie(request, reply, cookieName);
    if (!request.actor && !request.routeOptions.config.public) {
      throw new AppError('unauthenticated');
    }
  });

  async function actorFromCookie(
    request: FastifyRequest,
    reply: FastifyReply,
    name: string,
  ): Promise<Actor | null> {
    const raw = request.cookies[name];
    if (!raw) return null;
    const unsigned = request.unsignCookie(raw);
    const actor =
      unsigned.valid && unsigned.value ? await resolveSession(app.db, app.config, unsigned.value) : null;
    if (!actor) reply.clearCookie(name, { path: '/' });
    return actor;
  }
}

/**
 * OWASP's standard-header check: a browser change must carry our own Origin, and a body a plain
 * HTML form cannot send cross-site with credentials unnoticed (JSON or multipart).
 */
export function checkSameOrigin(request: FastifyRequest, publicOrigin: string): void {
  const origin = request.headers.origin;
  const contentType = request.headers['content-type'];
  const originOk = origin === publicOrigin;
  const typeOk = contentType === undefined || ACCEPTED_BODY_TYPES.test(contentType);
  if (!originOk || !typeOk) {
    request.log.warn(
      { event: 'csrf_rejected', origin: origin ?? null },
      'security: cross-site request refused',
    );
    throw new AppError('csrf_rejected');
  }
}

/** The actor of a request on a non-public route (the hook guarantees one). */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new AppError('unauthenticated');
  return request.actor;
}
