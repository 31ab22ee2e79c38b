import { describe, expect, it } from 'vitest';
import { browserHeaders, makeUser, signIn, signedInUser } from '../../../test/support/factory.ts';
import { TEST_ORIGIN, useTestApp } from '../../../test/support/test-app.ts';

const t = useTestApp();

const newUserBody = (overrides: Record<string, unknown> = {}) => ({
  name: 'Kari Nordmann',
  email: `kari-${Math.random().toString(36).slice(2)}@example.test`,
  password: 'a-long-enough-password',
  level: 3,
  ...overrides,
});

const usersWithEmail = (email: string) =>
  t.db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).execute();

describe('staff users: authentication', () => {
  it('answers 401 on every users route without a session', async () => {
    const someone = await makeUser(t.db);
    const calls = [
      t.app.inject({ method: 'GET', url: '/api/users' }),
      t.app.inject({ method: 'GET', url: `/api/users/${someone.id}` }),
      t.app.inject({
        method: 'POST',
        url: '/api/users',
        headers: { origin: TEST_ORIGIN },
        payload: newUserBody(),
      }),
      t.app.inject({
        method: 'PATCH',
        url: `/api/users/${someone.id}`,
        headers: { origin: TEST_ORIGIN },
        payload: { active: false },
      }),
    ];
    for (const response of await Promise.all(calls)) {
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual({ error: { code: 'unauthenticated', message: expect.any(String) } });
    }
    const [row] = await usersWithEmail(someone.email);
    expect(row?.active).toBe(1);
  });
});

describe('staff users: bad input', () => {
  it('rejects an invalid phone number with 400 naming the field, and writes nothing', async () => {
    const admin = await signedInUser(t.app, t.db, { level: 6 });
    const body = newUserBody({ phone: '12' });
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: browserHeaders(admin.cookie),
      payload: body,
    });
    expect(response.statusCode).toBe(400);
    const { error } = response.json();
    expect(error.code).toBe('validation_failed');
    expect(error.message).toContain('phone');
    expect(error.fields).toContainEqual({
      path: 'body.phone',
      message: expect.stringContaining('phone'),
      code: 'invalid_format',
      format: 'phone',
    });
    expect(await usersWithEmail(body.email)).toEqual([]);
  });

  it('names every bad field: e-mail, short password, level outside 1–6, unknown fields', async () => {
    const admin = await signedInUser(t.app, t.db, { level: 6 });
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: browserHeaders(admin.cookie),
      payload: { name: 'X', email: 'not-an-email', password: 'short', level: 7, isAdmin: true },
    });
    expect(response.statusCode).toBe(400);
    const paths = (response.json().error.fields as Array<{ path: string }>).map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['body.email', 'body.password', 'body.level']));
    expect(response.json().error.message).toMatch(/isAdmin|unrecognized/i);
    const list = await t.app.inject({ method: 'GET', url: '/api/users', headers: { cookie: admin.cookie } });
    expect(list.json().items).toHaveLength(1);
  });

  it('rejects a change with a bad phone or an unknown field and leaves the user as it was', async () => {
    const admin = await signedInUser(t.app, t.db, { level: 6 });
    const colleague = await makeUser(t.db, { companyId: admin.companyId, level: 2 });
    for (const payload of [{ phone: 'abc' }, { level: 2, password: 'new-password-123' }, { level: 0 }]) {
      const response = await t.app.inject({
        method: 'PATCH',
        url: `/api/users/${colleague.id}`,
        headers: browserHeaders(admin.cookie),
        payload,
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.code).toBe('validation_failed');
    }
    const [row] = await usersWithEmail(colleague.email);
    expect(row).toMatchObject({ level: 2, phone: null, active: 1 });
    await expect(signIn(t.app, colleague)).resolves.toMatch(/^ks_session=/);
  });
});

describe('staff users: not allowed or not yours', () => {
  it('refuses a level-1 user with 403 on creating and changing users and on API keys, changing nothing', async () => {
    const clerk = await signedInUser(t.app, t.db, { level: 1 });
    const colleague = await makeUser(t.db, { companyId: clerk.companyId, level: 2 });
    const body = newUserBody();
    const calls = [
      t.app.inject({
        method: 'POST',
        url: '/api/users',
        headers: browserHeaders(clerk.cookie),
        payload: body,
      }),
      t.app.inject({
        method: 'PATCH',
        url: `/api/users/${colleague.id}`,
        headers: browserHeaders(clerk.cookie),
        payload: { level: 6 },
      }),
      t.app.inject({
        method: 'PATCH',
        url: `/api/users/${clerk.id}`,
        headers: browserHeaders(clerk.cookie),
        payload: { level: 6 },
      }),
      t.app.inject({ method: 'GET', url: '/api/admin/api-keys', headers: { cookie: clerk.cookie } }),
      t.app.inject({
        method: 'POST',
        url: '/api/admin/api-keys',
        headers: browserHeaders(clerk.cookie),
        payload: { name: 'integration' },
      }),
    ];
    for (const response of await Promise.all(calls)) {
      expect(response.statusCode).toBe(403);
      expect(response.json().error.code).toBe('forbidden');
    }
    expect(await usersWithEmail(body.email)).toEqual([]);
    expect((await usersWithEmail(colleague.email))[0]?.level).toBe(2);
    expect((await usersWithEmail(clerk.email))[0]?.level).toBe(1);
    const keys = await t.db
      .selectFrom('api_keys')
      .select('id')
      .where('company_id', '=', clerk.companyId)
      .execute();
    expect(keys).toEqual([]);
  });

  it("lets a level-1 user see colleagues, but only the own company's", async () => {
    const clerk = await signedInUser(t.app, t.db, { level: 1 });
    const colleague = await makeUser(t.db, { companyId: clerk.companyId, level: 4 });
    const stranger = await makeUser(t.db);
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/users',
      headers: { cookie: clerk.cookie },
    });
    expect(response.statusCode).toBe(200);
    const ids = (response.json().items as Array<{ id: string }>).map((u) => u.id).sort();
    expect(ids).toEqual([clerk.id, colleague.id].sort());
    expect(ids).not.toContain(stranger.id);
  });

  it("answers 404 (not 403) for another company's user, on reading and on changing", async () => {
    const admin = await signedInUser(t.app, t.db, { level: 6 });
    const stranger = await makeUser(t.db, { level: 3 });
    const read = await t.app.inject({
      method: 'GET',
      url: `/api/users/${stranger.id}`,
      headers: { cookie: admin.cookie },
    });
    expect(read.statusCode).toBe(404);
    expect(read.json()).toEqual({ error: { code: 'not_found', message: expect.any(String) } });

    const change = await t.app.inject({
      method: 'PATCH',
      url: `/api/users/${stranger.id}`,
      headers: browserHeaders(admin.cookie),
      payload: { active: false, level: 1 },
    });
    expect(change.statusCode).toBe(404);
    expect(change.json().error.code).toBe('not_found');
    expect((await usersWithEmail(stranger.email))[0]).toMatchObject({ active: 1, level: 3 });
    await expect(signIn(t.app, stranger)).resolves.toMatch(/^ks_session=/);

    const unknown = await t.app.inject({
      method: 'GET',
      url: '/api/users/00000000-0000-4000-8000-000000000000',
      headers: { cookie: admin.cookie },
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual(read.json());
  });
});

describe('staff users: managing users as company admin', () => {
  it('creates a user with the phone in E.164, who can then sign in at that level', async () => {
    const admin = await signedInUser(t.app, t.db, { level: 6 });
    const body = newUserBody({ phone: '412 34 567', email: ' Kari.Nordmann@Example.TEST ', level: 4 });
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: browserHeaders(admin.cookie),
      payload: body,
    });
    expect(response.statusCode).toBe(201);
    const created = response.json();
    expect(created).toEqual({
      id: expect.any(String),
      name: 'Kari Nordmann',
      email: 'kari.nordmann@example.test',
      phone: '+4741234567',
      level: 4,
      active: true,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/),
    });
    expect(response.body).not.toMatch(/password|hash|argon/i);

    const read = await t.app.inject({
      method: 'GET',
      url: `/api/users/${created.id}`,
      headers: { cookie: admin.cookie },
    });
    expect(read.json()).toEqual(created);

    const cookie = await signIn(t.app, { email: 'kari.nordmann@example.test', password: body.password });
    const me = await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie } });
    expect(me.json()).toMatchObject({ user: { id: created.id }, level: 4, company: { id: admin.companyId } });
  });

  it('refuses a duplicate e-mail (any case, any company) with 409 email_taken and writes nothing', async () => {
    const admin = await signedInUser(t.app, t.db, { level: 6 });
    const existing = await makeUser(t.db, { level: 2 });
    const before = await t.db.selectFrom('users').select('id').execute();
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: browserHeaders(admin.cookie),
      payload: newUserBody({ email: existing.email.toUpperCase(), name: 'Impostor' }),
    });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toEqual({ error: { code: 'email_taken', message: expect.any(String) } });

    const after = await t.db.selectFrom('users').select('id').execute();
    expect(after).toHaveLength(before.length);
    const rows = await usersWithEmail(existing.email);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: existing.id, company_id: existing.companyId, level: 2 });
    await expect(signIn(t.app, existing)).resolves.toMatch(/^ks_session=/);
  });

  it('creates exactly one user when the same e-mail is submitted several times at once; the others get 409', async () => {
    const admin = await signedInUser(t.app, t.db, { level: 6 });
    const body = newUserBody();
    const responses = await Promise.all(
      [1, 2, 3].map(() =>
        t.app.inject({
          method: 'POST',
          url: '/api/users',
          headers: browserHeaders(admin.cookie),
          payload: body,
        }),
      ),
    );
    const statuses = responses.map((r) => r.statusCode).sort();
    expect(statuses).toEqual([201, 409, 409]);
    for (const refused of responses.filter((r) => r.statusCode === 409)) {
      expect(refused.json().error.code).toBe('email_taken');
    }
    expect(await usersWithEmail(body.email)).toHaveLength(1);
  });

  it('changes name, phone and level; a new level applies to a signed-in user at once', async () => {
    const admin = await signedInUser(t.app, t.db, { level: 6 });
    const clerk = await signedInUser(t.app, t.db, { companyId: admin.companyId, level: 1 });
    const response = await t.app.inject({
      method: 'PATCH',
      url: `/api/users/${clerk.id}`,
      headers: browserHeaders(admin.cookie),
      payload: { name: 'Ola Nordmann', phone: '+47 912 34 567', level: 6 },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      id: clerk.id,
      name: 'Ola Nordmann',
      phone: '+4791234567',
      level: 6,
      active: true,
    });
    const me = await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: clerk.cookie } });
    expect(me.json()).toMatchObject({ level: 6, abilities: { manageUsers: true, manageApiKeys: true } });

    const cleared = await t.app.inject({
      method: 'PATCH',
      url: `/api/users/${clerk.id}`,
      headers: browserHeaders(admin.cookie),
      payload: { phone: null },
    });
    expect(cleared.json()).toMatchObject({ phone: null, name: 'Ola Nordmann' });
  });

  it('deactivating a user ends their session at once and they can no longer sign in', async () => {
    const admin = await signedInUser(t.app, t.db, { level: 6 });
    const leaver = await signedInUser(t.app, t.db, { companyId: admin.companyId, level: 3 });
    const before = await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: leaver.cookie } });
    expect(before.statusCode).toBe(200);

    const response = await t.app.inject({
      method: 'PATCH',
      url: `/api/users/${leaver.id}`,
      headers: browserHeaders(admin.cookie),
      payload: { active: false },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ id: leaver.id, active: false });

    const after = await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: leaver.cookie } });
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe('unauthenticated');
    const sessions = await t.db
      .selectFrom('staff_sessions')
      .select('id')
      .where('user_id', '=', leaver.id)
      .execute();
    expect(sessions).toEqual([]);

    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { origin: TEST_ORIGIN },
      payload: { email: leaver.email, password: leaver.password },
    });
    expect(login.statusCode).toBe(401);
    expect(login.json().error.code).toBe('invalid_credentials');

    const list = await t.app.inject({ method: 'GET', url: '/api/users', headers: { cookie: admin.cookie } });
    expect(list.json().items).toContainEqual(expect.objectContaining({ id: leaver.id, active: false }));
  });

  it('does not let an admin deactivate themself or lower their own level (409), and keeps them signed in', async () => {
    const admin = await signedInUser(t.app, t.db, { level: 6 });
    for (const payload of [{ active: false }, { level: 5 }]) {
      const response = await t.app.inject({
        method: 'PATCH',
        url: `/api/users/${admin.id}`,
        headers: browserHeaders(admin.cookie),
        payload,
      });
      expect(response.statusCode).toBe(409);
      expect(response.json()).toEqual({
        error: { code: 'conflict', message: expect.any(String), reason: 'own_level' },
      });
    }
    const me = await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: admin.cookie } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ user: { id: admin.id, active: true }, level: 6 });

    const rename = await t.app.inject({
      method: 'PATCH',
      url: `/api/users/${admin.id}`,
      headers: browserHeaders(admin.cookie),
      payload: { name: 'Still Admin' },
    });
    expect(rename.statusCode).toBe(200);
    expect(rename.json()).toMatchObject({ name: 'Still Admin', level: 6, active: true });
  });
});
