import type { Db } from '../db/database.ts';
import { nowIso } from '../db/database.ts';
import { hashToken, randomToken } from '../security/tokens.ts';

/**
 * THE place customer link tokens are minted: 256 random bits (43 base64url characters), of which only
 * the SHA-256 is stored; the token itself rides sealed in the outbox row that carries the link and is
 * put into the text when it is sent. A token has no expiry of its own: a grant's own token works while
 * the grant is active and no new link replaced it (customer_access.token_hash); a message notice's
 * token while the grant stays at the link version it was sent for (customer_link_tokens) —
 * queries.ts findAccessByTokenHash reads both.
 */

/** Characters of a minted token: 32 random bytes in base64url (SMS texts are fitted to it). */
export const LINK_TOKEN_LENGTH = 43;

/** A new link token and the hash to store in its place. */
export interface LinkToken {
  token: string;
  tokenHash: string;
}

/** Mints a link token; the caller stores `tokenHash` (a grant's own link) and queues `token`. */
export function mintLinkToken(): LinkToken {
  const token = randomToken(32);
  return { token, tokenHash: hashToken(token) };
}

/**
 * Mints the link token of a message notice and stores its hash for the grant's current link version,
 * in the caller's transaction; returns the token to queue.
 */
export async function mintNoticeLinkToken(
  trx: Db,
  access: { id: string; linkVersion: number },
  now: Date,
): Promise<string> {
  const { token, tokenHash } = mintLinkToken();
  await trx
    .insertInto('customer_link_tokens')
    .values({
      token_hash: tokenHash,
      access_id: access.id,
      link_version: access.linkVersion,
      created_at: nowIso(now),
    })
    .execute();
  return token;
}
