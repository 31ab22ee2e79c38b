import type { FastifyBaseLogger } from 'fastify';
import type { MeView } from '../../common/api.ts';
import type { LoginInput } from '../../common/schemas.ts';
import type { AuthorizationLevel } from '../../common/enums.ts';
import { getOwnCompany, presentCompany } from '../companies/companies.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import {
  clearFailures,
  dropOldFailures,
  releaseAttempt,
  reserveAttempt,
  type ThrottleRule,
} from '../security/throttle.ts';
import { maskIdentifier } from '../security/tokens.ts';
import { getUser, presentUser } from '../users/users.ts';
import { abilitiesOf } from './abilities.ts';
import type { Actor } from './actor.ts';
import { verifyPassword } from './passwords.ts';
import { findActiveUserByEmail } from './queries.ts';
import { startSession } from './sessions.ts';

// Our numbers: an account is paused after 10 failures in 15 minutes, an address after 100.
export const loginThrottle = {
  account: { bucket: 'login_account', limit: 10, windowMs: 15 * 60_000 },
  ip: { bucket: 'login_ip', limit: 100, windowMs: 15 * 60_000 },
} satisfies Record<string, ThrottleRule>;

/**
 * Checks e-mail and password and starts a session. Unknown e-mail and wrong password give the same
 * error; repeated failures per account or per address are refused with 429 before any check (each
 * attempt counted before its check, so concurrent attempts cannot pass the limit together).
 */
export async function signIn(db: Db, config: Config, input: LoginInput, ip: string, log: FastifyBaseLogger) {
  const email = input.email.trim().toLowerCase();
  const security = { account: maskIdentifier(email), ip: maskIdentifier(ip) };
  // Each attempt is counted before the password is checked, so simultaneous attempts cannot pass the
  // limits together; a successful one takes its count back.
  const reserved: string[] = [];
  for (const [rule, key] of [
    [loginThrottle.account, email],
    [loginThrottle.ip, ip],
  ] as const) {
    const attempt = await reserveAttempt(db, rule, key);
    if (attempt.retryAfterSeconds !== null) {
      for (const id of reserved) await releaseAttempt(db, id);
      log.warn(
        { event: 'login_throttled', bucket: rule.bucket, ...security },
        'security: login rate limit hit',
      );
      throw new AppError('too_many_requests', undefined, { retryAfterSeconds: attempt.retryAfterSeconds });
    }
    reserved.push(attempt.id);
  }

  const user = await findActiveUserByEmail(db, email);
  const ok = await verifyPassword(user?.password_hash, input.password);
  if (!user || !ok) {
    await dropOldFailures(db);
    log.warn({ event: 'login_failed', ...security }, 'security: login failed');
    throw new AppError('invalid_credentials');
  }

  for (const id of reserved) await releaseAttempt(db, id);
  await clearFailures(db, loginThrottle.account.bucket, email);
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
