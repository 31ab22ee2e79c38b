import type { AuthorizationLevel } from '../../common/rules/enums.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { nowIso } from '../db/database.ts';
import { hashToken, randomToken } from '../security/tokens.ts';
import type { Actor } from '../security/actor.ts';
import {
  deleteExpiredSessions,
  deleteSession,
  findSessionWithUser,
  insertSession,
  touchSession,
} from './queries.ts';

// last_seen_at is written at most this often, so reads do not all become writes.
const TOUCH_INTERVAL_MS = 60_000;

/** Starts a server-side session and returns the token for the cookie (only its hash is stored). */
export async function startSession(
  db: Db,
  config: Config,
  user: { id: string; company_id: string },
  now = new Date(),
): Promise<{ token: string; sessionId: string; expiresAt: Date }> {
  const token = randomToken();
  const sessionId = hashToken(token);
  const expiresAt = new Date(now.getTime() + config.session.absoluteMs);
  await insertSession(db, {
    id: sessionId,
    user_id: user.id,
    company_id: user.company_id,
    created_at: nowIso(now),
    last_seen_at: nowIso(now),
    expires_at: nowIso(expiresAt),
  });
  return { token, sessionId, expiresAt };
}

/**
 * The actor of a session token, or null when the session is unknown, idle too long, past its
 * absolute lifetime or its user was deactivated. A dead session is deleted on sight.
 */
export async function resolveSession(
  db: Db,
  config: Config,
  token: string,
  now = new Date(),
): Promise<Actor | null> {
  const id = hashToken(token);
  const session = await findSessionWithUser(db, id);
  if (!session) return null;
  const idleSince = now.getTime() - new Date(session.last_seen_at).getTime();
  if (session.active !== 1 || new Date(session.expires_at) <= now || idleSince >= config.session.idleMs) {
    await deleteSession(db, id);
    return null;
  }
  if (idleSince > TOUCH_INTERVAL_MS) await touchSession(db, id, nowIso(now));
  return {
    kind: 'staff',
    userId: session.user_id,
    companyId: session.company_id,
    level: session.level as AuthorizationLevel,
    sessionId: id,
  };
}

/**
 * Whether a staff session can still be used (known, user active, within its idle and absolute
 * limits), without touching it: open event streams ask this on every heartbeat.
 */
export async function isSessionLive(db: Db, config: Config, sessionId: string, now = new Date()) {
  const session = await findSessionWithUser(db, sessionId);
  if (!session || session.active !== 1 || new Date(session.expires_at) <= now) return false;
  return now.getTime() - new Date(session.last_seen_at).getTime() < config.session.idleMs;
}

/** Ends a session server-side (logout). */
export const endSession = (db: Db, sessionId: string) => deleteSession(db, sessionId);

/** Removes sessions that can no longer be used; run periodically. */
export async function purgeExpiredSessions(db: Db, config: Config, now = new Date()): Promise<void> {
  await deleteExpiredSessions(db, nowIso(now), nowIso(new Date(now.getTime() - config.session.idleMs)));
}
