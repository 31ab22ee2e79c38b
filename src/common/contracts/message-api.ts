import { z } from 'zod';
import { isoDateTime } from './date-formats.ts';
import { communicationMethods } from '../rules/customer-page-settings.ts';
import { pageQuery, pageView } from './paging.ts';
import { multiLine } from './string-input.ts';
import { MAX_MESSAGE_CHARS } from '../rules/upload-limits.ts';

// Customer communication (spec §10; issue 7): request and response shapes of the staff routes
// (/api/cases/:id/messages…), the customer routes (/api/customer/messages…) and the staff
// notification list. The server validates and serialises with them; the web apps type their data.

// The message limits are written once, zod-free, in upload-limits.ts.
export { MAX_MESSAGE_CHARS, MAX_MESSAGE_FILES } from '../rules/upload-limits.ts';

/** JSON body of a message without files; multipart sends `body` as a field and files as `files`. */
export const postMessageBody = z.strictObject({
  body: multiLine().max(MAX_MESSAGE_CHARS, `is longer than ${MAX_MESSAGE_CHARS} characters`),
});
export type PostMessageInput = z.infer<typeof postMessageBody>;

/** The multipart text fields of a message. */
export const postMessageFields = z.strictObject({
  body: multiLine().max(MAX_MESSAGE_CHARS, `is longer than ${MAX_MESSAGE_CHARS} characters`).optional(),
});

export const messageDirections = ['to_customer', 'from_customer'] as const;
export type MessageDirection = (typeof messageDirections)[number];

export const messageAttachmentView = z.object({
  /** The document's id (the file is also in the case's document library). */
  id: z.string(),
  fileName: z.string(),
  contentType: z.string(),
  sizeBytes: z.number().int(),
  /** Where the file downloads (as an attachment) for the audience of the response. */
  url: z.string(),
});
export type MessageAttachmentView = z.infer<typeof messageAttachmentView>;

/** A message as staff see it. */
export const messageView = z.object({
  id: z.string(),
  caseId: z.string(),
  direction: z.enum(messageDirections),
  sender: z.object({
    kind: z.enum(['user', 'api_key', 'customer']),
    name: z.string(),
    /** The sender's e-mail address (null for an API key or a customer reached by phone only). */
    email: z.string().nullable(),
  }),
  body: z.string(),
  attachments: z.array(messageAttachmentView),
  createdAt: isoDateTime,
  /** A customer's message: when staff marked it read; null while unread (and for staff messages). */
  readAt: isoDateTime.nullable(),
});
export type MessageView = z.infer<typeof messageView>;

/**
 * Who a staff message reached when it was posted, so the confirmation says what really happened
 * (issue 16): nobody with access yet, a page that does not show the thread now, or the people told.
 */
export const messageDeliveryView = z.object({
  /** People with active access to the customer page now (0: nobody can read the message yet). */
  peopleWithAccess: z.number().int(),
  /** Whether the customer page shows the thread now (false: nobody was told; it waits on the page). */
  customerCanRead: z.boolean(),
  /** The people told about the message now: by e-mail, or by SMS when they have no e-mail address. */
  notified: z.array(z.object({ name: z.string(), channel: z.enum(['email', 'sms']) })),
});
export type MessageDeliveryView = z.infer<typeof messageDeliveryView>;

/** `POST /api/cases/:id/messages` (201): the message as in the thread, and who it reached. */
export const postedMessageView = messageView.extend({ delivery: messageDeliveryView });
export type PostedMessageView = z.infer<typeof postedMessageView>;

/** `GET /api/cases/:id/messages`: `page` / `pageSize` as every list (page 1: the newest messages). */
export const messageThreadQuery = pageQuery();

/**
 * GET /api/cases/:id/messages: one page of the thread, newest first, with the unread count and what
 * the customer page allows now (both about the whole thread).
 */
export const messageThreadView = pageView(messageView, {
  unreadFromCustomer: z.number().int(),
  communication: z.object({
    /** The company's communication method. */
    method: z.enum(communicationMethods),
    /** Whether staff may write to the customer (not with "only from the customer"). */
    staffCanPost: z.boolean(),
  }),
});
export type MessageThreadView = z.infer<typeof messageThreadView>;

export const markAllReadView = z.object({
  /** How many messages from the customer were marked read now (0: nothing was unread). */
  marked: z.number().int(),
});
export type MarkAllReadView = z.infer<typeof markAllReadView>;

// Staff notifications (GET /api/notifications …)

export const notificationView = z.object({
  id: z.string(),
  kind: z.enum(['customer_message']),
  caseId: z.string(),
  claimNumber: z.string(),
  address: z.string(),
  /** Who wrote (the customer's name); never the message text. */
  from: z.string(),
  createdAt: isoDateTime,
  readAt: isoDateTime.nullable(),
});
export type NotificationView = z.infer<typeof notificationView>;

/** `GET /api/notifications`: `page` / `pageSize` as every list (page 1: the newest). */
export const notificationListQuery = pageQuery();

/** One page of the user's notifications, newest first, with the unread count of all of them. */
export const notificationListView = pageView(notificationView, { unread: z.number().int() });
export type NotificationListView = z.infer<typeof notificationListView>;
