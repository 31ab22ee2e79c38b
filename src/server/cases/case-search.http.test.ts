import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { makeCase, makeUser, signedInUser, staffActor as actorOf } from '../../../test/support/factory.ts';
import { TEST_ORIGIN, useTestApp } from '../../../test/support/test-app.ts';
import { caseCommand } from '../case-commands/case-command.ts';
import * as caseListMigration from '../db/migrations/2026-11-28T1200-case-list.ts';
import { casePolicy } from './policy.ts';

// The case search through its trigram index (issue 13): what `GET /api/cases?q=` finds, on both
// databases. The index only narrows where to look; these tests pin what is found.

const t = useTestApp();

interface CaseList {
  items: Array<{ id: string; claimNumber: string; customerName: string | null }>;
  total: number;
  page: number;
  pageSize: number;
}

const search = async (cookie: string, q: string, extra = '') => {
  const response = await t.app.inject({
    method: 'GET',
    url: `/api/cases?q=${encodeURIComponent(q)}${extra}`,
    headers: { cookie },
  });
  expect(response.statusCode, q).toBe(200);
  return response.json() as CaseList;
};

/** The ids a query finds (the whole result on one page), checking that the total agrees. */
const found = async (cookie: string, q: string) => {
  const result = await search(cookie, q, '&pageSize=100');
  expect(result.total, q).toBe(result.items.length);
  return result.items.map((item) => item.id).sort();
};

const sorted = (ids: Array<string | undefined>) => [...ids].sort();

interface Spec {
  street: string;
  postalCode?: string;
  city: string;
  customer: string;
  email?: string;
  phone?: string;
}

/**
 * A company with a signed-in case handler and one case per spec (created in order). Claim numbers
 * are ZZ-1, ZZ-2, … (unique per company, and made of nothing the tests search for).
 */
async function companyWith(specs: Spec[]) {
  const user = await signedInUser(t.app, t.db, { level: 3 });
  const actor = actorOf(user, 3);
  const ids: string[] = [];
  for (const [index, spec] of specs.entries()) {
    const { id } = await makeCase(t.db, actor, {
      claimNumber: `ZZ-${index + 1}`,
      address: { street: spec.street, postalCode: spec.postalCode ?? '0150', city: spec.city },
      customer: {
        name: spec.customer,
        ...(spec.email && { email: spec.email }),
        ...(spec.phone && { phone: spec.phone }),
      },
    });
    ids.push(id);
  }
  return { user, actor, ids };
}

describe('case search', () => {
  it('finds a text in the middle of a word, in street, city, claim number and customer', async () => {
    const { user, ids } = await companyWith([
      { street: 'Kirkeveien 12', city: 'Lillehammer', customer: 'Ola Nordmann', email: 'ola@eksempel.no' },
      { street: 'Storgata 3', city: 'Fredrikstad', customer: 'Kari Johansen', phone: '+47 912 34 567' },
      { street: 'Bryggen 1', city: 'Bergen', customer: 'Per Berg' },
    ]);
    expect(await found(user.cookie, 'rkevei')).toEqual([ids[0]]);
    expect(await found(user.cookie, 'llehamm')).toEqual([ids[0]]);
    expect(await found(user.cookie, 'edrikst')).toEqual([ids[1]]);
    // Customer name, e-mail and phone.
    expect(await found(user.cookie, 'ordman')).toEqual([ids[0]]);
    expect(await found(user.cookie, 'hansen')).toEqual([ids[1]]);
    expect(await found(user.cookie, 'la@eksem')).toEqual([ids[0]]);
    expect(await found(user.cookie, '9123456')).toEqual([ids[1]]);
    expect(await found(user.cookie, 'berg')).toEqual([ids[2]]);
    // The claim number, whole or in part, in any case.
    expect((await search(user.cookie, 'bryggen')).items[0]?.claimNumber).toBe('ZZ-3');
    expect(await found(user.cookie, 'zz-3')).toEqual([ids[2]]);
    expect(await found(user.cookie, 'Z-3')).toEqual([ids[2]]);
    expect(await found(user.cookie, 'zz-')).toEqual(sorted(ids));
    // Each field on its own: a query spanning two fields (postal code and city) finds nothing.
    expect(await found(user.cookie, '0150 bergen')).toEqual([]);
    expect(await found(user.cookie, 'nowhere at all')).toEqual([]);
  });

  it('folds Æ/Ø/Å and A–Z alike on both sides: ØSTRE finds Østre', async () => {
    const { user, ids } = await companyWith([
      { street: 'Østre gate 5', city: 'Tromsø', customer: 'Åse Ødegård' },
      { street: 'Ærfuglveien 2', city: 'Ålesund', customer: 'Bjørn Sæther' },
      { street: 'Ostre vei 9', city: 'Moss', customer: 'Aase Odegard' },
    ]);
    expect(await found(user.cookie, 'ØSTRE')).toEqual([ids[0]]);
    expect(await found(user.cookie, 'østre')).toEqual([ids[0]]);
    expect(await found(user.cookie, 'TROMSØ')).toEqual([ids[0]]);
    expect(await found(user.cookie, 'ÅSE ØDEGÅRD')).toEqual([ids[0]]);
    expect(await found(user.cookie, 'ærFUGL')).toEqual([ids[1]]);
    expect(await found(user.cookie, 'ÅLESUND')).toEqual([ids[1]]);
    expect(await found(user.cookie, 'SÆTHER')).toEqual([ids[1]]);
    // ø is not o, å is not a: no accent folding.
    expect(await found(user.cookie, 'ostre')).toEqual([ids[2]]);
    expect(await found(user.cookie, 'odegard')).toEqual([ids[2]]);
  });

  it("never returns another company's cases, nor counts them", async () => {
    const spec = { street: 'Delte gate 7', city: 'Hamar', customer: 'Felles Kunde' };
    const mine = await companyWith([spec, spec]);
    const theirs = await companyWith([spec, spec, spec]);
    for (const q of ['delte gate', 'hamar', 'felles kunde', 'de', 'h']) {
      const result = await search(mine.user.cookie, q);
      expect(sorted(result.items.map((item) => item.id)), q).toEqual(sorted(mine.ids));
      expect(result.total, q).toBe(2);
    }
    expect((await search(theirs.user.cookie, 'delte gate')).total).toBe(3);
  });

  it('pages the matches newest first with the total of all matches on every page', async () => {
    const specs = Array.from({ length: 17 }, (_, i): Spec => ({
      street: i % 3 === 2 ? `Annen vei ${i}` : `Sidegata ${i}`,
      city: 'Skien',
      customer: `Kunde ${i}`,
    }));
    const { user, ids } = await companyWith(specs);
    const matching = ids.filter((_, i) => i % 3 !== 2).reverse();
    expect(matching).toHaveLength(12);
    const pages = [];
    for (const page of [1, 2, 3])
      pages.push(await search(user.cookie, 'SIDEGATA', `&pageSize=5&page=${page}`));
    expect(pages.map((p) => p.total)).toEqual([12, 12, 12]);
    expect(pages.map((p) => p.page)).toEqual([1, 2, 3]);
    expect(pages.flatMap((p) => p.items.map((item) => item.id))).toEqual(matching);
    // Past the last match: no items, and still the total.
    const beyond = await search(user.cookie, 'SIDEGATA', '&pageSize=5&page=4');
    expect(beyond).toMatchObject({ total: 12, page: 4, items: [] });
    // The same for a short query (no trigram) and with a filter.
    const short = await search(user.cookie, 'an', '&pageSize=4&page=2');
    expect(short.total).toBe(5);
    expect(short.items.map((item) => item.id)).toEqual([ids[2]]);
    const filtered = await search(user.cookie, 'sidegata', '&status=open&pageSize=5&page=3');
    expect(filtered).toMatchObject({ total: 12, page: 3 });
    expect(filtered.items.map((item) => item.id)).toEqual(matching.slice(10));
    expect(await search(user.cookie, 'sidegata', '&status=closed')).toMatchObject({ total: 0, items: [] });
  });

  it('answers queries of one or two characters correctly, with no trigram to look up', async () => {
    const { user, ids } = await companyWith([
      { street: 'Øvre vei 1', city: 'Bodø', customer: 'Liv Ås' },
      { street: 'Nedre vei 2', city: 'Molde', customer: 'Geir Li', postalCode: '6413' },
      { street: 'Gate "Nord" 100%', city: 'Hamar', customer: 'Tone_Berg' },
    ]);
    expect(await found(user.cookie, 'ø')).toEqual([ids[0]]);
    expect(await found(user.cookie, 'Ø')).toEqual([ids[0]]);
    expect(await found(user.cookie, 'ÅS')).toEqual([ids[0]]);
    expect(await found(user.cookie, 'li')).toEqual(sorted([ids[0], ids[1]]));
    expect(await found(user.cookie, '64')).toEqual([ids[1]]);
    expect(await found(user.cookie, 'e')).toEqual(sorted(ids));
    expect(await found(user.cookie, 'x')).toEqual([]);
    // LIKE wildcards and FTS syntax are plain characters, short or long.
    expect(await found(user.cookie, '%')).toEqual([ids[2]]);
    expect(await found(user.cookie, '_')).toEqual([ids[2]]);
    expect(await found(user.cookie, '0%')).toEqual([ids[2]]);
    expect(await found(user.cookie, 'e_b')).toEqual([ids[2]]);
    expect(await found(user.cookie, '"nord"')).toEqual([ids[2]]);
    expect(await found(user.cookie, '"')).toEqual([ids[2]]);
    expect(await found(user.cookie, 'e"')).toEqual([]);
    expect(await found(user.cookie, 'NOT')).toEqual([]);
    expect(await found(user.cookie, 'vei OR')).toEqual([]);
    expect(await found(user.cookie, 'v*')).toEqual([]);
  });

  it('finds a case by its new address and customer after a change, and no longer by the old ones', async () => {
    const { user, actor, ids } = await companyWith([
      { street: 'Gamleveien 4', city: 'Arendal', customer: 'Hilde Førstemann', email: 'hilde@gammel.no' },
      { street: 'Annenveien 8', city: 'Arendal', customer: 'Nils Nabo' },
    ]);
    const [id] = ids as [string];
    expect(await found(user.cookie, 'gamleveien')).toEqual([id]);
    // An address and customer edit as any command makes it: inside the case's write path.
    await caseCommand(t.db, actor, id, casePolicy.work, async ({ trx }) => {
      await trx
        .updateTable('cases')
        .set({ street: 'Nyveien 11', city: 'Grimstad' })
        .where('id', '=', id)
        .execute();
      await trx
        .updateTable('case_contacts')
        .set({ name: 'Hilde Andremann', email: 'hilde@ny.no' })
        .where('case_id', '=', id)
        .where('role', '=', 'customer')
        .execute();
    });
    for (const q of ['nyveien', 'grimstad', 'andremann', 'hilde@ny']) {
      expect(await found(user.cookie, q), q).toEqual([id]);
    }
    for (const q of ['gamleveien', 'førstemann', 'gammel.no']) {
      expect(await found(user.cookie, q), q).toEqual([]);
    }
    expect(await found(user.cookie, 'arendal')).toEqual([ids[1]]);
    // The list shows the new customer name.
    expect((await search(user.cookie, 'nyveien')).items[0]?.customerName).toBe('Hilde Andremann');
    // A change that touches neither keeps the case findable.
    const held = await t.app.inject({
      method: 'POST',
      url: `/api/cases/${id}/hold`,
      headers: { cookie: user.cookie, origin: TEST_ORIGIN },
    });
    expect(held.statusCode).toBe(200);
    expect(await found(user.cookie, 'nyveien')).toEqual([id]);
  });

  it('fills the search text of cases that existed before the migration', async () => {
    const { user, ids } = await companyWith([
      { street: 'Eldre gate 1', city: 'Narvik', customer: 'Tidlig Kunde' },
      { street: 'Eldre gate 2', city: 'Narvik', customer: 'Senere Kunde' },
    ]);
    const db = t.db as unknown as Kysely<unknown>;
    await caseListMigration.down(db);
    await caseListMigration.up(db);
    expect(await found(user.cookie, 'ELDRE GATE')).toEqual(sorted(ids));
    expect(await found(user.cookie, 'senere')).toEqual([ids[1]]);
    expect(await found(user.cookie, 'rv')).toEqual(sorted(ids));
    // And the list's totals, counted again from the cases.
    const all = await t.app.inject({ method: 'GET', url: '/api/cases', headers: { cookie: user.cookie } });
    expect(all.json()).toMatchObject({ total: 2 });
  });
});

describe('case list totals', () => {
  const list = async (cookie: string, query = '') => {
    const response = await t.app.inject({
      method: 'GET',
      url: `/api/cases?pageSize=100${query}`,
      headers: { cookie },
    });
    expect(response.statusCode, query).toBe(200);
    return response.json() as CaseList;
  };
  const post = (cookie: string, url: string, payload?: object) =>
    t.app.inject({
      method: 'POST',
      url,
      headers: { cookie, origin: TEST_ORIGIN },
      ...(payload && { payload }),
    });

  it('keeps the total of the list, by status and by case handler, through every change', async () => {
    const { user, ids } = await companyWith([
      { street: 'Tellevei 1', city: 'Molde', customer: 'En' },
      { street: 'Tellevei 2', city: 'Molde', customer: 'To' },
      { street: 'Tellevei 3', city: 'Molde', customer: 'Tre' },
      { street: 'Tellevei 4', city: 'Molde', customer: 'Fire' },
    ]);
    const colleague = await makeUser(t.db, { companyId: user.companyId, level: 1 });
    // Another company's cases never count.
    await companyWith([{ street: 'Fremmed vei 1', city: 'Molde', customer: 'Fem' }]);

    /** Every total the list shows, checked against the cases it lists. */
    const checkTotals = async (expected: Record<string, number>) => {
      for (const query of [
        '',
        '&status=open',
        '&status=on_hold',
        '&status=closed',
        '&status=cancelled',
        `&handlerId=${user.id}`,
        `&handlerId=${colleague.id}`,
        `&status=open&handlerId=${colleague.id}`,
      ]) {
        const result = await list(user.cookie, query);
        expect(result.total, query).toBe(result.items.length);
        if (query in expected) expect(result.total, query).toBe(expected[query]);
      }
    };
    await checkTotals({ '': 4, '&status=open': 4, '&status=closed': 0 });

    expect((await post(user.cookie, `/api/cases/${ids[0]}/hold`)).statusCode).toBe(200);
    expect((await post(user.cookie, `/api/cases/${ids[1]}/close`, {})).statusCode).toBe(200);
    expect((await post(user.cookie, `/api/cases/${ids[2]}/cancel`)).statusCode).toBe(200);
    await checkTotals({ '': 4, '&status=open': 1, '&status=on_hold': 1, '&status=closed': 1 });

    const handedOver = await t.app.inject({
      method: 'PATCH',
      url: `/api/cases/${ids[3]}`,
      headers: { cookie: user.cookie, origin: TEST_ORIGIN },
      payload: { caseHandlerId: colleague.id },
    });
    expect(handedOver.statusCode).toBe(200);
    await checkTotals({ [`&handlerId=${colleague.id}`]: 1, [`&status=open&handlerId=${colleague.id}`]: 1 });

    const noHandler = await t.app.inject({
      method: 'PATCH',
      url: `/api/cases/${ids[1]}`,
      headers: { cookie: user.cookie, origin: TEST_ORIGIN },
      payload: { caseHandlerId: null },
    });
    expect(noHandler.statusCode).toBe(200);
    expect((await post(user.cookie, `/api/cases/${ids[1]}/reopen`, {})).statusCode).toBe(200);
    expect((await post(user.cookie, `/api/cases/${ids[2]}/reopen`, {})).statusCode).toBe(200);
    expect((await post(user.cookie, `/api/cases/${ids[0]}/resume`)).statusCode).toBe(200);
    await checkTotals({ '': 4, '&status=open': 4, [`&handlerId=${user.id}`]: 2 });
    // A refused change (a case that is open cannot be resumed) changes no total.
    expect((await post(user.cookie, `/api/cases/${ids[0]}/resume`)).statusCode).toBe(409);
    await checkTotals({ '': 4, '&status=open': 4 });
  });
});
