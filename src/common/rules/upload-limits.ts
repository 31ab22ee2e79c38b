// The upload limits of the product, written once (pure, zod-free): the server enforces them
// (document-api.ts and message-api.ts re-export them beside their schemas), and the customer page
// checks them before sending, so a customer is told at once instead of after uploading 25 MB.

/**
 * Upload limits (OWASP ASVS 5.1.1, 5.2.1; numbers we set): one file per request of at most 25 MiB,
 * at most 500 MiB of files per case (documents and task media together), of which files uploaded by
 * customers (their messages' attachments) may take at most 100 MiB. Beyond any of them: 413.
 * Customer files count against both limits, staff and partner files against the case total only, so
 * whatever customers send, staff always keep MAX_CASE_BYTES − MAX_CUSTOMER_CASE_BYTES (400 MiB).
 */
export const MAX_FILE_BYTES = 25 * 1024 * 1024;
export const MAX_CASE_BYTES = 500 * 1024 * 1024;
export const MAX_CUSTOMER_CASE_BYTES = 100 * 1024 * 1024;

/** Accepted file types (sniffed from the bytes; the extension must match): what users see. */
export const acceptedDocumentExtensions = [
  'pdf',
  'jpg',
  'jpeg',
  'png',
  'heic',
  'heif',
  'webp',
  'gif',
  'docx',
  'xlsx',
  'odt',
  'mp4',
  'mov',
  'txt',
] as const;

/** Longest message text (characters); a message needs text or at least one file. */
export const MAX_MESSAGE_CHARS = 5000;

/** Our number: a satisfaction comment is a few sentences, not a letter (the thread is for those). */
export const MAX_SATISFACTION_COMMENT_CHARS = 1_000;
/** Most files in one message (each within the upload limits above). */
export const MAX_MESSAGE_FILES = 10;

/** Whether a file's name has an accepted extension (case-insensitive). */
export function hasAcceptedExtension(name: string): boolean {
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  return (acceptedDocumentExtensions as readonly string[]).includes(extension);
}
