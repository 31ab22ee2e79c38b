import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Sealing of the secrets an outbox message carries (a link token, an SMS code): only hashes of
 * tokens and codes are stored as such, so the copy a queued message needs until it is delivered is
 * kept encrypted (AES-256-GCM) under a key derived from the server secret (SESSION_SECRET, shared by
 * every process of an installation). A database dump alone reveals no working link or code.
 *
 * The key ring holds the configured key (set by buildApp and main.ts) and, when something is sealed
 * before any key was configured (the demo seed of a test harness), a key of this process only.
 * Sealed text names its key, so each message opens with the key it was sealed with.
 */

const keys = new Map<string, Buffer>();
let current: { id: string; key: Buffer } | null = null;

function addKey(key: Buffer): { id: string; key: Buffer } {
  const id = createHash('sha256').update(key).digest('base64url').slice(0, 10);
  keys.set(id, key);
  return { id, key };
}

/** Makes `secret` (the session secret) the sealing key of this process. */
export function useSealingSecret(secret: string): void {
  current = addKey(Buffer.from(hkdfSync('sha256', secret, 'kundeside', 'outbox-sealing-v1', 32)));
}

/** Encrypts `plain`; the result names the key it was sealed with. */
export function seal(plain: string): string {
  current ??= addKey(randomBytes(32));
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', current.key, iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return [
    'v1',
    current.id,
    iv.toString('base64url'),
    body.toString('base64url'),
    cipher.getAuthTag().toString('base64url'),
  ].join('.');
}

/** Decrypts sealed text, or null when no key of this process opens it (the secret was changed). */
export function unseal(sealed: string): string | null {
  const [version, id, iv, body, tag] = sealed.split('.');
  const key = id ? keys.get(id) : undefined;
  if (version !== 'v1' || !key || !iv || body === undefined || !tag) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    return null;
  }
}
