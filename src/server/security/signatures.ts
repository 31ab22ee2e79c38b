import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signatures of the HTTP requests we send to other systems (outbound webhooks, the SMS provider) and
 * of the ones they send us (SMS delivery reports): HMAC-SHA256 with a shared secret over
 * `<timestamp>.<raw body>`, in the header `Kundeside-Signature: t=<unix seconds>,v1=<hex>`. The
 * timestamp is signed so a captured request cannot be replayed later; a receiver refuses one older
 * than the tolerance. Several `v1=` entries may be sent while a secret is being rotated; one match
 * is enough. How to verify: docs/integrations.md.
 */

/** The header's name. */
export const SIGNATURE_HEADER = 'Kundeside-Signature';

/** Our number: a signed request is accepted up to five minutes either side of the receiver's clock. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

const hmacHex = (secret: string, timestamp: number, body: string) =>
  createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');

/** The header value signing `body` (the exact bytes sent) at `now`. */
export function signatureHeader(secrets: string | readonly string[], body: string, now = new Date()): string {
  const timestamp = Math.floor(now.getTime() / 1000);
  const list = typeof secrets === 'string' ? [secrets] : secrets;
  return [`t=${timestamp}`, ...list.map((secret) => `v1=${hmacHex(secret, timestamp, body)}`)].join(',');
}

/** Why a signature was refused, or 'ok'. */
export type SignatureCheck = 'ok' | 'missing' | 'malformed' | 'stale' | 'mismatch';

/** Checks a received header against the raw body and our secret (constant-time comparison). */
export function verifySignature(
  secret: string,
  header: string | undefined,
  body: string,
  now = new Date(),
): SignatureCheck {
  if (!header) return 'missing';
  const parts = header.split(',').map((part) => part.trim().split('='));
  const timestamp = Number(parts.find(([key]) => key === 't')?.[1]);
  const signatures = parts.filter(([key, value]) => key === 'v1' && /^[0-9a-f]{64}$/.test(value ?? ''));
  if (!Number.isInteger(timestamp) || signatures.length === 0) return 'malformed';
  if (Math.abs(now.getTime() / 1000 - timestamp) > SIGNATURE_TOLERANCE_SECONDS) return 'stale';
  const expected = Buffer.from(hmacHex(secret, timestamp, body), 'hex');
  const match = signatures.some(([, value]) => timingSafeEqual(Buffer.from(value ?? '', 'hex'), expected));
  return match ? 'ok' : 'mismatch';
}
