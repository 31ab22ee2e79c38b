import { hasQuietHours, type QuietHours } from '../../common/rules/quiet-hours.ts';
import type { CompaniesTable } from '../db/schema.ts';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';

/**
 * A company's quiet hours for customer notices (issue 19, item 5), kept on its row beside the
 * customer-page settings: read for the admin page, saved by its PUT. The outbox reads the same
 * columns when it queues a customer notice (outbox.ts, HELD_IN_QUIET_HOURS).
 */

/** The quiet hours of a company row (the columns' default is the product's 21 → 8). */
export const quietHoursOfRow = (
  row: Pick<CompaniesTable, 'quiet_hours_from' | 'quiet_hours_to'>,
): QuietHours => ({
  quietHoursFrom: row.quiet_hours_from ?? null,
  quietHoursTo: row.quiet_hours_to ?? null,
});

/**
 * Saves the quiet hours of a PUT under the company's lock: an hour left out keeps the saved one; one
 * null ends the quiet hours (both become null); equal hours are refused (400 `quiet_hours_equal`).
 * Returns the changed settings for the audit log, each once.
 */
export async function saveQuietHours(
  trx: Db,
  companyId: string,
  input: Partial<QuietHours>,
): Promise<Array<{ setting: keyof QuietHours; oldValue: number | null; newValue: number | null }>> {
  const row = await trx
    .selectFrom('companies')
    .select(['quiet_hours_from', 'quiet_hours_to'])
    .where('id', '=', companyId)
    .executeTakeFirstOrThrow();
  const previous = quietHoursOfRow(row);
  let next: QuietHours = {
    quietHoursFrom: input.quietHoursFrom === undefined ? previous.quietHoursFrom : input.quietHoursFrom,
    quietHoursTo: input.quietHoursTo === undefined ? previous.quietHoursTo : input.quietHoursTo,
  };
  if (next.quietHoursFrom !== null && next.quietHoursFrom === next.quietHoursTo) {
    throw new AppError('quiet_hours_equal');
  }
  if (!hasQuietHours(next)) next = { quietHoursFrom: null, quietHoursTo: null };
  const changes = (['quietHoursFrom', 'quietHoursTo'] as const)
    .filter((setting) => previous[setting] !== next[setting])
    .map((setting) => ({ setting, oldValue: previous[setting], newValue: next[setting] }));
  if (changes.length) {
    await trx
      .updateTable('companies')
      .set({ quiet_hours_from: next.quietHoursFrom, quiet_hours_to: next.quietHoursTo })
      .where('id', '=', companyId)
      .execute();
  }
  return changes;
}
