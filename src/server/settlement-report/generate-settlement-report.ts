import { createHash } from 'node:crypto';
import { languages, type Language } from '../../common/rules/languages.ts';
import { changeCase } from '../case-commands/case-command.ts';
import type { EventActor } from '../case-events/case-events.ts';
import { logoStorageKey } from '../companies/logos.ts';
import { nowIso, provide, provided, type Db } from '../db/database.ts';
import type { DocumentsTable } from '../db/schema.ts';
import { cleanFileName, type DocumentDeps } from '../documents/intake.ts';
import {
  findDocument,
  findDocumentsOfCase,
  insertDocument,
  setUnshared,
  setWithheld,
} from '../documents/queries.ts';
import { announceAutomaticReports, customerPageSettingsOf } from '../documents/report-sharing.ts';
import { notFound } from '../errors.ts';
import { FileNotFoundError, readAll } from '../storage/file-storage.ts';
import { renderSettlementReport, type SettlementReportInput } from './render-settlement-report.ts';
import { reportWords } from './report-texts.ts';
import {
  companyLook,
  findSettlement,
  findSettlementVersion,
  findUserName,
  lastPageLanguage,
  linesOfSettlement,
  olderSettlementIds,
} from './queries.ts';

/**
 * The customer settlement report of an approved settlement version (issue 20 item 3): rendered as a
 * PDF (render-settlement-report.ts), stored through the file storage and filed in the case's document
 * library as the `customer_settlement_report` — the kind the customer page's "Vis
 * kundeoppgjørsrapport" rule shares — so the existing report rule (documents/report-sharing.ts) puts
 * it on the customer page at its milestone and writes its news entry, exactly as for an uploaded
 * report.
 *
 * - One report per settlement version: its document id is derived from the settlement's id, so a
 *   retry (or a second call) finds it and creates nothing; the check and the insert run under the
 *   case lock.
 * - The reports of the versions it supersedes are withheld (and no longer shared by hand): they leave
 *   the customer page for good — also if the new report is later deleted — and stay in the library
 *   for staff, marked "withheld".
 * - The bytes are written at their key before the row (an atomic put): there is never a row without
 *   its file; a failure leaves at most a file at the key the next attempt writes again.
 * - No quota check: a generated report of a few kB is never refused after the approval committed.
 *
 * The settlement module calls {@link reportSettlementApproval} after an approval commits.
 */

/** Which approved settlement version to report on, and who approved it. */
export interface GenerateSettlementReportInput {
  companyId: string;
  caseId: string;
  /** An approved settlement version of the case (a draft or superseded one gets no report). */
  settlementId: string;
  /** The approver, whom the report is filed by in the library and the log; null: the system (an API key). */
  actorUserId: string | null;
}

/** The report filed: its document row, and whether this call created it. */
export interface GeneratedSettlementReport {
  document: DocumentsTable;
  created: boolean;
}

/** The document id of the report of a settlement version: a UUID (version 8) from its id. */
export function settlementReportDocumentId(settlementId: string): string {
  const hex = createHash('sha256').update(`settlement-report:${settlementId}`).digest('hex');
  const variant = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Generates, stores and files the report of an approved settlement version (see the module comment);
 * null when the version is not approved (a draft, or superseded before its report was made). Throws
 * 404 for a settlement that is not the case's or the company's.
 */
export async function generateSettlementReport(
  deps: DocumentDeps,
  input: GenerateSettlementReportInput,
): Promise<GeneratedSettlementReport | null> {
  const { db } = deps;
  const documentId = settlementReportDocumentId(input.settlementId);
  const existing = await findDocument(db, documentId);
  if (existing && existing.company_id === input.companyId && existing.case_id === input.caseId) {
    return { document: existing, created: false };
  }

  const settlement = await findSettlement(db, input.companyId, input.caseId, input.settlementId);
  if (!settlement) throw notFound('No such settlement of this case.');
  if (settlement.status !== 'approved' || !settlement.decided_at) return null;

  const report = await reportInput(deps, input, settlement.id);
  const bytes = await renderSettlementReport(report);
  const key = `${input.companyId}/${documentId}`;
  const words = reportWords[report.language];
  const fileName = cleanFileName(
    `${words.title} ${report.case.claimNumber} ${words.version.toLowerCase()} ${settlement.version}.pdf`,
  );
  await deps.storage.put(key, Buffer.from(bytes));

  try {
    return await changeCase(
      db,
      {
        caseId: input.caseId,
        companyId: input.companyId,
        stamp: (trx) => approverStamp(trx, input.actorUserId),
      },
      async ({ trx, row: caseRow, stamp, now, event, signal }) => {
        const filed = await findDocument(trx, documentId);
        if (filed) return { document: filed, created: false };
        const again = await findSettlement(trx, input.companyId, input.caseId, input.settlementId);
        if (again?.status !== 'approved') return null;
        const document: DocumentsTable = {
          id: documentId,
          company_id: caseRow.company_id,
          case_id: caseRow.id,
          task_id: null,
          kind: 'customer_settlement_report',
          file_name: fileName,
          content_type: 'application/pdf',
          size_bytes: bytes.byteLength,
          storage_key: key,
          uploaded_by_kind: 'staff',
          uploaded_by_id: stamp.kind === 'user' ? stamp.id : null,
          uploaded_by_name: stamp.name,
          seen_at: nowIso(now),
          shared_at: null,
          created_at: nowIso(now),
        };
        await insertDocument(trx, document);
        await event('document_uploaded', { documentId, fileName, kind: document.kind });
        await withdrawOlderReports(trx, caseRow.id, Number(settlement.version), stamp, event, now);
        // The rule shares the new report at once when its milestone is reached, with its news entry.
        const settings = await customerPageSettingsOf(trx, caseRow.company_id);
        await announceAutomaticReports(trx, caseRow, settings, stamp, now);
        signal('documents');
        return { document: (await findDocument(trx, documentId)) ?? document, created: true };
      },
    );
  } catch (error) {
    // Nothing filed: the file goes again, unless a simultaneous call filed the same report meanwhile.
    if (!(await findDocument(db, documentId))) await deps.storage.delete(key).catch(() => undefined);
    throw error;
  }
}

/**
 * The reports of the versions older than `version`: withheld, so the report rule never shows them
 * again, and no longer shared by hand. One the customer saw by hand gets a `document_unshared` event
 * (the staff log and the customer's news say it went); one the rule showed was replaced on the page by
 * the new report already, silently, as a newer upload replaces an older one.
 */
async function withdrawOlderReports(
  trx: Db,
  caseId: string,
  version: number,
  stamp: EventActor,
  event: (
    kind: 'document_unshared',
    data: { documentId: string; fileName: string; withheld: true },
  ) => Promise<void>,
  now: Date,
): Promise<void> {
  const ids = (await olderSettlementIds(trx, caseId, version)).map(settlementReportDocumentId);
  const older = (await findDocumentsOfCase(trx, caseId, ids)).filter((row) => !row.withheld_at);
  if (older.length === 0) return;
  const byHand = older.filter((row) => row.shared_at !== null);
  await setUnshared(
    trx,
    byHand.map((row) => row.id),
  );
  await setWithheld(
    trx,
    older.map((row) => row.id),
    nowIso(now),
    stamp.name,
  );
  for (const row of byHand) {
    await event('document_unshared', { documentId: row.id, fileName: row.file_name, withheld: true });
  }
}

/** The log stamp of the approver: the user, or the system when an API key approved. */
async function approverStamp(db: Db, userId: string | null): Promise<EventActor> {
  if (userId === null) return { kind: 'system', id: null, name: null };
  return { kind: 'user', id: userId, name: await findUserName(db, userId) };
}

/** Everything the report shows, read from the settlement, the case and the company's customer page. */
async function reportInput(
  deps: DocumentDeps,
  input: GenerateSettlementReportInput,
  settlementId: string,
): Promise<SettlementReportInput> {
  const { db } = deps;
  const settlement = await findSettlement(db, input.companyId, input.caseId, settlementId);
  const caseRow = await db
    .selectFrom('cases')
    .select(['claim_number', 'street', 'postal_code', 'city'])
    .where('id', '=', input.caseId)
    .where('company_id', '=', input.companyId)
    .executeTakeFirst();
  const company = await companyLook(db, input.companyId);
  if (!settlement?.decided_at || !caseRow || !company) throw notFound();
  const settings = await customerPageSettingsOf(db, input.companyId);
  const lines = await linesOfSettlement(db, settlementId);
  // The logo customers see: the customer page's own unless it uses the company's (logoViewOf).
  const logoKey =
    !settings.useCompanyLogo && company.page_logo_key ? company.page_logo_key : company.logo_key;
  return {
    language: await customerLanguage(db, input.caseId),
    company: {
      name: company.name,
      primaryColor: settings.colors.menuBackground,
      primaryTextColor: settings.colors.menuText,
      logo: logoKey ? await logoBytes(deps, logoKey) : null,
      contactForMoreInfo: settings.contactForMoreInfo,
    },
    case: {
      claimNumber: caseRow.claim_number,
      street: caseRow.street,
      postalCode: caseRow.postal_code,
      city: caseRow.city,
    },
    settlement: {
      version: Number(settlement.version),
      supersedesVersion: settlement.supersedes_id
        ? await findSettlementVersion(db, settlement.supersedes_id)
        : null,
      decidedAt: settlement.decided_at,
      deductibleOre: Number(settlement.deductible_ore),
      lines: lines.map((line) => ({
        kind: line.kind,
        description: line.description,
        claimedOre: Number(line.claimed_ore),
        depreciationBasisPoints: Number(line.depreciation_basis_points),
        depreciationReason: line.depreciation_reason,
        vatIncluded: Boolean(line.vat_included),
      })),
    },
  };
}

/**
 * The customer's language: the one they last read the customer page in, else Norwegian bokmål (the
 * product's default). The product stores no other language choice of a customer.
 */
async function customerLanguage(db: Db, caseId: string): Promise<Language> {
  const read = await lastPageLanguage(db, caseId);
  return languages.find((language) => language === read) ?? 'nb';
}

/** The logo's sharp rendition (80 px high, PNG); a missing file leaves the report without a logo. */
async function logoBytes(deps: DocumentDeps, key: string): Promise<Uint8Array | null> {
  try {
    return new Uint8Array(await readAll(await deps.storage.get(logoStorageKey(key, 80))));
  } catch (error) {
    if (!(error instanceof FileNotFoundError)) throw error;
    deps.log?.error({ key }, 'settlement report: the logo file is missing; the report is drawn without');
    return null;
  }
}

// ---- The step after an approval ----

const DEPS = Symbol('settlement report deps');

/** Gives the report's file storage and log to a database handle (buildApp does). */
export function setUpSettlementReports(db: Db, deps: Omit<DocumentDeps, 'db'>): void {
  provide(db, DEPS, deps);
}

/**
 * What the settlement module runs after an approval commits (an after-commit step): generates the
 * report of the approved version with the storage app.ts gave the handle. Never throws — the approval
 * is committed whatever happens here; a failure is logged, and calling it again (or
 * {@link generateSettlementReport}) makes the report later.
 */
export async function reportSettlementApproval(db: Db, input: GenerateSettlementReportInput): Promise<void> {
  const deps = provided<Omit<DocumentDeps, 'db'>>(db, DEPS);
  if (!deps)
    throw new Error(
      'Settlement reports are not set up on this handle: build the app (setUpSettlementReports).',
    );
  try {
    await generateSettlementReport({ ...deps, db }, input);
  } catch (error) {
    deps.log?.error(
      { err: error, caseId: input.caseId, settlementId: input.settlementId },
      'settlement report: could not generate the report of an approved settlement',
    );
  }
}
