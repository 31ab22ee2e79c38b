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

/** Forgets the failures of `key` (after a success). */
export async function clearFailures(db: Db, bucket: string, key: string): Promise<void> {
  await db
    .deleteFrom('auth_failures')
    .where('bucket', '=', bucket)
    .where('key', '=', hashToken(key))
    .execute();
}

/**
 * Counts an attempt before it is checked, so concurrent attempts cannot all pass a limit that is only
 * checked first and recorded after: the attempt's row is written, then the window is counted with it.
 * Among N simultaneous attempts the k-th writer sees at least k rows, so at most `limit` go ahead.
 * Returns the row's id (keep it as the failure, or {@link releaseAttempt} it on success) and, when the
 * limit is passed, the seconds to wait (the refused attempt's own row is removed again).
 */
export async function reserveAttempt(
  db: Db,
  rule: ThrottleRule,
  key: string,
  now = new Date(),
): Promise<{ id: string; retryAfterSeconds: number | null }> {
  const id = newId();
  await db
    .insertInto('auth_failures')
    .values({ id, bucket: rule.bucket, key: hashToken(key), at: nowIso(now) })
    .execute();
  const since = nowIso(new Date(now.getTime() - rule.windowMs));
  const row = await db
    .selectFrom('auth_failures')
    .select((eb) => [eb.fn.countAll<string | number>().as('attempts'), eb.fn.min('at').as('oldest')])
    .where('bucket', '=', rule.bucket)
    .where('key', '=', hashToken(key))
    .where('at', '>', since)
    .executeTakeFirstOrThrow();
  if (Number(row.attempts) <= rule.limit) return { id, retryAfterSeconds: null };
  await releaseAttempt(db, id);
  const freeAt = new Date(row.oldest ?? nowIso(now)).getTime() + rule.windowMs;
  return { id, retryAfterSeconds: Math.max(1, Math.ceil((freeAt - now.getTime()) / 1000)) };
}

/** Records an attempt under `key` before it is checked (see {@link reserveAttempt}); returns its row id. */
export async function recordAttempt(db: Db, bucket: string, key: string, now = new Date()): Promise<string> {
  const id = newId();
  await db
    .insertInto('auth_failures')
    .values({ id, bucket, key: hashToken(key), at: nowIso(now) })
    .execute();
  return id;
}

/** The attempts under `key` within `windowMs` before `now` (rows of attempts in flight included). */
export interface AttemptWindow {
  attempts: number;
  /** Times of the oldest and newest attempt, leaving out `exceptId` for the newest (the caller's own). */
  oldest: Date | null;
  newestOther: Date | null;
}

/** Counts the attempts under `key` in the window (the caller's own row included in `attempts`). */
export async function countAttempts(
  db: Db,
  bucket: string,
  key: string,
  windowMs: number,
  exceptId: string,
  now = new Date(),
): Promise<AttemptWindow> {
  const since = nowIso(new Date(now.getTime() - windowMs));
  const row = await db
    .selectFrom('auth_failures')
    .select((eb) => [
      eb.fn.countAll<string | number>().as('attempts'),
      eb.fn.min('at').as('oldest'),
      eb.fn.max(eb.case().when('id', '!=', exceptId).then(eb.ref('at')).end()).as('newest_other'),
    ])
    .where('bucket', '=', bucket)
    .where('key', '=', hashToken(key))
    .where('at', '>', since)
    .executeTakeFirstOrThrow();
  return {
    attempts: Number(row.attempts),
    oldest: row.oldest ? new Date(row.oldest) : null,
    newestOther: row.newest_other ? new Date(row.newest_other) : null,
  };
}

/** Takes back a reserved attempt that succeeded. */
export async function releaseAttempt(db: Db, id: string): Promise<void> {
  await db.deleteFrom('auth_failures').where('id', '=', id).execute();
}

/** Drops failures older than a day (called now and then, e.g. on a failure). */
export async function dropOldFailures(db: Db, now = new Date()): Promise<void> {
  await db
    .deleteFrom('auth_failures')
    .where('at', '<', nowIso(new Date(now.getTime() - 86_400_000)))
    .execute();
}

/** One limit a write must stay within: at most `rule.limit` uses under `key` in `rule.windowMs`. */
export interface ThrottleClaim {
  rule: ThrottleRule;
  key: string;
}

/**
 * Records one use under every claim when each is still below its limit; otherwise records nothing and
 * returns the seconds until every window has room again. Unlike {@link reserveAttempt} (which may
 * refuse a few too many under contention, right for guessing) this is exact, and only race-free when
 * callers are serialised: call it inside a transaction that first takes a lock every competing caller
 * takes (a case's row lock), so of N simultaneous writes exactly `limit` go through.
 * Each key's expired rows are deleted on the way, so a busy key keeps at most `limit` rows.
 */
export async function takeAllowance(
  trx: Db,
  claims: ThrottleClaim[],
  now = new Date(),
): Promise<{ ids: string[]; retryAfterSeconds: null } | { ids: null; retryAfterSeconds: number }> {
  let freeAt = 0;
  for (const { rule, key } of claims) {
    const since = nowIso(new Date(now.getTime() - rule.windowMs));
    const hashed = hashToken(key);
    await trx
      .deleteFrom('auth_failures')
      .where('bucket', '=', rule.bucket)
      .where('key', '=', hashed)
      .where('at', '<=', since)
      .execute();
    // The use that must leave the window before one more fits: the (count - limit + 1)-th oldest.
    const uses = await trx
      .selectFrom('auth_failures')
      .select('at')
      .where('bucket', '=', rule.bucket)
      .where('key', '=', hashed)
      .where('at', '>', since)
      .orderBy('at')
      .execute();
    const blocking = uses[uses.length - rule.limit];
    if (uses.length >= rule.limit && blocking) {
      freeAt = Math.max(freeAt, new Date(blocking.at).getTime() + rule.windowMs);
    }
  }
  if (freeAt > 0) {
    return { ids: null, retryAfterSeconds: Math.max(1, Math.ceil((freeAt - now.getTime()) / 1000)) };
  }
  const ids: string[] = [];
  for (const { rule, key } of claims) ids.push(await recordAttempt(trx, rule.bucket, key, now));
  return { ids, retryAfterSeconds: null };
}
