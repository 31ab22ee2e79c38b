import { pipeline, type Readable } from 'node:stream';
import type { z } from 'zod';
import {
  MAX_CASE_BYTES,
  MAX_CUSTOMER_CASE_BYTES,
  MAX_FILE_BYTES,
} from '../../common/contracts/document-api.ts';
import type { Db } from '../db/database.ts';
import { nowIso } from '../db/database.ts';
import type { CasesTable, DocumentsTable } from '../db/schema.ts';
import { AppError, type FieldIssue } from '../errors.ts';
import { newId } from '../security/tokens.ts';
import { FileNotFoundError, type FileStorage } from '../storage/file-storage.ts';
import {
  UploadInspector,
  acceptedTypeOf,
  formatMiB,
  tooLarge,
  type AcceptedType,
  type AllowList,
  type ContentFacts,
} from '../storage/file-types.ts';
import { hasPreview, makePreviews } from './previews.ts';
import { findDocument, storedBytesOfCase } from './queries.ts';

/**
 * The file intake of the document library, used by every upload that lands in it (case documents and
 * task media here, message files in messages/): multipart parts streamed into the staging area and
 * sniffed, the case's quotas, the document row of an accepted file, and the crash-safe end of an
 * upload — moved onto its key after the commit of its row, deleted again on any refusal, recovered
 * at start. The services of the library (documents.ts) and the customer page's download read the
 * bytes through {@link openDocumentBytes}.
 */

export interface DocumentDeps {
  db: Db;
  storage: FileStorage;
  /** Where failures that must not hide the request's own error are reported (cleanup, missing files). */
  log?: {
    error: (details: object, message: string) => void;
    warn?: (details: object, message: string) => void;
  };
}

/** One part of a multipart body, as @fastify/multipart yields it (only what we read). */
export type UploadPart =
  | { type: 'field'; fieldname: string; value: unknown; valueTruncated: boolean }
  | { type: 'file'; fieldname: string; filename: string; file: Readable & { truncated?: boolean } };

/** Who an upload is attributed to. */
export interface Uploader {
  kind: DocumentsTable['uploaded_by_kind'];
  id: string | null;
  name: string | null;
}

/** A file streamed into the staging area by {@link receiveFiles}, not yet accepted. */
export interface ReceivedFile {
  /** The id its document row will have. */
  id: string;
  /** The key it gets when its row is written ({@link commitFiles}). */
  key: string;
  stagingId: string;
  fileName: string;
  facts: ContentFacts;
  /** Its accepted content type, once {@link acceptedTypesOf} checked it (decides its previews). */
  contentType?: string;
}

/**
 * 413 when the case already holds MAX_CASE_BYTES (or would with `adding` more bytes), and for an
 * upload `by` a customer also when customers' files already take MAX_CUSTOMER_CASE_BYTES of it (or
 * would). Call it before reading an upload (a quick refusal), and again with the upload's size inside
 * the case's command that inserts it (under the case lock), so concurrent uploads cannot overfill a case.
 */
export async function refuseFullCase(
  db: Db,
  caseId: string,
  upload: { adding?: number; by: Uploader['kind'] },
): Promise<void> {
  const adding = upload.adding ?? 0;
  const over = (stored: number, limit: number) => (adding === 0 ? stored >= limit : stored + adding > limit);
  const stored = await storedBytesOfCase(db, caseId);
  if (over(stored.total, MAX_CASE_BYTES)) throw caseFull();
  if (upload.by === 'customer' && over(stored.customer, MAX_CUSTOMER_CASE_BYTES)) throw customerFilesFull();
}

/**
 * The accepted type of each received file (sniffed from the stored bytes, checked against the
 * allow-list and the name's extension), or the first refusal (400 for an empty file, 415).
 */
export async function acceptedTypesOf(
  deps: DocumentDeps,
  files: ReceivedFile[],
  allow: AllowList,
): Promise<AcceptedType[]> {
  const types: AcceptedType[] = [];
  for (const file of files) {
    if (file.facts.sizeBytes === 0) {
      throw fieldError('file', files.length > 1 ? `"${file.fileName}" is empty` : 'is empty');
    }
    const type = await acceptedTypeOf(
      () => deps.storage.openStaged(file.stagingId),
      file.fileName,
      file.facts,
      allow,
    );
    file.contentType = type.contentType;
    types.push(type);
  }
  return types;
}

/** The document row of an accepted file. */
export function documentRow(
  caseRow: Pick<CasesTable, 'id' | 'company_id'>,
  file: ReceivedFile,
  type: AcceptedType,
  describe: { kind: DocumentsTable['kind']; taskId: string | null; uploader: Uploader },
  now: Date,
): DocumentsTable {
  const { kind, taskId, uploader } = describe;
  return {
    id: file.id,
    company_id: caseRow.company_id,
    case_id: caseRow.id,
    task_id: taskId,
    kind,
    file_name: file.fileName,
    content_type: type.contentType,
    size_bytes: file.facts.sizeBytes,
    storage_key: file.key,
    uploaded_by_kind: uploader.kind,
    uploaded_by_id: uploader.id,
    uploaded_by_name: uploader.name,
    // Staff see their own uploads; a partner's (or customer's) stays unseen until marked.
    seen_at: uploader.kind === 'staff' ? nowIso(now) : null,
    shared_at: null,
    created_at: nowIso(now),
  };
}

/**
 * Moves accepted files onto their keys, after the transaction that wrote their rows committed (an
 * after-commit step of the command that wrote them). A file is staged under its document's id, so a
 * crash between the commit and the move is repaired by {@link recoverStagedUploads} at the next start
 * (and a download in between reads the staged bytes); a crash before the commit leaves only a staged
 * file without a row, which recovery deletes. Then an image's previews are made (previews.ts): a
 * failure there never touches the upload, which then gets them on first request or has none.
 */
export async function commitFiles(deps: DocumentDeps, files: ReceivedFile[]): Promise<void> {
  for (const file of files) {
    try {
      await deps.storage.commitStaged(file.stagingId, file.key);
    } catch (error) {
      // The row is committed: the staged bytes stay and the next start's recovery moves them.
      deps.log?.error(
        { err: error, key: file.key },
        'documents: could not move a stored upload onto its key',
      );
    }
    if (file.contentType && hasPreview(file.contentType)) {
      await makePreviews(deps, { id: file.id, storage_key: file.key, content_type: file.contentType });
    }
  }
}

/** Staged files without a row are removed after this long (an upload in flight is younger). */
export const STAGED_ORPHAN_AGE_MS = 60 * 60 * 1000;

/**
 * Crash recovery, run at start: a staged file whose document row exists was committed but not moved
 * (moved now); one without a row older than an hour is an abandoned upload (deleted). Younger ones
 * may be uploads in flight in another process and are left alone. Returns what it did.
 */
export async function recoverStagedUploads(deps: DocumentDeps): Promise<{ moved: number; removed: number }> {
  let moved = 0;
  let removed = 0;
  for (const { stagingId, ageMs } of await deps.storage.listStaged()) {
    const row = await findDocument(deps.db, stagingId);
    if (row) {
      try {
        await deps.storage.commitStaged(stagingId, row.storage_key);
        moved++;
      } catch (error) {
        // Another process moved it in the meantime: nothing to do.
        if (!(await deps.storage.exists(row.storage_key))) throw error;
      }
    } else if (ageMs > STAGED_ORPHAN_AGE_MS) {
      await deps.storage.discardStaged(stagingId);
      removed++;
    }
  }
  return { moved, removed };
}

/** The bytes of a document: at its key, or still staged when a crash interrupted the move. */
export async function openDocumentBytes(
  storage: FileStorage,
  row: Pick<DocumentsTable, 'id' | 'storage_key'>,
) {
  try {
    return await storage.get(row.storage_key);
  } catch (error) {
    if (!(error instanceof FileNotFoundError)) throw error;
    try {
      return await storage.openStaged(row.id);
    } catch {
      throw error;
    }
  }
}

/**
 * Deletes received files after a failure, staged or already moved onto their keys; a failing delete is
 * logged, never thrown over the cause.
 */
export async function discardFiles(
  deps: DocumentDeps,
  files: Array<Pick<ReceivedFile, 'stagingId'> & Partial<Pick<ReceivedFile, 'key'>>>,
): Promise<void> {
  for (const file of files) {
    try {
      await deps.storage.discardStaged(file.stagingId);
      if (file.key) await deps.storage.delete(file.key);
    } catch (error) {
      deps.log?.error({ err: error, key: file.key }, 'documents: could not delete a refused upload');
    }
  }
}

/**
 * Reads the multipart parts: text fields (only `options.fields`, each once) and up to
 * `options.maxFiles` files in the field `options.fileField`, each streamed into the staging area and
 * checked while its size and text-ness are measured (its key `<companyId>/<id>` is taken when its row
 * is written). Whatever fails, nothing stays stored.
 */
export async function receiveFiles(
  deps: DocumentDeps,
  companyId: string,
  parts: AsyncIterable<UploadPart>,
  options: { fields: string[]; fileField: string; maxFiles: number },
): Promise<{ fields: Record<string, string>; files: ReceivedFile[] }> {
  const fields: Record<string, string> = {};
  const files: ReceivedFile[] = [];
  const wrongFile = () =>
    fieldError(
      options.fileField,
      options.maxFiles === 1
        ? `send exactly one file, in the field "${options.fileField}"`
        : `send at most ${options.maxFiles} files, in the field "${options.fileField}"`,
    );
  try {
    for await (const part of parts) {
      if (part.type === 'field') {
        if (!options.fields.includes(part.fieldname))
          throw fieldError(part.fieldname, 'is not a known field');
        if (part.fieldname in fields) throw fieldError(part.fieldname, 'is given more than once');
        if (part.valueTruncated || typeof part.value !== 'string')
          throw fieldError(part.fieldname, 'is too long');
        fields[part.fieldname] = part.value;
        continue;
      }
      if (part.fieldname !== options.fileField || files.length >= options.maxFiles) {
        part.file.destroy();
        throw wrongFile();
      }
      const fileName = cleanFileName(part.filename);
      if (!fileName) {
        part.file.destroy();
        throw fieldError(options.fileField, 'needs a file name');
      }
      const id = newId();
      const inspector = new UploadInspector(MAX_FILE_BYTES);
      // Errors of either stream reach the consumer (storage.stage) through the inspector.
      const source = pipeline(part.file, inspector, () => {});
      const { stagingId } = await deps.storage.stage(source, id);
      files.push({ id, key: `${companyId}/${id}`, stagingId, fileName, facts: inspector.facts() });
      if (part.file.truncated) throw tooLarge(MAX_FILE_BYTES);
    }
  } catch (error) {
    await discardFiles(deps, files);
    throw multipartError(error, wrongFile);
  }
  return { fields, files };
}

/** The field names a strict object schema knows (used to refuse unknown multipart fields early). */
export function fieldNamesOf(schema: z.ZodType): string[] {
  const shape = (schema as unknown as { shape?: Record<string, unknown> }).shape;
  return shape ? Object.keys(shape) : [];
}

/**
 * The client's file name made safe to keep and show: no path, no control or bidirectional
 * override characters (which can disguise an extension), NFC (macOS sends decomposed å), at most
 * 200 characters with the extension kept.
 */
export function cleanFileName(raw: string): string {
  const base = raw.split(/[\\/]/).pop() ?? '';
  let name = base
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (name === '.' || name === '..') return '';
  if (name.length > 200) {
    const dot = name.lastIndexOf('.');
    const extension = dot > 0 && name.length - dot <= 10 ? name.slice(dot) : '';
    name = name.slice(0, 200 - extension.length) + extension;
  }
  return name;
}

/** @fastify/multipart and busboy errors as our catalogue's errors. */
function multipartError(error: unknown, wrongFile: () => AppError): unknown {
  if (error instanceof AppError) return error;
  const code = (error as { code?: string } | null)?.code;
  const message = error instanceof Error ? error.message : '';
  switch (code) {
    case 'FST_REQ_FILE_TOO_LARGE':
      return tooLarge(MAX_FILE_BYTES);
    case 'FST_FILES_LIMIT':
      return wrongFile();
    case 'FST_FIELDS_LIMIT':
    case 'FST_PARTS_LIMIT':
      return new AppError('validation_failed', 'The upload has too many fields.');
    case 'FST_PROTO_VIOLATION':
    case 'FST_INVALID_JSON_FIELD_ERROR':
    case 'FST_MP_PREMATURE_CLOSE':
      return new AppError('validation_failed', `The multipart body is not valid: ${message}`);
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new AppError('unsupported_media_type', 'Send the file as multipart/form-data.');
    default:
      // busboy's parse errors (no boundary, truncated body, malformed headers) have no code.
      if (!code && /multipart|boundary|part terminated|unexpected end/i.test(message)) {
        return new AppError('validation_failed', `The multipart body is not valid: ${message}`);
      }
      return error;
  }
}

/** 400 `validation_failed` naming one field of the body. */
export const fieldError = (field: string, message: string) =>
  validationError([{ path: `body.${field}`, message }]);

/** 400 `validation_failed` naming the fields. */
export function validationError(fields: FieldIssue[]): AppError {
  const summary = fields.map((f) => `${f.path} ${f.message}`).join('; ');
  return new AppError('validation_failed', `The request is not valid: ${summary}`, { fields });
}

const caseFull = () =>
  new AppError(
    'payload_too_large',
    `This case already holds close to ${formatMiB(MAX_CASE_BYTES)} of files, the most a case can hold. ` +
      'Remove files or compress them before uploading more.',
  );

// The same stable code as every other size refusal (413 `payload_too_large`, which both apps already
// explain); the message says which limit it is.
const customerFilesFull = () =>
  new AppError(
    'payload_too_large',
    `Files sent by customers on this case already take close to ${formatMiB(MAX_CUSTOMER_CASE_BYTES)}, ` +
      'the most customers can send to one case. Send fewer or smaller files, or ask your contact to ' +
      'remove files you no longer need.',
  );
