import type { z } from 'zod';
import { defaultCallDirection } from '../../common/rules/calls.ts';
import type { CallView } from '../../common/contracts/case-api.ts';
import { recordCallSchema } from '../../common/contracts/case-schemas.ts';
import type { Page, PageRequest } from '../../common/contracts/paging.ts';
import { AppError } from '../errors.ts';
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
 * Records a call of the call history, with its `call_recorded` event, as a command of the case. Every
 * call is a fact of its own: recording one again records a second call. Which way it went and who
 * the other party was are stored as given; an outgoing call without `callerName` was placed by the
 * signed-in user (an API key names the caller).
 */
export async function recordCall(
  db: Db,
  actor: Actor,
  caseId: string,
  input: z.input<typeof recordCallSchema>,
): Promise<CallView> {
  authorize(actor, casePolicy.work);
  const values = recordCallSchema.parse(input);
  const direction = values.direction ?? defaultCallDirection;
  return caseCommand(db, actor, caseId, casePolicy.work, async ({ trx, row, now, stamp, event }) => {
    const partyName = values.partyName ?? (direction === 'incoming' ? values.callerName : undefined) ?? null;
    const callerName =
      direction === 'incoming'
        ? partyName
        : (values.callerName ?? (stamp.kind === 'user' ? stamp.name : null));
    if (!callerName) throw callerNameRequired();
    const call: CallsTable = {
      id: newId(),
      company_id: row.company_id,
      case_id: row.id,
      direction,
      caller_name: callerName,
      party_name: partyName,
      number: values.number,
      reached: values.reached ? 1 : 0,
      duration_seconds: values.durationSeconds,
      called_at: nowIso(now),
    };
    await insertCall(trx, call);
    await event('call_recorded', {
      callId: call.id,
      direction,
      callerName,
      partyName,
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
    direction: call.direction,
    callerName: call.caller_name,
    partyName: call.party_name,
    number: call.number,
    reached: call.reached === 1,
    durationSeconds: call.duration_seconds,
    calledAt: call.called_at,
  };
}

/** 400 for an outgoing call by API key that does not say who placed it. */
const callerNameRequired = () =>
  new AppError('validation_failed', 'The request is not valid: body.callerName is required', {
    fields: [{ path: 'body.callerName', message: 'is required', code: 'required' }],
  });
