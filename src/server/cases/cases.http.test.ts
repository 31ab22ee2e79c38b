import { describe, expect, it } from 'vitest';
import {
  browserHeaders,
  makeApiKey,
  makeCase,
  makePartnerWithOffice,
  makeUser,
  signedInUser,
  ISO_INSTANT as ISO,
  bearer,
  shared,
  staffActor as actorOf,
} from '../../../test/support/factory.ts';
import { TEST_ORIGIN, useTestApp } from '../../../test/support/test-app.ts';

const t = useTestApp();

const unique = () => Math.random().toString(36).slice(2, 10);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const caseBody = (overrides: Record<string, unknown> = {}) => ({
  claimNumber: `SK-${unique()}`,
  address: { street: 'Tollbugata 22', postalCode: '0152', city: 'Oslo' },
  customer: { name: 'Ola Nordmann', email: 'ola@example.test', phone: '912 34 567' },
  contacts: [
    { name: 'Kari Nordmann', phone: '+47 412 34 567', role: 'contact_person' },
    { name: 'Per Vaktmester', email: 'Per@Example.TEST', role: 'other' },
  ],
  ...overrides,
});

const post = (url: string, cookie: string, payload?: object) =>
  t.app.inject({ method: 'POST', url, headers: browserHeaders(cookie), ...(payload && { payload }) });
const get = (url: string, cookie: string) => t.app.inject({ method: 'GET', url, headers: { cookie } });

const countRows = async (table: 'cases' | 'case_contacts' | 'tasks' | 'case_events', companyId: string) =>
  (await t.db.selectFrom(table).select('id').where('company_id', '=', companyId).execute()).length;

/** The case's events, oldest first, with their data parsed. */
const eventsOf = async (caseId: string) =>
  (
    await t.db
      .selectFrom('case_events')
      .select(['kind', 'data', 'actor_kind', 'actor_name', 'occurred_at'])
      .where('case_id', '=', caseId)
      // Customer-access events (links queued at case creation) are tested in customer-access/.
      .where('kind', 'not like', 'customer_%')
      .orderBy('occurred_at')
      .orderBy('id')
      .execute()
  ).map((row) => ({ ...row, data: JSON.parse(row.data) as Record<string, unknown> }));

const caseRow = (id: string) =>
  t.db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

describe('cases: authentication', () => {
  it('answers 401 on every case route without a session or with a bad key, and writes nothing', async () => {
    const owner = await makeUser(t.db, { level: 6 });
    const { id } = await makeCase(t.db, actorOf(owner, 6));
    const before = await eventsOf(id);
    const writes = ['hold', 'resume', 'close', 'cancel', 'reopen', 'claim-decision'].map((action) => ({
      method: 'POST' as const,
      url: `/api/cases/${id}/${action}`,
      payload: action === 'claim-decision' ? { decision: 'accepted' } : {},
    }));
    const requests = [
      { method: 'POST' as const, url: '/api/cases', payload: caseBody() },
      { method: 'GET' as const, url: '/api/cases' },
      { method: 'GET' as const, url: `/api/cases/${id}` },
      { method: 'GET' as const, url: `/api/cases/${id}/log` },
      ...writes,
    ];
    for (const request of requests) {
      for (const headers of [{ origin: TEST_ORIGIN }, bearer('ks_not-a-real-key')]) {
        const response = await t.app.inject({ ...request, headers });
        expect(response.statusCode, `${request.method} ${request.url}`).toBe(401);
        expect(response.json()).toEqual({ error: { code: 'unauthenticated', message: expect.any(String) } });
      }
    }
    expect(await countRows('cases', owner.companyId)).toBe(1);
    expect(await eventsOf(id)).toEqual(before);
    expect((await caseRow(id)).status).toBe('open');
  });
});

describe('cases: bad input', () => {
  const staff = shared(() => signedInUser(t.app, t.db, { level: 6 }));

  it('refuses a bad postal code, an unknown field, a bad phone or role with 400 naming the field, and writes no row', async () => {
    const user = await staff();
    const attempts: Array<{ payload: object; field: string; mentions: RegExp }> = [
      {
        payload: caseBody({ address: { street: 'Storgata 1', postalCode: '123', city: 'Oslo' } }),
        field: 'body.address.postalCode',
        mentions: /postalCode/,
      },
      { payload: { ...caseBody(), priority: 'high' }, field: 'body', mentions: /priority/ },
      {
        payload: caseBody({ customer: { name: 'Ola', phone: '12' } }),
        field: 'body.customer.phone',
        mentions: /phone/,
      },
      {
        payload: caseBody({ contacts: [{ name: 'Kari', phone: 'abc', role: 'contact_person' }] }),
        field: 'body.contacts.0.phone',
        mentions: /phone/,
      },
      {
        payload: caseBody({ contacts: [{ name: 'Kari', role: 'customer' }] }),
        field: 'body.contacts.0.role',
        mentions: /role/,
      },
      { payload: caseBody({ claimNumber: '   ' }), field: 'body.claimNumber', mentions: /claimNumber/ },
    ];
    for (const { payload, field, mentions } of attempts) {
      const response = await post('/api/cases', user.cookie, payload);
      expect(response.statusCode, field).toBe(400);
      const { error } = response.json();
      expect(error.code).toBe('validation_failed');
      expect(error.message).toMatch(mentions);
      expect((error.fields as Array<{ path: string }>).map((f) => f.path)).toContain(field);
    }
    expect(await countRows('cases', user.companyId)).toBe(0);
    expect(await countRows('case_contacts', user.companyId)).toBe(0);
    expect(await countRows('tasks', user.companyId)).toBe(0);
    expect(await countRows('case_events', user.companyId)).toBe(0);
  });

  it("refuses another company's user as case handler with 400 naming caseHandlerId, and writes no row", async () => {
    const user = await staff();
    const stranger = await makeUser(t.db, { level: 1 });
    const casesBefore = await countRows('cases', user.companyId);
    const contactsBefore = await countRows('case_contacts', user.companyId);
    for (const caseHandlerId of [stranger.id, '00000000-0000-4000-8000-000000000000']) {
      const response = await post('/api/cases', user.cookie, caseBody({ caseHandlerId }));
      expect(response.statusCode).toBe(400);
      const { error } = response.json();
      expect(error.code).toBe('validation_failed');
      expect(error.message).toContain('caseHandlerId');
      expect(error.fields).toEqual([
        { path: 'body.caseHandlerId', message: expect.any(String), code: 'unknown_reference' },
      ]);
    }
    expect(await countRows('cases', user.companyId)).toBe(casesBefore);
    expect(await countRows('case_contacts', user.companyId)).toBe(contactsBefore);
    expect(await countRows('cases', stranger.companyId)).toBe(0);
  });

  it('refuses bad list filters and bad action bodies with 400 and leaves the case as it was', async () => {
    const user = await staff();
    const { id } = await makeCase(t.db, actorOf(user, 6));
    for (const query of ['pageSize=0', 'pageSize=101', 'page=0', 'status=deleted', 'sort=asc']) {
      const response = await get(`/api/cases?${query}`, user.cookie);
      expect(response.statusCode, query).toBe(400);
      expect(response.json().error.code).toBe('validation_failed');
    }
    const before = await eventsOf(id);
    for (const [action, payload] of [
      ['close', { comment: 'ok', notify: true }],
      ['reopen', { reason: 42 }],
      ['hold', { until: '2030-01-01' }],
      ['claim-decision', { decision: 'maybe' }],
      ['claim-decision', {}],
    ] as const) {
      const response = await post(`/api/cases/${id}/${action}`, user.cookie, payload);
      expect(response.statusCode, action).toBe(400);
      expect(response.json().error.code).toBe('validation_failed');
    }
    expect(await eventsOf(id)).toEqual(before);
    expect(await caseRow(id)).toMatchObject({ status: 'open', claim_decision: null, closed_at: null });
  });
});

describe('cases: not yours', () => {
  it("answers 404 for another company's case, by session and by API key, and changes nothing", async () => {
    const user = await signedInUser(t.app, t.db, { level: 6 });
    const key = await makeApiKey(t.db, user.companyId, 6);
    const stranger = await makeUser(t.db, { level: 6 });
    const { id } = await makeCase(t.db, actorOf(stranger, 6));
    const before = await eventsOf(id);

    const asSession = await get(`/api/cases/${id}`, user.cookie);
    const asKey = await t.app.inject({ method: 'GET', url: `/api/cases/${id}`, headers: bearer(key.key) });
    const unknown = await get('/api/cases/00000000-0000-4000-8000-000000000000', user.cookie);
    for (const response of [asSession, asKey, unknown]) {
      expect(response.statusCode).toBe(404);
      expect(response.json()).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
    }
    expect(asSession.json()).toEqual(unknown.json());

    for (const [action, payload] of [
      ['hold', {}],
      ['close', { comment: 'x' }],
      ['cancel', {}],
      ['claim-decision', { decision: 'accepted' }],
    ] as const) {
      const bySession = await post(`/api/cases/${id}/${action}`, user.cookie, payload);
      const byKey = await t.app.inject({
        method: 'POST',
        url: `/api/cases/${id}/${action}`,
        headers: bearer(key.key),
        payload,
      });
      expect(bySession.statusCode, action).toBe(404);
      expect(byKey.statusCode, action).toBe(404);
    }
    const log = await get(`/api/cases/${id}/log`, user.cookie);
    expect(log.statusCode).toBe(404);
    expect(await eventsOf(id)).toEqual(before);
    expect(await caseRow(id)).toMatchObject({ status: 'open', claim_decision: null });
  });
});

describe('cases: opening a case', () => {
  const staff = shared(() => signedInUser(t.app, t.db, { level: 1 }));

  it('opens a case with a staff session: open, createdAt, E.164 phones, contacts with roles, the main inspection', async () => {
    const user = await staff();
    const body = caseBody({ description: 'Vannlekkasje på bad' });
    const response = await post('/api/cases', user.cookie, body);
    expect(response.statusCode).toBe(201);
    const created = response.json();
    expect(created).toMatchObject({
      id: expect.any(String),
      claimNumber: body.claimNumber,
      address: { street: 'Tollbugata 22', postalCode: '0152', city: 'Oslo' },
      description: 'Vannlekkasje på bad',
      status: 'open',
      claimDecision: null,
      createdAt: expect.stringMatching(ISO),
      milestones: {
        createdAt: expect.stringMatching(ISO),
        mainInspectionAssignedAt: null,
        positiveDecisionAt: null,
        closedAt: null,
      },
      customer: {
        role: 'customer',
        name: 'Ola Nordmann',
        email: 'ola@example.test',
        phone: '+4791234567',
      },
      caseHandler: { id: user.id },
      mainInspection: { kind: 'main_inspection', status: 'not_started', office: null, responsible: null },
      tasks: [],
    });
    expect(created.milestones.createdAt).toBe(created.createdAt);
    expect(created.contacts).toEqual([
      expect.objectContaining({ role: 'contact_person', name: 'Kari Nordmann', phone: '+4741234567' }),
      expect.objectContaining({
        role: 'other',
        name: 'Per Vaktmester',
        email: 'per@example.test',
        phone: null,
      }),
    ]);

    const row = await caseRow(created.id);
    expect(row).toMatchObject({
      company_id: user.companyId,
      claim_number: body.claimNumber,
      status: 'open',
      case_handler_id: user.id,
      created_at: created.createdAt,
      main_inspection_assigned_at: null,
      positive_decision_at: null,
      closed_at: null,
    });
    const contacts = await t.db
      .selectFrom('case_contacts')
      .select(['role', 'phone'])
      .where('case_id', '=', created.id)
      .orderBy('created_at')
      .execute();
    expect(contacts.map((c) => c.role).sort()).toEqual(['contact_person', 'customer', 'other']);
    expect(contacts.find((c) => c.role === 'customer')?.phone).toBe('+4791234567');
    const tasks = await t.db.selectFrom('tasks').selectAll().where('case_id', '=', created.id).execute();
    expect(tasks).toEqual([
      expect.objectContaining({ kind: 'main_inspection', status: 'not_started', office_id: null }),
    ]);
    const events = await eventsOf(created.id);
    expect(events).toEqual([
      expect.objectContaining({
        kind: 'case_created',
        data: { claimNumber: body.claimNumber },
        actor_kind: 'user',
        actor_name: expect.stringMatching(/^Test User /),
      }),
    ]);

    const read = await get(`/api/cases/${created.id}`, user.cookie);
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual(created);
  });

  it('opens a case with an API key and no Origin header; the key is the log actor and a handler can be named', async () => {
    const user = await staff();
    const key = await makeApiKey(t.db, user.companyId, 1);
    const body = caseBody({ caseHandlerId: user.id, contacts: undefined });
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/cases',
      headers: bearer(key.key),
      payload: body,
    });
    expect(response.statusCode).toBe(201);
    const created = response.json();
    expect(created).toMatchObject({
      status: 'open',
      milestones: { createdAt: expect.stringMatching(ISO) },
      customer: { phone: '+4791234567' },
      contacts: [],
      caseHandler: { id: user.id },
      mainInspection: { status: 'not_started', office: null },
    });
    expect((await caseRow(created.id)).company_id).toBe(user.companyId);
    expect(await eventsOf(created.id)).toEqual([
      expect.objectContaining({
        kind: 'case_created',
        actor_kind: 'api_key',
        actor_name: `API: ${key.name}`,
      }),
    ]);

    const withoutHandler = await t.app.inject({
      method: 'POST',
      url: '/api/cases',
      headers: bearer(key.key),
      payload: caseBody(),
    });
    expect(withoutHandler.statusCode).toBe(201);
    expect(withoutHandler.json().caseHandler).toBeNull();

    const read = await t.app.inject({
      method: 'GET',
      url: `/api/cases/${created.id}`,
      headers: bearer(key.key),
    });
    expect(read.statusCode).toBe(200);
    expect(read.json().id).toBe(created.id);
  });

  it('keeps the claim number unique per company: 409 on repeat, fine in another company', async () => {
    const user = await staff();
    const claimNumber = `SK-${unique()}`;
    const first = await post('/api/cases', user.cookie, caseBody({ claimNumber }));
    expect(first.statusCode).toBe(201);
    const casesBefore = await countRows('cases', user.companyId);
    const contactsBefore = await countRows('case_contacts', user.companyId);

    const repeat = await post('/api/cases', user.cookie, caseBody({ claimNumber }));
    expect(repeat.statusCode).toBe(409);
    expect(repeat.json()).toEqual({
      error: {
        code: 'conflict',
        message: expect.stringContaining(claimNumber),
        reason: 'claim_number_taken',
        params: { claimNumber },
      },
    });
    expect(await countRows('cases', user.companyId)).toBe(casesBefore);
    expect(await countRows('case_contacts', user.companyId)).toBe(contactsBefore);

    const other = await makeUser(t.db, { level: 1 });
    const otherKey = await makeApiKey(t.db, other.companyId);
    const elsewhere = await t.app.inject({
      method: 'POST',
      url: '/api/cases',
      headers: bearer(otherKey.key),
      payload: caseBody({ claimNumber }),
    });
    expect(elsewhere.statusCode).toBe(201);
    expect(elsewhere.json().claimNumber).toBe(claimNumber);
  });

  it('creates exactly one case when the same claim number arrives several times at once', async () => {
    const user = await staff();
    const key = await makeApiKey(t.db, user.companyId);
    const body = caseBody();
    const responses = await Promise.all(
      [1, 2, 3].map(() =>
        t.app.inject({ method: 'POST', url: '/api/cases', headers: bearer(key.key), payload: body }),
      ),
    );
    expect(responses.map((r) => r.statusCode).sort()).toEqual([201, 409, 409]);
    const rows = await t.db
      .selectFrom('cases')
      .select('id')
      .where('company_id', '=', user.companyId)
      .where('claim_number', '=', body.claimNumber)
      .execute();
    expect(rows).toHaveLength(1);
    expect(
      await t.db.selectFrom('case_contacts').select('id').where('case_id', '=', rows[0]!.id).execute(),
    ).toHaveLength(3);
  });
});

describe('cases: listing and search', () => {
  /** A company with four cases (oldest first, back to back) and a stranger's look-alike. */
  const world = shared(async () => {
    const user = await signedInUser(t.app, t.db, { level: 3 });
    const colleague = await makeUser(t.db, { companyId: user.companyId, level: 1 });
    const me = actorOf(user, 3);
    const specs = [
      { claimNumber: 'SK-ALPHA-1', street: 'Østre gate 5', city: 'Oslo', customer: 'Ola Nordmann' },
      { claimNumber: 'SK-BETA-2', street: 'Kongens gate 1', city: 'Trondheim', customer: 'Åse Ødegård' },
      { claimNumber: 'XY-GAMMA-3', street: 'Strandkaien 3', city: 'Bergen', customer: 'Kari Hansen' },
      { claimNumber: 'SK-DELTA_4', street: 'Ærfuglveien 100%', city: 'Tromsø', customer: 'Per Ås' },
    ];
    const ids: string[] = [];
    for (const [index, spec] of specs.entries()) {
      const { id } = await makeCase(t.db, me, {
        claimNumber: spec.claimNumber,
        address: { street: spec.street, postalCode: '0150', city: spec.city },
        customer: { name: spec.customer },
        ...(index === 2 && { caseHandlerId: colleague.id }),
      });
      ids.push(id);
    }
    const stranger = await makeUser(t.db, { level: 1 });
    await makeCase(t.db, actorOf(stranger, 1), {
      claimNumber: 'SK-ALPHA-1',
      address: { street: 'Østre gate 5', postalCode: '0150', city: 'Oslo' },
      customer: { name: 'Ola Nordmann' },
    });
    return { user, colleague, ids };
  });

  const list = async (query = '') => {
    const { user } = await world();
    const response = await get(`/api/cases${query}`, user.cookie);
    expect(response.statusCode, query).toBe(200);
    return response.json() as {
      items: Array<{ id: string; claimNumber: string; status: string; customerName: string }>;
      total: number;
      page: number;
      pageSize: number;
    };
  };

  it("lists the company's cases newest first, paged, never another company's", async () => {
    const { ids } = await world();
    const all = await list();
    expect(all).toMatchObject({ total: 4, page: 1, pageSize: 25 });
    expect(all.items.map((c) => c.id)).toEqual([...ids].reverse());
    expect(all.items[0]).toMatchObject({
      claimNumber: 'SK-DELTA_4',
      address: { street: 'Ærfuglveien 100%', postalCode: '0150', city: 'Tromsø' },
      customerName: 'Per Ås',
      status: 'open',
      createdAt: expect.stringMatching(ISO),
    });

    const page1 = await list('?pageSize=3&page=1');
    const page2 = await list('?pageSize=3&page=2');
    const page3 = await list('?pageSize=3&page=3');
    expect(page1).toMatchObject({ total: 4, page: 1, pageSize: 3 });
    expect(page1.items.map((c) => c.id)).toEqual([ids[3], ids[2], ids[1]]);
    expect(page2).toMatchObject({ total: 4, page: 2, pageSize: 3 });
    expect(page2.items.map((c) => c.id)).toEqual([ids[0]]);
    expect(page3).toMatchObject({ total: 4, items: [] });
  });

  it('searches claim number, street, city and customer name case-insensitively, Æ/Ø/Å included', async () => {
    const { ids } = await world();
    const found = async (q: string) => {
      const result = await list(`?q=${encodeURIComponent(q)}`);
      expect(result.total, q).toBe(result.items.length);
      return result.items.map((c) => c.id).sort();
    };
    expect(await found('sk-alpha')).toEqual([ids[0]]);
    expect(await found('østre')).toEqual([ids[0]]);
    expect(await found('ØSTRE GATE')).toEqual([ids[0]]);
    expect(await found('TRONDHEIM')).toEqual([ids[1]]);
    expect(await found('åse ødegård')).toEqual([ids[1]]);
    expect(await found('ærfugl')).toEqual([ids[3]]);
    expect(await found('TROMSØ')).toEqual([ids[3]]);
    expect(await found('gate')).toEqual([ids[0], ids[1]].sort());
    expect(await found('sk-')).toEqual([ids[0], ids[1], ids[3]].sort());
    // LIKE wildcards in the search text are plain characters.
    expect(await found('100%')).toEqual([ids[3]]);
    expect(await found('%')).toEqual([ids[3]]);
    expect(await found('delta_')).toEqual([ids[3]]);
    expect(await found('a_p')).toEqual([]);
    expect(await found('nothing like this')).toEqual([]);
  });

  it('filters by status and by case handler', async () => {
    const { user, colleague, ids } = await world();
    const onHold = await list('?status=on_hold');
    expect(onHold.items).toEqual([]);
    const held = await post(`/api/cases/${ids[1]}/hold`, user.cookie);
    expect(held.statusCode).toBe(200);
    const afterHold = await list('?status=on_hold');
    expect(afterHold.total).toBe(1);
    expect(afterHold.items.map((c) => c.id)).toEqual([ids[1]]);
    expect(afterHold.items[0]?.status).toBe('on_hold');
    expect((await list('?status=open')).items.map((c) => c.id)).toEqual([ids[3], ids[2], ids[0]]);
    expect((await list('?status=open&q=gate')).items.map((c) => c.id)).toEqual([ids[0]]);

    const byColleague = await list(`?handlerId=${colleague.id}`);
    expect(byColleague.total).toBe(1);
    expect(byColleague.items).toEqual([
      expect.objectContaining({ id: ids[2], caseHandler: { id: colleague.id, name: expect.any(String) } }),
    ]);
    expect((await list(`?handlerId=${user.id}`)).items.map((c) => c.id)).toEqual([ids[3], ids[1], ids[0]]);
  });
});

describe('cases: status actions', () => {
  const staff = shared(() => signedInUser(t.app, t.db, { level: 3 }));

  it('holds, resumes, closes with a comment, reopens with a reason and cancels, writing exactly one event each', async () => {
    const user = await staff();
    const { id } = await makeCase(t.db, actorOf(user, 3));
    const comment = `Ferdig reparert ${unique()}`;
    const reason = `Kunden meldte ny lekkasje ${unique()}`;

    const held = await post(`/api/cases/${id}/hold`, user.cookie);
    expect(held.statusCode).toBe(200);
    expect(held.json()).toMatchObject({ status: 'on_hold', closedAt: null });
    const resumed = await post(`/api/cases/${id}/resume`, user.cookie);
    expect(resumed.json()).toMatchObject({ status: 'open' });

    const closed = await post(`/api/cases/${id}/close`, user.cookie, { comment });
    expect(closed.statusCode).toBe(200);
    expect(closed.json()).toMatchObject({
      status: 'closed',
      closedAt: expect.stringMatching(ISO),
      milestones: { closedAt: expect.stringMatching(ISO) },
    });
    expect(closed.body).not.toContain(comment);
    expect(await caseRow(id)).toMatchObject({ status: 'closed', closed_at: closed.json().closedAt });

    const reopened = await post(`/api/cases/${id}/reopen`, user.cookie, { reason });
    expect(reopened.statusCode).toBe(200);
    expect(reopened.json()).toMatchObject({ status: 'open', closedAt: null, milestones: { closedAt: null } });
    expect(reopened.body).not.toContain(reason);

    const cancelled = await post(`/api/cases/${id}/cancel`, user.cookie);
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json()).toMatchObject({ status: 'cancelled' });
    expect(await caseRow(id)).toMatchObject({ status: 'cancelled', closed_at: null });

    const company = await t.db
      .selectFrom('companies')
      .select('name')
      .where('id', '=', user.companyId)
      .executeTakeFirstOrThrow();
    const events = await eventsOf(id);
    expect(events.map(({ kind, data }) => ({ kind, data }))).toEqual([
      { kind: 'case_created', data: expect.any(Object) },
      { kind: 'case_put_on_hold', data: {} },
      { kind: 'case_resumed', data: {} },
      { kind: 'case_closed', data: { internalComment: comment } },
      { kind: 'case_reopened', data: { internalReason: reason, companyName: company.name } },
      { kind: 'case_cancelled', data: {} },
    ]);

    const page = await get(`/api/cases/${id}`, user.cookie);
    expect(page.body).not.toContain(comment);
    expect(page.body).not.toContain(reason);
    const log = await get(`/api/cases/${id}/log?topic=case`, user.cookie);
    expect(log.statusCode).toBe(200);
    expect(log.body).toContain(comment);
    expect(log.body).toContain(reason);
  });

  it('closes without a comment and reopens a cancelled case without a reason (nulls in the log)', async () => {
    const user = await staff();
    const { id } = await makeCase(t.db, actorOf(user, 3));
    expect((await post(`/api/cases/${id}/close`, user.cookie)).json()).toMatchObject({ status: 'closed' });
    expect((await post(`/api/cases/${id}/reopen`, user.cookie, {})).json()).toMatchObject({ status: 'open' });
    expect((await post(`/api/cases/${id}/cancel`, user.cookie, {})).json()).toMatchObject({
      status: 'cancelled',
    });
    expect((await post(`/api/cases/${id}/reopen`, user.cookie)).json()).toMatchObject({ status: 'open' });
    const events = await eventsOf(id);
    expect(events.map((e) => e.kind)).toEqual([
      'case_created',
      'case_closed',
      'case_reopened',
      'case_cancelled',
      'case_reopened',
    ]);
    expect(events[1]?.data).toEqual({ internalComment: null });
    expect(events[2]?.data).toMatchObject({ internalReason: null });
  });

  it('refuses transitions the status does not allow with 409, writing no event', async () => {
    const user = await staff();
    const me = actorOf(user, 3);
    const attempts: Array<{ setup: string[]; action: string }> = [
      { setup: [], action: 'resume' },
      { setup: [], action: 'reopen' },
      { setup: ['hold'], action: 'hold' },
      { setup: ['hold'], action: 'reopen' },
      { setup: ['close'], action: 'hold' },
      { setup: ['close'], action: 'close' },
      { setup: ['close'], action: 'cancel' },
      { setup: ['close'], action: 'resume' },
      { setup: ['cancel'], action: 'close' },
      { setup: ['cancel'], action: 'cancel' },
      { setup: ['cancel'], action: 'hold' },
    ];
    for (const { setup, action } of attempts) {
      const { id } = await makeCase(t.db, me);
      for (const step of setup)
        expect((await post(`/api/cases/${id}/${step}`, user.cookie)).statusCode).toBe(200);
      const before = await caseRow(id);
      const eventsBefore = await eventsOf(id);
      const response = await post(`/api/cases/${id}/${action}`, user.cookie, {});
      expect(response.statusCode, `${setup.join('+') || 'open'} → ${action}`).toBe(409);
      expect(response.json()).toEqual({
        error: {
          code: 'conflict',
          message: expect.any(String),
          reason: 'case_status',
          params: { status: before.status },
        },
      });
      expect(await caseRow(id)).toEqual(before);
      expect(await eventsOf(id)).toEqual(eventsBefore);
    }
  });

  it('lets an API key put on hold and close without an Origin header', async () => {
    const user = await staff();
    const key = await makeApiKey(t.db, user.companyId, 1);
    const { id } = await makeCase(t.db, actorOf(user, 3));
    for (const [action, status] of [
      ['hold', 'on_hold'],
      ['close', 'closed'],
    ] as const) {
      const response = await t.app.inject({
        method: 'POST',
        url: `/api/cases/${id}/${action}`,
        headers: bearer(key.key),
      });
      expect(response.statusCode, action).toBe(200);
      expect(response.json().status).toBe(status);
    }
    const events = await eventsOf(id);
    expect(events.slice(1).map((e) => [e.kind, e.actor_kind, e.actor_name])).toEqual([
      ['case_put_on_hold', 'api_key', `API: ${key.name}`],
      ['case_closed', 'api_key', `API: ${key.name}`],
    ]);
  });

  it('refuses a status change from a browser without our Origin (403) and changes nothing', async () => {
    const user = await staff();
    const { id } = await makeCase(t.db, actorOf(user, 3));
    for (const headers of [
      { cookie: user.cookie },
      { cookie: user.cookie, origin: 'https://evil.example' },
    ]) {
      const response = await t.app.inject({ method: 'POST', url: `/api/cases/${id}/close`, headers });
      expect(response.statusCode).toBe(403);
      expect(response.json().error.code).toBe('csrf_rejected');
    }
    expect((await caseRow(id)).status).toBe('open');
    expect(await eventsOf(id)).toHaveLength(1);
  });
});

describe('cases: claim decision', () => {
  const staff = shared(() => signedInUser(t.app, t.db, { level: 2 }));

  it('sets the positive-decision milestone at the first acceptance and never moves it', async () => {
    const user = await staff();
    const { id } = await makeCase(t.db, actorOf(user, 2));
    const decide = (decision: string) => post(`/api/cases/${id}/claim-decision`, user.cookie, { decision });

    const needsMore = await decide('needs_more_information');
    expect(needsMore.statusCode).toBe(200);
    expect(needsMore.json()).toMatchObject({
      claimDecision: 'needs_more_information',
      claimDecisionAt: expect.stringMatching(ISO),
      positiveDecisionAt: null,
      milestones: { positiveDecisionAt: null },
    });

    const accepted = await decide('accepted');
    expect(accepted.statusCode).toBe(200);
    const first = accepted.json().positiveDecisionAt as string;
    expect(first).toMatch(ISO);
    expect(accepted.json()).toMatchObject({
      claimDecision: 'accepted',
      milestones: { positiveDecisionAt: first },
    });
    expect((await caseRow(id)).positive_decision_at).toBe(first);

    await sleep(5);
    const rejected = await decide('rejected');
    expect(rejected.json()).toMatchObject({ claimDecision: 'rejected', positiveDecisionAt: first });
    await sleep(5);
    const again = await decide('accepted');
    expect(again.json()).toMatchObject({
      claimDecision: 'accepted',
      positiveDecisionAt: first,
      milestones: { positiveDecisionAt: first },
    });
    expect(again.json().claimDecisionAt > first).toBe(true);
    expect(await caseRow(id)).toMatchObject({ claim_decision: 'accepted', positive_decision_at: first });

    const events = (await eventsOf(id)).filter((e) => e.kind === 'claim_decision');
    expect(events.map((e) => e.data)).toEqual([
      { internalDecision: 'needs_more_information' },
      { internalDecision: 'accepted' },
      { internalDecision: 'rejected' },
      { internalDecision: 'accepted' },
    ]);
    const log = await get(`/api/cases/${id}/log?topic=decision`, user.cookie);
    expect(log.json().items.map((e: { data: unknown }) => e.data)).toEqual(
      [...events.map((e) => e.data)].reverse(),
    );
  });

  it('refuses a decision on a closed or cancelled case with 409 and writes nothing', async () => {
    const user = await staff();
    const me = actorOf(user, 2);
    for (const action of ['close', 'cancel']) {
      const { id } = await makeCase(t.db, me);
      const admin = await makeApiKey(t.db, user.companyId, 6);
      const done = await t.app.inject({
        method: 'POST',
        url: `/api/cases/${id}/${action}`,
        headers: bearer(admin.key),
      });
      expect(done.statusCode).toBe(200);
      const before = await caseRow(id);
      const eventsBefore = await eventsOf(id);
      const response = await post(`/api/cases/${id}/claim-decision`, user.cookie, { decision: 'accepted' });
      expect(response.statusCode, action).toBe(409);
      expect(response.json().error.code).toBe('conflict');
      expect(await caseRow(id)).toEqual(before);
      expect(before).toMatchObject({ claim_decision: null, positive_decision_at: null });
      expect(await eventsOf(id)).toEqual(eventsBefore);
    }
  });
});

describe('cases: the log', () => {
  it('narrows the log to one topic, newest first, with actor names and internal data for staff', async () => {
    const user = await signedInUser(t.app, t.db, { level: 3 });
    const { id } = await makeCase(t.db, actorOf(user, 3));
    const { officeId, personId } = await makePartnerWithOffice(t.db, user.companyId);
    const steps: Array<[string, object]> = [
      [`/api/cases/${id}/main-inspection/assign`, { officeId, inspectorId: personId }],
      [`/api/cases/${id}/hold`, {}],
      [`/api/cases/${id}/resume`, {}],
      [`/api/cases/${id}/main-inspection/start`, {}],
      [`/api/cases/${id}/claim-decision`, { decision: 'accepted' }],
      [`/api/cases/${id}/main-inspection/finish`, {}],
    ];
    for (const [url, payload] of steps) {
      const response = await post(url, user.cookie, payload);
      expect(response.statusCode, url).toBe(200);
    }

    const inspection = await get(`/api/cases/${id}/log?topic=inspection`, user.cookie);
    expect(inspection.statusCode).toBe(200);
    const entries = inspection.json().items as Array<{
      kind: string;
      topic: string;
      occurredAt: string;
      actor: object;
    }>;
    expect(entries.map((e) => e.kind)).toEqual([
      'main_inspection_finished',
      'main_inspection_started',
      'inspector_assigned',
      'main_inspection_assigned',
    ]);
    for (const entry of entries) {
      expect(entry).toMatchObject({
        topic: 'inspection',
        occurredAt: expect.stringMatching(ISO),
        actor: { kind: 'user', name: expect.stringMatching(/^Test User /) },
      });
    }
    const times = entries.map((e) => e.occurredAt);
    expect([...times].sort().reverse()).toEqual(times);

    const everything = await get(`/api/cases/${id}/log`, user.cookie);
    const kinds = (everything.json().items as Array<{ kind: string }>)
      .map((e) => e.kind)
      .filter((kind) => !kind.startsWith('customer_')); // customer-access events: customer-access/
    expect(kinds).toHaveLength(8);
    expect(kinds[0]).toBe('main_inspection_finished');
    expect(kinds.at(-1)).toBe('case_created');
    expect(kinds).toEqual(expect.arrayContaining(['case_put_on_hold', 'case_resumed', 'claim_decision']));
    const decision = (everything.json().items as Array<{ kind: string; data: object }>).find(
      (e) => e.kind === 'claim_decision',
    );
    expect(decision?.data).toEqual({ internalDecision: 'accepted' });

    const calls = await get(`/api/cases/${id}/log?topic=calls`, user.cookie);
    expect(calls.json()).toEqual({ items: [], total: 0, page: 1, pageSize: 50 });
    const bad = await get(`/api/cases/${id}/log?topic=secrets`, user.cookie);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('validation_failed');
  });
});
