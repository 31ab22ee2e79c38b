import { createHash, randomBytes } from 'node:crypto';

/** A URL-safe random token of `bytes` random bytes (default 256 bits). */
export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');

/**
 * The stored form of a high-entropy token (session ids, API keys, later link tokens): SHA-256.
 * The tokens carry ≥ 128 random bits, so a fast hash is enough; a slow KDF is only for passwords.
 */
export const hashToken = (token: string): string => createHash('sha256').update(token).digest('base64url');

let lastMs = 0;
let counter = 0;

/**
 * A new opaque row id that sorts in creation order: a UUIDv7 (RFC 9562) whose 12-bit rand_a field
 * counts within the millisecond, so ids made by this process strictly increase. Lists ordered by
 * (time, id) then keep insertion order when several rows share a millisecond (a case's contacts,
 * the events of one change). 62 random bits keep ids unguessable enough for row ids (never secrets).
 */
export function newId(): string {
  let ms = Date.now();
  if (ms > lastMs) {
    counter = 0;
  } else {
    ms = lastMs;
    counter += 1;
    if (counter > 0xfff) {
      ms += 1;
      counter = 0;
    }
  }
  lastMs = ms;
  const bytes = randomBytes(16);
  bytes.writeUIntBE(ms, 0, 6);
  bytes[6] = 0x70 | (counter >> 8);
  bytes[7] = counter & 0xff;
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Masks an identifier for security logs: keeps enough to correlate, not enough to reuse. */
export function maskIdentifier(value: string): string {
  const at = value.indexOf('@');
  if (at > 0) return `${value.slice(0, 1)}***${value.slice(at)}`;
  return value.length <= 4 ? '***' : `${value.slice(0, 2)}***${value.slice(-2)}`;
}
