import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { STREAM_CAPS, type StreamGuard } from '../live/sse.ts';
import type { Actor } from '../security/actor.ts';
import { isSessionLive } from './sessions.ts';

/**
 * A staff stream — a case page's, or the staff app's own (`app`, GET /api/live): capped per user (or
 * API key), each kind on its own count; a session's stream lives while the session does (sign-out,
 * deactivation, idle or absolute end close it).
 */
export function staffStreamGuard(
  db: Db,
  config: Config,
  actor: Actor,
  stream: 'case' | 'app' = 'case',
): StreamGuard {
  const who = actor.kind === 'staff' ? `user:${actor.userId}` : `api_key:${actor.apiKeyId}`;
  const cap =
    stream === 'app'
      ? { key: `staff_app_${who}`, limit: STREAM_CAPS.staffApp }
      : { key: `staff_${who}`, limit: STREAM_CAPS.staffUser };
  return {
    kind: 'staff',
    caps: [cap],
    stillAllowed: async () => actor.kind !== 'staff' || isSessionLive(db, config, actor.sessionId),
  };
}
