import { z } from 'zod';
import { auditActions } from '../rules/audit-actions.ts';
import { isoDateTime } from './date-formats.ts';
import { pageParams, pageView } from './paging.ts';

// The audit trail's API (GET /api/audit-log, level 6): one page of lines, newest first, optionally of
// one action kind.

/** `GET /api/audit-log` query: page, pageSize and an optional action kind. */
export const auditLogQuery = z.strictObject({
  ...pageParams(),
  action: z.enum(auditActions).optional().describe('Only lines of this kind'),
});

/** One line of the audit trail. */
export const auditEntryView = z.object({
  id: z.string(),
  at: isoDateTime,
  actor: z.object({
    kind: z.enum(['user', 'api_key', 'system']),
    id: z.string().nullable().describe('The user or API key; null for the system'),
    name: z.string().nullable().describe('The name at the time of the change'),
  }),
  action: z.enum(auditActions),
  subject: z.object({ type: z.string(), id: z.string().nullable() }),
  detail: z.record(z.string(), z.unknown()).describe('A small JSON detail of the change, never a secret'),
});

/** One page of the audit trail. */
export const auditLogView = pageView(auditEntryView);

export type AuditEntryView = z.infer<typeof auditEntryView>;
export type AuditLogView = z.infer<typeof auditLogView>;
