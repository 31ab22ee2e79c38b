// The message limits of the server (src/common/message-api.ts, src/common/document-api.ts), copied
// because those modules carry zod and the customer bundle must not; upload-limits.test.ts keeps the
// copies equal. The page checks them before sending, so a customer is told at once instead of after
// uploading 25 MB; the server checks again.

/** Longest message text (characters). */
export const MAX_MESSAGE_CHARS = 5000;
/** Most files in one message. */
export const MAX_MESSAGE_FILES = 10;
/** Largest file (bytes, 25 MiB). */
export const MAX_FILE_BYTES = 25 * 1024 * 1024;
/** The file extensions the server accepts in a message (the content must match). */
export const ACCEPTED_EXTENSIONS = [
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

/**
 * The file picker's `accept`: every image type (so a phone offers its camera and photo library) and
 * the other accepted types by MIME type and extension.
 */
export const FILE_ACCEPT = [
  'image/*',
  'application/pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.oasis.opendocument.text',
  'video/mp4',
  'video/quicktime',
  'text/plain',
  ...ACCEPTED_EXTENSIONS.map((extension) => `.${extension}`),
].join(',');

/** Whether a file's name has an accepted extension. */
export function hasAcceptedExtension(name: string): boolean {
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  return (ACCEPTED_EXTENSIONS as readonly string[]).includes(extension);
}
