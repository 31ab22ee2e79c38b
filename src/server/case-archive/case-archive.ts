import { ZipArchive } from 'archiver';
import type { FastifyBaseLogger } from 'fastify';
import type { Readable } from 'node:stream';
import type { CaseArchiveView } from '../../common/contracts/case-archive-api.ts';
import type { Language } from '../../common/rules/languages.ts';
import { lastVisibleDay } from '../../common/rules/visibility.ts';
import type { CustomerSession } from '../customer-access/customer-sessions.ts';
import { loadCustomerPageSettings } from '../customer-page-config/settings.ts';
import { customerNewsPage, customerThreadPage } from '../customer-page/customer-lists.ts';
import { buildCustomerPage } from '../customer-page/customer-page.ts';
import type { Db } from '../db/database.ts';
import { openDocumentBytes } from '../documents/intake.ts';
import { AppError } from '../errors.ts';
import { FileNotFoundError, type FileStorage } from '../storage/file-storage.ts';
import { archiveNames, summaryHtml, threadHtml } from './archive-html.ts';
import { documentsForArchive, findCaseState } from './queries.ts';

/**
 * The case archive a customer downloads before the page of a closed case closes (issue 19, item 3):
 * one zip with every document the page shows this person (reports, shared documents, task files,
 * files of the messages they may read), the thread as a readable HTML file and a summary of the case.
 * Everything comes from the customer page's presenter and list functions — the same visibility
 * rules, the same redaction — so nothing internal can reach the archive. The zip is streamed to the
 * reply while the files are read one at a time through the file storage (local disk or S3).
 */

/** Our number: the lists are read in pages of this size while the archive is put together. */
const LIST_PAGE = 100;

/** Whether the session's case has an archive to download now, and the page's last day. */
export async function caseArchiveState(db: Db, session: CustomerSession): Promise<CaseArchiveView> {
  const current = await findCaseState(db, session.case_id);
  if (!current || current.status !== 'closed' || !current.closed_at)
    return { state: 'not_closed', lastDay: null };
  const settings = await loadCustomerPageSettings(db, session.company_id);
  return { state: 'available', lastDay: lastVisibleDay(current.closed_at, settings.visibleDaysAfterClose) };
}

/** A prepared archive: its file name and the zip stream (files are read while it is consumed). */
export interface CaseArchive {
  fileName: string;
  stream: Readable;
}

/**
 * Reads what the archive holds (409 `archive_not_available` while the case is open; the caller has
 * checked the page is open to the session) and returns the zip as a stream.
 */
export async function openCaseArchive(
  deps: { db: Db; storage: FileStorage; log: FastifyBaseLogger },
  session: CustomerSession,
  language: Language,
  now = new Date(),
): Promise<CaseArchive> {
  const { db } = deps;
  const current = await findCaseState(db, session.case_id);
  if (!current || current.status !== 'closed') throw new AppError('archive_not_available');
  const scope = { companyId: session.company_id, caseId: session.case_id, accessId: session.access_id };
  const { model, visibility } = await buildCustomerPage(db, scope, language, now);
  if (!model) throw new AppError('forbidden', 'The customer page is not available.');

  const [news, messages] = await Promise.all([
    allPages((page) => customerNewsPage(db, session.case_id, visibility, language, page)),
    allPages((page) =>
      customerThreadPage(db, session.case_id, session.access_id, visibility.communication, page),
    ),
  ]);
  // Every file the page shows this person, once.
  const shown = new Map<string, string>();
  for (const doc of [
    model.documents.inspectionReport,
    model.documents.settlementReport,
    ...model.documents.shared,
  ])
    if (doc) shown.set(doc.id, doc.name);
  for (const task of model.tasks) for (const file of task.media) shown.set(file.id, file.name);
  for (const message of messages) for (const file of message.attachments) shown.set(file.id, file.name);
  const rows = await documentsForArchive(db, session.case_id, [...shown.keys()]);
  const names = archiveNames[language];
  const paths = new Map<string, string>();
  const taken = new Set<string>();
  // In the order the customer met them (oldest first), each under a unique, safe name.
  rows.sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id));
  for (const row of rows)
    paths.set(row.id, `${names.documents}/${uniqueName(safeName(row.file_name), taken)}`);

  const settings = await loadCustomerPageSettings(db, session.company_id);
  const summary = summaryHtml(
    model,
    {
      createdAt: current.created_at,
      closedAt: current.closed_at,
      lastDay: current.closed_at ? lastVisibleDay(current.closed_at, settings.visibleDaysAfterClose) : null,
      generatedAt: now,
      news,
      documentPaths: paths,
    },
    language,
  );
  const thread = threadHtml(model, messages, paths, language);

  const archive = new ZipArchive({ zlib: { level: 6 } });
  const write = async () => {
    archive.append(summary, { name: names.summary, date: now });
    archive.append(thread, { name: names.thread, date: now });
    entriesAppended.set(archive, 2);
    for (const row of rows) {
      let source: Readable;
      try {
        source = await openDocumentBytes(deps.storage, row);
      } catch (error) {
        if (!(error instanceof FileNotFoundError)) throw error;
        deps.log.error({ documentId: row.id }, 'case archive: stored file is missing');
        continue;
      }
      // One file open at a time: wait until the zip has taken this one before opening the next.
      await appended(archive, source, {
        name: paths.get(row.id) ?? row.id,
        date: new Date(row.created_at),
        store: true,
      });
    }
    await archive.finalize();
  };
  write().catch((error: unknown) => {
    deps.log.error({ err: error, caseId: session.case_id }, 'case archive: stopped');
    // The reply ends unfinished: a truncated download, never a complete-looking zip missing files.
    archive.destroy(error instanceof Error ? error : new Error(String(error)));
  });
  const fileName = `${language === 'nb' ? 'Sak' : 'Case'} ${model.case.claimNumber} ${names.zip}.zip`;
  return { fileName, stream: archive };
}

/**
 * Appends a stream and resolves when the zip has written every entry appended so far, this one
 * included (the zip writes its entries in order; counted, not matched by name, which the zip may
 * normalise); rejects when the zip stops first.
 */
function appended(
  archive: ZipArchive,
  source: Readable,
  data: { name: string; date: Date; store: boolean },
): Promise<void> {
  return new Promise((resolve, reject) => {
    const target = (entriesAppended.get(archive) ?? 0) + 1;
    entriesAppended.set(archive, target);
    const done = (error?: Error) => {
      archive.off('progress', onProgress);
      archive.off('error', done);
      archive.off('close', onClose);
      if (error) {
        source.destroy();
        reject(error);
      } else resolve();
    };
    const onProgress = (progress: { entries: { processed: number } }) => {
      if (progress.entries.processed >= target) done();
    };
    const onClose = () => done(new Error('the download ended before the archive was complete'));
    archive.on('progress', onProgress);
    archive.on('error', done);
    archive.on('close', onClose);
    archive.append(source, data);
  });
}

/** Entries appended to each archive (strings and streams alike), for {@link appended}. */
const entriesAppended = new WeakMap<ZipArchive, number>();

/** Reads every page of a list (newest first, as the page shows them). */
async function allPages<T>(
  read: (page: { page: number; pageSize: number }) => Promise<{ items: T[]; total: number }>,
): Promise<T[]> {
  const items: T[] = [];
  for (let page = 1; ; page += 1) {
    const answer = await read({ page, pageSize: LIST_PAGE });
    items.push(...answer.items);
    if (answer.items.length < LIST_PAGE || page * LIST_PAGE >= answer.total) return items;
  }
}

/** A file name fit for a zip entry: no folders, no control characters, not empty, not too long. */
export function safeName(name: string): string {
  const cleaned = name
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f/\\:*?"<>|]/g, '_')
    .replace(/^\.+/, '')
    .trim();
  const limited = [...cleaned].slice(-120).join('');
  return limited || 'file';
}

/** `name`, or "name (2).ext" … when the archive already holds that name. */
export function uniqueName(name: string, taken: Set<string>): string {
  const dot = name.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  let candidate = name;
  for (let n = 2; taken.has(candidate.toLowerCase()); n += 1) candidate = `${stem} (${n})${ext}`;
  taken.add(candidate.toLowerCase());
  return candidate;
}
