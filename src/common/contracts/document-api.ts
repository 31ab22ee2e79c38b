import { z } from 'zod';
import { isoDateTime } from './date-formats.ts';
import { pageParams, pageView } from './paging.ts';
import { idSchema } from './schemas.ts';
import { triggers } from '../rules/customer-page-settings.ts';

// The case document library: request and response shapes (server validates and serialises with
// them; the web app types its data by them).

/** Kinds a document can be uploaded as (`task_media` is set by the task media route). */
export const uploadDocumentKinds = ['inspection_report', 'customer_settlement_report', 'other'] as const;
export const documentKinds = [...uploadDocumentKinds, 'task_media'] as const;
export type DocumentKind = (typeof documentKinds)[number];

export const documentUploaderKinds = ['staff', 'partner', 'customer'] as const;

// The upload limits and accepted extensions are written once, zod-free, in upload-limits.ts.
export {
  acceptedDocumentExtensions,
  MAX_CASE_BYTES,
  MAX_CUSTOMER_CASE_BYTES,
  MAX_FILE_BYTES,
} from '../rules/upload-limits.ts';

/** Task multimedia: images, video and PDF. */
export const acceptedMediaExtensions = [
  'pdf',
  'jpg',
  'jpeg',
  'png',
  'heic',
  'heif',
  'webp',
  'gif',
  'mp4',
  'mov',
] as const;

/** The text fields of a document upload (multipart, beside the `file` part). */
export const uploadDocumentFields = z.strictObject({
  kind: z.enum(uploadDocumentKinds),
  /** Upload made on behalf of a partner office of the company: counts as a partner upload. */
  partnerOfficeId: idSchema.optional(),
});
export type UploadDocumentFields = z.infer<typeof uploadDocumentFields>;

/** The text fields of a task media upload (none: only the `file` part). */
export const uploadTaskMediaFields = z.strictObject({});

export const listDocumentsQuery = z.strictObject({
  /** Only the media of this task. */
  taskId: idSchema.optional(),
  ...pageParams(),
});

/** `DELETE /api/cases/:id/documents/:documentId`. */
export const documentOfCaseParams = z.strictObject({ id: idSchema, documentId: idSchema });

export const documentIdsSchema = z.strictObject({
  documentIds: z.array(idSchema).min(1, 'needs at least one document').max(200),
});
export type DocumentIdsInput = z.infer<typeof documentIdsSchema>;

/**
 * Whether and why the customer sees a document (issue 16): shared by hand (`by` a name, at `at`);
 * shared by the report rule at `milestone` (since `at`); a report the rule will share at
 * `milestone`; a report staff withheld from the customer (`by`, `at`); an older report a newer one
 * replaced (the rule shares only the newest of a kind); or not shared.
 */
export const documentCustomerSharingStates = [
  'shared_by_staff',
  'shared_automatically',
  'automatic_pending',
  'withheld',
  'replaced',
  'not_shared',
] as const;
export const documentCustomerSharing = z.object({
  state: z.enum(documentCustomerSharingStates),
  /** The report rule's milestone (the later of the Documents tab's and the report's trigger). */
  milestone: z.enum(triggers).nullable(),
  at: z.string().nullable(),
  by: z.string().nullable(),
});
export type DocumentCustomerSharing = z.infer<typeof documentCustomerSharing>;

export const documentView = z.object({
  id: z.string(),
  caseId: z.string(),
  taskId: z.string().nullable(),
  kind: z.enum(documentKinds),
  fileName: z.string(),
  contentType: z.string(),
  sizeBytes: z.number().int(),
  uploadedBy: z.object({ kind: z.enum(documentUploaderKinds), name: z.string().nullable() }),
  /** False for a partner's or customer's upload no staff member has marked seen yet. */
  seen: z.boolean(),
  seenAt: isoDateTime.nullable(),
  /** Shared by hand with the customer. */
  shared: z.boolean(),
  sharedAt: isoDateTime.nullable(),
  /** Whether and why the customer sees it (by hand, by the report rule, withheld …). */
  customerSharing: documentCustomerSharing,
  createdAt: isoDateTime,
  /** Whether the asking staff member may delete it (the server's rule, so the UI never re-types it). */
  deletable: z.boolean(),
});
export type DocumentView = z.infer<typeof documentView>;

/** The documents a share or unshare changed (at most the 200 it names). */
export const documentListView = z.array(documentView);
/** `GET /api/cases/:id/documents`: one page of the library, newest first. */
export const documentPageView = pageView(documentView);
