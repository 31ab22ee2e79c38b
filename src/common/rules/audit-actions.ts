// The kinds of lines in the audit trail (issue 19, item 6): admin changes (users, levels, API keys,
// settings, sign-in configuration, webhooks), document downloads by staff, and the data lifecycle
// (export, erasure, the retention job). The server writes only these; the staff page filters by them.

/** Every audit action, in the order the filter lists them. */
export const auditActions = [
  'user.created',
  'user.updated',
  'user.level_changed',
  'user.deactivated',
  'user.reactivated',
  'user.password_reset',
  'api_key.created',
  'api_key.revoked',
  'settings.changed',
  'company.changed',
  'sso.changed',
  'bankid.changed',
  'webhook.created',
  'webhook.changed',
  'webhook.deleted',
  'webhook.secret_rotated',
  'webhook.replayed',
  'document.downloaded',
  'person.exported',
  'person.erased',
  'retention.ran',
] as const;

/** One kind of audit line. */
export type AuditAction = (typeof auditActions)[number];

/** What an audit line is about (its subject's type). */
export const auditSubjectTypes = [
  'user',
  'api_key',
  'company',
  'customer_page',
  'sso',
  'bankid',
  'webhook',
  'document',
  'person',
  'case',
] as const;

/** The type of an audit line's subject. */
export type AuditSubjectType = (typeof auditSubjectTypes)[number];
