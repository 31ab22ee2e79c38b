import type { Db } from '../db/database.ts';
import { STREAM_CAPS, type StreamGuard } from '../live/sse.ts';
import { presentCustomerSession, type CustomerSession } from './customer-sessions.ts';
import { findCustomerSession } from './queries.ts';

/**
 * The customer page's stream: capped per session and per address; it lives while the session does —
 * still stored, its grant active, not past its end, and the page still open to it (a cancelled case
 * or a page hidden by the settings ends it, as `GET /api/customer/session` would say).
 */
export function customerStreamGuard(db: Db, session: CustomerSession, ip: string): StreamGuard {
  return {
    kind: 'customer',
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
