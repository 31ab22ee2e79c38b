import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { defaultNewsFilter } from '../../common/rules/customer-page-settings.ts';
import { loadLanguage, translate, type MessageKey } from '../../web/i18n/i18n.ts';
import { describeEvent } from '../../web/staff/cases/describe-event.ts';
import {
  customerGet,
  deliver,
  linkIn,
  openCustomerLink,
  saveSettings,
  uniquePhone,
  uniqueSuffix,
} from '../../../test/support/customer.ts';
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
import { useSinks } from '../../../test/support/sinks.ts';
import { TEST_ORIGIN, useTestApp } from '../../../test/support/test-app.ts';
import * as callDirectionMigration from '../db/migrations/2026-12-06T1000-call-direction.ts';
import { newId } from '../security/tokens.ts';

// English is loaded on demand in the app (i18n.ts); these tests read it directly.
await loadLanguage('en');

const sinks = useSinks();
const t = useTestApp(sinks.env);

const staff = shared(() => signedInUser(t.app, t.db, { level: 1 }));

const call = (overrides: Record<string, unknown> = {}) => ({
  direction: 'outgoing',
  partyName: 'Nora Lie',
  number: '967 89 012',
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
      { payload: call({ partyName: '' }), field: 'body.partyName' },
      { payload: { callerName: 'Kari', number: '91234567', durationSeconds: 5 }, field: 'body.reached' },
      { payload: call({ recording: 'https://x' }), field: 'body' },
      // Which way the call went: one of the two directions, and an incoming call names its caller.
      { payload: call({ direction: 'inbound' }), field: 'body.direction' },
      { payload: call({ direction: null }), field: 'body.direction' },
      { payload: call({ direction: 'incoming', partyName: undefined }), field: 'body.partyName' },
      {
        payload: call({ direction: 'incoming', partyName: 'Nora Lie', callerName: 'Kari Saksbehandler' }),
        field: 'body.callerName',
      },
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

  it('refuses an outgoing call by API key that does not say who placed it, naming callerName', async () => {
    const user = await staff();
    const key = await makeApiKey(t.db, user.companyId, 1);
    const { id } = await makeCase(t.db, actorOf(user, 1));
    const response = await t.app.inject({
      method: 'POST',
      url: `/api/cases/${id}/calls`,
      headers: bearer(key.key),
      payload: call(),
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('validation_failed');
    expect((response.json().error.fields as Array<{ path: string }>).map((f) => f.path)).toEqual([
      'body.callerName',
    ]);
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

const userName = async (id: string) =>
  (await t.db.selectFrom('users').select('name').where('id', '=', id).executeTakeFirstOrThrow()).name;

describe('calls: call history', () => {
  it('records an outgoing call (201) placed by the signed-in user, the other party named, the number in E.164', async () => {
    const user = await staff();
    const caller = await userName(user.id);
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
      direction: 'outgoing',
      callerName: caller,
      partyName: 'Nora Lie',
      number: '+4796789012',
      reached: true,
      durationSeconds: 125,
      calledAt: expect.stringMatching(ISO),
    });
    expect(await callsOf(id)).toEqual([
      expect.objectContaining({
        id: recorded.id,
        company_id: user.companyId,
        direction: 'outgoing',
        caller_name: caller,
        party_name: 'Nora Lie',
        number: '+4796789012',
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
        actor_name: caller,
        data: {
          callId: recorded.id,
          direction: 'outgoing',
          callerName: caller,
          partyName: 'Nora Lie',
          number: '+4796789012',
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

  it('records an incoming call as placed by the other party, named by partyName or by callerName', async () => {
    const user = await staff();
    const key = await makeApiKey(t.db, user.companyId, 1);
    const { id } = await makeCase(t.db, actorOf(user, 1));
    const bySession = await t.app.inject({
      method: 'POST',
      url: `/api/cases/${id}/calls`,
      headers: browserHeaders(user.cookie),
      payload: call({ direction: 'incoming', reached: false, durationSeconds: 0 }),
    });
    const byKey = await t.app.inject({
      method: 'POST',
      url: `/api/cases/${id}/calls`,
      headers: bearer(key.key),
      payload: call({ direction: 'incoming', partyName: undefined, callerName: 'Ola Nordmann' }),
    });
    expect([bySession.statusCode, byKey.statusCode]).toEqual([201, 201]);
    expect(bySession.json()).toMatchObject({
      direction: 'incoming',
      callerName: 'Nora Lie',
      partyName: 'Nora Lie',
      reached: false,
    });
    expect(byKey.json()).toMatchObject({
      direction: 'incoming',
      callerName: 'Ola Nordmann',
      partyName: 'Ola Nordmann',
    });
    expect(
      (await eventsOf(id)).slice(1).map((e) => [e.data.direction, e.data.callerName, e.data.partyName]),
    ).toEqual([
      ['incoming', 'Nora Lie', 'Nora Lie'],
      ['incoming', 'Ola Nordmann', 'Ola Nordmann'],
    ]);
  });

  it("keeps the integration contract's body: no direction is an outgoing call by callerName; lists newest first", async () => {
    const user = await staff();
    const key = await makeApiKey(t.db, user.companyId, 1);
    const { id } = await makeCase(t.db, actorOf(user, 1));
    const contract = (overrides: Record<string, unknown>) => ({
      callerName: 'Kari Saksbehandler',
      number: '912 34 567',
      reached: true,
      durationSeconds: 125,
      ...overrides,
    });
    const bodies = [
      contract({ callerName: 'Første', reached: false, durationSeconds: 0 }),
      contract({ callerName: 'Andre', number: '+46 70 123 45 67', durationSeconds: 30 }),
      contract({ callerName: 'Tredje', durationSeconds: 24 * 3600 }),
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
    const outgoing = { direction: 'outgoing', partyName: null };
    expect(list.json().items).toEqual([
      expect.objectContaining({ ...outgoing, callerName: 'Tredje', reached: true, durationSeconds: 86_400 }),
      expect.objectContaining({
        ...outgoing,
        callerName: 'Andre',
        number: '+46701234567',
        durationSeconds: 30,
      }),
      expect.objectContaining({ ...outgoing, callerName: 'Første', reached: false, durationSeconds: 0 }),
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
      payload: contract({ durationSeconds: 24 * 3600 + 1 }),
    });
    expect(tooLong.statusCode).toBe(400);
    expect(await callsOf(id)).toHaveLength(3);
  });
});

describe('calls: the same words for staff and customer', () => {
  /** A case whose customer is signed in on the customer page, with the call history in the news. */
  async function caseWithCustomer() {
    const user = await signedInUser(t.app, t.db, { level: 1 });
    await saveSettings(t.db, user.companyId, {
      sendLink: 'case_created',
      accessFor: 'customer',
      showNews: 'case_created',
      newsFilter: ['call_history', ...defaultNewsFilter],
    });
    const s = uniqueSuffix();
    const email = `kunde-${s}@example.test`;
    const { id } = await makeCase(t.db, actorOf(user, 1), {
      claimNumber: `SK-${s}`,
      customer: { name: 'Nora Lie', email, phone: uniquePhone() },
    });
    await deliver(t);
    const mail = sinks.mails.find((m) => m.to.includes(email));
    if (!mail) throw new Error(`no link e-mail to ${email}`);
    const opened = await openCustomerLink(t.app, linkIn(mail.text));
    if (!opened.cookie) throw new Error('no customer session');
    return { user, id, customer: opened.cookie, caller: await userName(user.id) };
  }

  /** The staff log's sentences (as the staff app writes them) and the customer's news, oldest first. */
  async function bothSides(
    w: { user: { cookie: string }; id: string; customer: string },
    language: 'nb' | 'en',
  ) {
    const log = await t.app.inject({
      method: 'GET',
      url: `/api/cases/${w.id}/log?kind=call_recorded`,
      headers: { cookie: w.user.cookie },
    });
    expect(log.statusCode).toBe(200);
    const tr = (key: MessageKey, values?: Record<string, string | number>) =>
      translate(language, key, values);
    const staffSide = (log.json().items as Array<{ kind: string; data: Record<string, unknown> }>)
      .map((event) => describeEvent(event, tr))
      .reverse();
    const news = await customerGet(t.app, `/api/customer/news?page=1&lang=${language}`, w.customer);
    expect(news.statusCode, news.body).toBe(200);
    const customerSide = (news.json().items as Array<{ kind: string; text: string }>)
      .filter((item) => item.kind === 'call_history')
      .map((item) => item.text)
      .reverse();
    return { staffSide, customerSide };
  }

  it('tells both directions, reached or not, in the same words with the number written the Norwegian way', async () => {
    const w = await caseWithCustomer();
    const payloads = [
      call({ durationSeconds: 200 }),
      call({ reached: false, durationSeconds: 0 }),
      call({ direction: 'incoming', number: '+47 22 12 34 56', durationSeconds: 45 }),
      call({ direction: 'incoming', reached: false, durationSeconds: 0 }),
    ];
    for (const payload of payloads) {
      const response = await t.app.inject({
        method: 'POST',
        url: `/api/cases/${w.id}/calls`,
        headers: browserHeaders(w.user.cookie),
        payload,
      });
      expect(response.statusCode, response.body).toBe(201);
    }
    const nb = await bothSides(w, 'nb');
    expect(nb.staffSide).toEqual([
      `${w.caller} ringte Nora Lie (967 89 012), samtalen varte 3 min 20 s`,
      `${w.caller} ringte Nora Lie (967 89 012) uten å få svar`,
      'Nora Lie (22 12 34 56) ringte oss, samtalen varte 45 s',
      'Nora Lie (967 89 012) ringte oss uten å få svar',
    ]);
    expect(nb.customerSide).toEqual(nb.staffSide);
    const en = await bothSides(w, 'en');
    expect(en.staffSide).toEqual([
      `${w.caller} called Nora Lie (967 89 012); the call lasted 3 min 20 s`,
      `${w.caller} called Nora Lie (967 89 012) without getting an answer`,
      'Nora Lie (22 12 34 56) called us; the call lasted 45 s',
      'Nora Lie (967 89 012) called us without getting an answer',
    ]);
    expect(en.customerSide).toEqual(en.staffSide);
  });

  it('tells a call stored before calls had a direction as an outgoing call, the same on both sides', async () => {
    const w = await caseWithCustomer();
    await t.db
      .insertInto('case_events')
      .values({
        id: newId(),
        company_id: w.user.companyId,
        case_id: w.id,
        kind: 'call_recorded',
        occurred_at: new Date().toISOString(),
        actor_kind: 'user',
        actor_id: w.user.id,
        actor_name: w.caller,
        data: JSON.stringify({
          callId: newId(),
          callerName: 'Ada Admin',
          number: '+4796789012',
          reached: true,
          durationSeconds: 125,
        }),
      })
      .execute();
    const nb = await bothSides(w, 'nb');
    expect(nb.staffSide).toEqual(['Ada Admin ringte 967 89 012, samtalen varte 2 min 5 s']);
    expect(nb.customerSide).toEqual(nb.staffSide);
    const en = await bothSides(w, 'en');
    expect(en.customerSide).toEqual(['Ada Admin called 967 89 012; the call lasted 2 min 5 s']);
    expect(en.customerSide).toEqual(en.staffSide);
  });
});

// Last in the file: it takes the calls table back to before the migration and forward again.
describe('calls: the direction migration', () => {
  it('makes the calls recorded before it outgoing, with no named other party', async () => {
    const user = await staff();
    const { id } = await makeCase(t.db, actorOf(user, 1));
    const db = t.db as unknown as Kysely<Record<string, Record<string, unknown>>>;
    await callDirectionMigration.down(db as unknown as Kysely<unknown>);
    await db
      .insertInto('calls')
      .values({
        id: newId(),
        company_id: user.companyId,
        case_id: id,
        caller_name: 'Ada Admin',
        number: '+4796789012',
        reached: 1,
        duration_seconds: 60,
        called_at: new Date().toISOString(),
      })
      .execute();
    await callDirectionMigration.up(db as unknown as Kysely<unknown>);
    expect(await callsOf(id)).toEqual([
      expect.objectContaining({ direction: 'outgoing', caller_name: 'Ada Admin', party_name: null }),
    ]);
    const list = await t.app.inject({
      method: 'GET',
      url: `/api/cases/${id}/calls`,
      headers: { cookie: user.cookie },
    });
    expect(list.json().items).toEqual([
      expect.objectContaining({ direction: 'outgoing', callerName: 'Ada Admin', partyName: null }),
    ]);
  });
});
