import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { ZodError } from 'zod';
import { AppError, type ErrorCode } from '../errors.ts';
import { fieldIssuesOf, validationError, withCode } from './field-issues.ts';
import type { App } from './types.ts';

/** Fastify's own error codes that map onto our catalogue. */
const fastifyCodes: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'validation_failed',
  FST_ERR_CTP_INVALID_JSON_BODY: 'validation_failed',
  FST_ERR_VALIDATION: 'validation_failed',
};

/**
 * PostgreSQL refusals caused by the characters a client sent (the schemas refuse control characters
 * first; this is the backstop for any input that reaches a query without them): 22021
 * character_not_in_repertoire (NUL, or bytes that are not UTF-8, in text) and 22P05
 * untranslatable_character (\u0000 in jsonb). SQLite stores such text as it is.
 */
const badTextCodes = new Set(['22021', '22P05']);

/** Our code for a client error status a framework error carries. */
const clientErrorCodes: Partial<Record<number, ErrorCode>> = {
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'too_many_requests',
};

/**
 * Fastify's answer to a request it cannot route (a malformed URL such as `/api/cases/%ZZ`): our error
 * shape and the headers other responses get from the hooks, which do not run for it.
 */
export function frameworkErrorAnswer(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  void reply
    .status(400)
    .headers({
      'content-security-policy':
        "default-src 'none'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
      'x-request-id': request.id,
    })
    .send({
      error: {
        code: 'validation_failed',
        message: `The address is not valid (${error.code ?? 'bad request'}).`,
      },
    });
}

/** Turns every error into `{"error": {"code", "message"}}` from the one catalogue. */
export function registerErrorHandler(app: App): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    let appError: AppError;
    if (error instanceof AppError) {
      appError = error;
    } else if (hasZodFastifySchemaValidationErrors(error)) {
      const context = error.validationContext ?? 'body';
      const issues = error.validation.map((issue) => ({
        ...issue.params,
        code: issue.keyword,
        message: issue.message,
        path: issue.instancePath.split('/').filter(Boolean),
      }));
      // What was sent, to tell a missing field ("required") from a wrong one.
      const sent: unknown =
        context === 'querystring'
          ? request.query
          : context === 'params'
            ? request.params
            : context === 'headers'
              ? request.headers
              : request.body;
      appError = validationError(fieldIssuesOf(issues, context, sent ?? null));
    } else if (error instanceof ZodError) {
      appError = validationError(fieldIssuesOf(error.issues, ''));
    } else if (isResponseSerializationError(error)) {
      request.log.error({ err: error }, 'response did not match its schema');
      appError = new AppError('internal_error');
    } else if (error.code && badTextCodes.has(error.code)) {
      request.log.warn({ err: error }, 'database refused the characters of a request');
      appError = new AppError('validation_failed', 'The request contains characters that cannot be stored.');
    } else if (error.code && fastifyCodes[error.code]) {
      appError = new AppError(fastifyCodes[error.code] as ErrorCode, error.message);
    } else if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
      // Any other client error Fastify or a plugin raises keeps a 4xx and our shape.
      appError = new AppError(clientErrorCodes[error.statusCode] ?? 'validation_failed', error.message);
    } else {
      request.log.error({ err: error }, 'unhandled error');
      appError = new AppError('internal_error');
    }
    if (appError.details?.retryAfterSeconds)
      reply.header('retry-after', String(appError.details.retryAfterSeconds));
    return reply.status(appError.status).send({
      error: {
        code: appError.code,
        message: appError.message,
        ...(appError.details?.fields && { fields: appError.details.fields.map(withCode) }),
        ...(appError.details?.reason && { reason: appError.details.reason }),
        ...(appError.details?.params && { params: appError.details.params }),
      },
    });
  });
}
