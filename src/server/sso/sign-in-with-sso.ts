import type { FastifyBaseLogger } from 'fastify';
import type { SsoErrorCode } from '../../common/contracts/sso-api.ts';
import { startSession } from '../auth/sessions.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { createSealer } from '../outbox/sealing.ts';
import {
  beginOidcSignIn,
  completeOidcSignIn,
  OidcError,
  openPendingSignIn,
  pendingSignIn,
  sealPendingSignIn,
  type OidcErrorCode,
} from '../security/oidc-client.ts';
import { maskIdentifier } from '../security/tokens.ts';
import { findActiveCompanyUserByEmail } from './queries.ts';
import { allowHttpIssuer, ssoRedirectUri, ssoSettingsOf } from './sso-config.ts';

/** The purpose written into the pending-sign-in cookie: a customer flow's cookie is refused here. */
export const STAFF_SSO_PURPOSE = 'staff-sso';
const SCOPE = 'openid email profile';

/** A refused SSO sign-in: the browser goes back to the sign-in page with `code`. */
export class SsoFailure extends Error {
  override name = 'SsoFailure';
  constructor(
    readonly code: SsoErrorCode,
    /** The company the attempt was for, when known (the sign-in page offers its link again). */
    readonly companyId: string | null,
  ) {
    super(`single sign-on refused: ${code}`);
  }
}

const fromOidc: Record<OidcErrorCode, SsoErrorCode> = {
  oidc_unreachable: 'unreachable',
  oidc_state_mismatch: 'state_mismatch',
  oidc_rejected: 'rejected',
  oidc_invalid_token: 'invalid_token',
};

/**
 * Step 1: the company's provider's authorization URL and the sealed pending-sign-in cookie value
 * (state, nonce, PKCE verifier, company). Throws SsoFailure (not configured, provider unreachable).
 */
export async function beginStaffSso(
  db: Db,
  config: Config,
  companyId: string,
  log: FastifyBaseLogger,
): Promise<{ url: URL; cookie: string }> {
  const settings = await ssoSettingsOf(db, config, companyId, log);
  if ('problem' in settings) throw failure(log, settings.problem, companyId);
  try {
    const { url, pending } = await beginOidcSignIn(settings, {
      redirectUri: ssoRedirectUri(config),
      scope: SCOPE,
      allowHttp: allowHttpIssuer(config),
    });
    const record = pendingSignIn(pending, { purpose: STAFF_SSO_PURPOSE, companyId, returnTo: '/' });
    return { url, cookie: sealPendingSignIn(createSealer(config.sessionSecret), record) };
  } catch (error) {
    throw oidcFailure(log, error, companyId);
  }
}

/**
 * Step 2: completes the sign-in the cookie started, finds the user by the ID token's verified
 * e-mail among the ACTIVE users of THAT company only, and starts a normal staff session. Throws
 * SsoFailure for every refusal, after logging it (never a token or a code).
 */
export async function completeStaffSso(
  db: Db,
  config: Config,
  callbackUrl: URL,
  sealedPending: string | undefined,
  log: FastifyBaseLogger,
): Promise<{ token: string; expiresAt: Date; userId: string; companyId: string; returnTo: string }> {
  const pending = openPendingSignIn(createSealer(config.sessionSecret), sealedPending, STAFF_SSO_PURPOSE);
  if (!pending) throw failure(log, 'expired', null);
  const { companyId } = pending;
  const settings = await ssoSettingsOf(db, config, companyId, log);
  if ('problem' in settings) throw failure(log, settings.problem, companyId);
  let claims: Record<string, unknown>;
  try {
    ({ claims } = await completeOidcSignIn(
      settings,
      { redirectUri: ssoRedirectUri(config), allowHttp: allowHttpIssuer(config) },
      callbackUrl,
      pending,
    ));
  } catch (error) {
    throw oidcFailure(log, error, companyId);
  }
  const email = typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : '';
  // Some providers send the flag as a string; anything but true is "not verified".
  if (!email || (claims.email_verified !== true && claims.email_verified !== 'true')) {
    throw failure(log, 'email_unverified', companyId, email);
  }
  const user = await findActiveCompanyUserByEmail(db, companyId, email);
  if (!user) throw failure(log, 'unknown_user', companyId, email);
  const { token, expiresAt } = await startSession(db, config, user);
  log.info(
    { event: 'sso_login_succeeded', userId: user.id, companyId },
    'security: single sign-on succeeded',
  );
  return { token, expiresAt, userId: user.id, companyId, returnTo: pending.returnTo };
}

function oidcFailure(log: FastifyBaseLogger, error: unknown, companyId: string): SsoFailure {
  if (!(error instanceof OidcError)) throw error;
  // OidcError messages name the check that failed, never a token or a code.
  return failure(log, fromOidc[error.code], companyId, undefined, error.message);
}

function failure(
  log: FastifyBaseLogger,
  code: SsoErrorCode,
  companyId: string | null,
  email?: string,
  detail?: string,
): SsoFailure {
  log.warn(
    {
      event: 'sso_login_failed',
      reason: code,
      companyId,
      ...(email && { account: maskIdentifier(email) }),
      ...(detail && { detail }),
    },
    'security: single sign-on refused',
  );
  return new SsoFailure(code, companyId);
}
