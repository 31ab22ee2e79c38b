import { createHash, randomBytes, randomUUID } from 'node:crypto';

/** A URL-safe random token of `bytes` random bytes (default 256 bits). */
export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');

/**
 * The stored form of a high-entropy token (session ids, API keys, later link tokens): SHA-256.
 * The tokens carry ≥ 128 random bits, so a fast hash is enough; a slow KDF is only for passwords.
 */
export const hashToken = (token: string): string => createHash('sha256').update(token).digest('base64url');

/** A new opaque id for a row. */
export const newId = (): string => randomUUID();

/** Masks an identifier for security logs: keeps enough to correlate, not enough to reuse. */
export function maskIdentifier(value: string): string {
  const at = value.indexOf('@');
  if (at > 0) return `${value.slice(0, 1)}***${value.slice(at)}`;
  return value.length <= 4 ? '***' : `${value.slice(0, 2)}***${value.slice(-2)}`;
}
