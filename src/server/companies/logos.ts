import type { MultipartFile, MultipartValue } from '@fastify/multipart';
import { fileTypeFromBuffer } from 'file-type';
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import type { Db } from '../db/database.ts';
import { extensionOf, formatMiB } from '../storage/file-types.ts';
import { FileNotFoundError, readAll, type FileStorage } from '../storage/file-storage.ts';
import { AppError, type FieldIssue } from '../errors.ts';
import { isLogoKeyInUse } from './queries.ts';

/**
 * Logos: the company's own (Company → Overview, `companies.logo_key`) and the customer page's
 * (`customer_page_settings.logo_key`). Both are uploaded the same way:
 *
 * - multipart, one file in the field `file`, at most 2 MB (MAX_LOGO_BYTES, our number) → else 413;
 * - PNG or JPEG, sniffed from the bytes with file-type, the file name's extension matching → else 415.
 *   SVG is refused (415) rather than sanitised: an SVG is a document that can carry scripts, links and
 *   external references, and a sanitiser is one more thing to keep correct; a PNG export is easy.
 *   GIF, WebP and anything else are refused too;
 * - decoded by sharp with a pixel limit (25 megapixels, against decompression bombs) and re-encoded, so
 *   nothing of the uploaded file (metadata, extra chunks, trailing bytes) is ever served;
 * - scaled to a height of 40 px (guide: "Logoen justeres automatisk til høyden 40px") and 80 px for
 *   sharp screens, aspect ratio kept, at most 480 (960) px wide — a very wide logo ends up lower than
 *   40 px rather than wider — stored as PNG (lossless, keeps transparency);
 * - stored under a content-hash key (`logos/<sha256>-40.png`, `…-80.png`): the URL of a logo never
 *   changes meaning, so it is served with a year of immutable caching;
 * - served at GET /logos/<sha256>-<40|80>.png only while the hash is a company's or a customer page's
 *   current logo (else 404).
 *
 * Nothing half-written: the renditions are written before the database row points at them, and deleted
 * again (unless another row uses the same content) when that write fails.
 */

export const MAX_LOGO_BYTES = 2 * 1024 * 1024;
/** The logo's height on the customer page, and its 2x rendition. */
export const LOGO_HEIGHTS = [40, 80] as const;
export type LogoHeight = (typeof LOGO_HEIGHTS)[number];
/** The widest logo at 1x; twice that at 2x. */
export const LOGO_MAX_WIDTH = 480;
/** Decompression-bomb guard: images of more pixels are refused before they are decoded. */
export const LOGO_MAX_INPUT_PIXELS = 25_000_000;

const accepted: Record<string, { label: string; extensions: string[] }> = {
  png: { label: 'PNG', extensions: ['png'] },
  jpg: { label: 'JPEG', extensions: ['jpg', 'jpeg'] },
};
const ACCEPTED_TEXT = 'Upload the logo as PNG or JPEG (at most 2 MB).';

/** A logo's key: the SHA-256 (hex) of its renditions. */
export type LogoKey = string;
const LOGO_KEY = /^[0-9a-f]{64}$/;
const LOGO_FILE = /^([0-9a-f]{64})-(40|80)\.png$/;

export const logoStorageKey = (key: LogoKey, height: LogoHeight) => `logos/${key}-${height}.png`;

/** The public URLs of a logo: `logoUrl` (40 px high) and `logoUrl2x` (80 px). */
export function logoUrls(key: LogoKey | null): { logoUrl: string | null; logoUrl2x: string | null } {
  if (key === null || !LOGO_KEY.test(key)) return { logoUrl: null, logoUrl2x: null };
  return { logoUrl: `/logos/${key}-40.png`, logoUrl2x: `/logos/${key}-80.png` };
}

export interface LogoDeps {
  db: Db;
  storage: FileStorage;
  log?: { error: (details: object, message: string) => void };
}

/** An uploaded logo, scaled and re-encoded, not yet stored. */
export interface RenderedLogo {
  key: LogoKey;
  renditions: Array<{ height: LogoHeight; bytes: Buffer }>;
}

type Part = MultipartFile | MultipartValue;

/**
 * Reads the multipart body of a logo upload: exactly one file in the field `file`, no other fields;
 * more than MAX_LOGO_BYTES → 413. The multipart plugin must be registered with
 * `limits.fileSize = MAX_LOGO_BYTES` (see {@link logoMultipartOptions}).
 */
export async function receiveLogo(
  isMultipart: boolean,
  parts: () => AsyncIterable<Part>,
): Promise<{ fileName: string; bytes: Buffer }> {
  if (!isMultipart) {
    throw new AppError('unsupported_media_type', `Send the logo as multipart/form-data in the field "file".`);
  }
  let file: { fileName: string; bytes: Buffer } | null = null;
  try {
    for await (const part of parts()) {
      if (part.type === 'field') throw fieldError(part.fieldname, 'is not a known field; send only "file"');
      if (part.fieldname !== 'file' || file) {
        part.file.resume();
        throw fieldError('file', 'send exactly one file, in the field "file"');
      }
      const bytes = await part.toBuffer();
      file = { fileName: part.filename ?? '', bytes };
    }
  } catch (error) {
    throw multipartError(error);
  }
  if (!file) throw fieldError('file', 'is required');
  if (file.bytes.length === 0) throw fieldError('file', 'is empty');
  return file;
}

/** The options of @fastify/multipart for a route scope that receives logos. */
export const logoMultipartOptions = {
  limits: { fileSize: MAX_LOGO_BYTES, files: 1, fields: 2, fieldSize: 1024, parts: 3, headerPairs: 20 },
};

/** Checks the type of an uploaded logo and renders it at 40 and 80 px height as PNG. */
export async function renderLogo(fileName: string, bytes: Buffer): Promise<RenderedLogo> {
  const sniffed = await fileTypeFromBuffer(bytes);
  const declared = extensionOf(fileName);
  if (!sniffed && looksLikeSvg(bytes)) throw svgRefused();
  if (sniffed?.ext === 'xml' || sniffed?.ext === 'svg') throw svgRefused();
  const type = sniffed ? accepted[sniffed.ext] : undefined;
  if (!sniffed || !type) {
    throw new AppError(
      'unsupported_media_type',
      `The logo was not accepted: its content is ${sniffed ? `${sniffed.mime}` : 'not an image we know'}. ${ACCEPTED_TEXT}`,
    );
  }
  if (!type.extensions.includes(declared)) {
    throw new AppError(
      'unsupported_media_type',
      `The logo was not accepted: its content is ${type.label} but its name has ` +
        `${declared ? `.${declared}` : 'no extension'}. ${ACCEPTED_TEXT}`,
    );
  }

  const renditions: RenderedLogo['renditions'] = [];
  try {
    for (const height of LOGO_HEIGHTS) {
      const output = await sharp(bytes, { limitInputPixels: LOGO_MAX_INPUT_PIXELS })
        .autoOrient()
        .resize({ height, width: (LOGO_MAX_WIDTH * height) / LOGO_HEIGHTS[0], fit: 'inside' })
        .png({ compressionLevel: 9, adaptiveFiltering: true })
        .toBuffer();
      renditions.push({ height, bytes: output });
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : '';
    if (/pixel limit/i.test(message)) {
      throw new AppError(
        'payload_too_large',
        `The logo has more than ${LOGO_MAX_INPUT_PIXELS / 1_000_000} megapixels. ${ACCEPTED_TEXT}`,
      );
    }
    throw new AppError(
      'unsupported_media_type',
      `The logo could not be read as a ${type.label} image (the file may be damaged). ${ACCEPTED_TEXT}`,
    );
  }
  const hash = createHash('sha256');
  for (const rendition of renditions) hash.update(rendition.bytes);
  return { key: hash.digest('hex'), renditions };
}

/**
 * Stores the renditions, then runs `save` (the database write that points at the logo). When `save`
 * fails, the files are deleted again unless another row already uses the same content.
 */
export async function storeLogo<T>(
  deps: LogoDeps,
  logo: RenderedLogo,
  save: (key: LogoKey) => Promise<T>,
): Promise<T> {
  try {
    for (const rendition of logo.renditions) {
      await deps.storage.put(logoStorageKey(logo.key, rendition.height), rendition.bytes);
    }
    return await save(logo.key);
  } catch (error) {
    await discardLogo(deps, logo.key);
    throw error;
  }
}

async function discardLogo(deps: LogoDeps, key: LogoKey): Promise<void> {
  try {
    if (await isLogoKeyInUse(deps.db, key)) return;
    for (const height of LOGO_HEIGHTS) await deps.storage.delete(logoStorageKey(key, height));
  } catch (error) {
    deps.log?.error({ err: error, key }, 'logos: could not delete the files of a failed upload');
  }
}

/** The bytes of a served logo file (`<sha256>-<40|80>.png`), or null when it is not a current logo. */
export async function readLogoFile(deps: LogoDeps, fileName: string): Promise<Buffer | null> {
  const match = LOGO_FILE.exec(fileName);
  if (!match?.[1]) return null;
  const key = match[1];
  if (!(await isLogoKeyInUse(deps.db, key))) return null;
  try {
    return await readAll(await deps.storage.get(logoStorageKey(key, Number(match[2]) as LogoHeight)));
  } catch (error) {
    if (!(error instanceof FileNotFoundError)) throw error;
    deps.log?.error({ key }, 'logos: stored file of a current logo is missing');
    return null;
  }
}

/** `<svg` near the start of a text file (possibly after an XML declaration, comments or a doctype). */
function looksLikeSvg(bytes: Buffer): boolean {
  return /<svg[\s>/]/i.test(bytes.subarray(0, 4096).toString('utf8'));
}

const svgRefused = () =>
  new AppError(
    'unsupported_media_type',
    'SVG logos are not accepted: an SVG file can contain scripts and links. Export the logo as PNG or ' +
      'JPEG (a PNG keeps a transparent background) and upload that (at most 2 MB).',
  );

function multipartError(error: unknown): unknown {
  if (error instanceof AppError) return error;
  const code = (error as { code?: string } | null)?.code;
  switch (code) {
    case 'FST_REQ_FILE_TOO_LARGE':
      return new AppError(
        'payload_too_large',
        `The logo is larger than ${formatMiB(MAX_LOGO_BYTES)}, the largest accepted. ${ACCEPTED_TEXT}`,
      );
    case 'FST_FILES_LIMIT':
      return fieldError('file', 'send exactly one file, in the field "file"');
    case 'FST_FIELDS_LIMIT':
    case 'FST_PARTS_LIMIT':
      return new AppError('validation_failed', 'The upload has too many fields; send only "file".');
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new AppError('unsupported_media_type', 'Send the logo as multipart/form-data.');
    default: {
      const message = error instanceof Error ? error.message : '';
      if (!code && /multipart|boundary|part terminated|unexpected end/i.test(message)) {
        return new AppError('validation_failed', `The multipart body is not valid: ${message}`);
      }
      return error;
    }
  }
}

const fieldError = (field: string, message: string) => {
  const fields: FieldIssue[] = [{ path: `body.${field}`, message }];
  return new AppError('validation_failed', `The request is not valid: body.${field} ${message}`, { fields });
};
