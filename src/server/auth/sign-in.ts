import type { FastifyBaseLogger } from 'fastify';
import type { MeView } from '../../common/contracts/api.ts';
import type { LoginInput } from '../../common/contracts/schemas.ts';
import type { AuthorizationLevel } from '../../common/rules/enums.ts';
import { getOwnCompany, presentCompany } from '../companies/companies.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import {
  clearFailures,
  countAttempts,
  dropOldFailures,
  recordAttempt,
  releaseAttempt,
  type AttemptWindow,
} from '../security/throttle.ts';
import { maskIdentifier } from '../security/tokens.ts';
import { getUser, presentUser } from '../users/users.ts';
import { abilitiesOf } from './abilities.ts';
import type { Actor } from '../security/actor.ts';
import { verifyPassword } from '../security/passwords.ts';
import { findActiveUserByEmail, isPasswordSignInRefused } from './queries.ts';
import { startSession } from './sessions.ts';

// Our numbers, over 15 minutes. An address: 100 failures across accounts. An account from one
// address: 5 failures free, then a growing wait (2, 4, … 32 s after the last failure), then paused at
// 10 — or at 3 while the account has 10+ failures from all addresses together (it is being guessed).
// An address that has not been failing on the account is never refused for the account's sake, so
// nobody can lock a colleague out by guessing their password from elsewhere.
export const loginThrottle = {
  windowMs: 15 * 60_000,
  ip: { bucket: 'login_ip', limit: 100 },
  account: { bucket: 'login_account', underAttackAt: 10 },
  pair: { bucket: 'login_account_ip', limit: 10, limitUnderAttack: 3, freeFailures: 5 },
} as const;

/** Seconds to wait before the next attempt on the account from this address, or null to go ahead. */
function accountAddressWait(
  pair: AttemptWindow,
  account: AttemptWindow,
  now: Date,
): { seconds: number; reason: 'paused' | 'delay' } | null {
  const rule = loginThrottle.pair;
  const failures = pair.attempts - 1; // the attempt's own row left out
  const underAttack = account.attempts - 1 >= loginThrottle.account.underAttackAt;
  const untilMs = (at: Date | null, afterMs: number) => (at ? at.getTime() + afterMs - now.getTime() : 0);
  if (failures >= (underAttack ? rule.limitUnderAttack : rule.limit)) {
    return { seconds: secondsOf(untilMs(pair.oldest, loginThrottle.windowMs)), reason: 'paused' };
  }
  if (failures >= rule.freeFailures) {
    const waitMs = untilMs(pair.newestOther, 2 ** (failures - rule.freeFailures + 1) * 1000);
    if (waitMs > 0) return { seconds: secondsOf(waitMs), reason: 'delay' };
  }
  return null;
}

const secondsOf = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/**
 * Checks e-mail and password and starts a session. Unknown e-mail and wrong password give the same
 * error; repeated failures per address, and per account from one address, are refused with 429
 * before any check (loginThrottle). Each attempt is counted before its check, so simultaneous
 * attempts cannot pass the limits together; a successful one takes its count back.
 */
export async function signIn(db: Db, config: Config, input: LoginInput, ip: string, log: FastifyBaseLogger) {
  const email = input.email.trim().toLowerCase();
  const security = { account: maskIdentifier(email), ip: maskIdentifier(ip) };
  const pairKey = `${email}\n${ip}`;
  const now = new Date();
  const { windowMs } = loginThrottle;
  const reserved = {
    ip: await recordAttempt(db, loginThrottle.ip.bucket, ip, now),
    account: await recordAttempt(db, loginThrottle.account.bucket, email, now),
    pair: await recordAttempt(db, loginThrottle.pair.bucket, pairKey, now),
  };
  const release = async () => {
    for (const id of Object.values(reserved)) await releaseAttempt(db, id);
  };
  const byIp = await countAttempts(db, loginThrottle.ip.bucket, ip, windowMs, reserved.ip, now);
  const wait =
    byIp.attempts > loginThrottle.ip.limit
      ? {
          seconds: secondsOf((byIp.oldest?.getTime() ?? now.getTime()) + windowMs - now.getTime()),
          reason: 'address' as const,
        }
      : accountAddressWait(
          await countAttempts(db, loginThrottle.pair.bucket, pairKey, windowMs, reserved.pair, now),
          await countAttempts(db, loginThrottle.account.bucket, email, windowMs, reserved.account, now),
          now,
        );
  if (wait) {
    await release();
    log.warn(
      { event: 'login_throttled', reason: wait.reason, ...security },
      'security: login rate limit hit',
    );
    throw new AppError('too_many_requests', undefined, { retryAfterSeconds: wait.seconds });
  }

  const user = await findActiveUserByEmail(db, email);
  const ok = await verifyPassword(user?.password_hash, input.password);
  if (!user || !ok) {
    await dropOldFailures(db);
    log.warn({ event: 'login_failed', ...security }, 'security: login failed');
    throw new AppError('invalid_credentials');
  }

  // "SSO only" is told only after the password was right, so it reveals nothing about the address.
  if (await isPasswordSignInRefused(db, user.company_id)) {
    await release();
    log.warn(
      { event: 'login_refused_sso_only', userId: user.id },
      'security: password sign-in refused (SSO only)',
    );
    throw new AppError('sso_required');
  }

  // The account's own failures from elsewhere stay: a success here does not end an attack there.
  await release();
  await clearFailures(db, loginThrottle.pair.bucket, pairKey);
  const { token, sessionId, expiresAt } = await startSession(db, config, user);
  log.info({ event: 'login_succeeded', userId: user.id }, 'security: login succeeded');
  const actor: Actor = {
    kind: 'staff',
    userId: user.id,
    companyId: user.company_id,
    level: user.level as AuthorizationLevel,
    sessionId,
  };
  return { token, expiresAt, actor };
}

/** The /api/me view of an actor. */
export async function describeActor(db: Db, actor: Actor): Promise<MeView> {
  const company = presentCompany(await getOwnCompany(db, actor));
  return {
    user: actor.kind === 'staff' ? presentUser(await getUser(db, actor, actor.userId)) : null,
    apiKey: actor.kind === 'api_key' ? { id: actor.apiKeyId } : null,
    company,
    level: actor.level,
    abilities: abilitiesOf(actor),
  };
}
