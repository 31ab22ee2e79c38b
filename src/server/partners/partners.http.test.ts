import { describe, expect, it } from 'vitest';
import {
  browserHeaders,
  makePartnerWithOffice,
  makeUser,
  signedInUser,
} from '../../../test/support/factory.ts';
import { TEST_ORIGIN, useTestApp } from '../../../test/support/test-app.ts';

const t = useTestApp();

const countRows = async (table: 'partners' | 'offices' | 'persons', companyId: string) =>
  (await t.db.selectFrom(table).select('id').where('company_id', '=', companyId).execute()).length;

describe('partners: authentication', () => {
  it('answers 401 on listing, reading and creating without a session, and creates nothing', async () => {
    const owner = await makeUser(t.db, { level: 6 });
    const { partnerId, officeId } = await makePartnerWithOffice(t.db, owner.companyId);
    const calls = [
      t.app.inject({ method: 'GET', url: '/api/partners' }),
      t.app.inject({ method: 'GET', url: `/api/partners/${partnerId}` }),
      t.app.inject({
        method: 'POST',
        url: '/api/partners',
        headers: { origin: TEST_ORIGIN },
        payload: { name: 'Takstfirma AS' },
      }),
      t.app.inject({
        method: 'POST',
        url: `/api/partners/${partnerId}/offices`,
        headers: { origin: TEST_ORIGIN },
        payload: { name: 'Bergen' },
      }),
      t.app.inject({
        method: 'POST',
        url: `/api/offices/${officeId}/persons`,
        headers: { origin: TEST_ORIGIN },
        payload: { name: 'Per Takstmann' },
      }),
    ];
    for (const response of await Promise.all(calls)) {
      expect(response.statusCode).toBe(401);
      expect(response.json().error.code).toBe('unauthenticated');
    }
    expect(await countRows('partners', owner.companyId)).toBe(1);
    expect(await countRows('offices', owner.companyId)).toBe(1);
    expect(await countRows('persons', owner.companyId)).toBe(1);
  });
});

describe('partners: bad input', () => {
  it('names the bad fields with 400 and writes nothing', async () => {
    const admin = await signedInUser(t.app, t.db, { level: 6 });
    const { partnerId, officeId } = await makePartnerWithOffice(t.db, admin.companyId);
    const cases: Array<{ url: string; payload: object; field: string }> = [
      { url: '/api/partners', payload: { name: '   ' }, field: 'body.name' },
      { url: '/api/partners', payload: { name: 'Takst AS', orgNumber: '12345' }, field: 'body.orgNumber' },
      { url: '/api/partners', payload: { name: 'Takst AS', secret: 1 }, field: 'body' },
      {
        url: `/api/partners/${partnerId}/offices`,
        payload: { name: 'Oslo', phone: '1' },
        field: 'body.phone',
      },
      {
        url: `/api/partners/${partnerId}/offices`,
        payload: { name: 'Oslo', email: 'nope' },
        field: 'body.email',
      },
      { url: `/api/offices/${officeId}/persons`, payload: { phone: '+4791234567' }, field: 'body.name' },
    ];
    for (const { url, payload, field } of cases) {
      const response = await t.app.inject({
        method: 'POST',
        url,
        headers: browserHeaders(admin.cookie),
        payload,
      });
      expect(response.statusCode, url).toBe(400);
      expect(response.json().error.code).toBe('validation_failed');
      const paths = (response.json().error.fields as Array<{ path: string }>).map((f) => f.path);
      expect(paths).toContain(field);
    }
    expect(await countRows('partners', admin.companyId)).toBe(1);
    expect(await countRows('offices', admin.companyId)).toBe(1);
    expect(await countRows('persons', admin.companyId)).toBe(1);
  });
});

describe('partners: not allowed or not yours', () => {
  it('refuses a level-1 user with 403 on creating partners, offices and persons, and creates nothing', async () => {
    const clerk = await signedInUser(t.app, t.db, { level: 1 });
    const { partnerId, officeId } = await makePartnerWithOffice(t.db, clerk.companyId);
    const calls = [
      t.app.inject({
        method: 'POST',
        url: '/api/partners',
        headers: browserHeaders(clerk.cookie),
        payload: { name: 'Takstfirma AS' },
      }),
      t.app.inject({
        method: 'POST',
        url: `/api/partners/${partnerId}/offices`,
        headers: browserHeaders(clerk.cookie),
        payload: { name: 'Bergen' },
      }),
      t.app.inject({
        method: 'POST',
        url: `/api/offices/${officeId}/persons`,
        headers: browserHeaders(clerk.cookie),
        payload: { name: 'Per Takstmann' },
      }),
    ];
    for (const response of await Promise.all(calls)) {
      expect(response.statusCode).toBe(403);
      expect(response.json().error.code).toBe('forbidden');
    }
    expect(await countRows('partners', clerk.companyId)).toBe(1);
    expect(await countRows('offices', clerk.companyId)).toBe(1);
    expect(await countRows('persons', clerk.companyId)).toBe(1);
  });

  it("answers 404 for another company's partner, and for an office or person under it, creating nothing", async () => {
    const admin = await signedInUser(t.app, t.db, { level: 6 });
    const other = await makeUser(t.db, { level: 6 });
    const foreign = await makePartnerWithOffice(t.db, other.companyId);

    const read = await t.app.inject({
      method: 'GET',
      url: `/api/partners/${foreign.partnerId}`,
      headers: { cookie: admin.cookie },
    });
    expect(read.statusCode).toBe(404);
    expect(read.json()).toEqual({ error: { code: 'not_found', message: expect.any(String) } });

    const office = await t.app.inject({
      method: 'POST',
      url: `/api/partners/${foreign.partnerId}/offices`,
      headers: browserHeaders(admin.cookie),
      payload: { name: 'Sneaky office' },
    });
    expect(office.statusCode).toBe(404);
    expect(office.json().error.code).toBe('not_found');

    const person = await t.app.inject({
      method: 'POST',
      url: `/api/offices/${foreign.officeId}/persons`,
      headers: browserHeaders(admin.cookie),
      payload: { name: 'Sneaky person' },
    });
    expect(person.statusCode).toBe(404);
    expect(person.json().error.code).toBe('not_found');

    // Nothing was added, neither to the other company nor (dangling) to ours.
    expect(await countRows('offices', other.companyId)).toBe(1);
    expect(await countRows('persons', other.companyId)).toBe(1);
    expect(await countRows('offices', admin.companyId)).toBe(0);
    expect(await countRows('persons', admin.companyId)).toBe(0);

    const unknown = await t.app.inject({
      method: 'GET',
      url: '/api/partners/does-not-exist',
      headers: { cookie: admin.cookie },
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual(read.json());
  });

  it("never lists another company's partners", async () => {
    const clerk = await signedInUser(t.app, t.db, { level: 1 });
    const other = await makeUser(t.db);
    const foreign = await makePartnerWithOffice(t.db, other.companyId);
    const own = await makePartnerWithOffice(t.db, clerk.companyId);
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/partners',
      headers: { cookie: clerk.cookie },
    });
    expect(response.statusCode).toBe(200);
    const ids = (response.json().items as Array<{ id: string }>).map((p) => p.id);
    expect(ids).toEqual([own.partnerId]);
    expect(response.body).not.toContain(foreign.partnerId);
    expect(response.body).not.toContain(foreign.officeId);
  });
});

describe('partners: creating and listing', () => {
  it('lets level 6 create a partner, an office and a person, listed nested with phones in E.164', async () => {
    const admin = await signedInUser(t.app, t.db, { level: 6 });
    const headers = browserHeaders(admin.cookie);

    const partner = await t.app.inject({
      method: 'POST',
      url: '/api/partners',
      headers,
      payload: { name: 'Takstfirma AS', orgNumber: '987654321' },
    });
    expect(partner.statusCode).toBe(201);
    const partnerId = partner.json().id as string;
    expect(partnerId).toEqual(expect.any(String));

    const office = await t.app.inject({
      method: 'POST',
      url: `/api/partners/${partnerId}/offices`,
      headers,
      payload: { name: 'Bergen', phone: '55 12 34 56', email: 'Bergen@Takst.example' },
    });
    expect(office.statusCode).toBe(201);
    const officeId = office.json().id as string;

    const person = await t.app.inject({
      method: 'POST',
      url: `/api/offices/${officeId}/persons`,
      headers,
      payload: { name: 'Per Takstmann', phone: '912 34 567', email: 'per@takst.example' },
    });
    expect(person.statusCode).toBe(201);
    const personId = person.json().id as string;

    const expected = {
      id: partnerId,
      name: 'Takstfirma AS',
      orgNumber: '987654321',
      offices: [
        {
          id: officeId,
          name: 'Bergen',
          phone: '+4755123456',
          email: 'bergen@takst.example',
          persons: [
            { id: personId, name: 'Per Takstmann', phone: '+4791234567', email: 'per@takst.example' },
          ],
        },
      ],
    };

    const one = await t.app.inject({
      method: 'GET',
      url: `/api/partners/${partnerId}`,
      headers: { cookie: admin.cookie },
    });
    expect(one.statusCode).toBe(200);
    expect(one.json()).toEqual(expected);

    // Any colleague sees the list (pick lists for assigning inspectors and contractors).
    const clerk = await signedInUser(t.app, t.db, { companyId: admin.companyId, level: 1 });
    const list = await t.app.inject({
      method: 'GET',
      url: '/api/partners',
      headers: { cookie: clerk.cookie },
    });
    expect(list.statusCode).toBe(200);
    expect(list.json().items).toEqual([expected]);
  });

  it('lists several partners sorted by name, each with only its own offices and persons', async () => {
    const admin = await signedInUser(t.app, t.db, { level: 6 });
    const headers = browserHeaders(admin.cookie);
    const create = async (url: string, name: string) => {
      const response = await t.app.inject({ method: 'POST', url, headers, payload: { name } });
      expect(response.statusCode).toBe(201);
      return response.json().id as string;
    };
    const rorlegger = await create('/api/partners', 'Rørlegger Hansen');
    const bygg = await create('/api/partners', 'Bygg og Takst');
    const oslo = await create(`/api/partners/${bygg}/offices`, 'Oslo');
    const drammen = await create(`/api/partners/${bygg}/offices`, 'Drammen');
    const stavanger = await create(`/api/partners/${rorlegger}/offices`, 'Stavanger');
    const anne = await create(`/api/offices/${oslo}/persons`, 'Anne');
    const bjorn = await create(`/api/offices/${stavanger}/persons`, 'Bjørn');

    const list = await t.app.inject({
      method: 'GET',
      url: '/api/partners',
      headers: { cookie: admin.cookie },
    });
    const shape = (
      list.json().items as Array<{ id: string; offices: Array<{ id: string; persons: { id: string }[] }> }>
    ).map((p) => ({
      id: p.id,
      offices: p.offices.map((o) => ({ id: o.id, persons: o.persons.map((x) => x.id) })),
    }));
    expect(shape).toEqual([
      {
        id: bygg,
        offices: [
          { id: drammen, persons: [] },
          { id: oslo, persons: [anne] },
        ],
      },
      { id: rorlegger, offices: [{ id: stavanger, persons: [bjorn] }] },
    ]);
  });
});
