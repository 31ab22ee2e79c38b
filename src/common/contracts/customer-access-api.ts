import { z } from 'zod';
import { isoDate, isoDateTime } from './date-formats.ts';
import { pageQuery, pageView } from './paging.ts';
import { accessForValues, sendLinkValues } from '../rules/customer-page-settings.ts';
import { idSchema, phoneSchema } from './schemas.ts';

/**
 * Request and response shapes of customer-page access (issue 5): the staff side (who has access to a
 * case's customer page, the per-case "send link" setting, delivery states) and the customer side
 * (the session after opening a link, the SMS security code). The server validates and serialises
 * with these; the web app types its data with them.
 */

// ---------------------------------------------------------------------------------------------------
// Staff: GET/POST /api/cases/:id/customer-access, DELETE …/:contactId, GET/PUT …/customer-page-link

export const customerAccessStates = ['active', 'removed', 'not_granted', 'unreachable'] as const;
export type CustomerAccessState = (typeof customerAccessStates)[number];

export const deliveryChannels = ['email', 'sms'] as const;
export type DeliveryChannel = (typeof deliveryChannels)[number];

/**
 * POST /api/cases/:id/customer-access. `phone`: a mobile number for a person who has none (with the
 * SMS security code on, a grant needs one; a landline is refused), saved on the person first.
 */
export const grantCustomerAccessSchema = z.strictObject({
  contactId: idSchema,
  phone: phoneSchema.optional(),
});

/** POST …/customer-access/:contactId/new-link: nothing, or a mobile number to save first (as a grant). */
export const newCustomerLinkSchema = z.strictObject({ phone: phoneSchema.optional() }).nullish();

export const customerAccessParams = z.object({ id: idSchema, contactId: idSchema });

/** PUT /api/cases/:id/customer-page-link: a value, or null to follow the company's setting again. */
export const caseSendLinkSchema = z.strictObject({
  sendLink: z
    .enum(sendLinkValues, {
      error: () => `must be one of ${sendLinkValues.join(', ')}, or null for the company's setting`,
    })
    .nullable(),
});

export const caseSendLinkView = z.object({
  /** What applies to this case: the case's own value, else the company's. */
  effective: z.enum(sendLinkValues),
  /** The case's own value; null when the company's setting applies. */
  caseOverride: z.enum(sendLinkValues).nullable(),
  companyDefault: z.enum(sendLinkValues),
  /** Whether the milestone of `effective` is reached (links of people who should have access went out). */
  due: z.boolean(),
});
export type CaseSendLinkView = z.infer<typeof caseSendLinkView>;

/** What an outbox message is for: the link, an SMS code, a new-message notice to a customer or to staff. */
export const outboxKinds = [
  'customer_link',
  'sms_code',
  'message_notice',
  'staff_notice',
  // The customer page closes soon: download the case archive (case-archive/).
  'archive_notice',
] as const;

/** One message to a person (the link, or an SMS security code) and how its delivery went. */
export const deliveryView = z.object({
  id: z.string(),
  kind: z.enum(outboxKinds),
  channel: z.enum(deliveryChannels),
  recipient: z.string(),
  state: z.enum(['queued', 'sending', 'sent', 'failed']),
  attempts: z.number().int(),
  /** Why the last attempt failed (a retry is scheduled while the state is queued). */
  lastError: z.string().nullable(),
  /** 'smtp', 'sms-webhook', or 'dev-mailbox' (kept for level-6 staff, never sent). */
  deliveredVia: z.string().nullable(),
  createdAt: isoDateTime,
  sentAt: isoDateTime.nullable(),
  /**
   * What the SMS provider's delivery report said (SMS handed to the webhook only): `delivered` to the
   * phone or `failed` (`providerError`: its reason); null while no report has come.
   */
  providerStatus: z.enum(['delivered', 'failed']).nullable(),
  providerStatusAt: isoDateTime.nullable(),
  providerError: z.string().nullable(),
});

/** How a customer was identified on the customer page (the access dialog). */
export const customerIdentificationView = z.object({
  method: z.enum(['link', 'sms_code', 'bankid']),
  /** The name BankID verified (bankid only). */
  name: z.string().nullable(),
  /** The birth date BankID verified, YYYY-MM-DD (bankid only); never the national identity number. */
  birthDate: isoDate.nullable(),
  at: isoDateTime,
});
export type CustomerIdentificationView = z.infer<typeof customerIdentificationView>;

export const customerAccessPersonView = z.object({
  contactId: z.string(),
  name: z.string(),
  role: z.enum(['customer', 'contact_person', 'other']),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  /** Whether the company's `accessFor` setting gives this person access (when the link is due). */
  eligible: z.boolean(),
  /** `unreachable`: neither e-mail nor phone, so no link can be sent (staff should add one). */
  state: z.enum(customerAccessStates),
  /** How a link reaches the person: e-mail and/or SMS. */
  channels: z.array(z.enum(deliveryChannels)),
  accessId: z.string().nullable(),
  grantedAt: isoDateTime.nullable(),
  grantedBy: z
    .object({ kind: z.enum(['user', 'api_key', 'system']), name: z.string().nullable() })
    .nullable(),
  removedAt: isoDateTime.nullable(),
  lastUsedAt: isoDateTime.nullable(),
  /** When too many wrong SMS codes locked the person's access; null when not locked. A new link unlocks. */
  codeLockedAt: isoDateTime.nullable(),
  /**
   * The SMS security code is on and the person has no number that can receive it (none, or a
   * landline): no link is sent automatically, and staff must add a mobile number before granting.
   */
  mobileMissing: z.boolean(),
  /** `landline`: the phone on record is valid but cannot receive an SMS; null without a phone. */
  phoneKind: z.enum(['mobile', 'landline', 'invalid']).nullable(),
  /**
   * Who opened the page last and how: `bankid` (with the name and birth date BankID verified),
   * `sms_code`, or `link` (no identification asked); null while the page was never opened.
   */
  identification: customerIdentificationView.nullable(),
  /** Messages to the person, newest first. */
  messages: z.array(deliveryView),
});
export type CustomerAccessPersonView = z.infer<typeof customerAccessPersonView>;

export const customerAccessListView = z.object({
  /** People with active access: the number on the access symbol (spec §9). */
  activeCount: z.number().int(),
  accessFor: z.enum(accessForValues),
  smsSecurityCode: z.boolean(),
  /** The customer identifies with BankID (then smsSecurityCode is its fallback). */
  bankIdSignIn: z.boolean(),
  sendLink: caseSendLinkView,
  /** False while the case is cancelled or past its days visible after closing: every link fails. */
  caseReachable: z.boolean(),
  people: z.array(customerAccessPersonView),
});
export type CustomerAccessListView = z.infer<typeof customerAccessListView>;

// ---------------------------------------------------------------------------------------------------
// Development mailbox: GET /api/admin/dev-mailbox (level 6; 404 in production)

/** `GET /api/admin/dev-mailbox`: `page` / `pageSize` as every list (page 1: the newest). */
export const devMailboxQuery = pageQuery();

export const devMailboxMessageView = z.object({
  id: z.string(),
  caseId: z.string().nullable(),
  kind: z.enum(outboxKinds),
  channel: z.enum(deliveryChannels),
  to: z.string(),
  from: z.string().nullable(),
  subject: z.string().nullable(),
  text: z.string(),
  html: z.string().nullable(),
  idempotencyKey: z.string(),
  state: z.enum(['queued', 'sending', 'sent', 'failed']),
  createdAt: isoDateTime,
  sentAt: isoDateTime.nullable(),
});

/** One page of the development mailbox, newest first. */
export const devMailboxView = pageView(devMailboxMessageView);
export type DevMailboxView = z.infer<typeof devMailboxView>;

// ---------------------------------------------------------------------------------------------------
// Customer: GET /api/customer/session, POST /api/customer/code/send, …/code/verify, …/logout

export const customerSessionStates = ['ok', 'code_required', 'bankid_required', 'unavailable'] as const;

/**
 * Why the page is unavailable: `link_invalid` (no session: unknown, expired or replaced link),
 * `access_removed`, `case_unavailable` (cancelled, or closed longer than the days visible), `no_phone`
 * (the SMS code is required and the person has no phone on record), `code_locked` (too many wrong
 * SMS codes: locked until staff send a new link; a session that passed the code keeps working).
 */
export const customerUnavailableReasons = [
  'link_invalid',
  'access_removed',
  'case_unavailable',
  'no_phone',
  'code_locked',
] as const;

/**
 * What the customer page may show. `claimNumber` only when `ok`; `phoneHint` (masked) only when
 * `code_required`; `company` and `contactForMoreInfo` whenever the company is known.
 */
export const customerSessionView = z.object({
  state: z.enum(customerSessionStates),
  reason: z.enum(customerUnavailableReasons).nullable(),
  claimNumber: z.string().nullable(),
  company: z.object({ name: z.string() }).nullable(),
  contactForMoreInfo: z.string().nullable(),
  phoneHint: z.string().nullable(),
  /**
   * With `bankid_required`: the last BankID attempt's problem (`failed`: refused or not completed,
   * nothing verified; `unavailable`: the broker did not answer) and whether the SMS code is offered
   * instead (the company allows it, BankID is unavailable and the person has a mobile number; then
   * `phoneHint` is set and POST /api/customer/code/send and …/verify work for this session).
   */
  bankId: z
    .object({ problem: z.enum(['failed', 'unavailable']).nullable(), smsFallback: z.boolean() })
    .optional(),
  /**
   * Present (true) when a link for another grant was opened in this browser while this session was
   * live: the page asks whether to switch (POST /api/customer/pending-link/accept or …/dismiss).
   */
  pendingLink: z.literal(true).optional(),
});
export type CustomerSessionView = z.infer<typeof customerSessionView>;

export const customerCodeSendView = z.object({
  phoneHint: z.string(),
  /** The code is valid this long. */
  expiresInSeconds: z.number().int(),
  /** A new code can be asked for after this long. */
  resendAfterSeconds: z.number().int(),
});

export const customerCodeVerifySchema = z.strictObject({
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, 'must be the 6 digits of the code'),
});
