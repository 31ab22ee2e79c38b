import type { CaseChangeStep } from '../case-commands/case-command.ts';
import { inTransaction, type Db } from '../db/database.ts';
import type { CasesTable, DashboardEntriesTable } from '../db/schema.ts';
import {
  activeStatuses,
  addToCount,
  bucketOf,
  deleteEntries,
  itemsAndEntriesOfCase,
  rebuildEntries,
  upsertEntries,
  type CountBucket,
  type Item,
} from './queries.ts';

// Keeps `dashboard_entries` and `dashboard_counts` (see queries.ts) equal to what the item tables
// say. Every change of a case's items, status or handler goes through the write path of case work,
// so one on-change step that recomputes the case's entries in the change's transaction keeps both
// exact: the first read of the dashboard after the commit counts the change.

/**
 * The entries of a case from its open items: one per row, with the earliest due date, or null when
 * an item of the row is undated (Today). The rebuild computes the same in SQL (allEntries).
 */
export function entriesOfCase(row: CasesTable, items: readonly Item[]): DashboardEntriesTable[] {
  if (!(activeStatuses as readonly string[]).includes(row.status)) return [];
  const byRow = new Map<Item['dashboard_row'], DashboardEntriesTable>();
  for (const item of items) {
    const entry = byRow.get(item.dashboard_row);
    if (!entry) {
      byRow.set(item.dashboard_row, {
        case_id: row.id,
        dashboard_row: item.dashboard_row,
        company_id: row.company_id,
        handler_id: row.case_handler_id,
        due_on: item.due,
      });
    } else if (entry.due_on !== null && (item.due === null || item.due < entry.due_on)) {
      entry.due_on = item.due;
    }
  }
  return [...byRow.values()];
}

const differs = (a: DashboardEntriesTable, b: DashboardEntriesTable) =>
  a.due_on !== b.due_on || a.handler_id !== b.handler_id || a.company_id !== b.company_id;

const keyOf = (bucket: CountBucket) =>
  [bucket.company_id, bucket.dashboard_row, bucket.handler_id, bucket.due_on].join('\n');

/**
 * On-change step (registered in app.ts): after any change of a case, its dashboard entries are
 * computed again from its open items (read with its stored entries in one statement, from small
 * partial indexes); only entries that differ are written, and the counts move with them. Most
 * changes (calls, edits, tasks, a second unread message) write nothing.
 */
export const keepDashboardEntries: CaseChangeStep = async ({ trx, after }) => {
  const active = (activeStatuses as readonly string[]).includes(after.status);
  const { items, stored } = await itemsAndEntriesOfCase(trx, after, active);
  const fresh = entriesOfCase(after, items);
  const freshByRow = new Map(fresh.map((entry) => [entry.dashboard_row, entry]));
  const storedByRow = new Map(stored.map((entry) => [entry.dashboard_row, entry]));
  const removed = stored.filter((entry) => !freshByRow.has(entry.dashboard_row));
  const written = fresh.filter((entry) => {
    const before = storedByRow.get(entry.dashboard_row);
    return !before || differs(before, entry);
  });
  if (!removed.length && !written.length) return;

  await deleteEntries(
    trx,
    after.id,
    removed.map((entry) => entry.dashboard_row),
  );
  await upsertEntries(trx, written);

  const deltas = new Map<string, { bucket: CountBucket; delta: number }>();
  const move = (entry: DashboardEntriesTable | undefined, delta: number) => {
    if (!entry) return;
    const bucket = bucketOf(entry);
    const key = keyOf(bucket);
    const known = deltas.get(key);
    if (known) known.delta += delta;
    else deltas.set(key, { bucket, delta });
  };
  for (const entry of removed) move(entry, -1);
  for (const entry of written) {
    move(storedByRow.get(entry.dashboard_row), -1);
    move(entry, +1);
  }
  // Buckets in one global order: two changes that share buckets lock them in the same order
  // (PostgreSQL), so they wait for each other instead of deadlocking. Such a wait lasts until the
  // other commits; it happens only when both move an entry into or out of the same bucket (an
  // undated row has one bucket per company), never for changes that leave the entries as they are.
  const ordered = [...deltas.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [, { bucket, delta }] of ordered) await addToCount(trx, bucket, delta);
};

/**
 * Computes every entry and count again from the item tables, in one transaction. For rows written
 * without the write path: the bench's generated data set (bulk inserts), or after a repair by hand.
 */
export async function rebuildDashboardEntries(db: Db): Promise<void> {
  await inTransaction(db, (trx) => rebuildEntries(trx));
}
