import type { Actor } from '../auth/actor.ts';
import { isSessionLive } from '../auth/sessions.ts';
import type { Config } from '../config.ts';
import { findCustomerSession } from '../customer-access/queries.ts';
import { presentCustomerSession, type CustomerSession } from '../customer-access/customer-sessions.ts';
import type { Db } from '../db/database.ts';
import { STREAM_CAPS, type StreamGuard } from './sse.ts';

/**
 * The customer page's stream: capped per session and per address; it lives while the session does —
 * still stored, its grant active, not past its end, and the page still open to it (a cancelled case
 * or a page hidden by the settings ends it, as `GET /api/customer/session` would say).
 */
export function customerStreamGuard(db: Db, session: CustomerSession, ip: string): StreamGuard {
  return {
    caps: [
      { key: `customer_session:${session.id}`, limit: STREAM_CAPS.customerSession },
      { key: `customer_address:${ip}`, limit: STREAM_CAPS.customerAddress },
    ],
    async stillAllowed() {
      const now = new Date();
      const current = await findCustomerSession(db, session.id);
      if (!current || current.access_state !== 'active' || new Date(current.expires_at) <= now) return false;
      return presentCustomerSession(current, now).state === 'ok';
    },
  };
}

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
