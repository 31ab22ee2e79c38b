import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signatureHeader, verifySignature } from './signatures.ts';

const secret = 'whsec-test-0123456789abcdef';
const body = '{"type":"case.closed","caseId":"c1","note":"Ærlig talt: øre og å"}';
const now = new Date('2026-12-06T12:00:00Z');

describe('request signatures', () => {
  it('signs timestamp and body with HMAC-SHA256, as a receiver would recompute it', () => {
    const header = signatureHeader(secret, body, now);
    const t = Math.floor(now.getTime() / 1000);
    const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
    expect(header).toBe(`t=${t},v1=${expected}`);
    expect(verifySignature(secret, header, body, now)).toBe('ok');
  });

  it('refuses a changed body, another secret, a missing or malformed header', () => {
    const header = signatureHeader(secret, body, now);
    expect(verifySignature(secret, header, body.replace('c1', 'c2'), now)).toBe('mismatch');
    expect(verifySignature('another-secret', header, body, now)).toBe('mismatch');
    expect(verifySignature(secret, undefined, body, now)).toBe('missing');
    expect(verifySignature(secret, 'v1=abc', body, now)).toBe('malformed');
    expect(verifySignature(secret, 't=12,v1=zz', body, now)).toBe('malformed');
  });

  it('refuses a request signed more than five minutes away from our clock (replay)', () => {
    const header = signatureHeader(secret, body, now);
    expect(verifySignature(secret, header, body, new Date(now.getTime() + 299_000))).toBe('ok');
    expect(verifySignature(secret, header, body, new Date(now.getTime() + 301_000))).toBe('stale');
    expect(verifySignature(secret, header, body, new Date(now.getTime() - 301_000))).toBe('stale');
  });

  it('accepts any one of several signatures while a secret is rotated', () => {
    const header = signatureHeader(['old-secret', secret], body, now);
    expect(verifySignature(secret, header, body, now)).toBe('ok');
    expect(verifySignature('old-secret', header, body, now)).toBe('ok');
    expect(verifySignature('third', header, body, now)).toBe('mismatch');
  });
});
