import type { AuditAction, AuditSubjectType } from '../../common/rules/audit-actions.ts';
import type { Db } from '../db/database.ts';
import { nowIso } from '../db/database.ts';
import type { AuditLogTable } from '../db/schema.ts';
import type { Actor } from '../security/actor.ts';
import { newId } from '../security/tokens.ts';
import { findApiKeyName, findUserName, insertAuditLine } from './queries.ts';

/** The job that acts when no person does (the retention job): named "system" in the trail. */
export interface SystemActor {
  kind: 'system';
  companyId: string;
}

/** One line to record: what happened to which subject, with a small detail (never a secret). */
export interface AuditEntry {
  action: AuditAction;
  subjectType: AuditSubjectType;
  subjectId: string | null;
  detail?: Record<string, unknown>;
  /** When it happened; default now (the retention job passes its own clock). */
  at?: Date;
}

/** Keys a detail never carries: the trail is read by every administrator, secrets stay out of it. */
const SECRET_KEY = /secret|password|token|hash|code/i;

/**
 * Appends one line to the company's audit trail (Documenso's pattern). Call it with the transaction
 * of the change it records, so the change and its line are written together or not at all; a refused
 * or failed change leaves no line. The actor's name is kept as it is now (a snapshot).
 */
export async function recordAudit(trx: Db, actor: Actor | SystemActor, entry: AuditEntry): Promise<void> {
  const row: AuditLogTable = {
    id: newId(),
    company_id: actor.companyId,
    at: nowIso(entry.at ?? new Date()),
    actor_kind: 'system',
    actor_user_id: null,
    actor_api_key_id: null,
    actor_name: null,
    action: entry.action,
    subject_type: entry.subjectType,
    subject_id: entry.subjectId,
    detail: JSON.stringify(withoutSecrets(entry.detail ?? {})),
  };
  if (actor.kind === 'staff') {
    row.actor_kind = 'user';
    row.actor_user_id = actor.userId;
    row.actor_name = (await findUserName(trx, actor.userId))?.name ?? null;
  } else if (actor.kind === 'api_key') {
    row.actor_kind = 'api_key';
    row.actor_api_key_id = actor.apiKeyId;
    const key = await findApiKeyName(trx, actor.apiKeyId);
    row.actor_name = key ? `API: ${key.name}` : null;
  }
  await insertAuditLine(trx, row);
}

/** The detail with every key that could name a secret left out (one level deep: details are small). */
function withoutSecrets(detail: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(detail).filter(([key]) => !SECRET_KEY.test(key)));
}
