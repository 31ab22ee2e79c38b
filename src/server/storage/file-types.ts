import { fileTypeFromStream } from 'file-type/node';
import { Transform, type TransformCallback, type Readable } from 'node:stream';
import { AppError } from '../errors.ts';

/**
 * The types we accept, keyed by what file-type reports from the bytes. Each names the extensions a
 * file of that type may carry and the content type we store and send. SVG, HTML, scripts and
 * executables are not here, so they are never stored.
 */
export interface AcceptedType {
  label: string;
  contentType: string;
  extensions: readonly string[];
}

const PDF: AcceptedType = { label: 'PDF', contentType: 'application/pdf', extensions: ['pdf'] };
const images: Record<string, AcceptedType> = {
  jpg: { label: 'JPEG', contentType: 'image/jpeg', extensions: ['jpg', 'jpeg'] },
  png: { label: 'PNG', contentType: 'image/png', extensions: ['png'] },
  heic: { label: 'HEIC/HEIF', contentType: 'image/heic', extensions: ['heic', 'heif'] },
  webp: { label: 'WebP', contentType: 'image/webp', extensions: ['webp'] },
  gif: { label: 'GIF', contentType: 'image/gif', extensions: ['gif'] },
};
const videos: Record<string, AcceptedType> = {
  mp4: { label: 'MP4', contentType: 'video/mp4', extensions: ['mp4'] },
  mov: { label: 'QuickTime (MOV)', contentType: 'video/quicktime', extensions: ['mov'] },
};
const office: Record<string, AcceptedType> = {
  docx: {
    label: 'Word (DOCX)',
    contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    extensions: ['docx'],
  },
  xlsx: {
    label: 'Excel (XLSX)',
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    extensions: ['xlsx'],
  },
  odt: {
    label: 'OpenDocument text (ODT)',
    contentType: 'application/vnd.oasis.opendocument.text',
    extensions: ['odt'],
  },
};
export const TEXT: AcceptedType = {
  label: 'plain text',
  contentType: 'text/plain; charset=utf-8',
  extensions: ['txt'],
};

export interface AllowList {
  /** By file-type's `ext`. */
  binary: Record<string, AcceptedType>;
  /** Plain UTF-8 text (file-type cannot detect text). */
  text: boolean;
}

/** Case documents: PDF, images, Office/OpenDocument, video, plain text. */
export const documentAllowList: AllowList = {
  binary: { pdf: PDF, ...images, ...office, ...videos },
  text: true,
};
/** Task multimedia: images, video, PDF. */
export const mediaAllowList: AllowList = { binary: { pdf: PDF, ...images, ...videos }, text: false };

const describe = (allow: AllowList) =>
  [
    ...new Set(Object.values(allow.binary).map((t) => t.label)),
    ...(allow.text ? ['plain text (.txt)'] : []),
  ].join(', ');

/** What we learnt about the bytes while they streamed past (see {@link UploadInspector}). */
export interface ContentFacts {
  sizeBytes: number;
  /** Valid UTF-8 without NUL bytes. */
  isText: boolean;
  /** Text that a browser would sniff as markup or a script (HTML, SVG, XML, `#!`). */
  looksLikeMarkup: boolean;
}

/** Lower-case extension of a file name without the dot ('' when none). */
export function extensionOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot > 0 && dot < fileName.length - 1 ? fileName.slice(dot + 1).toLowerCase() : '';
}

/**
 * Decides the type of stored bytes: sniffed with file-type (reading the stored file, so ZIP-based
 * Office formats are recognised by their entries), checked against the allow-list and the file
 * name's extension. Throws 415 with a message naming the detected and declared types.
 */
export async function acceptedTypeOf(
  open: () => Promise<Readable>,
  fileName: string,
  facts: ContentFacts,
  allow: AllowList,
): Promise<AcceptedType> {
  const declared = extensionOf(fileName);
  const declaredText = declared ? `.${declared}` : 'no extension';
  const refuse = (detected: string) =>
    new AppError(
      'unsupported_media_type',
      `"${fileName}" was not accepted: its content is ${detected} and its name has ${declaredText}. ` +
        `Accepted types: ${describe(allow)}; the extension must match the content.`,
      { reason: 'file_type_mismatch', params: { file: fileName } },
    );

  const stream = await open();
  let sniffed;
  try {
    sniffed = await fileTypeFromStream(stream);
  } finally {
    stream.destroy();
  }

  if (sniffed) {
    const type = allow.binary[sniffed.ext];
    if (!type) throw refuse(sniffed.mime);
    if (!type.extensions.includes(declared)) throw refuse(`${type.label} (${sniffed.mime})`);
    // HEIF variants keep their precise type (image/heif, image/heic-sequence, …).
    return sniffed.ext === 'heic' ? { ...type, contentType: sniffed.mime } : type;
  }
  if (facts.isText) {
    if (facts.looksLikeMarkup) throw refuse('HTML/XML markup or a script (text/html)');
    if (!allow.text) throw refuse('plain text (text/plain)');
    if (!TEXT.extensions.includes(declared)) throw refuse('plain text (text/plain)');
    return TEXT;
  }
  throw refuse('of an unknown type');
}

/** How much of the start of a file the markup check looks at. */
const HEAD_BYTES = 1024;
/** Starts that browsers sniff as HTML/XML (WHATWG MIME Sniffing §7.1), plus `#!` scripts. */
const MARKUP_START =
  /^\uFEFF?[\t\n\f\r ]*(?:<(?:!doctype\s+html|html|head|script|iframe|h1|div|font|table|a|style|title|b|body|br|p|svg|\?xml)(?=[\s>/])|<!--|#!)/i;

/**
 * A pass-through stream that counts bytes (refusing more than `maxBytes` with 413), checks whether
 * the content is valid UTF-8 text without NUL bytes, and keeps the first bytes for the markup check.
 */
export class UploadInspector extends Transform {
  private bytes = 0;
  private text = true;
  private head = Buffer.alloc(0);
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });

  constructor(private readonly maxBytes: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      callback(tooLarge(this.maxBytes));
      return;
    }
    if (this.head.length < HEAD_BYTES) {
      this.head = Buffer.concat([this.head, chunk.subarray(0, HEAD_BYTES - this.head.length)]);
    }
    if (this.text) {
      if (chunk.includes(0)) this.text = false;
      else {
        try {
          this.decoder.decode(chunk, { stream: true });
        } catch {
          this.text = false;
        }
      }
    }
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    if (this.text) {
      try {
        this.decoder.decode();
      } catch {
        this.text = false;
      }
    }
    callback();
  }

  facts(): ContentFacts {
    const isText = this.text && this.bytes > 0;
    return {
      sizeBytes: this.bytes,
      isText,
      looksLikeMarkup: isText && MARKUP_START.test(this.head.toString('utf8')),
    };
  }
}

export const tooLarge = (maxBytes: number) =>
  new AppError(
    'payload_too_large',
    `The file is larger than ${formatMiB(maxBytes)}, the largest file accepted. Split or compress it.`,
    { reason: 'file_too_large', params: { maxSize: formatMiB(maxBytes) } },
  );

export const formatMiB = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MB`;
