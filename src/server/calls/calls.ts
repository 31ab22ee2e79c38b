import type { z } from 'zod';
import type { CallView } from '../../common/case-api.ts';
import { recordCallSchema } from '../../common/case-schemas.ts';
import { authorize, type Actor } from '../auth/actor.ts';
import { appendCaseEvent, eventActorOf } from '../case-events/case-events.ts';
import { loadCase } from '../cases/access.ts';
import { casePolicy } from '../cases/policy.ts';
import type { Db } from '../db/database.ts';
import { inTransaction, nowIso } from '../db/database.ts';
import type { CallsTable } from '../db/schema.ts';
import { newId } from '../security/tokens.ts';
import { insertCall, listCallsOfCase } from './queries.ts';

/** Records a call made about the case (call history), with its `call_recorded` event. */
export async function recordCall(
  db: Db,
  actor: Actor,
  caseId: string,
  input: z.input<typeof recordCallSchema>,
): Promise<CallView> {
  authorize(actor, casePolicy.work);
  const values = recordCallSchema.parse(input);
  const row = await loadCase(db, actor, caseId);
  const stamp = await eventActorOf(db, actor);
  const now = new Date();
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
  await inTransaction(db, async (trx) => {
    await insertCall(trx, call);
    await appendCaseEvent(
      trx,
      { companyId: row.company_id, caseId: row.id },
      stamp,
      'call_recorded',
      {
        callId: call.id,
        callerName: call.caller_name,
        number: call.number,
        reached: values.reached,
        durationSeconds: call.duration_seconds,
      },
      now,
    );
  });
  return presentCall(call);
}

/** The call history of a case, newest first. */
export async function listCalls(db: Db, actor: Actor, caseId: string): Promise<CallView[]> {
  authorize(actor, casePolicy.read);
  const row = await loadCase(db, actor, caseId);
  return (await listCallsOfCase(db, row.id)).map(presentCall);
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
