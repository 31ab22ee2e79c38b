import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../db/database.ts';
import { inTransaction, nowIso } from '../db/database.ts';
import type { Sealer } from '../outbox/sealing.ts';
import {
  beginOidcSignIn,
  completeOidcSignIn,
  OidcError,
  openPendingSignIn,
  pendingSignIn,
  sealPendingSignIn,
} from '../security/oidc-client.ts';
import { maskIdentifier } from '../security/tokens.ts';
import { BANKID_SCOPE, bankIdRedirectUri, loadBankIdClient } from './bankid-broker.ts';
import { presentCustomerSession, startCustomerSession, type CustomerSession } from './customer-sessions.ts';
import { deleteCustomerSession, recordAccessIdentification, touchAccess } from './queries.ts';

/**
 * A customer identifies with BankID (issue 18 part 2): after the link, the session waits in
 * `bankid_required`; the start route sends the browser to the company's broker (authorization code,
 * PKCE S256, state, nonce: security/oidc-client.ts), the callback redeems the code and, when every
 * check of the ID token passes, replaces the session by a new one (new id) holding the verified name
 * and birth date. The national identity number a broker may send (`nin`, `…:ssn`) is never read.
 * A failure leaves the session as it was, noted `failed` or `unavailable` for the page.
 */

/** The cookie's purpose is bound to the session that started: another browser session cannot finish it. */
const purposeOf = (session: { id: string }) => `customer-bankid:${session.id}`;

export interface BankIdFlowDeps {
  db: Db;
  sealer: Sealer;
  publicBaseUrl: string;
  production: boolean;
}

/** Plain http only for a loopback broker outside production (the tests' provider). */
function allowHttpFor(deps: BankIdFlowDeps, issuer: string): boolean {
  if (deps.production) return false;
  const { protocol, hostname } = new URL(issuer);
  return protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(hostname);
}

const setProblem = (db: Db, sessionId: string, problem: 'failed' | 'unavailable' | null) =>
  db.updateTable('customer_sessions').set({ bankid_problem: problem }).where('id', '=', sessionId).execute();

/** What the start route does: go to the broker (with the sealed pending cookie), or back to the page. */
export type BankIdStart = { kind: 'redirect'; url: URL; pendingCookie: string } | { kind: 'page' };

/**
 * GET /api/customer/bankid/start: the broker's authorization URL for a session that waits for BankID.
 * When the broker is not configured or does not answer, the session is noted `unavailable` and the
 * page says so (offering the SMS code when the company allows it).
 */
export async function startBankIdSignIn(
  deps: BankIdFlowDeps,
  session: CustomerSession,
  log: FastifyBaseLogger,
  now = new Date(),
): Promise<BankIdStart> {
  if (presentCustomerSession(session, now).state !== 'bankid_required') return { kind: 'page' };
  const security = { access: maskIdentifier(session.access_id) };
  const client = await loadBankIdClient(deps, session.company_id);
  if (!client) {
    log.warn({ event: 'bankid_unavailable', reason: 'not_configured', ...security }, 'BankID: no broker');
    await setProblem(deps.db, session.id, 'unavailable');
    return { kind: 'page' };
  }
  try {
    const { url, pending } = await beginOidcSignIn(client, {
      redirectUri: bankIdRedirectUri(deps.publicBaseUrl),
      allowHttp: allowHttpFor(deps, client.issuer),
      scope: BANKID_SCOPE,
    });
    await setProblem(deps.db, session.id, null);
    const record = pendingSignIn(
      pending,
      { purpose: purposeOf(session), companyId: session.company_id, returnTo: '/k/' },
      now,
    );
    log.info({ event: 'bankid_started', ...security }, 'security: BankID sign-in started');
    return { kind: 'redirect', url, pendingCookie: sealPendingSignIn(deps.sealer, record) };
  } catch (error) {
    if (!(error instanceof OidcError)) throw error;
    log.warn({ event: 'bankid_unavailable', reason: error.code, ...security }, 'BankID: broker unreachable');
    await setProblem(deps.db, session.id, 'unavailable');
    return { kind: 'page' };
  }
}

/** The callback's outcome: a new, identified session (its cookie token), or the page with its note. */
export type BankIdCompletion = { ok: true; token: string; expiresAt: Date } | { ok: false };

/**
 * GET /api/customer/bankid/callback: completes the sign-in of the browser's session. Refused (and
 * nothing verified) when the pending cookie is missing, expired, sealed for another session or
 * company, when the state, code, PKCE verifier or ID token (signature, iss, aud, exp, nonce) fail
 * openid-client's checks, or when the token names nobody.
 */
export async function completeBankIdSignIn(
  deps: BankIdFlowDeps,
  session: CustomerSession | null,
  sealedPending: string | undefined,
  callbackUrl: URL,
  log: FastifyBaseLogger,
  now = new Date(),
): Promise<BankIdCompletion> {
  if (!session) {
    log.warn({ event: 'bankid_failed', reason: 'no_session' }, 'security: BankID callback without a session');
    return { ok: false };
  }
  const security = { access: maskIdentifier(session.access_id) };
  const fail = async (reason: string, problem: 'failed' | 'unavailable' = 'failed') => {
    log.warn({ event: 'bankid_failed', reason, ...security }, 'security: BankID sign-in refused');
    await setProblem(deps.db, session.id, problem);
    return { ok: false } as const;
  };
  if (presentCustomerSession(session, now).state !== 'bankid_required') return { ok: false };
  const pending = openPendingSignIn(deps.sealer, sealedPending, purposeOf(session), now);
  if (!pending || pending.companyId !== session.company_id) return fail('session_mismatch');
  const client = await loadBankIdClient(deps, session.company_id);
  if (!client) return fail('not_configured', 'unavailable');
  let claims: Record<string, unknown>;
  try {
    ({ claims } = await completeOidcSignIn(
      client,
      { redirectUri: bankIdRedirectUri(deps.publicBaseUrl), allowHttp: allowHttpFor(deps, client.issuer) },
      callbackUrl,
      pending,
    ));
  } catch (error) {
    if (!(error instanceof OidcError)) throw error;
    return fail(error.code, error.code === 'oidc_unreachable' ? 'unavailable' : 'failed');
  }
  const identity = identityOf(claims);
  if (!identity) return fail('no_name');
  return inTransaction(deps.db, async (trx) => {
    // A new session id at identification (ASVS 7.2.4), as after the SMS code.
    await deleteCustomerSession(trx, session.id);
    const next = await startCustomerSession(
      trx,
      { id: session.access_id, company_id: session.company_id, case_id: session.case_id },
      { method: 'bankid', ...identity },
      now,
    );
    await touchAccess(trx, session.access_id, nowIso(now));
    await recordAccessIdentification(trx, session.access_id, { method: 'bankid', ...identity }, nowIso(now));
    log.info({ event: 'bankid_verified', ...security }, 'security: BankID identification accepted');
    return { ok: true, ...next };
  });
}

/**
 * The name and birth date of verified ID-token claims (OpenID Connect `name`, else `given_name` +
 * `family_name`; `birthdate` as YYYY-MM-DD). Nothing else is read: no national identity number.
 */
export function identityOf(
  claims: Record<string, unknown>,
): { name: string; birthDate: string | null } | null {
  const text = (value: unknown) => (typeof value === 'string' ? value.trim().slice(0, 200) : '');
  const name =
    text(claims.name) || [text(claims.given_name), text(claims.family_name)].filter(Boolean).join(' ');
  if (!name) return null;
  const birthDate = text(claims.birthdate);
  return { name, birthDate: /^\d{4}-\d{2}-\d{2}$/.test(birthDate) ? birthDate : null };
}
