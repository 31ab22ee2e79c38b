import type { CaseEventData, CaseEventKind } from '../../common/rules/case-events.ts';
import { authorize, type Actor, type Rule } from '../security/actor.ts';
import { appendCaseEvent, eventActorOf, type EventActor } from '../case-events/case-events.ts';
import { afterCommit, inTransaction, isPostgres, provide, provided, type Db } from '../db/database.ts';
import type { CasesTable } from '../db/schema.ts';
import { notFound } from '../errors.ts';
import type { LiveBus, LiveTopic } from '../live/live.ts';

/**
 * THE write path of case work (issue 12): every change of a case — by staff, an API key, a customer
 * or the system — runs as one unit of work:
 *
 *   rule checked → transaction opened → case row locked and read again inside it (PostgreSQL
 *   `SELECT … FOR UPDATE`; SQLite transactions begin IMMEDIATE, see database.ts) → the command
 *   guards on that fresh row and writes its rows and case events → the case's `version` is bumped
 *   and the on-change steps of other modules run in the same transaction → commit → only then the after-commit steps (committing
 *   staged files, waking the outbox, the live signal).
 *
 * A command that throws rolls everything back and none of its after-commit steps runs. Two commands
 * on one case therefore run one after the other, each seeing what the other committed: a guard can
 * no longer pass on a stale row, so a change is written (and announced) exactly once.
 */

/** What an on-change step learns of a committed-to-be change. */
export interface CaseChange {
  trx: Db;
  /** The case as the command found it (locked); null for a case the command created. */
  before: CasesTable | null;
  /** The case as the command left it. */
  after: CasesTable;
  stamp: EventActor;
  now: Date;
}

/**
 * A reaction of another module to any case change, run inside the change's transaction (so what it
 * writes commits with the change or not at all). Registered in app.ts; case work imports none of them.
 */
export type CaseChangeStep = (change: CaseChange) => Promise<void>;

/** What the app gives the write path: the on-change steps, and the live bus for signals. */
export interface CaseWork {
  steps: readonly CaseChangeStep[];
  live: Pick<LiveBus, 'publish'> | null;
  log?: { error: (details: object, message: string) => void };
}

const CASE_WORK = Symbol('case work');

/** Sets up the write path on a database handle (buildApp does; every transaction on it inherits it). */
export function setUpCaseWork(db: Db, work: CaseWork): void {
  provide(db, CASE_WORK, work);
}

function caseWorkOf(db: Db): CaseWork {
  const work = provided<CaseWork>(db, CASE_WORK);
  if (!work) {
    throw new Error('Case work is not set up on this database handle: build the app (setUpCaseWork) first.');
  }
  return work;
}

/** What a command works with inside its transaction. */
export interface CaseCommandContext {
  trx: Db;
  /** The case row, locked and read inside the transaction: guard on this, never on an earlier read. */
  row: CasesTable;
  stamp: EventActor;
  now: Date;
  target: { companyId: string; caseId: string };
  /** Appends one event to the case's log, in this transaction, at `now`. */
  event<K extends CaseEventKind>(kind: K, data: CaseEventData[K]): Promise<void>;
  /** Tells open pages of the case to fetch again, after the commit (every command ends with `case`). */
  signal(topic: LiveTopic): void;
  /** Runs `step` after the commit; a rolled-back command runs none. */
  afterCommit(step: () => unknown): void;
}

/** Who a change is made by and for which case (the company check answers 404 for anyone else's). */
export interface CaseCommandTarget {
  caseId: string;
  companyId: string;
  /** The log stamp of whoever makes the change (read inside the transaction). */
  stamp: (trx: Db) => Promise<EventActor> | EventActor;
  now?: Date;
}

/**
 * Runs `run` as a change of an existing case (see the module comment). The case of another company,
 * or none, is 404 before anything is written.
 */
export async function changeCase<T>(
  db: Db,
  target: CaseCommandTarget,
  run: (command: CaseCommandContext) => Promise<T>,
): Promise<T> {
  const work = caseWorkOf(db);
  return inTransaction(db, async (trx) => {
    const row = await lockCase(trx, target.caseId);
    if (!row || row.company_id !== target.companyId) throw notFound();
    // Taken once the lock is held, so the commands of one case log their events in the order they ran.
    const now = target.now ?? new Date();
    const stamp = await target.stamp(trx);
    const command = commandContext(trx, work, row, stamp, now);
    const result = await run(command);
    await runSteps(work, trx, row.id, row, stamp, now);
    // Last of the after-commit steps: pages refetch once the command's files are in place.
    command.signal('case');
    return result;
  });
}

/** {@link changeCase} for staff and API keys: the rule of `actor` first (403), then the case (404). */
export async function caseCommand<T>(
  db: Db,
  actor: Actor,
  caseId: string,
  rule: Rule,
  run: (command: CaseCommandContext) => Promise<T>,
  now?: Date,
): Promise<T> {
  authorize(actor, rule);
  return changeCase(
    db,
    { caseId, companyId: actor.companyId, stamp: (trx) => eventActorOf(trx, actor), now },
    run,
  );
}

/**
 * Creates a case through the write path: `insert` writes the case row (and whatever belongs to it),
 * then the command runs on the new row like any other change; on-change steps see `before: null`.
 */
export async function createCaseCommand<T>(
  db: Db,
  actor: Actor,
  rule: Rule,
  insert: (trx: Db) => Promise<string>,
  run: (command: CaseCommandContext) => Promise<T>,
  now = new Date(),
): Promise<T> {
  authorize(actor, rule);
  const work = caseWorkOf(db);
  return inTransaction(db, async (trx) => {
    const caseId = await insert(trx);
    const row = await lockCase(trx, caseId);
    if (!row) throw new Error(`case ${caseId} was not written`);
    const stamp = await eventActorOf(trx, actor);
    const command = commandContext(trx, work, row, stamp, now);
    const result = await run(command);
    await runSteps(work, trx, caseId, null, stamp, now);
    command.signal('case');
    return result;
  });
}

/** Locks the case row for the rest of the transaction and reads it. */
export async function lockCase(trx: Db, caseId: string): Promise<CasesTable | undefined> {
  const query = trx.selectFrom('cases').selectAll().where('id', '=', caseId);
  // SQLite: the IMMEDIATE transaction already holds the database's write lock.
  return (isPostgres(trx) ? query.forUpdate() : query).executeTakeFirst();
}

function commandContext(
  trx: Db,
  work: CaseWork,
  row: CasesTable,
  stamp: EventActor,
  now: Date,
): CaseCommandContext {
  const target = { companyId: row.company_id, caseId: row.id };
  const signal = (topic: LiveTopic) => {
    void afterCommit(trx, () => publish(work, row.id, topic), `live:${row.id}:${topic}`);
  };
  return {
    trx,
    row,
    stamp,
    now,
    target,
    event: (kind, data) => appendCaseEvent(trx, target, stamp, kind, data, now),
    signal,
    afterCommit: (step) => void afterCommit(trx, step),
  };
}

/**
 * The end of every change: the case's version moves on (stored read models stamped with an older one
 * are no longer sent, see customer-page/read-model.ts), then the on-change steps run.
 */
async function runSteps(
  work: CaseWork,
  trx: Db,
  caseId: string,
  before: CasesTable | null,
  stamp: EventActor,
  now: Date,
) {
  await trx
    .updateTable('cases')
    .set((eb) => ({ version: eb('version', '+', 1) }))
    .where('id', '=', caseId)
    .execute();
  if (!work.steps.length) return;
  const after = await trx.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirst();
  if (!after) return;
  for (const step of work.steps) await step({ trx, before, after, stamp, now });
}

/** A failed signal is logged, never the request's error: the change is committed. */
async function publish(work: CaseWork, caseId: string, topic: LiveTopic): Promise<void> {
  if (!work.live) return;
  try {
    await work.live.publish({ caseId, topic });
  } catch (error) {
    work.log?.error({ err: error, caseId }, 'case work: live signal failed');
  }
}
