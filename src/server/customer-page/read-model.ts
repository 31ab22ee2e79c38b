import { createHash } from 'node:crypto';
import { type CustomerSessionView } from '../../common/contracts/customer-access-api.ts';
import type { NewsLanguage } from '../../common/rules/customer-news.ts';
import { preparedQuery, type Db } from '../db/database.ts';
import type { CustomerPageModelsTable } from '../db/schema.ts';
import { buildCustomerPage } from './customer-page.ts';
import { customerPageModelSchema, customerVisibilitySchema } from './schemas.ts';

/**
 * The customer page's read model (issue 13). A page is read far more often than its case changes,
 * so the finished JSON of its case part (`{"visibility":…,"model":…}`) is stored per case × grant ×
 * language in `customer_page_models`, stamped with the versions it was built from:
 *
 * - the case's `version`, bumped by the write path of case work in the transaction of every change
 *   (so a change and its new version commit together);
 * - the company's `page_version`, bumped with every change of what all its pages show besides their
 *   case (companies/page-version.ts);
 * - `valid_until`: the first moment the page would look different by the clock alone (the next
 *   meeting leaving the dashboard's plan); null when nothing on it depends on the time. The closing
 *   window needs no stamp: the session check refuses a case past it before this is read.
 *
 * A read sends the stored string when both stamps equal the versions read with the session and the
 * clock is before `valid_until`; otherwise it builds the page (buildCustomerPage, the one presenter),
 * stores it and sends it. The versions are read BEFORE the page is built, so a change committed while
 * building leaves a stamp older than the case: the next read builds again. A stored answer is
 * therefore never sent after a change it does not show.
 */

/**
 * The format of what the presenter stores: raise it with every change of the customer page's answer
 * (a field added, a text or a list built differently). A page stored in another format is built again
 * on its next read — a deploy is seen at once, not only after each case's next change.
 * 1: partner contacts each once, naming all their repair tasks; task media (issue 16).
 * 2: dates inside news texts in the page's one numeric format ("09.12.2026, 09:00").
 * 3: "Hva skjer nå?" (nextStep) and a shown rejection (issue 19).
 */
export const CUSTOMER_PAGE_FORMAT = 3;

/** The versions a stored page must carry to be sent (read with the customer's session). */
export interface PageStamp {
  caseVersion: number;
  companyVersion: number;
}

export interface PageScope extends PageStamp {
  companyId: string;
  caseId: string;
  accessId: string;
}

/** The case part of the answer as JSON, and its entity tag (a hash of that JSON). */
export interface StoredPage {
  body: string;
  etag: string;
}

const hashOf = (text: string) => createHash('sha1').update(text).digest('base64url').slice(0, 22);

/**
 * The case part of GET /api/customer/page for one grant in one language: stored, or built and stored.
 * Null when the case cannot be shown at all (cancelled, past its window): nothing is stored then.
 */
export async function customerPageBody(
  db: Db,
  scope: PageScope,
  language: NewsLanguage,
  now: Date = new Date(),
): Promise<StoredPage | null> {
  const nowIso = now.toISOString();
  const fresh = (row: StoredRow | undefined): row is StoredRow =>
    !!row &&
    Number(row.format) === CUSTOMER_PAGE_FORMAT &&
    Number(row.case_version) === scope.caseVersion &&
    Number(row.company_version) === scope.companyVersion &&
    (row.valid_until === null || nowIso <= row.valid_until);
  const memory = db.isTransaction ? null : memoryOf(db);
  const key = `${scope.caseId}\u0000${scope.accessId}\u0000${language}`;
  const remembered = memory?.get(key);
  if (fresh(remembered)) return { body: remembered.body, etag: remembered.etag };
  const stored = await findStoredPage(db, scope.caseId, scope.accessId, language);
  if (fresh(stored)) {
    memory?.set(key, stored);
    return { body: stored.body, etag: stored.etag };
  }

  const page = await buildCustomerPage(db, scope, language, now);
  if (!page.model) return null;
  // Through the response's own schemas, as the route's serializer did: a field they do not name
  // cannot reach a stored answer either.
  const body = JSON.stringify({
    visibility: customerVisibilitySchema.parse(page.visibility),
    model: customerPageModelSchema.parse(page.model),
  });
  const etag = hashOf(body);
  // The plan lists meetings from now on (sorted): the first one leaves it when its time passes.
  // The next step names a date: it moves on at the next Oslo midnight (issue 19).
  const times = [page.model.plan[0]?.meetingAt, page.changesAt].filter((at): at is string => !!at).sort();
  const validUntil = times[0] ?? null;
  const row = {
    case_id: scope.caseId,
    access_id: scope.accessId,
    language,
    company_id: scope.companyId,
    case_version: scope.caseVersion,
    company_version: scope.companyVersion,
    format: CUSTOMER_PAGE_FORMAT,
    valid_until: validUntil,
    etag,
    body,
    built_at: nowIso,
  };
  await storePage(db, row);
  memory?.set(key, row);
  return { body, etag };
}

type StoredRow = Pick<
  CustomerPageModelsTable,
  'case_version' | 'company_version' | 'format' | 'valid_until' | 'etag' | 'body'
>;

/**
 * Stored pages this process read or built lately, by case × grant × language: a copy of rows of
 * `customer_page_models`, used under exactly the same check as the table (the stamps read with this
 * request's session, the clock before `valid_until`), so it answers only what the table would; it
 * saves the second statement of a page read (issue 13). Several processes each keep their own: a
 * change made through another one moves the case's version, which every session read sees.
 * Bounded by its bytes; the oldest entries go first.
 */
class PageMemory {
  private readonly rows = new Map<string, StoredRow>();
  private bytes = 0;
  constructor(private readonly maxBytes: number) {}

  get(key: string): StoredRow | undefined {
    return this.rows.get(key);
  }

  set(key: string, row: StoredRow): void {
    this.delete(key);
    this.rows.set(key, row);
    this.bytes += row.body.length;
    for (const [oldest] of this.rows) {
      if (this.bytes <= this.maxBytes) break;
      this.delete(oldest);
    }
  }

  private delete(key: string): void {
    const row = this.rows.get(key);
    if (!row) return;
    this.rows.delete(key);
    this.bytes -= row.body.length;
  }
}

/** 32 MB of page text per database handle (some 9 000 pages of the bench's 3.5 KB). */
const PAGE_MEMORY_BYTES = 32 * 1024 * 1024;
const memories = new WeakMap<Db, PageMemory>();
function memoryOf(db: Db): PageMemory {
  let memory = memories.get(db);
  if (!memory) memories.set(db, (memory = new PageMemory(PAGE_MEMORY_BYTES)));
  return memory;
}

/**
 * The whole `ok` answer of GET /api/customer/page: the stored case part as it is, around it the
 * session part of this request (through its schema, as the serializer would), and the answer's tag.
 */
export function pageAnswer(page: StoredPage, view: CustomerSessionView): { json: string; etag: string } {
  const sessionJson = sessionViewJson(view);
  return {
    json: `{"state":"ok",${page.body.slice(1, -1)},"session":${sessionJson}}`,
    etag: `"${page.etag}.${hashOf(sessionJson)}"`,
  };
}

// Read with every customer-page request: compiled once (no query building on the hot path).
const storedPageQuery = preparedQuery(3, (db: Db, caseId: string, accessId: string, language: string) =>
  db
    .selectFrom('customer_page_models')
    .select(['case_version', 'company_version', 'format', 'valid_until', 'etag', 'body'])
    .where('case_id', '=', caseId)
    .where('access_id', '=', accessId)
    .where('language', '=', language),
);
/**
 * The session part as its schema would serialise it (customerSessionView, same fields in the same
 * order, nothing else), picked by hand: a zod parse of it was ~2 % of a stored page's CPU.
 */
export function sessionViewJson(view: CustomerSessionView): string {
  const picked: CustomerSessionView = {
    state: view.state,
    reason: view.reason,
    claimNumber: view.claimNumber,
    company: view.company ? { name: view.company.name } : null,
    contactForMoreInfo: view.contactForMoreInfo,
    phoneHint: view.phoneHint,
    ...(view.bankId
      ? { bankId: { problem: view.bankId.problem, smsFallback: view.bankId.smsFallback } }
      : {}),
    ...(view.pendingLink ? { pendingLink: true as const } : {}),
  };
  return JSON.stringify(picked);
}

const findStoredPage = async (db: Db, caseId: string, accessId: string, language: string) =>
  (await storedPageQuery(db, caseId, accessId, language))[0];

/**
 * Stores a built page unless a newer one is there already (two readers building at once: the one
 * with the older stamps never replaces the newer page).
 */
async function storePage(db: Db, row: CustomerPageModelsTable): Promise<void> {
  await db
    .insertInto('customer_page_models')
    .values(row)
    .onConflict((conflict) =>
      conflict
        .columns(['case_id', 'access_id', 'language'])
        .doUpdateSet((eb) => ({
          company_id: eb.ref('excluded.company_id'),
          case_version: eb.ref('excluded.case_version'),
          company_version: eb.ref('excluded.company_version'),
          format: eb.ref('excluded.format'),
          valid_until: eb.ref('excluded.valid_until'),
          etag: eb.ref('excluded.etag'),
          body: eb.ref('excluded.body'),
          built_at: eb.ref('excluded.built_at'),
        }))
        .where((eb) =>
          eb.and([
            eb('customer_page_models.case_version', '<=', eb.ref('excluded.case_version')),
            eb('customer_page_models.company_version', '<=', eb.ref('excluded.company_version')),
            // During a rolling deploy the earlier code never replaces a page of the newer format.
            eb('customer_page_models.format', '<=', eb.ref('excluded.format')),
          ]),
        ),
    )
    .execute();
}
