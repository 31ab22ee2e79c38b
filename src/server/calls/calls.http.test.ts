import { describe, expect, it } from 'vitest';
import {
  browserHeaders,
  makeApiKey,
  makeCase,
  makeUser,
  signedInUser,
  ISO_INSTANT as ISO,
  bearer,
  shared,
  staffActor as actorOf,
} from '../../../test/support/factory.ts';
import { TEST_ORIGIN, useTestApp } from '../../../test/support/test-app.ts';

const t = useTestApp();

const staff = shared(() => signedInUser(t.app, t.db, { level: 1 }));

const call = (overrides: Record<string, unknown> = {}) => ({
  callerName: 'Kari Saksbehandler',
  number: '912 34 567',
  reached: true,
  durationSeconds: 125,
  ...overrides,
});

const callsOf = (caseId: string) =>
  t.db
    .selectFrom('calls')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('called_at')
    .orderBy('id')
    .execute();
const eventsOf = async (caseId: string) =>
  (
    await t.db
      .selectFrom('case_events')
      .select(['kind', 'data', 'actor_kind', 'actor_name'])
      .where('case_id', '=', caseId)
      // Customer-access events (links queued at case creation) are tested in customer-access/.
      .where('kind', 'not like', 'customer_%')
      .orderBy('occurred_at')
      .orderBy('id')
      .execute()
  ).map((row) => ({ ...row, data: JSON.parse(row.data) as Record<string, unknown> }));

describe('calls: authentication', () => {
  it('answers 401 on recording and listing calls without a session, and records nothing', async () => {
    const owner = await makeUser(t.db, { level: 1 });
    const { id } = await makeCase(t.db, actorOf(owner, 1));
    for (const headers of [{ origin: TEST_ORIGIN }, bearer('ks_not-a-real-key')]) {
      const record = await t.app.inject({
        method: 'POST',
        url: `/api/cases/${id}/calls`,
        headers,
        payload: call(),
      });
      const list = await t.app.inject({ method: 'GET', url: `/api/cases/${id}/calls`, headers });
      for (const response of [record, list]) {
        expect(response.statusCode).toBe(401);
        expect(response.json().error.code).toBe('unauthenticated');
      }
    }
    expect(await callsOf(id)).toEqual([]);
    expect((await eventsOf(id)).map((e) => e.kind)).toEqual(['case_created']);
  });
});

describe('calls: bad input', () => {
  it('refuses a negative or fractional duration, a bad number, missing or unknown fields with 400, recording nothing', async () => {
    const user = await staff();
    const { id } = await makeCase(t.db, actorOf(user, 1));
    const attempts: Array<{ payload: object; field: string }> = [
      { payload: call({ durationSeconds: -1 }), field: 'body.durationSeconds' },
      { payload: call({ durationSeconds: 1.5 }), field: 'body.durationSeconds' },
      { payload: call({ durationSeconds: '60' }), field: 'body.durationSeconds' },
      { payload: call({ number: '12' }), field: 'body.number' },
      { payload: call({ reached: 'yes' }), field: 'body.reached' },
      { payload: call({ callerName: ' ' }), field: 'body.callerName' },
      { payload: { callerName: 'Kari', number: '91234567', durationSeconds: 5 }, field: 'body.reached' },
      { payload: call({ recording: 'https://x' }), field: 'body' },
    ];
    for (const { payload, field } of attempts) {
      const response = await t.app.inject({
        method: 'POST',
        url: `/api/cases/${id}/calls`,
        headers: browserHeaders(user.cookie),
        payload,
      });
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json().error.code).toBe('validation_failed');
      expect((response.json().error.fields as Array<{ path: string }>).map((f) => f.path)).toContain(field);
    }
    expect(await callsOf(id)).toEqual([]);
    expect(await eventsOf(id)).toHaveLength(1);
  });
});

describe('calls: not yours', () => {
  it("answers 404 for another company's case, recording nothing there", async () => {
    const user = await staff();
    const stranger = await makeUser(t.db, { level: 1 });
    const { id } = await makeCase(t.db, actorOf(stranger, 1));
    const record = await t.app.inject({
      method: 'POST',
      url: `/api/cases/${id}/calls`,
      headers: browserHeaders(user.cookie),
      payload: call(),
    });
    const list = await t.app.inject({
      method: 'GET',
      url: `/api/cases/${id}/calls`,
      headers: { cookie: user.cookie },
    });
    for (const response of [record, list]) {
      expect(response.statusCode).toBe(404);
      expect(response.json().error.code).toBe('not_found');
    }
    expect(await callsOf(id)).toEqual([]);
    expect(await eventsOf(id)).toHaveLength(1);
  });
});

describe('calls: call history', () => {
  it('records a call (201) with its call_recorded event carrying the facts, the number in E.164', async () => {
    const user = await staff();
    const { id } = await makeCase(t.db, actorOf(user, 1));
    const response = await t.app.inject({
      method: 'POST',
      url: `/api/cases/${id}/calls`,
      headers: browserHeaders(user.cookie),
      payload: call(),
    });
    expect(response.statusCode).toBe(201);
    const recorded = response.json();
    expect(recorded).toEqual({
      id: expect.any(String),
      callerName: 'Kari Saksbehandler',
      number: '+4791234567',
      reached: true,
      durationSeconds: 125,
      calledAt: expect.stringMatching(ISO),
    });
    expect(await callsOf(id)).toEqual([
      expect.objectContaining({
        id: recorded.id,
        company_id: user.companyId,
        caller_name: 'Kari Saksbehandler',
        number: '+4791234567',
        reached: 1,
        duration_seconds: 125,
        called_at: recorded.calledAt,
      }),
    ]);
    const events = await eventsOf(id);
    expect(events.slice(1)).toEqual([
      {
        kind: 'call_recorded',
        actor_kind: 'user',
        actor_name: expect.stringMatching(/^Test User /),
        data: {
          callId: recorded.id,
          callerName: 'Kari Saksbehandler',
          number: '+4791234567',
          reached: true,
          durationSeconds: 125,
        },
      },
    ]);
    const log = await t.app.inject({
      method: 'GET',
      url: `/api/cases/${id}/log?topic=calls`,
      headers: { cookie: user.cookie },
    });
    expect(log.json().items).toEqual([expect.objectContaining({ kind: 'call_recorded', topic: 'calls' })]);
  });

  it('records an unanswered zero-second call by API key and lists calls newest first', async () => {
    const user = await staff();
    const key = await makeApiKey(t.db, user.companyId, 1);
    const { id } = await makeCase(t.db, actorOf(user, 1));
    const bodies = [
      call({ callerName: 'Første', reached: false, durationSeconds: 0 }),
      call({ callerName: 'Andre', number: '+46 70 123 45 67', durationSeconds: 30 }),
      call({ callerName: 'Tredje', durationSeconds: 24 * 3600 }),
    ];
    for (const payload of bodies) {
      const response = await t.app.inject({
        method: 'POST',
        url: `/api/cases/${id}/calls`,
        headers: bearer(key.key),
        payload,
      });
      expect(response.statusCode).toBe(201);
    }
    const list = await t.app.inject({
      method: 'GET',
      url: `/api/cases/${id}/calls`,
      headers: bearer(key.key),
    });
    expect(list.statusCode).toBe(200);
    expect(list.json().items).toEqual([
      expect.objectContaining({ callerName: 'Tredje', reached: true, durationSeconds: 86_400 }),
      expect.objectContaining({ callerName: 'Andre', number: '+46701234567', durationSeconds: 30 }),
      expect.objectContaining({ callerName: 'Første', reached: false, durationSeconds: 0 }),
    ]);
    const events = (await eventsOf(id)).filter((e) => e.kind === 'call_recorded');
    expect(events.map((e) => [e.actor_kind, e.actor_name, e.data.callerName, e.data.reached])).toEqual([
      ['api_key', `API: ${key.name}`, 'Første', false],
      ['api_key', `API: ${key.name}`, 'Andre', true],
      ['api_key', `API: ${key.name}`, 'Tredje', true],
    ]);
    const tooLong = await t.app.inject({
      method: 'POST',
      url: `/api/cases/${id}/calls`,
      headers: bearer(key.key),
      payload: call({ durationSeconds: 24 * 3600 + 1 }),
    });
    expect(tooLong.statusCode).toBe(400);
    expect(await callsOf(id)).toHaveLength(3);
  });
});
