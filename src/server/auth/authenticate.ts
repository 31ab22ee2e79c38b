import type { FastifyReply, FastifyRequest } from 'fastify';
import { resolveApiKey } from '../api-keys/api-keys.ts';
import { AppError } from '../errors.ts';
import { checkSameOrigin } from '../http/authenticate.ts';
import type { App } from '../http/types.ts';
import type { Actor } from '../security/actor.ts';
import { resolveSession } from './sessions.ts';
import { clearedCookie } from '../http/cookies.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Name of the staff session cookie: `__Host-` prefixed when served over HTTPS. */
export const sessionCookieName = (secure: boolean) => (secure ? '__Host-ks_session' : 'ks_session');

/**
 * The staff hook, added by app.ts inside the staff API's scope (the `/api` plugin; the customer API
 * is a sibling scope with its own hook, so staff credentials are never looked at there and customer
 * sessions never accepted here): resolves who is calling (bearer API key or session cookie), refuses
 * unauthenticated calls to non-public routes with 401, and applies the CSRF rule of the integration
 * contract §3 to every browser (non-API-key) change. Here, in the identity layer, because it
 * resolves API keys and sessions; the HTTP plumbing knows neither.
 */
export function registerStaffAuthentication(app: App): void {
  app.decorateRequest('actor', null);
  const cookieName = sessionCookieName(app.config.secureCookies);

  app.addHook('onRequest', async (request, reply) => {
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
    if (!actor) reply.clearCookie(name, clearedCookie(app.config.secureCookies));
    return actor;
  }
}
