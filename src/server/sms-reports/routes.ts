import { errorBody } from '../../common/contracts/api.ts';
import { AppError } from '../errors.ts';
import { apiDefaults } from '../http/security-headers.ts';
import type { App } from '../http/types.ts';
import { SIGNATURE_HEADER, verifySignature } from '../security/signatures.ts';
import { applyDeliveryReport, deliveryReportSchema, deliveryReportView } from './delivery-reports.ts';

/** A report is a few hundred bytes; anything much larger is not one. */
const REPORT_BODY_LIMIT = 16 * 1024;

/**
 * `POST /api/sms/delivery-reports` (app.ts registers it under the prefix `/api/sms`): the SMS
 * provider's delivery reports. No cookie, no API key: the request is authenticated only by
 * `Kundeside-Signature` with SMS_WEBHOOK_SECRET over the raw body (docs/integrations.md), so this
 * plugin reads JSON bodies as text in its own scope (other routes keep Fastify's JSON parser),
 * checks the signature before anything else, then parses and validates. Without SMS_WEBHOOK_SECRET
 * (or without SMS_PROVIDER=webhook) the route does not exist: the path answers 404.
 */
export async function smsDeliveryReportRoutes(app: App): Promise<void> {
  // Its own JSON 404 in its scope: without the route the path is not found, never a staff refusal.
  apiDefaults(app);
  const secret = app.config.sms.provider === 'webhook' ? app.config.sms.webhookSecret : undefined;
  if (!secret) return;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit: REPORT_BODY_LIMIT },
    (_request, body, done) => done(null, body),
  );

  app.post(
    '/delivery-reports',
    {
      schema: {
        tags: ['sms provider'],
        summary:
          'The SMS provider reports whether a message reached the phone (delivered / failed), by idempotency ' +
          'key; signed with Kundeside-Signature over the raw body (401 signature_invalid otherwise). A report ' +
          'older than the stored one, or any after `delivered`, changes nothing (`applied: false`); 409 ' +
          'sms_not_sent before the message was handed to the provider',
        security: [],
        body: deliveryReportSchema,
        response: { 200: deliveryReportView, 400: errorBody, 401: errorBody, 404: errorBody, 409: errorBody },
      },
      // Before validation: an unsigned request learns nothing, not even whether its body is valid.
      preValidation: async (request) => {
        const raw = typeof request.body === 'string' ? request.body : '';
        const header = request.headers[SIGNATURE_HEADER.toLowerCase()];
        const check = verifySignature(secret, Array.isArray(header) ? header.join(',') : header, raw);
        if (check !== 'ok') {
          request.log.warn({ event: 'sms_report_refused', reason: check }, 'sms: delivery report refused');
          throw new AppError('signature_invalid');
        }
        try {
          // Validated against the route's schema next.
          (request as { body: unknown }).body = JSON.parse(raw);
        } catch {
          throw new AppError('validation_failed', 'The body is not valid JSON.');
        }
      },
    },
    async (request) => applyDeliveryReport(app.db, request.body),
  );
}
