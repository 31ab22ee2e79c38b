import type { z } from 'zod';
import type { CallView } from '../../common/contracts/case-api.ts';
import { recordCallSchema } from '../../common/contracts/case-schemas.ts';
import type { Page, PageRequest } from '../../common/contracts/paging.ts';
import { authorize, type Actor } from '../security/actor.ts';
import { caseCommand } from '../case-commands/case-command.ts';
import { loadCase } from '../cases/access.ts';
import { casePolicy } from '../cases/policy.ts';
import type { Db } from '../db/database.ts';
import { nowIso } from '../db/database.ts';
import { fetchPage } from '../db/paging.ts';
import type { CallsTable } from '../db/schema.ts';
import { newId } from '../security/tokens.ts';
import { callsOfCase, insertCall } from './queries.ts';

/**
 * Records a call made about the case (call history), with its `call_recorded` event, as a command of
 * the case. Every call is a fact of its own: recording one again records a second call.
 */
export async function recordCall(
  db: Db,
  actor: Actor,
  caseId: string,
  input: z.input<typeof recordCallSchema>,
): Promise<CallView> {
  authorize(actor, casePolicy.work);
  const values = recordCallSchema.parse(input);
  return caseCommand(db, actor, caseId, casePolicy.work, async ({ trx, row, now, event }) => {
    const call: CallsTable = {
      id: newId(),
      company_id: row.company_id,
      case_id: row.id,
      caller_name: values.callerName,
      number: values.number,
      reached: values.reached ? 1 : 0,
      duration_seconds: values.durationSeconds,
      called_at: nowIso(now),
    };
    await insertCall(trx, call);
    await event('call_recorded', {
      callId: call.id,
      callerName: call.caller_name,
      number: call.number,
      reached: values.reached,
      durationSeconds: call.duration_seconds,
    });
    return presentCall(call);
  });
}

/** One page of the call history of a case, newest first. */
export async function listCalls(
  db: Db,
  actor: Actor,
  caseId: string,
  paging: PageRequest,
): Promise<Page<CallView>> {
  authorize(actor, casePolicy.read);
  const row = await loadCase(db, actor, caseId);
  return fetchPage(callsOfCase(db, row.id), paging, presentCall);
}

function presentCall(call: CallsTable): CallView {
  return {
    id: call.id,
    callerName: call.caller_name,
    number: call.number,
    reached: call.reached === 1,
    durationSeconds: call.duration_seconds,
    calledAt: call.called_at,
  };
}
