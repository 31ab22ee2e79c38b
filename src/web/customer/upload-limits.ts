import { acceptedDocumentExtensions } from '../../common/rules/upload-limits.ts';

// The customer page's side of the upload limits: the limits themselves are the server's
// (common/rules/upload-limits.ts, zod-free, so this bundle takes them as they are); the page checks them
// before sending, so a customer is told at once instead of after uploading 25 MB; the server checks
// again.

export {
  hasAcceptedExtension,
  MAX_FILE_BYTES,
  MAX_MESSAGE_CHARS,
  MAX_MESSAGE_FILES,
} from '../../common/rules/upload-limits.ts';

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
  ...acceptedDocumentExtensions.map((extension) => `.${extension}`),
].join(',');
