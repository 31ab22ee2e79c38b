import { describe, expect, it } from 'vitest';
import { createSealer } from './sealing.ts';

describe('sealing', () => {
  it('opens what it sealed, and what another sealer of the same secret sealed (another process)', () => {
    const sealer = createSealer('a-secret-of-at-least-32-characters-0001');
    const sealed = sealer.seal('token-123');
    expect(sealed).not.toContain('token-123');
    expect(sealer.unseal(sealed)).toBe('token-123');
    expect(createSealer('a-secret-of-at-least-32-characters-0001').unseal(sealed)).toBe('token-123');
  });

  it('opens nothing tampered with, nor what another secret sealed', () => {
    const sealer = createSealer('a-secret-of-at-least-32-characters-0001');
    const sealed = sealer.seal('token-123');
    const [v, id, iv, body, tag] = sealed.split('.');
    const flipped = `${body!.startsWith('A') ? 'B' : 'A'}${body!.slice(1)}`;
    expect(sealer.unseal([v, id, iv, flipped, tag].join('.'))).toBeNull();
    expect(sealer.unseal('v1.unknownkey.a.b.c')).toBeNull();
    expect(createSealer('another-secret-of-at-least-32-characters').unseal(sealed)).toBeNull();
  });
});
