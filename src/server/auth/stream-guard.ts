import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { STREAM_CAPS, type StreamGuard } from '../live/sse.ts';
import type { Actor } from '../security/actor.ts';
import { isSessionLive } from './sessions.ts';

/**
 * A staff case page's stream: capped per user (or API key); a session's stream lives while the
 * session does (sign-out, deactivation, idle or absolute end close it).
 */
export function staffStreamGuard(db: Db, config: Config, actor: Actor): StreamGuard {
  const who = actor.kind === 'staff' ? `user:${actor.userId}` : `api_key:${actor.apiKeyId}`;
  return {
    caps: [{ key: `staff_${who}`, limit: STREAM_CAPS.staffUser }],
    stillAllowed: async () => actor.kind !== 'staff' || isSessionLive(db, config, actor.sessionId),
  };
}
