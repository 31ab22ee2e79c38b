import type { Readable } from 'node:stream';
import type { z } from 'zod';
import {
  documentIdsSchema,
  listDocumentsQuery,
  uploadDocumentFields,
  uploadTaskMediaFields,
  type DocumentIdsInput,
  type DocumentView,
} from '../../common/contracts/document-api.ts';
import { reportKeyOfKind } from '../../common/rules/visibility.ts';
import type { Page } from '../../common/contracts/paging.ts';
import { authorize, requireSameCompany, type Actor } from '../security/actor.ts';
import { caseCommand } from '../case-commands/case-command.ts';
import { loadCase } from '../cases/access.ts';
import { casePolicy } from '../cases/policy.ts';
import type { Db } from '../db/database.ts';
import { nowIso } from '../db/database.ts';
import { fetchPage } from '../db/paging.ts';
import type { CasesTable, DocumentsTable } from '../db/schema.ts';
import { AppError, notFound } from '../errors.ts';
import { mayDeleteDocument } from './policy.ts';
import { documentAllowList, mediaAllowList, type AllowList } from '../storage/file-types.ts';
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
  setUnshared,
  setWithheld,
} from './queries.ts';
import {
  announceAutomaticReports,
  customerPageSettingsOf,
  customerSeesNow,
  customerSharingOf,
  isRuleReport,
  reportRulesOf,
  type ReportRules,
} from './report-sharing.ts';
import { FileNotFoundError } from '../storage/file-storage.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { openPreview, previewKeysOf, type PreviewKind } from './previews.ts';
import {
  acceptedTypesOf,
  commitFiles,
  discardFiles,
  documentRow,
  fieldError,
  fieldNamesOf,
  openDocumentBytes,
  receiveFiles,
  refuseFullCase,
  validationError,
  type DocumentDeps,
  type UploadPart,
  type Uploader,
} from './intake.ts';

/**
 * The case document library: uploads (case documents and task media), the list, downloads, "seen"
 * for partner/customer uploads, sharing with the customer, and deleting.
 *
 * Upload limits (OWASP ASVS 5.1.1, 5.2.1–5.2.2, 5.3.2; numbers we set, also in common/contracts/document-api.ts):
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
        // A report uploaded once its milestone is reached is shared at once, and the news says so.
        const settings = isReport(row) ? await customerPageSettingsOf(trx, caseRow.company_id) : null;
        if (settings) await announceAutomaticReports(trx, caseRow, settings, stamp, now);
        afterCommit(() => {
          committed = true;
          return commitFiles(deps, [file]);
        });
        if (!settings) return presentDocument(row, actor, null);
        const rules = await reportRulesOf(trx, caseRow, settings, now);
        return presentDocument(await documentOfCase(trx, caseRow, row.id), actor, rules);
      },
    );
  } catch (error) {
    // A failing after-commit step of another module must not delete the file of a committed row.
    if (!committed) await discardFiles(deps, received.files);
    throw error;
  }
}

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
  // The rule of the whole case (the newest report may be on another page), read once per list.
  const settings = await customerPageSettingsOf(db, caseRow.company_id);
  const rules = await reportRulesOf(db, caseRow, settings, new Date());
  return fetchPage(documentsOfCase(db, caseRow.id, taskId), paging, (row) =>
    presentDocument(row, actor, rules),
  );
}

/** Whether a document is a report of the automatic rule's kinds (task media never are). */
const isReport = (row: Pick<DocumentsTable, 'kind' | 'task_id'>) =>
  row.task_id === null && reportKeyOfKind[row.kind] !== undefined;

/** The report rule of a case, read only when one of `rows` is a report (no other document needs it). */
async function rulesFor(
  db: Db,
  caseRow: CasesTable,
  rows: readonly DocumentsTable[],
  now: Date,
): Promise<ReportRules | null> {
  if (!rows.some(isReport)) return null;
  return reportRulesOf(db, caseRow, await customerPageSettingsOf(db, caseRow.company_id), now);
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
): Promise<{ document: Pick<DocumentView, 'fileName' | 'contentType' | 'sizeBytes'>; stream: Readable }> {
  authorize(actor, casePolicy.read);
  const row = await loadDocument(deps.db, actor, documentId);
  try {
    const document = {
      fileName: row.file_name,
      contentType: row.content_type,
      sizeBytes: Number(row.size_bytes),
    };
    const stream = await openDocumentBytes(deps.storage, row);
    // One audit line per download of the bytes (the route answers whole files, no ranges), written
    // once the file is there to send: a missing file is not a download.
    await recordAudit(deps.db, actor, {
      action: 'document.downloaded',
      subjectType: 'document',
      subjectId: row.id,
      detail: { caseId: row.case_id, kind: row.kind, sizeBytes: document.sizeBytes },
    }).catch((error: unknown) => {
      stream.destroy();
      throw error;
    });
    return { document, stream };
  } catch (error) {
    if (!(error instanceof FileNotFoundError)) throw error;
    deps.log?.error({ documentId: row.id, key: row.storage_key }, 'documents: stored file is missing');
    throw notFound('The file of this document is missing.');
  }
}

/**
 * A preview of an image document of the actor's company (previews.ts), made now when it is missing;
 * 404 for another company's document and for a document without a preview (not an image, or one
 * that cannot be decoded).
 */
export async function openStaffPreview(
  deps: DocumentDeps,
  actor: Actor,
  documentId: string,
  kind: PreviewKind,
): Promise<Readable> {
  authorize(actor, casePolicy.read);
  const row = await loadDocument(deps.db, actor, documentId);
  const stream = await openPreview(deps, row, kind);
  if (!stream) throw notFound('This document has no preview.');
  return stream;
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
    const rules = await rulesFor(trx, row, [document], now);
    if (document.seen_at !== null) return presentDocument(document, actor, rules);
    await setSeen(trx, document.id, nowIso(now));
    return presentDocument({ ...document, seen_at: nowIso(now) }, actor, rules);
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
 * Every id must be a document of that case, else 404 and nothing changes.
 *
 * Sharing shares by hand (and releases a withheld report). Stopping takes the document away from the
 * customer whichever way they see it: it is no longer shared by hand, and a report of the automatic
 * rule (the newest of its kind) is withheld, so the rule does not show it now or at its milestone.
 * Each document whose state changes gets one `document_shared` / `document_unshared` event (the
 * latter says whether it was withheld and whether the customer had been shown it: only then is it
 * news); one already in the asked state gets none (a repeat is a no-op). The command moves the case
 * version (the customer page's stored answer) and open pages are told after the commit.
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
    async ({ trx, row: caseRow, now, stamp, event, signal }) => {
      const rows = await findDocumentsOfCase(trx, caseRow.id, ids);
      if (rows.length !== ids.length) throw notFound('One or more documents are not documents of this case.');
      const rules = await rulesFor(trx, caseRow, rows, now);
      const withhold = (row: DocumentsTable) =>
        rules !== null && isRuleReport(row, rules) && !row.withheld_at;
      // What the customer sees already (by hand or by the rule) is not shared again, so never announced twice.
      const sees = (row: DocumentsTable) => (rules ? customerSeesNow(row, rules) : row.shared_at !== null);
      const changing = shared
        ? rows.filter((row) => !sees(row))
        : rows.filter((row) => row.shared_at !== null || withhold(row));
      if (changing.length) {
        const changed = changing.map((row) => row.id);
        if (shared) {
          await setShared(trx, changed, nowIso(now), stamp.name);
        } else {
          await setUnshared(trx, changed);
          await setWithheld(
            trx,
            changing.filter(withhold).map((row) => row.id),
            nowIso(now),
            stamp.name,
          );
        }
        for (const row of changing) {
          const facts = { documentId: row.id, fileName: row.file_name };
          if (shared) await event('document_shared', facts);
          else {
            // Named only when they apply, so a plain unshare's event stays as it always was.
            await event('document_unshared', {
              ...facts,
              ...(withhold(row) && { withheld: true }),
              ...(!sees(row) && { wasShared: false }),
            });
          }
        }
        signal('documents');
      }
      const order = new Map(ids.map((id, index) => [id, index]));
      const after = await findDocumentsOfCase(trx, caseRow.id, ids);
      const rulesAfter = await rulesFor(trx, caseRow, after, now);
      return after
        .sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0))
        .map((row) => presentDocument(row, actor, rulesAfter));
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
    async ({ trx, row: caseRow, now, event, signal, afterCommit }) => {
      const document = await documentOfCase(trx, caseRow, documentId);
      const rules = await rulesFor(trx, caseRow, [document], now);
      const shown = rules ? customerSeesNow(document, rules) : document.shared_at !== null;
      if (!mayDeleteDocument(actor, document, shown)) {
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
        // Shown to the customer by hand or by the report rule: then its removal is their news.
        wasShared: shown,
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
    for (const key of previewKeysOf(document.storage_key)) await deps.storage.delete(key);
  } catch (error) {
    deps.log?.error(
      { err: error, documentId: document.id, key: document.storage_key },
      'documents: could not remove the file of a deleted document',
    );
  }
}

/**
 * The staff view of a document row, for `actor` (what they may do with it); `rules`: the case's
 * report rule (null for a document that is no report: only sharing by hand applies to it).
 */
export function presentDocument(row: DocumentsTable, actor: Actor, rules: ReportRules | null): DocumentView {
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
    customerSharing: customerSharingOf(row, rules),
    createdAt: row.created_at,
    deletable: mayDeleteDocument(actor, row, rules ? customerSeesNow(row, rules) : row.shared_at !== null),
  };
}
