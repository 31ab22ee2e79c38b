import { describe, expect, it } from 'vitest';
import { authorizationLevels } from '../../common/rules/enums.ts';
import {
  browserHeaders,
  makeActor,
  makeApiKey,
  makeCase,
  makePartnerWithOffice,
  signedInUser,
} from '../../../test/support/factory.ts';
import { useTestApp } from '../../../test/support/test-app.ts';
import { changeCaseStatus } from './cases.ts';

// Who may do what with a case (src/server/cases/policy.ts): every level opens cases and does the
// daily work; deciding claims needs 2; cancelling and reopening need 3. Below the level: 403 and
// nothing written; at or above: done.

const t = useTestApp();

/** One company: a level-6 service actor for fixtures, a partner office, and a signed-in user per level. */
let fixture:
  | Promise<{
      admin: Awaited<ReturnType<typeof makeActor>>;
      officeId: string;
      cookies: Map<number, string>;
    }>
  | undefined;
const company = () =>
  (fixture ??= (async () => {
    const admin = await makeActor(t.db, { level: 6 });
    const { officeId } = await makePartnerWithOffice(t.db, admin.companyId);
    const users = await Promise.all(
      authorizationLevels.map((level) => signedInUser(t.app, t.db, { companyId: admin.companyId, level })),
    );
    const cookies = new Map(
      authorizationLevels.map((level, index) => [level as number, users[index]!.cookie]),
    );
    return { admin, officeId, cookies };
  })());

/** Everything an action could change: the case row, its log, tasks and calls, and the company's cases. */
async function snapshot(caseId: string, companyId: string) {
  const rows = (table: 'case_events' | 'tasks' | 'calls') =>
    t.db.selectFrom(table).selectAll().where('case_id', '=', caseId).orderBy('id').execute();
  const [row, events, tasks, calls, cases] = await Promise.all([
    t.db.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirstOrThrow(),
    rows('case_events'),
    rows('tasks'),
    rows('calls'),
    t.db.selectFrom('cases').select('id').where('company_id', '=', companyId).execute(),
  ]);
  return { case: row, events, tasks, calls, cases: cases.length };
}
type Snapshot = Awaited<ReturnType<typeof snapshot>>;

interface Action {
  name: string;
  minLevel: number;
  /** Brings the case into the state the action needs. */
  setup?: (caseId: string) => Promise<void>;
  method?: 'POST' | 'PATCH';
  url: (caseId: string) => string;
  payload: (ctx: { officeId: string }) => object;
  status: number;
  /** What a permitted action did, compared with the snapshot before it. */
  done: (before: Snapshot, after: Snapshot) => void;
}

const newKinds = (before: Snapshot, after: Snapshot) => {
  const seen = new Set(before.events.map((e) => e.id));
  return after.events.filter((e) => !seen.has(e.id)).map((e) => e.kind);
};

const actions: Action[] = [
  {
    name: 'open a case',
    minLevel: 1,
    url: () => '/api/cases',
    payload: () => ({
      claimNumber: `LVL-${Math.random().toString(36).slice(2, 10)}`,
      address: { street: 'Storgata 1', postalCode: '0155', city: 'Oslo' },
      customer: { name: 'Ola Nordmann' },
    }),
    status: 201,
    done: (before, after) => expect(after.cases).toBe(before.cases + 1),
  },
  {
    name: 'put on hold',
    minLevel: 1,
    url: (id) => `/api/cases/${id}/hold`,
    payload: () => ({}),
    status: 200,
    done: (before, after) => {
      expect(after.case.status).toBe('on_hold');
      expect(newKinds(before, after)).toEqual(['case_put_on_hold']);
    },
  },
  {
    name: 'close',
    minLevel: 1,
    url: (id) => `/api/cases/${id}/close`,
    payload: () => ({ comment: 'Ferdig' }),
    status: 200,
    done: (before, after) => {
      expect(after.case).toMatchObject({ status: 'closed', closed_at: expect.any(String) });
      expect(newKinds(before, after)).toEqual(['case_closed']);
    },
  },
  {
    name: 'add a task',
    minLevel: 1,
    url: (id) => `/api/cases/${id}/tasks`,
    payload: () => ({ name: 'Riving' }),
    status: 201,
    done: (before, after) => {
      expect(after.tasks).toHaveLength(before.tasks.length + 1);
      expect(newKinds(before, after)).toEqual(['task_added']);
    },
  },
  {
    name: 'assign the main inspection',
    minLevel: 1,
    url: (id) => `/api/cases/${id}/main-inspection/assign`,
    payload: ({ officeId }) => ({ officeId }),
    status: 200,
    done: (before, after) => {
      expect(after.case.main_inspection_assigned_at).not.toBeNull();
      expect(newKinds(before, after)).toEqual(['main_inspection_assigned']);
    },
  },
  {
    name: 'record a call',
    minLevel: 1,
    url: (id) => `/api/cases/${id}/calls`,
    payload: () => ({ callerName: 'Kari', number: '+4791234567', reached: true, durationSeconds: 10 }),
    status: 201,
    done: (before, after) => {
      expect(after.calls).toHaveLength(before.calls.length + 1);
      expect(newKinds(before, after)).toEqual(['call_recorded']);
    },
  },
  {
    name: 'decide the claim',
    minLevel: 2,
    url: (id) => `/api/cases/${id}/claim-decision`,
    payload: () => ({ decision: 'accepted' }),
    status: 200,
    done: (before, after) => {
      expect(after.case).toMatchObject({
        claim_decision: 'accepted',
        positive_decision_at: expect.any(String),
      });
      expect(newKinds(before, after)).toEqual(['claim_decision']);
    },
  },
  {
    name: 'cancel',
    minLevel: 3,
    url: (id) => `/api/cases/${id}/cancel`,
    payload: () => ({}),
    status: 200,
    done: (before, after) => {
      expect(after.case.status).toBe('cancelled');
      expect(newKinds(before, after)).toEqual(['case_cancelled']);
    },
  },
  {
    name: 'reopen',
    minLevel: 3,
    setup: async (id) => {
      const { admin } = await company();
      await changeCaseStatus(t.db, admin, id, 'close', { comment: 'Lukket' });
    },
    url: (id) => `/api/cases/${id}/reopen`,
    payload: () => ({ reason: 'Ny lekkasje' }),
    status: 200,
    done: (before, after) => {
      expect(after.case).toMatchObject({ status: 'open', closed_at: null });
      expect(newKinds(before, after)).toEqual(['case_reopened']);
    },
  },
];

describe.each(actions)('level table: $name (level $minLevel and up)', (action) => {
  it.each(authorizationLevels.map((level) => ({ level, allowed: level >= action.minLevel })))(
    'level $level → allowed: $allowed',
    async ({ level, allowed }) => {
      const { admin, officeId, cookies } = await company();
      const { id } = await makeCase(t.db, admin);
      await action.setup?.(id);
      const before = await snapshot(id, admin.companyId);
      const response = await t.app.inject({
        method: action.method ?? 'POST',
        url: action.url(id),
        headers: browserHeaders(cookies.get(level)!),
        payload: action.payload({ officeId }),
      });
      const after = await snapshot(id, admin.companyId);
      if (allowed) {
        expect(response.statusCode, response.body).toBe(action.status);
        action.done(before, after);
      } else {
        expect(response.statusCode).toBe(403);
        expect(response.json()).toEqual({ error: { code: 'forbidden', message: expect.any(String) } });
        expect(after).toEqual(before);
      }
    },
  );
});

describe('level table: API keys', () => {
  it('applies the same levels to an API key: level 2 may decide but not cancel, level 3 may cancel', async () => {
    const { admin } = await company();
    const { id } = await makeCase(t.db, admin);
    const key2 = await makeApiKey(t.db, admin.companyId, 2);
    const key3 = await makeApiKey(t.db, admin.companyId, 3);
    const as = (key: string, action: string, payload: object = {}) =>
      t.app.inject({
        method: 'POST',
        url: `/api/cases/${id}/${action}`,
        headers: { authorization: `Bearer ${key}` },
        payload,
      });
    expect((await as(key2.key, 'claim-decision', { decision: 'rejected' })).statusCode).toBe(200);
    const before = await snapshot(id, admin.companyId);
    const refused = await as(key2.key, 'cancel');
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('forbidden');
    expect(await snapshot(id, admin.companyId)).toEqual(before);
    expect(before.events.map((e) => e.kind).filter((kind) => !kind.startsWith('customer_'))).toEqual([
      'case_created',
      'claim_decision',
    ]);
    const cancelled = await as(key3.key, 'cancel');
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json().status).toBe('cancelled');
  });
});
