import { describe, expect, it } from 'vitest';
import type { CaseView } from '../../common/contracts/case-api.ts';
import { browserHeaders, makeActor, makeCase, signedInUser } from '../../../test/support/factory.ts';
import { useTestApp } from '../../../test/support/test-app.ts';

// The case view's `allowedActions` (issue 14): what the signed-in user may do on this case now,
// computed by the server from its level table (cases/policy.ts) and status transitions, so the case
// page shows it and never re-types a level or a transition. Each answer is checked against what the
// server then does.

const t = useTestApp();

async function setup() {
  const admin = await makeActor(t.db, { level: 6 });
  const level1 = await signedInUser(t.app, t.db, { companyId: admin.companyId, level: 1 });
  const level6 = await signedInUser(t.app, t.db, { companyId: admin.companyId, level: 6 });
  const { id } = await makeCase(t.db, admin);
  return { id, level1: level1.cookie, level6: level6.cookie };
}

async function view(id: string, cookie: string): Promise<CaseView> {
  const response = await t.app.inject({
    method: 'GET',
    url: `/api/cases/${id}`,
    headers: browserHeaders(cookie),
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as CaseView;
}

const post = (id: string, cookie: string, action: string, payload: object = {}) =>
  t.app.inject({
    method: 'POST',
    url: `/api/cases/${id}/${action}`,
    headers: browserHeaders(cookie),
    payload,
  });

describe('case view: allowed actions', () => {
  it('gives a level-1 and a level-6 user different actions on the same open case', async () => {
    const { id, level1, level6 } = await setup();
    expect((await view(id, level1)).allowedActions).toEqual({
      changeStatus: ['hold', 'close'],
      decideClaim: 'needs_level',
      editBudget: 'needs_level',
      approveInvoices: 'needs_level',
    });
    expect((await view(id, level6)).allowedActions).toEqual({
      changeStatus: ['hold', 'close', 'cancel'],
      decideClaim: 'allowed',
      editBudget: 'allowed',
      approveInvoices: 'allowed',
    });
    // What level 1 is not offered, the server refuses; what it is offered, it does.
    expect((await post(id, level1, 'cancel')).statusCode).toBe(403);
    expect((await post(id, level1, 'claim-decision', { decision: 'accepted' })).statusCode).toBe(403);
    const held = await post(id, level1, 'hold');
    expect(held.statusCode).toBe(200);
    // Every answer that carries the case carries the actions for the user who asked.
    expect((held.json() as CaseView).allowedActions.changeStatus).toEqual(['resume', 'close']);
    expect((await view(id, level6)).allowedActions.changeStatus).toEqual(['resume', 'close', 'cancel']);
  });

  it('offers on a closed case only what the transitions allow: reopen (level 3+), no decision', async () => {
    const { id, level1, level6 } = await setup();
    const closed = await post(id, level6, 'close');
    expect(closed.statusCode).toBe(200);
    expect((closed.json() as CaseView).allowedActions).toEqual({
      changeStatus: ['reopen'],
      decideClaim: 'reopen_first',
      editBudget: 'allowed',
      approveInvoices: 'allowed',
    });
    expect((await view(id, level1)).allowedActions).toEqual({
      changeStatus: [],
      decideClaim: 'needs_level',
      editBudget: 'needs_level',
      approveInvoices: 'needs_level',
    });
    // The server refuses every status change it did not offer, and the decision it said waits.
    for (const action of ['hold', 'resume', 'close', 'cancel']) {
      expect((await post(id, level6, action)).statusCode, action).toBe(409);
    }
    expect((await post(id, level6, 'claim-decision', { decision: 'accepted' })).statusCode).toBe(409);
    expect((await post(id, level1, 'reopen')).statusCode).toBe(403);
    const reopened = await post(id, level6, 'reopen');
    expect(reopened.statusCode).toBe(200);
    expect((reopened.json() as CaseView).allowedActions.changeStatus).toEqual(['hold', 'close', 'cancel']);
    expect((reopened.json() as CaseView).allowedActions.decideClaim).toBe('allowed');
  });
});
