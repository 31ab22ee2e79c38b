import { z } from 'zod';
import { webhookEventKinds } from '../rules/webhook-events.ts';
import { isoDateTime } from './date-formats.ts';
import { pageQuery } from './paging.ts';
import { singleLine } from './string-input.ts';

// Outbound webhooks (issue 18, part 4): a company's endpoints and their delivery log. The URL's
// shape is checked here; where it may point (https in production, no private address) is the
// server's rule (server/webhooks/targets.ts), as it depends on the configuration and on DNS.

const webhookUrl = singleLine()
  .max(2000)
  .refine((value) => URL.canParse(value) && /^https?:\/\//i.test(value), 'must be an http:// or https:// URL')
  .describe('Where the events are POSTed: https:// (http:// only outside production)');

const eventKindList = z
  .array(z.enum(webhookEventKinds))
  .min(1)
  .max(webhookEventKinds.length)
  .refine((kinds) => new Set(kinds).size === kinds.length, 'must not name a kind twice')
  .describe('The event kinds sent to this endpoint (docs/integrations.md, "Outbound webhooks")');

export const createWebhookSchema = z.strictObject({
  url: webhookUrl,
  eventKinds: eventKindList,
  description: singleLine().trim().max(200).optional(),
});

export const updateWebhookSchema = z
  .strictObject({
    url: webhookUrl.optional(),
    eventKinds: eventKindList.optional(),
    description: singleLine().trim().max(200).nullable().optional(),
    active: z.boolean().optional().describe('false: nothing is queued or sent; true: switched on again'),
  })
  .refine((body) => Object.keys(body).length > 0, 'must change at least one field');

export const webhookView = z.object({
  id: z.string(),
  url: z.string(),
  description: z.string().nullable(),
  eventKinds: z.array(z.enum(webhookEventKinds)),
  active: z.boolean(),
  /** 'gone': switched off because it answered 410 Gone. */
  disabledReason: z.enum(['gone']).nullable(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});

/** The answer of creation and rotation: the signing secret, shown this once. */
export const webhookWithSecretView = webhookView.extend({
  secret: z.string().describe('The signing secret (HMAC-SHA256): shown only in this answer'),
});

export const webhookDeliveryView = z.object({
  id: z.string(),
  eventId: z.string(),
  eventKind: z.string(),
  caseId: z.string(),
  state: z.enum(['queued', 'sending', 'sent', 'failed']),
  attempts: z.number().int(),
  lastStatus: z
    .number()
    .int()
    .nullable()
    .describe('HTTP status of the last attempt; null: none or no answer'),
  lastError: z.string().nullable(),
  createdAt: isoDateTime,
  lastAttemptAt: isoDateTime.nullable(),
  nextAttemptAt: isoDateTime.nullable().describe('When a queued delivery is tried next'),
  sentAt: isoDateTime.nullable(),
  replayOf: z.string().nullable(),
});

export const webhookListQuery = pageQuery();
export const webhookDeliveryListQuery = pageQuery();

export type CreateWebhookInput = z.infer<typeof createWebhookSchema>;
export type UpdateWebhookInput = z.infer<typeof updateWebhookSchema>;
export type WebhookView = z.infer<typeof webhookView>;
export type WebhookWithSecretView = z.infer<typeof webhookWithSecretView>;
export type WebhookDeliveryView = z.infer<typeof webhookDeliveryView>;
