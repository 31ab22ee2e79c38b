import type { ErrorReason, FieldIssue } from '../common/rules/api-errors.ts';

/**
 * The one catalogue of API errors. Every error a client can see has a stable snake_case code here,
 * an HTTP status, and a default message. Routes and services throw `AppError`; the error handler
 * in app.ts turns it into `{"error": {"code", "message"}}` (plus `fields` of a validation error and
 * `reason`/`params` where set). The web translates the code, never shows `message` (issue 16).
 */
export const errorCatalogue = {
  validation_failed: { status: 400, message: 'The request is not valid.' },
  unauthenticated: { status: 401, message: 'Sign in to continue.' },
  metrics_token_required: {
    status: 401,
    message: 'The metrics need the scrape token: Authorization: Bearer <METRICS_TOKEN>.',
  },
  invalid_credentials: { status: 401, message: 'The e-mail address or password is wrong.' },
  signature_invalid: {
    status: 401,
    message: 'The Kundeside-Signature header is missing, malformed, too old, or does not match the body.',
  },
  forbidden: { status: 403, message: 'You are not allowed to do this.' },
  sso_required: {
    status: 403,
    message: 'Your company signs in through its own identity provider: use the single sign-on link.',
  },
  csrf_rejected: {
    status: 403,
    message: 'The request did not come from this application (Origin or content type not accepted).',
  },
  code_wrong: { status: 400, message: 'The code is wrong.' },
  code_expired: { status: 400, message: 'The code is no longer valid. Ask for a new code.' },
  code_locked: {
    status: 423,
    message: 'Too many wrong codes: the customer page is locked. Contact the company for a new link.',
  },
  not_found: { status: 404, message: 'Not found.' },
  satisfaction_not_open: {
    status: 409,
    message: 'The question about satisfaction is asked once the case is closed.',
  },
  satisfaction_answered: { status: 409, message: 'This question has already been answered. Thank you.' },
  quiet_hours_equal: {
    status: 400,
    message: 'Quiet hours must start and end at different hours (quietHoursFrom ≠ quietHoursTo).',
  },
  person_erased: { status: 409, message: 'This person’s data has already been erased from the case.' },
  archive_not_available: {
    status: 409,
    message: 'The case archive can be downloaded once the case is closed.',
  },
  settlement_not_found: { status: 404, message: 'The case has no customer settlement yet.' },
  settlement_approved: {
    status: 409,
    message: 'The customer settlement is approved and locked: make a new version to change it.',
  },
  settlement_empty: { status: 409, message: 'A customer settlement needs at least one line to be approved.' },
  settlement_changed: {
    status: 409,
    message: 'The customer settlement was changed meanwhile: reload it and try again.',
  },
  settlement_not_approved: {
    status: 409,
    message: 'A new version is made from an approved customer settlement; this one is still a draft.',
  },
  communication_not_allowed: {
    status: 403,
    message: 'The communication method of the customer page does not allow this message.',
  },
  conflict: { status: 409, message: 'The request conflicts with the current state.' },
  email_taken: { status: 409, message: 'A user with this e-mail address already exists.' },
  sms_not_sent: {
    status: 409,
    message: 'This SMS has not been handed to the provider yet: send the report again later.',
  },
  mobile_required: {
    status: 409,
    message:
      'The customer page requires the SMS security code, and this person has no mobile number: add one first.',
  },
  webhook_url_refused: {
    status: 400,
    message:
      'The webhook URL is not allowed (https in production; no loopback, private or link-local address).',
  },
  payload_too_large: { status: 413, message: 'The request is too large.' },
  unsupported_media_type: { status: 415, message: 'This content type is not accepted.' },
  too_many_requests: { status: 429, message: 'Too many attempts. Wait a while and try again.' },
  internal_error: { status: 500, message: 'Something went wrong on our side.' },
  not_ready: { status: 503, message: 'The service is not ready.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof errorCatalogue;

export type { FieldIssue };

/** What an error may carry beside its code and message. */
export interface ErrorDetails {
  fields?: FieldIssue[];
  retryAfterSeconds?: number;
  /** Refines the code for clients that translate it (a conflict's reason). */
  reason?: ErrorReason;
  params?: Record<string, string | number>;
}

/** An error the client is meant to see. */
export class AppError extends Error {
  override name = 'AppError';
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly details?: ErrorDetails,
  ) {
    super(message ?? errorCatalogue[code].message);
    this.status = errorCatalogue[code].status;
  }
}

/** 404 for anything the actor may not know exists. */
export const notFound = (what = 'Not found.') => new AppError('not_found', what);
