import type { Db } from '../db/database.ts';
import { nowIso } from '../db/database.ts';
import { hashToken, newId } from './tokens.ts';

/**
 * Failure counting in a sliding window, kept in the database so every process of the app sees the
 * same counts. Keys are hashed before storage (e-mail addresses and IPs are personal data).
 */
export interface ThrottleRule {
  bucket: string;
  limit: number;
  windowMs: number;
}

/** Returns the seconds to wait when `key` has reached the rule's limit, otherwise null. */
export async function throttledFor(
  db: Db,
  rule: ThrottleRule,
  key: string,
  now = new Date(),
): Promise<number | null> {
  const since = nowIso(new Date(now.getTime() - rule.windowMs));
  const row = await db
    .selectFrom('auth_failures')
    .select((eb) => [eb.fn.countAll<string | number>().as('failures'), eb.fn.min('at').as('oldest')])
    .where('bucket', '=', rule.bucket)
    .where('key', '=', hashToken(key))
    .where('at', '>', since)
    .executeTakeFirstOrThrow();
  if (Number(row.failures) < rule.limit || !row.oldest) return null;
  const freeAt = new Date(row.oldest).getTime() + rule.windowMs;
  return Math.max(1, Math.ceil((freeAt - now.getTime()) / 1000));
}

/** Records one failure of `key` in `bucket`, and drops failures older than a day. */
export async function recordFailure(db: Db, bucket: string, key: string, now = new Date()): Promise<void> {
  await db
    .insertInto('auth_failures')
    .values({ id: newId(), bucket, key: hashToken(key), at: nowIso(now) })
    .execute();
  await db
    .deleteFrom('auth_failures')
    .where('at', '<', nowIso(new Date(now.getTime() - 86_400_000)))
    .execute();
}

/** Forgets the failures of `key` (after a success). */
export async function clearFailures(db: Db, bucket: string, key: string): Promise<void> {
  await db
    .deleteFrom('auth_failures')
    .where('bucket', '=', bucket)
    .where('key', '=', hashToken(key))
    .execute();
}
