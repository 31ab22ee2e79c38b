import { describe, expect, it } from 'vitest';
import { makeActor, makeCase } from '../../../test/support/factory.ts';
import { useTestApp } from '../../../test/support/test-app.ts';
import { sql } from 'kysely';
import { inTransaction, isPostgres, preparedQuery, type Db } from './database.ts';

// preparedQuery (issue 13): a hot query compiled once per dialect, run with each call's values —
// it must answer exactly as the query built anew would, on both databases, in and out of a
// transaction, with the constants of the query kept.

const t = useTestApp();

const casesOfCompany = preparedQuery(2, (db: Db, companyId: string, status: 'open' | 'closed') =>
  db
    .selectFrom('cases')
    .select(['id', 'claim_number', 'status'])
    .where('company_id', '=', companyId)
    .where('status', '=', status)
    // A constant parameter between the arguments stays as compiled.
    .where('claim_number', '!=', 'never-a-claim')
    .orderBy('claim_number'),
);

describe('preparedQuery', () => {
  it('answers each call with its own values, as the query built anew does', async () => {
    const one = await makeActor(t.db, { level: 6 });
    const other = await makeActor(t.db, { level: 6 });
    const a = await makeCase(t.db, one);
    const b = await makeCase(t.db, other);
    for (const [actor, created] of [
      [one, a],
      [other, b],
    ] as const) {
      const rows = await casesOfCompany(t.db, actor.companyId, 'open');
      expect(rows.map((row) => row.id)).toEqual([created.id]);
      const fresh = await t.db
        .selectFrom('cases')
        .select(['id', 'claim_number', 'status'])
        .where('company_id', '=', actor.companyId)
        .where('status', '=', 'open')
        .orderBy('claim_number')
        .execute();
      expect(rows).toEqual(fresh);
    }
    expect(await casesOfCompany(t.db, one.companyId, 'closed')).toEqual([]);
    // Inside a transaction: the same compiled query on the transaction's connection.
    const inside = await inTransaction(t.db, (trx) => casesOfCompany(trx, one.companyId, 'open'));
    expect(inside.map((row) => row.id)).toEqual([a.id]);

    // PostgreSQL: a statement the connection prepared once, by name (SQLite keeps its statements
    // prepared by their text). One transaction is one connection, whose pg_prepared_statements
    // lists what it prepared.
    if (isPostgres(t.db)) {
      const names = await inTransaction(t.db, async (trx) => {
        await casesOfCompany(trx, one.companyId, 'open');
        await casesOfCompany(trx, one.companyId, 'closed');
        const rows = await sql<{ name: string; statement: string }>`
          select name, statement from pg_prepared_statements`.execute(trx);
        return rows.rows.filter((row) => row.statement.includes('"claim_number" !=')).map((row) => row.name);
      });
      expect(names).toHaveLength(1);
      expect(names[0]).toMatch(/^ks-\d+$/);
    }
  });

  it('refuses a builder that does not use every argument as a value', async () => {
    const unused = preparedQuery(2, (db: Db, id: string, _ignored: string) =>
      db.selectFrom('cases').select('id').where('id', '=', id),
    );
    await expect(unused(t.db, 'x', 'y')).rejects.toThrow(/every argument/);
  });
});
