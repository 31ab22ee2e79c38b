import { newId } from '../security/tokens.ts';
import type { CaseEventData, CaseEventKind, LogTopic } from '../../common/rules/case-events.ts';
import { caseEventKinds, logTopicOfEvent } from '../../common/rules/case-events.ts';
import type { Actor } from '../security/actor.ts';
import type { Db } from '../db/database.ts';
import { nowIso } from '../db/database.ts';
import type { CaseEventsTable } from '../db/schema.ts';
import type { Page, PageRequest } from '../../common/contracts/paging.ts';
import { fetchPage } from '../db/paging.ts';
import { eventsOfCase, findApiKeyName, findUserName, insertCaseEvent } from './queries.ts';

/** Who did something, as the log shows it: a snapshot of the name at the time. */
export interface EventActor {
  kind: CaseEventsTable['actor_kind'];
  id: string | null;
  name: string | null;
}

/** The log stamp of a staff user or API key (its name is read once per change). */
export async function eventActorOf(db: Db, actor: Actor): Promise<EventActor> {
  if (actor.kind === 'staff') {
    return { kind: 'user', id: actor.userId, name: (await findUserName(db, actor.userId))?.name ?? null };
  }
  const key = await findApiKeyName(db, actor.apiKeyId);
  return { kind: 'api_key', id: actor.apiKeyId, name: key ? `API: ${key.name}` : null };
}

/**
 * Appends one event to a case's log. Call it with the transaction of the change that causes it, so
 * the change and its event are written together or not at all.
 */
export async function appendCaseEvent<K extends CaseEventKind>(
  trx: Db,
  target: { companyId: string; caseId: string },
  actor: EventActor,
  kind: K,
  data: CaseEventData[K],
  occurredAt: Date = new Date(),
): Promise<void> {
  await insertCaseEvent(trx, {
    id: newId(),
    company_id: target.companyId,
    case_id: target.caseId,
    kind,
    occurred_at: nowIso(occurredAt),
    actor_kind: actor.kind,
    actor_id: actor.id,
    actor_name: actor.name,
    data: JSON.stringify(data),
  });
}

export interface CaseEventView {
  id: string;
  kind: CaseEventKind;
  topic: LogTopic;
  occurredAt: string;
  actor: { kind: string; name: string | null };
  data: Record<string, unknown>;
}

/**
 * One page of the staff view of a case's log (everything, internal data included), newest first,
 * optionally one topic.
 */
export async function listCaseLog(
  db: Db,
  caseId: string,
  query: { topic?: LogTopic | undefined; kind?: CaseEventKind | undefined } & PageRequest,
): Promise<Page<CaseEventView>> {
  const { topic, kind: only } = query;
  const kinds =
    topic || only
      ? caseEventKinds.filter(
          (kind) => (!topic || logTopicOfEvent[kind] === topic) && (!only || kind === only),
        )
      : undefined;
  return fetchPage(eventsOfCase(db, caseId, kinds), query, (row) => ({
    id: row.id,
    kind: row.kind as CaseEventKind,
    topic: logTopicOfEvent[row.kind as CaseEventKind] ?? 'case',
    occurredAt: row.occurred_at,
    actor: { kind: row.actor_kind, name: row.actor_name },
    data: JSON.parse(row.data) as Record<string, unknown>,
  }));
}
