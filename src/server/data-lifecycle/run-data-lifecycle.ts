import { osloDate } from '../../common/rules/oslo-date.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { inTransaction, isUniqueViolation, nowIso, provide, provided, type Db } from '../db/database.ts';
import { newId } from '../security/tokens.ts';
import { anonymiseCase, type LifecycleDeps } from './anonymise-case.ts';
import {
  casesPastRetention,
  companiesWithRetention,
  finishRun,
  insertRun,
  scrubOutboxRows,
} from './queries.ts';

/**
 * How long a delivered (or finally failed) e-mail, SMS or webhook message keeps its address and texts:
 * long enough for staff to answer "did the customer get it?" and to replay a webhook, short enough that
 * the outbox is no second archive of personal data (our number).
 */
export const OUTBOX_GRACE_DAYS = 30;

/** The retention a company has when none is stored (the migration's default). */
export const DEFAULT_RETENTION_YEARS = 10;

const LIFECYCLE = Symbol('data lifecycle');

/** Gives the job the file storage (buildApp does), so it runs as `(db, now)` like the other periodic jobs. */
export function setUpDataLifecycle(db: Db, deps: LifecycleDeps): void {
  provide(db, LIFECYCLE, deps);
}

/** What one company's run did (null: it ran already today, here or in another process). */
export interface RetentionRunResult {
  companyId: string;
  casesAnonymised: number;
  filesDeleted: number;
  outboxScrubbed: number;
}

/** The instant `years` calendar years before `now` (UTC): a case closed before it is past retention. */
export function retentionCutoff(now: Date, years: number): Date {
  const cutoff = new Date(now.getTime());
  cutoff.setUTCFullYear(cutoff.getUTCFullYear() - years);
  return cutoff;
}

/**
 * The daily data-lifecycle job (issue 19, item 6): for every company, once per Oslo day — the first
 * process to insert the day's run row runs it, every other run that day does nothing — it anonymises
 * the closed cases past the company's retention ({@link anonymiseCase}, one write-path change each)
 * and scrubs the outbox rows past {@link OUTBOX_GRACE_DAYS}, then finishes the run row with its
 * counts and writes a `retention.ran` audit line. Run every 10 minutes by main.ts with the other
 * periodic jobs; tests pass `now`. A run that stops half-way leaves its row unfinished; the cases
 * it did not reach are the next day's (they are found by `personal_data_removed_at`, not the run).
 */
export async function runDataLifecycle(db: Db, now: Date = new Date()): Promise<RetentionRunResult[]> {
  const deps = provided<LifecycleDeps>(db, LIFECYCLE);
  if (!deps)
    throw new Error('The data lifecycle is not set up on this handle: build the app (setUpDataLifecycle).');
  const results: RetentionRunResult[] = [];
  for (const company of await companiesWithRetention(db)) {
    const result = await runForCompany(
      db,
      deps,
      company.id,
      Number(company.personal_data_retention_years ?? DEFAULT_RETENTION_YEARS),
      now,
    );
    if (result) results.push(result);
  }
  return results;
}

async function runForCompany(
  db: Db,
  deps: LifecycleDeps,
  companyId: string,
  years: number,
  now: Date,
): Promise<RetentionRunResult | null> {
  const runId = newId();
  try {
    await insertRun(db, {
      id: runId,
      company_id: companyId,
      day: osloDate(now),
      started_at: nowIso(now),
      finished_at: null,
      cases_anonymised: 0,
      files_deleted: 0,
      outbox_scrubbed: 0,
    });
  } catch (error) {
    if (isUniqueViolation(error)) return null;
    throw error;
  }
  const closedBefore = nowIso(retentionCutoff(now, years));
  let casesAnonymised = 0;
  let filesDeleted = 0;
  for (const { id } of await casesPastRetention(db, companyId, closedBefore)) {
    try {
      const done = await anonymiseCase(db, deps, { companyId, caseId: id, closedBefore }, now);
      if (done) {
        casesAnonymised += 1;
        filesDeleted += done.files;
      }
    } catch (error) {
      // One case failing stops no other; it is found again tomorrow.
      deps.log?.error({ err: error, caseId: id }, 'data-lifecycle: could not anonymise a case');
    }
  }
  const graceStart = new Date(now.getTime() - OUTBOX_GRACE_DAYS * 24 * 60 * 60 * 1000);
  return inTransaction(db, async (trx) => {
    const outboxScrubbed = await scrubOutboxRows(trx, companyId, nowIso(graceStart), nowIso(now));
    const counts = {
      cases_anonymised: casesAnonymised,
      files_deleted: filesDeleted,
      outbox_scrubbed: outboxScrubbed,
    };
    await finishRun(trx, runId, { finished_at: nowIso(now), ...counts });
    await recordAudit(
      trx,
      { kind: 'system', companyId },
      {
        action: 'retention.ran',
        subjectType: 'company',
        subjectId: companyId,
        detail: {
          day: osloDate(now),
          retentionYears: years,
          closedBefore,
          casesAnonymised,
          filesDeleted,
          outboxScrubbed,
        },
        at: now,
      },
    );
    return { companyId, casesAnonymised, filesDeleted, outboxScrubbed };
  });
}
