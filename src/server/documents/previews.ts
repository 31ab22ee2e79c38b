import type { Readable } from 'node:stream';
import sharp, { type Sharp } from 'sharp';
import type { DocumentsTable } from '../db/schema.ts';
import { FileNotFoundError, readAll, streamOf, type FileStorage } from '../storage/file-storage.ts';
import { decodeHeicOffThread } from './heic-worker.ts';

/** What making previews needs (a subset of intake.ts's DocumentDeps, which imports this module). */
interface PreviewDeps {
  storage: FileStorage;
  log?: {
    error: (details: object, message: string) => void;
    warn?: (details: object, message: string) => void;
  };
}

/**
 * Previews of image documents (JPEG, PNG, WebP, GIF, HEIC/HEIF): a thumbnail (WebP, 320 px wide)
 * for lists and a display image (JPEG, at most 1600 px on its longer side) for the viewer — the one
 * way an iPhone's HEIC photo can be shown in a browser; the original stays as uploaded and still
 * downloads unchanged. Both have the EXIF orientation applied and carry no metadata (no GPS
 * position, no camera serial).
 *
 * They are made right after an upload's commit (intake.ts commitFiles) and stored under the
 * file's key in the `previews/` folder, each written atomically by the storage. A document without them
 * (uploaded before previews existed, or whose making was interrupted) gets them on the first request
 * ({@link openPreview}). An image that cannot be decoded keeps its upload and simply has no preview:
 * a `.nopreview` marker stops every later request from decoding it again. PDFs get no preview:
 * the prebuilt libvips of sharp has no PDF renderer, and a PDF renderer in JavaScript (pdf.js) is
 * too heavy for a thumbnail.
 */

export type PreviewKind = 'thumbnail' | 'display';

/** Width of a thumbnail in pixels (smaller images keep their size). */
export const THUMBNAIL_WIDTH = 320;
/** Longest side of a display image in pixels. */
export const DISPLAY_SIZE = 1600;
/** Decoding limit: larger images (a decompression bomb) get no preview. */
const MAX_PIXELS = 100_000_000;

const PREVIEW_TYPES = /^image\/(jpeg|png|webp|gif|heic|heif)(-sequence)?$/;
const HEIF_TYPES = /^image\/hei[cf](-sequence)?$/;

/** Whether documents of this content type get a thumbnail and a display image. */
export const hasPreview = (contentType: string): boolean => PREVIEW_TYPES.test(contentType);

/** Content type of each preview. */
export const previewContentType: Record<PreviewKind, string> = {
  thumbnail: 'image/webp',
  display: 'image/jpeg',
};

// Derived data in a folder of its own (`previews/<companyId>/<documentId>.thumb`), apart from the
// uploads: it can be deleted as a whole and is made again on request.
const keyOf = (storageKey: string, kind: PreviewKind) =>
  `previews/${storageKey}.${kind === 'thumbnail' ? 'thumb' : 'view'}`;
const failedKey = (storageKey: string) => `previews/${storageKey}.nopreview`;

/** Every key a document's previews may occupy (removed with the document). */
export const previewKeysOf = (storageKey: string): string[] => [
  keyOf(storageKey, 'thumbnail'),
  keyOf(storageKey, 'display'),
  failedKey(storageKey),
];

/** The image's pixels as sharp input, orientation applied (HEIC through the wasm libheif). */
async function decodeImage(bytes: Buffer, contentType: string): Promise<Sharp> {
  if (HEIF_TYPES.test(contentType)) {
    // libheif applies the HEIF rotation and mirroring itself; sharp's prebuilt libvips has no HEVC decoder.
    // In a worker thread: the wasm decoder would stall every other request for seconds.
    const image = await decodeHeicOffThread(bytes);
    if (image.width * image.height > MAX_PIXELS) throw new Error('The image is too large to preview.');
    const pixels = Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength);
    return sharp(pixels, { raw: { width: image.width, height: image.height, channels: 4 } });
  }
  return sharp(bytes, { failOn: 'error', limitInputPixels: MAX_PIXELS }).rotate();
}

/** The uploaded bytes: at the key, or still staged (as intake.ts openDocumentBytes reads them). */
async function openOriginal(storage: FileStorage, document: PreviewSource): Promise<Readable> {
  try {
    return await storage.get(document.storage_key);
  } catch (error) {
    if (!(error instanceof FileNotFoundError)) throw error;
    return storage.openStaged(document.id).catch(() => {
      throw error;
    });
  }
}

/** Renders both previews of an image (throws when it cannot be decoded). */
export async function renderPreviews(
  bytes: Buffer,
  contentType: string,
): Promise<Record<PreviewKind, Buffer>> {
  const image = await decodeImage(bytes, contentType);
  // Rotated first: a raw (already oriented) HEIC image and a rotated JPEG are resized alike.
  const oriented = sharp(await image.png({ compressionLevel: 0 }).toBuffer(), {
    limitInputPixels: MAX_PIXELS,
  });
  const [thumbnail, display] = await Promise.all([
    oriented
      .clone()
      .resize({ width: THUMBNAIL_WIDTH, withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .webp({ quality: 72 })
      .toBuffer(),
    oriented
      .clone()
      .resize({ width: DISPLAY_SIZE, height: DISPLAY_SIZE, fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .jpeg({ quality: 82, mozjpeg: true })
      .toBuffer(),
  ]);
  return { thumbnail, display };
}

type PreviewSource = Pick<DocumentsTable, 'id' | 'storage_key' | 'content_type'>;

/**
 * Makes and stores the previews of a document (nothing for a type without previews). Never throws:
 * an image that cannot be decoded is marked as having none, and a storage failure is logged (the
 * next request tries again). Returns the previews made, or null.
 */
export async function makePreviews(
  deps: PreviewDeps,
  document: PreviewSource,
): Promise<Record<PreviewKind, Buffer> | null> {
  if (!hasPreview(document.content_type)) return null;
  let previews: Record<PreviewKind, Buffer>;
  try {
    const bytes = await readAll(await openOriginal(deps.storage, document));
    previews = await renderPreviews(bytes, document.content_type);
  } catch (error) {
    if (error instanceof FileNotFoundError) return null;
    deps.log?.warn?.(
      { err: error, documentId: document.id },
      'documents: the image cannot be decoded; it has no preview',
    );
    await deps.storage.put(failedKey(document.storage_key), Buffer.alloc(0)).catch(() => {});
    return null;
  }
  try {
    // The display image first: a thumbnail implies both exist.
    await deps.storage.put(keyOf(document.storage_key, 'display'), previews.display);
    await deps.storage.put(keyOf(document.storage_key, 'thumbnail'), previews.thumbnail);
  } catch (error) {
    deps.log?.error({ err: error, documentId: document.id }, 'documents: could not store the previews');
  }
  return previews;
}

/**
 * A stream of a document's preview, made now when it is missing; null when the document has none
 * (not an image, or an image that cannot be decoded). Call it only after the actor's access to the
 * document was checked.
 */
export async function openPreview(
  deps: PreviewDeps,
  document: PreviewSource,
  kind: PreviewKind,
): Promise<Readable | null> {
  if (!hasPreview(document.content_type)) return null;
  try {
    return await deps.storage.get(keyOf(document.storage_key, kind));
  } catch (error) {
    if (!(error instanceof FileNotFoundError)) throw error;
  }
  if (await deps.storage.exists(failedKey(document.storage_key))) return null;
  const made = await makePreviews(deps, document);
  return made ? streamOf(made[kind]) : null;
}

/** Headers of a preview: our own re-encoded image, shown inline; never sniffed, sandboxed. */
export const previewHeaders = (kind: PreviewKind) => ({
  'content-type': previewContentType[kind],
  'x-content-type-options': 'nosniff',
  'content-security-policy':
    "sandbox; default-src 'none'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
  // Case data is never stored by a cache (quality bar), even though a document's bytes never change:
  // a preview must not outlive a document taken away from the customer. A page keeps its images in
  // memory while it is open.
  'cache-control': 'private, no-store',
  'cross-origin-resource-policy': 'same-origin',
});
