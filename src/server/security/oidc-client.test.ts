import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestProvider, type TestProvider } from '../../../test/support/oidc-provider.ts';
import { createSealer } from '../outbox/sealing.ts';
import {
  beginOidcSignIn,
  completeOidcSignIn,
  OidcError,
  openPendingSignIn,
  pendingSignIn,
  sealPendingSignIn,
  type OidcClientSettings,
} from './oidc-client.ts';

const redirectUri = 'http://rp.test/callback';
const opts = { redirectUri, allowHttp: true };
let provider: TestProvider;
let settings: OidcClientSettings;

beforeAll(async () => {
  provider = await startTestProvider({
    clients: [
      { clientId: 'rp', clientSecret: 'rp-secret-rp-secret-rp-secret-00', redirectUris: [redirectUri] },
    ],
    accounts: [
      { id: 'kari', claims: { email: 'kari@example.no', email_verified: true, name: 'Kari Nordmann' } },
    ],
  });
  settings = { issuer: provider.issuer, clientId: 'rp', clientSecret: 'rp-secret-rp-secret-rp-secret-00' };
});
afterAll(() => provider.close());

async function codeFor(scope = 'openid email profile') {
  const begun = await beginOidcSignIn(settings, { ...opts, scope });
  return { ...begun, callback: await provider.signInAs(begun.url, 'kari') };
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable('should have failed'),
    (error: unknown) => (error instanceof OidcError ? error.code : error),
  );

describe('OpenID Connect client against a real provider', () => {
  it('signs in with code + PKCE S256 and returns the verified claims', async () => {
    const { url, pending, callback } = await codeFor();
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('state')).toBe(pending.state);
    expect(callback.searchParams.get('code')).toBeTruthy();
    const { claims } = await completeOidcSignIn(settings, opts, callback, pending);
    expect(claims).toMatchObject({ sub: 'kari', email: 'kari@example.no', email_verified: true, aud: 'rp' });
  });

  it('refuses a wrong state, a replayed code and a wrong nonce', async () => {
    const first = await codeFor();
    expect(
      await failure(completeOidcSignIn(settings, opts, first.callback, { ...first.pending, state: 'x' })),
    ).toBe('oidc_state_mismatch');
    const second = await codeFor();
    await completeOidcSignIn(settings, opts, second.callback, second.pending);
    expect(await failure(completeOidcSignIn(settings, opts, second.callback, second.pending))).toBe(
      'oidc_rejected',
    );
    const third = await codeFor();
    expect(
      await failure(completeOidcSignIn(settings, opts, third.callback, { ...third.pending, nonce: 'other' })),
    ).toBe('oidc_invalid_token');
  });

  it('refuses an ID token for another audience or already expired', async () => {
    for (const change of [
      (claims: Record<string, unknown>) => ({ ...claims, aud: 'another-client' }),
      (claims: Record<string, unknown>) => ({ ...claims, iat: 1_000_000, exp: 1_000_060 }),
    ]) {
      provider.setIdTokenTransform(change);
      const { callback, pending } = await codeFor();
      expect(await failure(completeOidcSignIn(settings, opts, callback, pending))).toBe('oidc_invalid_token');
    }
    provider.setIdTokenTransform(null);
  });

  it('reports an unreachable issuer', async () => {
    const gone = { ...settings, issuer: 'http://127.0.0.1:9' };
    expect(await failure(beginOidcSignIn(gone, { ...opts, scope: 'openid' }))).toBe('oidc_unreachable');
  });
});

describe('pending sign-in cookie', () => {
  const sealer = createSealer('a-secret-of-at-least-32-characters-0001');
  const pending = pendingSignIn(
    { state: 's', nonce: 'n', codeVerifier: 'v' },
    { purpose: 'staff-sso', companyId: 'c1', returnTo: '/' },
    new Date('2026-12-08T09:00:00Z'),
  );

  it('opens for its purpose within 10 minutes, and not otherwise', () => {
    const sealed = sealPendingSignIn(sealer, pending);
    expect(sealed).not.toContain('"nonce"');
    expect(openPendingSignIn(sealer, sealed, 'staff-sso', new Date('2026-12-08T09:09:00Z'))).toEqual(pending);
    expect(openPendingSignIn(sealer, sealed, 'staff-sso', new Date('2026-12-08T09:10:01Z'))).toBeNull();
    expect(openPendingSignIn(sealer, sealed, 'customer-bankid', new Date('2026-12-08T09:01:00Z'))).toBeNull();
    expect(
      openPendingSignIn(createSealer('another-secret-of-at-least-32-characters'), sealed, 'staff-sso'),
    ).toBeNull();
    expect(openPendingSignIn(sealer, undefined, 'staff-sso')).toBeNull();
  });
});
