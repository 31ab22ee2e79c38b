import { describe, expect, it } from 'vitest';
import { browserHeaders, makeApiKey, makeUser, signedInUser, bearer } from '../../../test/support/factory.ts';
import { TEST_ORIGIN, useTestApp } from '../../../test/support/test-app.ts';

const t = useTestApp();

describe('API keys: authentication', () => {
  it('answers 401 on the key admin routes without a session', async () => {
    const list = await t.app.inject({ method: 'GET', url: '/api/admin/api-keys' });
    const create = await t.app.inject({
      method: 'POST',
      url: '/api/admin/api-keys',
      headers: { origin: TEST_ORIGIN },
      payload: { name: 'integration' },
    });
    for (const response of [list, create]) {
      expect(response.statusCode).toBe(401);
      expect(response.json().error.code).toBe('unauthenticated');
    }
    expect(await t.db.selectFrom('api_keys').select('id').execute()).toEqual([]);
  });

  it('refuses a garbage or malformed bearer with 401, even on a public route', async () => {
    const owner = await makeUser(t.db, { level: 6 });
    const real = await makeApiKey(t.db, owner.companyId);
    for (const authorization of [
      'Bearer garbage',
      'Bearer ks_not-a-real-key',
      `Bearer ${real.key}x`,
      'Bearer ',
      `Basic ${Buffer.from('user:pass').toString('base64')}`,
      real.key,
    ]) {
      const response = await t.app.inject({ method: 'GET', url: '/api/me', headers: { authorization } });
      expect(response.statusCode, authorization).toBe(401);
      expect(response.json()).toEqual({ error: { code: 'unauthenticated', message: expect.any(String) } });
    }
    // A bad key is refused even where no sign-in is needed: it is a failed authentication, not anonymous.
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { authorization: 'Bearer garbage' },
      payload: { email: owner.email, password: owner.password },
    });
    expect(login.statusCode).toBe(401);
    expect(login.cookies).toEqual([]);
  });
});

describe('API keys: bad input', () => {
  it('names the bad fields with 400 and creates no key', async () => {
    const admin = await signedInUser(t.app, t.db, { level: 6 });
    for (const payload of [{ name: '' }, { name: 'x', level: 7 }, { name: 'x', key: 'ks_chosen' }]) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/admin/api-keys',
        headers: browserHeaders(admin.cookie),
        payload,
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.code).toBe('validation_failed');
      expect(response.json().error.fields.length).toBeGreaterThan(0);
    }
    const keys = await t.db
      .selectFrom('api_keys')
      .select('id')
      .where('company_id', '=', admin.companyId)
      .execute();
    expect(keys).toEqual([]);
  });
});

describe('API keys: not allowed or not yours', () => {
  it('gives a level-1 key 403 on level-6 endpoints, and changes nothing', async () => {
    const owner = await makeUser(t.db, { level: 6 });
    const { key } = await makeApiKey(t.db, owner.companyId, 1);
    const colleague = await makeUser(t.db, { companyId: owner.companyId, level: 2 });
    const calls = [
      t.app.inject({ method: 'GET', url: '/api/admin/api-keys', headers: bearer(key) }),
      t.app.inject({
        method: 'POST',
        url: '/api/admin/api-keys',
        headers: bearer(key),
        payload: { name: 'escalate', level: 6 },
      }),
      t.app.inject({
        method: 'POST',
        url: '/api/users',
        headers: bearer(key),
        payload: { name: 'X', email: 'x-key@example.test', password: 'a-long-enough-password', level: 6 },
      }),
      t.app.inject({
        method: 'PATCH',
        url: `/api/users/${colleague.id}`,
        headers: bearer(key),
        payload: { level: 6 },
      }),
      t.app.inject({
        method: 'PATCH',
        url: '/api/company',
        headers: bearer(key),
        payload: { name: 'Renamed' },
      }),
      t.app.inject({ method: 'POST', url: '/api/partners', headers: bearer(key), payload: { name: 'P' } }),
    ];
    for (const response of await Promise.all(calls)) {
      expect(response.statusCode).toBe(403);
      expect(response.json().error.code).toBe('forbidden');
    }
    const keys = await t.db
      .selectFrom('api_keys')
      .select('id')
      .where('company_id', '=', owner.companyId)
      .execute();
    expect(keys).toHaveLength(1);
    const users = await t.db
      .selectFrom('users')
      .select(['id', 'level'])
      .where('company_id', '=', owner.companyId)
      .orderBy('level')
      .execute();
    expect(users).toEqual([
      { id: colleague.id, level: 2 },
      { id: owner.id, level: 6 },
    ]);
    const partners = await t.db
      .selectFrom('partners')
      .select('id')
      .where('company_id', '=', owner.companyId)
      .execute();
    expect(partners).toEqual([]);

    // Reading is open to every level.
    const read = await t.app.inject({ method: 'GET', url: '/api/users', headers: bearer(key) });
    expect(read.statusCode).toBe(200);
    expect(read.json().items).toHaveLength(2);
  });

  it("keeps a key inside its company: another company's user and key are 404", async () => {
    const a = await makeUser(t.db, { level: 6 });
    const b = await makeUser(t.db, { level: 6 });
    const keyA = await makeApiKey(t.db, a.companyId);
    const keyB = await makeApiKey(t.db, b.companyId);

    const user = await t.app.inject({ method: 'GET', url: `/api/users/${b.id}`, headers: bearer(keyA.key) });
    expect(user.statusCode).toBe(404);
    expect(user.json()).toEqual({ error: { code: 'not_found', message: expect.any(String) } });

    const list = await t.app.inject({ method: 'GET', url: '/api/users', headers: bearer(keyA.key) });
    expect((list.json().items as Array<{ id: string }>).map((u) => u.id)).toEqual([a.id]);

    const revoke = await t.app.inject({
      method: 'DELETE',
      url: `/api/admin/api-keys/${keyB.id}`,
      headers: bearer(keyA.key),
    });
    expect(revoke.statusCode).toBe(404);
    const stillWorks = await t.app.inject({ method: 'GET', url: '/api/me', headers: bearer(keyB.key) });
    expect(stillWorks.statusCode).toBe(200);

    const keys = await t.app.inject({ method: 'GET', url: '/api/admin/api-keys', headers: bearer(keyA.key) });
    expect((keys.json().items as Array<{ id: string }>).map((k) => k.id)).toEqual([keyA.id]);
  });
});

describe('API keys: creating, using and revoking', () => {
  it('shows a new key once; the list never shows it', async () => {
    const admin = await signedInUser(t.app, t.db, { level: 6 });
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/admin/api-keys',
      headers: browserHeaders(admin.cookie),
      payload: { name: 'Core system', level: 4 },
    });
    expect(created.statusCode).toBe(201);
    const body = created.json();
    expect(body).toEqual({ id: expect.any(String), key: expect.any(String), name: 'Core system', level: 4 });
    expect(body.key.length).toBeGreaterThanOrEqual(40);

    const defaulted = await t.app.inject({
      method: 'POST',
      url: '/api/admin/api-keys',
      headers: browserHeaders(admin.cookie),
      payload: { name: 'Scripts' },
    });
    expect(defaulted.json()).toMatchObject({ name: 'Scripts', level: 6 });

    const list = await t.app.inject({
      method: 'GET',
      url: '/api/admin/api-keys',
      headers: { cookie: admin.cookie },
    });
    expect(list.statusCode).toBe(200);
    expect(list.json().items).toEqual(
      expect.arrayContaining([
        {
          id: body.id,
          name: 'Core system',
          level: 4,
          createdAt: expect.any(String),
          lastUsedAt: null,
          revokedAt: null,
        },
      ]),
    );
    expect(list.json().items).toHaveLength(2);
    expect(list.body).not.toContain(body.key);
    expect(list.body).not.toContain(defaulted.json().key);
    expect(list.body).not.toMatch(/"key"|hash/i);

    // Only a hash is stored.
    const rows = await t.db.selectFrom('api_keys').selectAll().where('id', '=', body.id).execute();
    expect(JSON.stringify(rows)).not.toContain(body.key);
  });

  it("reaches /api/me with the key's level and company, and makes changes without an Origin header", async () => {
    const admin = await signedInUser(t.app, t.db, { level: 6 });
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/admin/api-keys',
      headers: browserHeaders(admin.cookie),
      payload: { name: 'Core system', level: 6 },
    });
    const { id, key } = created.json() as { id: string; key: string };

    const me = await t.app.inject({ method: 'GET', url: '/api/me', headers: bearer(key) });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      user: null,
      apiKey: { id },
      company: { id: admin.companyId },
      level: 6,
      abilities: { manageUsers: true, manageApiKeys: true, managePartners: true },
    });
    expect(me.cookies).toEqual([]);

    const partner = await t.app.inject({
      method: 'POST',
      url: '/api/partners',
      headers: bearer(key),
      payload: { name: 'Via API' },
    });
    expect(partner.statusCode).toBe(201);
    const company = await t.app.inject({
      method: 'PATCH',
      url: '/api/company',
      headers: { ...bearer(key), origin: 'https://core-system.example' },
      payload: { name: 'Renamed by integration' },
    });
    expect(company.statusCode).toBe(200);
    expect(company.json().name).toBe('Renamed by integration');

    const partners = await t.app.inject({
      method: 'GET',
      url: '/api/partners',
      headers: { cookie: admin.cookie },
    });
    expect(partners.json().items).toContainEqual(
      expect.objectContaining({ id: partner.json().id, name: 'Via API' }),
    );

    const list = await t.app.inject({
      method: 'GET',
      url: '/api/admin/api-keys',
      headers: { cookie: admin.cookie },
    });
    expect(list.json().items).toContainEqual(expect.objectContaining({ id, lastUsedAt: expect.any(String) }));
  });

  it('acts with a lower level when the key has one', async () => {
    const owner = await makeUser(t.db, { level: 6 });
    const { key } = await makeApiKey(t.db, owner.companyId, 3);
    const me = await t.app.inject({ method: 'GET', url: '/api/me', headers: bearer(key) });
    expect(me.json()).toMatchObject({
      level: 3,
      company: { id: owner.companyId },
      abilities: { manageUsers: false, manageApiKeys: false, managePartners: false },
    });
  });

  it('stops a revoked key at once with 401 and shows it as revoked', async () => {
    const admin = await signedInUser(t.app, t.db, { level: 6 });
    const victim = await makeApiKey(t.db, admin.companyId);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/me', headers: bearer(victim.key) })).statusCode,
    ).toBe(200);

    const revoke = await t.app.inject({
      method: 'DELETE',
      url: `/api/admin/api-keys/${victim.id}`,
      headers: browserHeaders(admin.cookie),
    });
    expect(revoke.statusCode).toBe(204);
    expect(revoke.body).toBe('');

    const refused = await t.app.inject({ method: 'GET', url: '/api/me', headers: bearer(victim.key) });
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.code).toBe('unauthenticated');
    const change = await t.app.inject({
      method: 'POST',
      url: '/api/partners',
      headers: bearer(victim.key),
      payload: { name: 'After revoke' },
    });
    expect(change.statusCode).toBe(401);

    const list = await t.app.inject({
      method: 'GET',
      url: '/api/admin/api-keys',
      headers: { cookie: admin.cookie },
    });
    expect(list.json().items).toContainEqual(
      expect.objectContaining({ id: victim.id, revokedAt: expect.any(String) }),
    );

    // Revoking again is harmless.
    const again = await t.app.inject({
      method: 'DELETE',
      url: `/api/admin/api-keys/${victim.id}`,
      headers: browserHeaders(admin.cookie),
    });
    expect(again.statusCode).toBe(204);
  });

  it('lets a level-6 key manage keys, but a key revoked by itself stops working', async () => {
    const owner = await makeUser(t.db, { level: 6 });
    const { id, key } = await makeApiKey(t.db, owner.companyId, 6);
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/admin/api-keys',
      headers: bearer(key),
      payload: { name: 'Second', level: 2 },
    });
    expect(created.statusCode).toBe(201);
    const second = created.json() as { key: string };
    const me = await t.app.inject({ method: 'GET', url: '/api/me', headers: bearer(second.key) });
    expect(me.json()).toMatchObject({ level: 2, company: { id: owner.companyId } });

    const self = await t.app.inject({
      method: 'DELETE',
      url: `/api/admin/api-keys/${id}`,
      headers: bearer(key),
    });
    expect(self.statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/me', headers: bearer(key) })).statusCode).toBe(
      401,
    );
  });
});
