import { createHash } from 'node:crypto';
import * as oidc from 'openid-client';

/**
 * The relying-party side of OpenID Connect, shared by staff single sign-on (sso/) and customer
 * identification through a broker: authorization code flow with PKCE (S256), state and nonce, on
 * openid-client. Every check of the response (state, PKCE, the ID token's signature, iss, aud, exp,
 * nonce) is openid-client's; this module only maps its errors to four stable codes, caches discovery
 * and carries the per-sign-in secrets (state, nonce, code verifier) in a sealed cookie between the
 * redirect to the provider and the callback, so no server-side row is needed for a sign-in in progress.
 */

/** A provider as configured for one client (issuer URL, client id, client secret in clear). */
export interface OidcClientSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
}

/** The secrets of one sign-in in progress; they must come back, unchanged, to completeOidcSignIn. */
export interface OidcPending {
  state: string;
  nonce: string;
  codeVerifier: string;
}

/**
 * oidc_unreachable: discovery, the token or the key endpoint did not answer (in time);
 * oidc_state_mismatch: the callback's state is not the one this browser was sent with;
 * oidc_rejected: the provider refused (error in the callback, code already used or unknown, bad client);
 * oidc_invalid_token: the ID token failed a check (nonce, audience, issuer, expiry, signature).
 */
export type OidcErrorCode =
  'oidc_unreachable' | 'oidc_state_mismatch' | 'oidc_rejected' | 'oidc_invalid_token';

/** A failed OpenID Connect step, with a stable code; the message is for logs (it holds no token). */
export class OidcError extends Error {
  override name = 'OidcError';
  constructor(
    readonly code: OidcErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Options of both steps. `allowHttp`: true only outside production for a loopback issuer (tests). */
export interface OidcRequestOptions {
  redirectUri: string;
  allowHttp: boolean;
}

// Every call to a provider gives up after this long (openid-client counts in seconds).
const TIMEOUT_SECONDS = 5;
// Discovery documents and keys change rarely; a changed configuration gets a new cache key anyway.
const DISCOVERY_TTL_MS = 5 * 60_000;

const discoveries = new Map<string, { config: oidc.Configuration; expiresAt: number }>();

function cacheKey(settings: OidcClientSettings, allowHttp: boolean): string {
  const secret = createHash('sha256').update(settings.clientSecret).digest('base64url');
  return JSON.stringify([settings.issuer, settings.clientId, secret, allowHttp]);
}

/** The provider's configuration for this client, from discovery (cached a few minutes per issuer + client). */
async function configurationOf(
  settings: OidcClientSettings,
  allowHttp: boolean,
): Promise<oidc.Configuration> {
  const key = cacheKey(settings, allowHttp);
  const cached = discoveries.get(key);
  if (cached && cached.expiresAt > Date.now()) return cached.config;
  let issuer: URL;
  try {
    issuer = new URL(settings.issuer);
  } catch {
    throw new OidcError('oidc_unreachable', 'The issuer is not a URL.');
  }
  try {
    const config = await oidc.discovery(
      issuer,
      settings.clientId,
      { client_secret: settings.clientSecret },
      oidc.ClientSecretPost(settings.clientSecret),
      { timeout: TIMEOUT_SECONDS, ...(allowHttp && { execute: [oidc.allowInsecureRequests] }) },
    );
    config.timeout = TIMEOUT_SECONDS;
    discoveries.set(key, { config, expiresAt: Date.now() + DISCOVERY_TTL_MS });
    return config;
  } catch (error) {
    // Any failure of discovery means we cannot talk to this provider (down, wrong URL, not OIDC).
    throw new OidcError('oidc_unreachable', `Discovery failed: ${describe(error)}`);
  }
}

/** Forgets cached discovery documents (tests that restart a provider on the same issuer). */
export function clearOidcDiscoveryCache(): void {
  discoveries.clear();
}

/**
 * Step 1: the URL to send the browser to (authorization code, PKCE S256, fresh state and nonce), and
 * the secrets to keep until the callback (sealPendingSignIn).
 */
export async function beginOidcSignIn(
  settings: OidcClientSettings,
  opts: OidcRequestOptions & { scope: string; extraParams?: Record<string, string> },
): Promise<{ url: URL; pending: OidcPending }> {
  const config = await configurationOf(settings, opts.allowHttp);
  const pending: OidcPending = {
    state: oidc.randomState(),
    nonce: oidc.randomNonce(),
    codeVerifier: oidc.randomPKCECodeVerifier(),
  };
  const url = oidc.buildAuthorizationUrl(config, {
    ...opts.extraParams,
    redirect_uri: opts.redirectUri,
    response_type: 'code',
    scope: opts.scope,
    state: pending.state,
    nonce: pending.nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(pending.codeVerifier),
    code_challenge_method: 'S256',
  });
  return { url, pending };
}

/**
 * Step 2: checks the callback against `pending`, redeems the code (with the PKCE verifier) and
 * returns the ID token's verified claims. Throws OidcError.
 */
export async function completeOidcSignIn(
  settings: OidcClientSettings,
  opts: OidcRequestOptions,
  callbackUrl: URL,
  pending: OidcPending,
): Promise<{ claims: Record<string, unknown> }> {
  const config = await configurationOf(settings, opts.allowHttp);
  // openid-client takes the redirect_uri for the token request from the URL it is given.
  const current = new URL(opts.redirectUri);
  current.search = callbackUrl.search;
  try {
    const tokens = await oidc.authorizationCodeGrant(config, current, {
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      pkceCodeVerifier: pending.codeVerifier,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (!claims) throw new OidcError('oidc_invalid_token', 'No ID token in the token response.');
    return { claims: { ...claims } };
  } catch (error) {
    throw toOidcError(error);
  }
}

/** Maps openid-client's (and fetch's) errors to our codes. */
function toOidcError(error: unknown): OidcError {
  if (error instanceof OidcError) return error;
  if (error instanceof oidc.AuthorizationResponseError || error instanceof oidc.ResponseBodyError) {
    return new OidcError('oidc_rejected', `The provider refused: ${describe(error)}`);
  }
  if (error instanceof oidc.ClientError) {
    const cause = error.cause instanceof Error ? error.cause.message : '';
    if (error.code === 'OAUTH_INVALID_RESPONSE' && cause.includes('"state"')) {
      return new OidcError('oidc_state_mismatch', `State check failed: ${cause}`);
    }
    if (
      error.code === 'OAUTH_JWT_CLAIM_COMPARISON_FAILED' ||
      error.code === 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED' ||
      error.code === 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED' ||
      error.code === 'OAUTH_KEY_SELECTION_FAILED' ||
      error.code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED'
    ) {
      return new OidcError('oidc_invalid_token', `ID token check failed: ${describe(error)}`);
    }
    if (error.code === 'OAUTH_RESPONSE_IS_NOT_CONFORM' || error.code === 'OAUTH_RESPONSE_IS_NOT_JSON') {
      return new OidcError('oidc_unreachable', `The provider answered unexpectedly: ${describe(error)}`);
    }
    return new OidcError('oidc_invalid_token', `The response failed a check: ${describe(error)}`);
  }
  // fetch's network errors (TypeError "fetch failed") and the timeout's abort.
  return new OidcError('oidc_unreachable', `The provider did not answer: ${describe(error)}`);
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${typeof code === 'string' ? `${code}: ` : ''}${error.message}${cause}`;
}

// --- The sign-in in progress, carried in a sealed cookie -------------------------------------------

/**
 * What seals the cookie and the client secrets: the server's sealer (createSealer of
 * outbox/sealing.ts, AES-256-GCM under the session secret). Named by its shape here, so the
 * platform's security folder does not import the outbox folder (which imports security).
 */
export interface Sealer {
  seal(plain: string): string;
  unseal(sealed: string): string | null;
}

/** What the pending-sign-in cookie carries: the secrets plus what the callback needs to go on. */
export interface OidcPendingSignIn extends OidcPending {
  /** Which flow started it ('staff-sso', 'customer-bankid', …): a cookie of one flow is refused by another. */
  purpose: string;
  companyId: string;
  /** Where to send the browser afterwards (a path of ours, checked by the flow). */
  returnTo: string;
  /** Epoch milliseconds after which the cookie is refused. */
  expiresAt: number;
}

/** Longest time between the redirect to the provider and the callback. */
export const OIDC_PENDING_MAX_AGE_SECONDS = 10 * 60;

/** Name of the pending-sign-in cookie: `__Host-` prefixed when served over HTTPS. */
export const oidcPendingCookieName = (secure: boolean) => (secure ? '__Host-ks_oidc' : 'ks_oidc');

/**
 * Cookie options for the pending sign-in: httpOnly, SameSite=Lax (the provider's redirect back is a
 * top-level GET, which Lax lets through), path `/`, ≤ 10 minutes.
 */
export function oidcPendingCookieOptions(secure: boolean) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure,
    maxAge: OIDC_PENDING_MAX_AGE_SECONDS,
  };
}

/** Seals a pending sign-in for the cookie (AES-GCM under the session secret). */
export function sealPendingSignIn(sealer: Sealer, pending: OidcPendingSignIn): string {
  return sealer.seal(JSON.stringify(pending));
}

/**
 * The pending sign-in of a cookie, or null when it is missing, tampered with, sealed under another
 * secret, of another purpose or expired.
 */
export function openPendingSignIn(
  sealer: Sealer,
  sealed: string | undefined,
  purpose: string,
  now = new Date(),
): OidcPendingSignIn | null {
  if (!sealed) return null;
  const text = sealer.unseal(sealed);
  if (text === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isPendingSignIn(value)) return null;
  if (value.purpose !== purpose || value.expiresAt <= now.getTime()) return null;
  return value;
}

function isPendingSignIn(value: unknown): value is OidcPendingSignIn {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    ['state', 'nonce', 'codeVerifier', 'purpose', 'companyId', 'returnTo'].every(
      (name) => typeof v[name] === 'string',
    ) && typeof v.expiresAt === 'number'
  );
}

/** A new pending sign-in record expiring OIDC_PENDING_MAX_AGE_SECONDS from `now`. */
export function pendingSignIn(
  pending: OidcPending,
  details: { purpose: string; companyId: string; returnTo: string },
  now = new Date(),
): OidcPendingSignIn {
  return { ...pending, ...details, expiresAt: now.getTime() + OIDC_PENDING_MAX_AGE_SECONDS * 1000 };
}

// --- Client secrets at rest -----------------------------------------------------------------------

/** Seals a client secret for storage (same sealer: a database dump alone reveals no secret). */
export const sealClientSecret = (sealer: Sealer, secret: string): string => sealer.seal(secret);

/** The client secret in clear, or null when the session secret changed since it was stored. */
export const unsealClientSecret = (sealer: Sealer, sealed: string): string | null => sealer.unseal(sealed);
