import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';
import type { Actor } from '../security/actor.ts';

const ACCEPTED_BODY_TYPES = /^(application\/json|multipart\/form-data)\b/i;

/**
 * OWASP's standard-header check: a browser change must carry our own Origin, and a body a plain
 * HTML form cannot send cross-site with credentials unnoticed (JSON or multipart). Both the staff
 * hook (auth/authenticate.ts) and the customer hook (customer-access/customer-auth.ts) apply it.
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

/** The actor of a request on a non-public route (the staff hook guarantees one). */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new AppError('unauthenticated');
  return request.actor;
}
