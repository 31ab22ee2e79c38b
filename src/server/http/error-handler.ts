import type { FastifyError } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { ZodError } from 'zod';
import { AppError, type ErrorCode, type FieldIssue } from '../errors.ts';
import type { App } from './types.ts';

/** Fastify's own error codes that map onto our catalogue. */
const fastifyCodes: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'validation_failed',
  FST_ERR_CTP_INVALID_JSON_BODY: 'validation_failed',
  FST_ERR_VALIDATION: 'validation_failed',
};

/** Turns every error into `{"error": {"code", "message"}}` from the one catalogue. */
export function registerErrorHandler(app: App): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    let appError: AppError;
    if (error instanceof AppError) {
      appError = error;
    } else if (hasZodFastifySchemaValidationErrors(error)) {
      const fields = error.validation.map((issue) => ({
        path: [error.validationContext, ...issue.instancePath.split('/').filter(Boolean)].join('.'),
        message: issue.message ?? 'is not valid',
      }));
      appError = validationError(fields);
    } else if (error instanceof ZodError) {
      appError = validationError(error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
    } else if (isResponseSerializationError(error)) {
      request.log.error({ err: error }, 'response did not match its schema');
      appError = new AppError('internal_error');
    } else if (error.code && fastifyCodes[error.code]) {
      appError = new AppError(fastifyCodes[error.code] as ErrorCode, error.message);
    } else if (error.statusCode === 429) {
      appError = new AppError('too_many_requests');
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
        ...(appError.details?.fields && { fields: appError.details.fields }),
      },
    });
  });
}

function validationError(fields: FieldIssue[]): AppError {
  const summary = fields.map((f) => `${f.path || 'body'} ${f.message}`).join('; ');
  return new AppError('validation_failed', `The request is not valid: ${summary}`, { fields });
}
