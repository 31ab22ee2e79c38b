import { appendCaseEvent } from '../case-events/case-events.ts';
import type { Db } from '../db/database.ts';
import { nowIso } from '../db/database.ts';

// Demo-only writes: moving a freshly created demo case back in time. Never used by the product.

const back = (iso: string | null, ms: number) =>
  iso ? nowIso(new Date(new Date(iso).getTime() - ms)) : null;

/** Moves every recorded time of a case (not its planned dates) back by `ms`. */
export async function shiftCaseTimes(db: Db, caseId: string, ms: number): Promise<void> {
  const row = await db.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirstOrThrow();
  await db
    .updateTable('cases')
    .set({
      created_at: back(row.created_at, ms) ?? row.created_at,
      updated_at: back(row.updated_at, ms) ?? row.updated_at,
      main_inspection_assigned_at: back(row.main_inspection_assigned_at, ms),
      positive_decision_at: back(row.positive_decision_at, ms),
      claim_decision_at: back(row.claim_decision_at, ms),
      closed_at: back(row.closed_at, ms),
    })
    .where('id', '=', caseId)
    .execute();
  for (const event of await db
    .selectFrom('case_events')
    .select(['id', 'occurred_at'])
    .where('case_id', '=', caseId)
    .execute()) {
    await db
      .updateTable('case_events')
      .set({ occurred_at: back(event.occurred_at, ms) ?? event.occurred_at })
      .where('id', '=', event.id)
      .execute();
  }
  for (const message of await db
    .selectFrom('case_messages')
    .selectAll()
    .where('case_id', '=', caseId)
    .execute()) {
    await db
      .updateTable('case_messages')
      .set({
        created_at: back(message.created_at, ms) ?? message.created_at,
        read_at: back(message.read_at, ms),
      })
      .where('id', '=', message.id)
      .execute();
  }
  for (const note of await db
    .selectFrom('staff_notifications')
    .selectAll()
    .where('case_id', '=', caseId)
    .execute()) {
    await db
      .updateTable('staff_notifications')
      .set({ created_at: back(note.created_at, ms) ?? note.created_at, read_at: back(note.read_at, ms) })
      .where('id', '=', note.id)
      .execute();
  }
  for (const task of await db.selectFrom('tasks').selectAll().where('case_id', '=', caseId).execute()) {
    await db
      .updateTable('tasks')
      .set({
        created_at: back(task.created_at, ms) ?? task.created_at,
        started_at: back(task.started_at, ms),
        finished_at: back(task.finished_at, ms),
      })
      .where('id', '=', task.id)
      .execute();
  }
  for (const access of await db
    .selectFrom('customer_access')
    .select(['id', 'granted_at', 'last_used_at'])
    .where('case_id', '=', caseId)
    .execute()) {
    await db
      .updateTable('customer_access')
      .set({
        granted_at: back(access.granted_at, ms) ?? access.granted_at,
        last_used_at: back(access.last_used_at, ms),
      })
      .where('id', '=', access.id)
      .execute();
  }
  for (const message of await db
    .selectFrom('outbox')
    .select(['id', 'created_at', 'sent_at', 'next_attempt_at'])
    .where('case_id', '=', caseId)
    .execute()) {
    await db
      .updateTable('outbox')
      .set({
        created_at: back(message.created_at, ms) ?? message.created_at,
        next_attempt_at: back(message.next_attempt_at, ms) ?? message.next_attempt_at,
        sent_at: back(message.sent_at, ms),
      })
      .where('id', '=', message.id)
      .execute();
  }
  for (const call of await db
    .selectFrom('calls')
    .select(['id', 'called_at'])
    .where('case_id', '=', caseId)
    .execute()) {
    await db
      .updateTable('calls')
      .set({ called_at: back(call.called_at, ms) ?? call.called_at })
      .where('id', '=', call.id)
      .execute();
  }
  // The library's dates (uploaded, seen, shared by hand or by the report rule) match the feed's.
  for (const document of await db
    .selectFrom('documents')
    .selectAll()
    .where('case_id', '=', caseId)
    .execute()) {
    await db
      .updateTable('documents')
      .set({
        created_at: back(document.created_at, ms) ?? document.created_at,
        seen_at: back(document.seen_at, ms),
        shared_at: back(document.shared_at, ms),
        withheld_at: back(document.withheld_at ?? null, ms),
        auto_shared_at: back(document.auto_shared_at ?? null, ms),
      })
      .where('id', '=', document.id)
      .execute();
  }
}

/** Sets when a closed demo case was closed (and its closing event). */
export async function setClosedAt(db: Db, caseId: string, at: Date): Promise<void> {
  await db
    .updateTable('cases')
    .set({ closed_at: nowIso(at) })
    .where('id', '=', caseId)
    .execute();
  await db
    .updateTable('case_events')
    .set({ occurred_at: nowIso(at) })
    .where('case_id', '=', caseId)
    .where('kind', '=', 'case_closed')
    .execute();
}

/**
 * The demo's customer links are never sent anywhere, whatever SMTP_URL / SMS_PROVIDER say (the demo
 * addresses belong to nobody): they are delivered into the development mailbox at once.
 */
export async function keepDemoMessagesInMailbox(db: Db, caseId: string): Promise<void> {
  const rows = await db
    .selectFrom('outbox as o')
    .leftJoin('customer_access as a', 'a.id', 'o.access_id')
    .leftJoin('case_contacts as c', 'c.id', 'a.contact_id')
    .select([
      'o.id',
      'o.company_id',
      'o.access_id',
      'o.kind',
      'o.channel',
      'o.recipient',
      'o.created_at',
      'c.name',
    ])
    .where('o.case_id', '=', caseId)
    .where('o.state', '=', 'queued')
    .execute();
  for (const row of rows) {
    await db
      .updateTable('outbox')
      .set({ state: 'sent', delivered_via: 'dev-mailbox', sent_at: row.created_at })
      .where('id', '=', row.id)
      .execute();
    if (row.kind !== 'customer_link' || row.channel === 'webhook') continue;
    await appendCaseEvent(
      db,
      { companyId: row.company_id, caseId },
      { kind: 'system', id: null, name: null },
      'customer_link_sent',
      {
        messageId: row.id,
        accessId: row.access_id ?? '',
        name: row.name ?? '',
        channel: row.channel,
        recipient: row.recipient,
        attempts: 0,
      },
      new Date(row.created_at),
    );
  }
}

/** The demo customer's active grant on a case, as the sender of their demo messages. */
export async function findDemoCustomerGrant(db: Db, caseId: string) {
  const row = await db
    .selectFrom('customer_access as a')
    .innerJoin('case_contacts as c', 'c.id', 'a.contact_id')
    .select(['a.id', 'c.name', 'c.email'])
    .where('a.case_id', '=', caseId)
    .where('a.state', '=', 'active')
    .where('c.role', '=', 'customer')
    .executeTakeFirst();
  return row ? { accessId: row.id, name: row.name, email: row.email } : null;
}
