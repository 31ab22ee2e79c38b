import type { Db } from '../db/database.ts';
import type { RetentionRunsTable } from '../db/schema.ts';

// All SQL of the data lifecycle's daily job of its own (the run rows, the cases past retention, the
// outbox scrub). The rows of one case it anonymises are changed in anonymise-case.ts, inside the
// case's write-path transaction.

/** Every company with its retention in years. */
export const companiesWithRetention = (db: Db) =>
  db.selectFrom('companies').select(['id', 'personal_data_retention_years']).orderBy('id').execute();

/** Claims a company's run of the day: the unique (company_id, day) index lets one insert win. */
export const insertRun = (db: Db, row: RetentionRunsTable) =>
  db.insertInto('retention_runs').values(row).execute();

export const finishRun = (
  db: Db,
  id: string,
  values: Pick<RetentionRunsTable, 'finished_at' | 'cases_anonymised' | 'files_deleted' | 'outbox_scrubbed'>,
) => db.updateTable('retention_runs').set(values).where('id', '=', id).execute();

/** The ids of a company's cases closed before `closedBefore` whose personal data is still kept. */
export const casesPastRetention = (db: Db, companyId: string, closedBefore: string) =>
  db
    .selectFrom('cases')
    .select('id')
    .where('company_id', '=', companyId)
    .where('status', '=', 'closed')
    .where('closed_at', '<', closedBefore)
    .where('personal_data_removed_at', 'is', null)
    .orderBy('closed_at')
    .orderBy('id')
    .execute();

/**
 * Clears address, subject, bodies and sealed secret of a company's outbox rows delivered (or finally
 * failed) before `before`, keeping status, channel and times; the number of rows scrubbed. A failed
 * row has no time of failure of its own: its creation time stands for it (retries end within hours).
 * Webhook rows keep their recipient (the endpoint's id, not a person) and lose the event's body.
 */
export async function scrubOutboxRows(
  db: Db,
  companyId: string,
  before: string,
  at: string,
): Promise<number> {
  const result = await db
    .updateTable('outbox')
    .set((eb) => ({
      recipient: eb.case().when('channel', '=', 'webhook').then(eb.ref('recipient')).else('').end(),
      subject: null,
      body_text: '',
      body_html: null,
      secret_sealed: null,
      personal_data_scrubbed_at: at,
    }))
    .where('company_id', '=', companyId)
    .where('personal_data_scrubbed_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb.and([eb('state', '=', 'sent'), eb('sent_at', '<', before)]),
        eb.and([eb('state', '=', 'failed'), eb('created_at', '<', before)]),
      ]),
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
