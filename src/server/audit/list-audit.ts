import type { z } from 'zod';
import { auditLogQuery, type AuditEntryView, type AuditLogView } from '../../common/contracts/audit-api.ts';
import type { AuditAction } from '../../common/rules/audit-actions.ts';
import type { Db } from '../db/database.ts';
import { fetchPage } from '../db/paging.ts';
import type { AuditLogTable } from '../db/schema.ts';
import { authorize, type Actor } from '../security/actor.ts';
import { auditPolicy } from './policy.ts';
import { auditLinesOf } from './queries.ts';

/** GET /api/audit-log: one page of the actor's company's audit trail, newest first (level 6). */
export async function listAudit(
  db: Db,
  actor: Actor,
  query: z.input<typeof auditLogQuery> = {},
): Promise<AuditLogView> {
  authorize(actor, auditPolicy.read);
  const { action, ...paging } = auditLogQuery.parse(query);
  return fetchPage(auditLinesOf(db, actor.companyId, action), paging, presentAuditLine);
}

/** The fields of an audit line an administrator sees. */
export function presentAuditLine(row: AuditLogTable): AuditEntryView {
  return {
    id: row.id,
    at: row.at,
    actor: {
      kind: row.actor_kind,
      id: row.actor_user_id ?? row.actor_api_key_id,
      name: row.actor_name,
    },
    action: row.action as AuditAction,
    subject: { type: row.subject_type, id: row.subject_id },
    detail: parseDetail(row.detail),
  };
}

function parseDetail(text: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}
