import { pipeline, type Readable } from 'node:stream';
import type { z } from 'zod';
import {
  MAX_CASE_BYTES,
  MAX_CUSTOMER_CASE_BYTES,
  MAX_FILE_BYTES,
  documentIdsSchema,
  listDocumentsQuery,
  uploadDocumentFields,
  uploadTaskMediaFields,
  type DocumentIdsInput,
  type DocumentView,
} from '../../common/document-api.ts';
import type { Page } from '../../common/paging.ts';
import { authorize, requireSameCompany, type Actor } from '../auth/actor.ts';
import { caseCommand } from '../case-commands/case-command.ts';
import { loadCase } from '../cases/access.ts';
import { casePolicy } from '../cases/policy.ts';
import type { Db } from '../db/database.ts';
import { nowIso } from '../db/database.ts';
import { fetchPage } from '../db/paging.ts';
import type { CasesTable, DocumentsTable } from '../db/schema.ts';
import { AppError, notFound, type FieldIssue } from '../errors.ts';
import { mayDeleteDocument } from './policy.ts';
import { newId } from '../security/tokens.ts';
import {
  UploadInspector,
  acceptedTypeOf,
  documentAllowList,
  formatMiB,
  mediaAllowList,
  tooLarge,
  type AcceptedType,
  type AllowList,
  type ContentFacts,
} from './file-types.ts';
import {
  deleteDocumentRow,
  findDocument,
  findDocumentsOfCase,
  findOffice,
  findTask,
  insertDocument,
  isMessageAttachment,
  documentsOfCase,
  setSeen,
  setShared,
  storedBytesOfCase,
} from './queries.ts';
import { FileNotFoundError, type FileStorage } from './storage.ts';

/**
 * The case document library: uploads (case documents and task media), the list, downloads, "seen"
 * for partner/customer uploads, sharing with the customer, and deleting.
 *
 * Upload limits (OWASP ASVS 5.1.1, 5.2.1–5.2.2, 5.3.2; numbers we set, also in common/document-api.ts):
 * - one file per request, at most 25 MiB (MAX_FILE_BYTES) → else 413 `payload_too_large`;
 * - at most 500 MiB per case, documents and task media together (MAX_CASE_BYTES) → else 413;
 * - of which at most 100 MiB uploaded by customers (MAX_CUSTOMER_CASE_BYTES) → else 413 for a
 *   customer's upload; staff and partner uploads count against the case total only, so customers
 *   can never take the last 400 MiB of a case from staff;
 * - the type is sniffed from the bytes (file-type) and must be on the allow-list — PDF, JPEG, PNG,
 *   HEIC/HEIF, WebP, GIF, DOCX, XLSX, ODT, MP4, MOV, and UTF-8 text without NUL bytes as .txt
 *   (not starting like HTML/XML/a script); task media: images, video and PDF only — and the file
 *   name's extension must match the sniffed type → else 415 `unsupported_media_type`;
 * - files are stored under server-generated keys `<companyId>/<documentId>`; the client's name is
 *   only kept (cleaned) in the row and sent back in Content-Disposition.
 * Nothing is half-stored: the file is staged atomically, its row and `document_uploaded` event are
 * written by the case's command (which also checks the per-case total under the case lock), and the
 * file is moved onto its key only after that commit; if anything fails it is deleted again.
 */

export interface DocumentDeps {
  db: Db;
  storage: FileStorage;
  /** Where failures that must not hide the request's own error are reported (cleanup, missing files). */
  log?: { error: (details: object, message: string) => void };
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

/** Uploads one case document (multipart `file`, `kind`, optional `partnerOfficeId`). */
export async function uploadCaseDocument(
  deps: DocumentDeps,
  actor: Actor,
  caseId: string,
  parts: AsyncIterable<UploadPart>,
): Promise<DocumentView> {
  authorize(actor, casePolicy.work);
  // Another company's case is 404 before its bytes are read.
  await loadCase(deps.db, actor, caseId);
  return storeUpload(deps, actor, caseId, parts, {
    allow: documentAllowList,
    fields: uploadDocumentFields,
    describe: async (fields) => {
      if (!fields.partnerOfficeId) return { kind: fields.kind, taskId: null, partner: null };
      const office = await findOffice(deps.db, actor.companyId, fields.partnerOfficeId);
      if (!office) throw fieldError('partnerOfficeId', 'is not an office of your partners');
      return {
        kind: fields.kind,
        taskId: null,
        partner: { kind: 'partner', id: office.id, name: office.name },
      };
    },
  });
}

/** Uploads multimedia (images, video, PDF) to a task (multipart `file`). */
export async function uploadTaskMedia(
  deps: DocumentDeps,
  actor: Actor,
  taskId: string,
  parts: AsyncIterable<UploadPart>,
): Promise<DocumentView> {
  authorize(actor, casePolicy.work);
  // Another company's task is 404 before its bytes are read; the command reads it again.
  const task = requireSameCompany(actor, await findTask(deps.db, taskId));
  return storeUpload(deps, actor, task.case_id, parts, {
    allow: mediaAllowList,
    fields: uploadTaskMediaFields,
    describe: async () => ({ kind: 'task_media', taskId: task.id, partner: null }),
  });
}

interface UploadOptions<F extends z.ZodType<Record<string, unknown>>> {
  allow: AllowList;
  fields: F;
  /**
   * What the upload is, from its fields (reference data such as a partner office is checked here,
   * before the command); `partner: null` attributes it to whoever makes the change.
   */
  describe: (
    fields: z.infer<F>,
  ) => Promise<{ kind: DocumentsTable['kind']; taskId: string | null; partner: Uploader | null }>;
}

/**
 * Receives and checks one upload, then writes its row and event as a command of the case: the
 * per-case total is checked there, under the case lock, so simultaneous uploads cannot overfill a
 * case. The file moves onto its key after the commit; on any refusal it is deleted.
 */
async function storeUpload<F extends z.ZodType<Record<string, unknown>>>(
  deps: DocumentDeps,
  actor: Actor,
  caseId: string,
  parts: AsyncIterable<UploadPart>,
  options: UploadOptions<F>,
): Promise<DocumentView> {
  const { db } = deps;
  // A full case is refused before its bytes are read (the command checks again with the size).
  await refuseFullCase(db, caseId, { by: 'staff' });
  const received = await receiveFiles(deps, actor.companyId, parts, {
    fields: fieldNamesOf(options.fields),
    fileField: 'file',
    maxFiles: 1,
  });
  let committed = false;
  try {
    const parsed = options.fields.safeParse(received.fields);
    if (!parsed.success) {
      throw validationError(
        parsed.error.issues.map((issue) => ({
          path: ['body', ...issue.path.map(String)].join('.'),
          message: issue.message,
        })),
      );
    }
    const [file] = received.files;
    if (!file) throw fieldError('file', 'is required');
    const [type] = await acceptedTypesOf(deps, [file], options.allow);
    const { kind, taskId, partner } = await options.describe(parsed.data);
    return await caseCommand(
      db,
      actor,
      caseId,
      casePolicy.work,
      async ({ trx, row: caseRow, stamp, now, event, afterCommit }) => {
        if (taskId) {
          const task = await findTask(trx, taskId);
          if (!task || task.case_id !== caseRow.id) throw notFound();
        }
        const uploader = partner ?? { kind: 'staff', id: stamp.id, name: stamp.name };
        await refuseFullCase(trx, caseRow.id, { adding: file.facts.sizeBytes, by: uploader.kind });
        const row = documentRow(caseRow, file, type!, { kind, taskId, uploader }, now);
        await insertDocument(trx, row);
        await event('document_uploaded', { documentId: row.id, fileName: row.file_name, kind });
        afterCommit(() => {
          committed = true;
          return commitFiles(deps, [file]);
        });
        return presentDocument(row, actor);
      },
    );
  } catch (error) {
    // A failing after-commit step of another module must not delete the file of a committed row.
    if (!committed) await discardFiles(deps, received.files);
    throw error;
  }
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
    types.push(
      await acceptedTypeOf(() => deps.storage.openStaged(file.stagingId), file.fileName, file.facts, allow),
    );
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
 * file without a row, which recovery deletes.
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
function fieldNamesOf(schema: z.ZodType): string[] {
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

const fieldError = (field: string, message: string) => validationError([{ path: `body.${field}`, message }]);

function validationError(fields: FieldIssue[]): AppError {
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

/** One page of the documents of a case, newest first (optionally one task's media). */
export async function listDocuments(
  db: Db,
  actor: Actor,
  caseId: string,
  query: z.input<typeof listDocumentsQuery> = {},
): Promise<Page<DocumentView>> {
  authorize(actor, casePolicy.read);
  const { taskId, ...paging } = listDocumentsQuery.parse(query);
  const caseRow = await loadCase(db, actor, caseId);
  return fetchPage(documentsOfCase(db, caseRow.id, taskId), paging, (row) => presentDocument(row, actor));
}

/** A document of the actor's company, or 404. */
async function loadDocument(db: Db, actor: Actor, documentId: string): Promise<DocumentsTable> {
  return requireSameCompany(actor, await findDocument(db, documentId));
}

/** The row and a stream of the bytes of a document, for the download route. */
export async function openDownload(
  deps: DocumentDeps,
  actor: Actor,
  documentId: string,
): Promise<{ document: DocumentView; stream: Readable }> {
  authorize(actor, casePolicy.read);
  const row = await loadDocument(deps.db, actor, documentId);
  try {
    return { document: presentDocument(row, actor), stream: await openDocumentBytes(deps.storage, row) };
  } catch (error) {
    if (!(error instanceof FileNotFoundError)) throw error;
    deps.log?.error({ documentId: row.id, key: row.storage_key }, 'documents: stored file is missing');
    throw notFound('The file of this document is missing.');
  }
}

/**
 * Marks a partner's or customer's upload as seen by staff, as a command of its case. Marking it seen
 * again changes nothing (the first time stays).
 */
export async function markDocumentSeen(db: Db, actor: Actor, documentId: string): Promise<DocumentView> {
  authorize(actor, casePolicy.work);
  const known = await loadDocument(db, actor, documentId);
  return caseCommand(db, actor, known.case_id, casePolicy.work, async ({ trx, row, now }) => {
    const document = await documentOfCase(trx, row, documentId);
    if (document.seen_at !== null) return presentDocument(document, actor);
    await setSeen(trx, document.id, nowIso(now));
    return presentDocument({ ...document, seen_at: nowIso(now) }, actor);
  });
}

/** The document read again inside the case's command (it belongs to the locked case). */
async function documentOfCase(trx: Db, caseRow: CasesTable, documentId: string): Promise<DocumentsTable> {
  const document = await findDocument(trx, documentId);
  if (!document || document.case_id !== caseRow.id) throw notFound();
  return document;
}

/**
 * Shares documents of a case with the customer (or stops sharing them), as a command of the case.
 * Every id must be a document of that case, else 404 and nothing changes. Each document whose state
 * changes gets its own `document_shared` / `document_unshared` event; one already in the asked state
 * gets none (a repeat is a no-op). Open customer pages of the case are told after the commit.
 */
export async function setDocumentsShared(
  db: Db,
  actor: Actor,
  caseId: string,
  input: DocumentIdsInput,
  shared: boolean,
): Promise<DocumentView[]> {
  authorize(actor, casePolicy.work);
  const { documentIds } = documentIdsSchema.parse(input);
  const ids = [...new Set(documentIds)];
  return caseCommand(
    db,
    actor,
    caseId,
    casePolicy.work,
    async ({ trx, row: caseRow, now, event, signal }) => {
      const rows = await findDocumentsOfCase(trx, caseRow.id, ids);
      if (rows.length !== ids.length) throw notFound('One or more documents are not documents of this case.');
      const changing = rows.filter((row) => (row.shared_at !== null) !== shared);
      if (changing.length) {
        await setShared(
          trx,
          changing.map((row) => row.id),
          shared ? nowIso(now) : null,
        );
        for (const row of changing) {
          await event(shared ? 'document_shared' : 'document_unshared', {
            documentId: row.id,
            fileName: row.file_name,
          });
        }
        signal('documents');
      }
      const order = new Map(ids.map((id, index) => [id, index]));
      return (await findDocumentsOfCase(trx, caseRow.id, ids))
        .sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0))
        .map((row) => presentDocument(row, actor));
    },
  );
}

/**
 * Deletes a document of a case, as a command of the case: the row (and its place among a message's
 * files) and one `document_deleted` event are written under the case lock, so of two deletes of one
 * document one writes and the other finds nothing (404). Another company's case or a document of
 * another case is 404; a document the actor may not delete (policy.ts) is 403. Open pages refetch;
 * the customer page's stored answer is outdated by the case version the command bumps, and its
 * download answers 404 because the page no longer shows the document. The stored file is removed
 * after the commit; a failure there is logged (the row is gone, the request succeeded).
 */
export async function deleteDocument(
  deps: DocumentDeps,
  actor: Actor,
  caseId: string,
  documentId: string,
): Promise<void> {
  await caseCommand(
    deps.db,
    actor,
    caseId,
    casePolicy.work,
    async ({ trx, row: caseRow, event, signal, afterCommit }) => {
      const document = await documentOfCase(trx, caseRow, documentId);
      if (!mayDeleteDocument(actor, document)) {
        throw new AppError(
          'forbidden',
          'Deleting this document needs level 2 (below that: only your own upload while it is not shared).',
        );
      }
      const attached = await isMessageAttachment(trx, document.id);
      await deleteDocumentRow(trx, document.id);
      await event('document_deleted', {
        documentId: document.id,
        fileName: document.file_name,
        kind: document.kind,
        wasShared: document.shared_at !== null,
      });
      signal('documents');
      if (attached) signal('messages');
      afterCommit(() => removeStoredFile(deps, document));
    },
  );
}

/** Removes a deleted document's bytes (at its key, or still staged after a crash); never throws. */
async function removeStoredFile(
  deps: DocumentDeps,
  document: Pick<DocumentsTable, 'id' | 'storage_key'>,
): Promise<void> {
  try {
    await deps.storage.delete(document.storage_key);
    await deps.storage.discardStaged(document.id);
  } catch (error) {
    deps.log?.error(
      { err: error, documentId: document.id, key: document.storage_key },
      'documents: could not remove the file of a deleted document',
    );
  }
}

/** The staff view of a document row, for `actor` (what they may do with it). */
export function presentDocument(row: DocumentsTable, actor: Actor): DocumentView {
  return {
    id: row.id,
    caseId: row.case_id,
    taskId: row.task_id,
    kind: row.kind,
    fileName: row.file_name,
    contentType: row.content_type,
    sizeBytes: Number(row.size_bytes),
    uploadedBy: { kind: row.uploaded_by_kind, name: row.uploaded_by_name },
    seen: row.seen_at !== null,
    seenAt: row.seen_at,
    shared: row.shared_at !== null,
    sharedAt: row.shared_at,
    createdAt: row.created_at,
    deletable: mayDeleteDocument(actor, row),
  };
}
