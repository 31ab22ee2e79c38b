import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Sealing of the secrets an outbox message carries (a link token, an SMS code): only hashes of
 * tokens and codes are stored as such, so the copy a queued message needs until it is delivered is
 * kept encrypted (AES-256-GCM) under a key derived from the server secret (SESSION_SECRET, shared by
 * every process of an installation). A database dump alone reveals no working link or code.
 *
 * A sealer is a value built from the secret (the app's outbox holds one, outbox.ts): the key is
 * derived, never stored, so every process with the same secret opens what any of them sealed, and
 * nothing is kept in module state. Sealed text names its key, so text sealed under another secret
 * is refused rather than mis-read.
 */

export interface Sealer {
  /** Encrypts `plain`; the result names the key it was sealed with. */
  seal(plain: string): string;
  /** Decrypts sealed text, or null when this sealer's key does not open it (the secret was changed). */
  unseal(sealed: string): string | null;
}

/** The sealer of a server secret (the session secret). */
export function createSealer(secret: string): Sealer {
  const key = Buffer.from(hkdfSync('sha256', secret, 'kundeside', 'outbox-sealing-v1', 32));
  const keyId = createHash('sha256').update(key).digest('base64url').slice(0, 10);
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [
        'v1',
        keyId,
        iv.toString('base64url'),
        body.toString('base64url'),
        cipher.getAuthTag().toString('base64url'),
      ].join('.');
    },
    unseal(sealed) {
      const [version, id, iv, body, tag] = sealed.split('.');
      if (version !== 'v1' || id !== keyId || !iv || body === undefined || !tag) return null;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
          'utf8',
        );
      } catch {
        return null;
      }
    },
  };
}
