import type { CustomerSessionView } from '../../common/contracts/customer-access-api.ts';
import { phoneKind } from '../../common/rules/phone.ts';
import { reachability } from '../../common/rules/visibility.ts';
import { loadCustomerPageSettings, settingsOfRow } from '../customer-page-config/settings.ts';
import type { Db } from '../db/database.ts';
import { inTransaction, nowIso } from '../db/database.ts';
import { hashToken, randomToken } from '../security/tokens.ts';
import { visibilityStateOf } from './access-rules.ts';
import {
  deleteCustomerSession,
  deleteExpiredCustomerSessions,
  deleteOldCodes,
  findAccessByTokenHash,
  findCustomerSession,
  insertCustomerSession,
  touchAccess,
  touchCustomerSession,
} from './queries.ts';

/**
 * Customer sessions (spec §12, quality bar "Customer-page access"). Opening a link exchanges its
 * token for a session bound to that person's grant and that case; the session's id is the SHA-256 of
 * a new random token kept only in the cookie. Every customer request re-checks the grant (removed →
 * the session is gone), the case (cancelled or past its days visible → unavailable, restored by
 * reopening) and, with the SMS security code on, that the code was entered in this session (the
 * code itself: customer-codes.ts).
 */

/** Our numbers: a customer session ends 12 h after the link was opened, or after 60 min unused. */
export const CUSTOMER_SESSION = { absoluteMs: 12 * 3_600_000, idleMs: 60 * 60_000, touchMs: 60_000 };

/** A customer request's session, with its grant, case and person. */
export type CustomerSession = NonNullable<Awaited<ReturnType<typeof findCustomerSession>>>;

/** Outcome of opening a link: a new session token, or why not (with the company when it is known). */
export type LinkExchange =
  | { ok: true; token: string; expiresAt: Date }
  | { ok: false; reason: 'link_invalid' | 'access_removed' | 'case_unavailable'; companyId: string | null };

/** Exchanges a link token for a session (the link itself stays valid until removed or expired). */
export async function openLink(db: Db, linkToken: string, now = new Date()): Promise<LinkExchange> {
  const access = await findAccessByTokenHash(db, hashToken(linkToken));
  if (!access) return { ok: false, reason: 'link_invalid', companyId: null };
  if (access.state !== 'active') return { ok: false, reason: 'access_removed', companyId: access.company_id };
  const settings = await loadCustomerPageSettings(db, access.company_id);
  if (!reachability(settings, visibilityStateOf(access), now).reachable) {
    return { ok: false, reason: 'case_unavailable', companyId: access.company_id };
  }
  const { token, expiresAt } = await startCustomerSession(db, access, null, now);
  // "Last used" (the staff access list) counts a visit that reached the case: with the SMS code or
  // BankID on, that is when the person is identified (customer-codes.ts, bankid-sign-in.ts), not
  // when the link is opened.
  if (!identificationRequired(settings)) await touchAccess(db, access.id, nowIso(now));
  return { ok: true, token, expiresAt };
}

/** How a session identified the customer: the SMS code, or BankID with what it verified. */
export type CustomerIdentity =
  { method: 'sms_code' } | { method: 'bankid'; name: string; birthDate: string | null };

/** Whether the company asks customers to identify after the link (SMS code or BankID). */
export const identificationRequired = (settings: { smsSecurityCode: boolean; bankIdSignIn: boolean }) =>
  settings.smsSecurityCode || settings.bankIdSignIn;

/** Whether a session identified its customer (the SMS code was entered, or BankID verified them). */
export const isIdentified = (session: { code_verified: number; identified_by: string | null }) =>
  session.code_verified === 1 || session.identified_by === 'bankid';

/**
 * Starts a session of a grant (identity: how it was identified, null for the link alone); returns
 * the cookie's token.
 */
export async function startCustomerSession(
  db: Db,
  access: { id: string; company_id: string; case_id: string },
  identity: CustomerIdentity | null,
  now: Date,
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomToken();
  const expiresAt = new Date(now.getTime() + CUSTOMER_SESSION.absoluteMs);
  await insertCustomerSession(db, {
    id: hashToken(token),
    access_id: access.id,
    company_id: access.company_id,
    case_id: access.case_id,
    created_at: nowIso(now),
    last_seen_at: nowIso(now),
    expires_at: nowIso(expiresAt),
    code_verified: identity?.method === 'sms_code' ? 1 : 0,
    identified_by: identity?.method ?? null,
    verified_name: identity?.method === 'bankid' ? identity.name : null,
    verified_birth_date: identity?.method === 'bankid' ? identity.birthDate : null,
    identified_at: identity ? nowIso(now) : null,
    bankid_problem: null,
  });
  return { token, expiresAt };
}

/** Why a browser has no case to show, kept for the page (with the company, for its contact text). */
export type RefusalNotice = { reason: 'access_removed' | 'case_unavailable'; companyId: string };

/**
 * The session of a cookie token, or null when unknown, expired, idle too long, or its grant was
 * removed.
 */
export async function resolveCustomerSession(
  db: Db,
  token: string,
  now = new Date(),
): Promise<CustomerSession | null> {
  return (await checkCustomerSession(db, token, now)).session;
}

/**
 * {@link resolveCustomerSession} with the reason a session of a removed grant ends: `notice` names
 * the company, so the page says "access removed" with its contact text (issue 16). Such a session
 * is left to the purge (removing a grant keeps its sessions), so every reload of an open page says
 * the same; an expired or idle session is deleted on sight.
 */
export async function checkCustomerSession(
  db: Db,
  token: string,
  now = new Date(),
): Promise<{ session: CustomerSession | null; notice: RefusalNotice | null }> {
  const id = hashToken(token);
  const session = await findCustomerSession(db, id);
  if (!session) return { session: null, notice: null };
  const idleFor = now.getTime() - new Date(session.last_seen_at).getTime();
  if (new Date(session.expires_at) <= now || idleFor >= CUSTOMER_SESSION.idleMs) {
    await deleteCustomerSession(db, id);
    return { session: null, notice: null };
  }
  if (session.access_state !== 'active') {
    return { session: null, notice: { reason: 'access_removed', companyId: session.company_id } };
  }
  if (idleFor > CUSTOMER_SESSION.touchMs) {
    // One commit for both (a durable commit is the costly part of a read's occasional write).
    const reachedCase =
      isIdentified(session) ||
      !identificationRequired(await loadCustomerPageSettings(db, session.company_id));
    await inTransaction(db, async (trx) => {
      await touchCustomerSession(trx, id, nowIso(now));
      if (reachedCase) await touchAccess(trx, session.access_id, nowIso(now));
    });
  }
  return { session, notice: null };
}

/** Ends a session server-side (logout). */
export const endCustomerSession = (db: Db, session: CustomerSession) => deleteCustomerSession(db, session.id);

/** "•• •• •5 67": the last three digits of a phone number, enough to recognise it. */
export function phoneHint(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return `•• •• •${digits.slice(-3, -2)} ${digits.slice(-2)}`;
}

/**
 * What the customer page may show for a session (see customerSessionView), from the session alone:
 * its lookup read the case's state and the company's settings with it.
 */
export function presentCustomerSession(session: CustomerSession, now = new Date()): CustomerSessionView {
  const settings = settingsOfRow(session.page_settings);
  const base = {
    company: { name: session.company_name },
    contactForMoreInfo: settings.contactForMoreInfo.trim() || null,
    claimNumber: null,
    phoneHint: null,
  };
  const state = visibilityStateOf({ ...session, created_at: session.case_created_at });
  if (!reachability(settings, state, now).reachable) {
    return { ...base, state: 'unavailable', reason: 'case_unavailable' };
  }
  if (settings.bankIdSignIn && !isIdentified(session)) {
    const problem =
      session.bankid_problem === 'unavailable' ? 'unavailable' : session.bankid_problem ? 'failed' : null;
    // The SMS code instead, only while BankID is unavailable, when the company allows it and the
    // person can receive it (customer-codes.ts accepts the code for exactly such a session).
    const smsFallback =
      problem === 'unavailable' &&
      settings.smsSecurityCode &&
      !session.code_locked_at &&
      session.contact_phone !== null &&
      phoneKind(session.contact_phone) === 'mobile';
    return {
      ...base,
      state: 'bankid_required',
      reason: null,
      phoneHint: smsFallback && session.contact_phone ? phoneHint(session.contact_phone) : null,
      bankId: { problem, smsFallback },
    };
  }
  if (settings.smsSecurityCode && !isIdentified(session)) {
    if (session.code_locked_at) return { ...base, state: 'unavailable', reason: 'code_locked' };
    // A landline cannot receive the code: the same as no number (checked only before the code).
    if (!session.contact_phone || phoneKind(session.contact_phone) !== 'mobile') {
      return { ...base, state: 'unavailable', reason: 'no_phone' };
    }
    return { ...base, state: 'code_required', reason: null, phoneHint: phoneHint(session.contact_phone) };
  }
  return { ...base, state: 'ok', reason: null, claimNumber: session.claim_number };
}

/** The answer without a session: unavailable, naming the company when a refused link told us which. */
export async function presentNoSession(db: Db, notice: RefusalNotice | null): Promise<CustomerSessionView> {
  const empty = { claimNumber: null, phoneHint: null, company: null, contactForMoreInfo: null };
  if (!notice) return { ...empty, state: 'unavailable', reason: 'link_invalid' };
  const company = await db
    .selectFrom('companies')
    .select('name')
    .where('id', '=', notice.companyId)
    .executeTakeFirst();
  if (!company) return { ...empty, state: 'unavailable', reason: 'link_invalid' };
  const settings = await loadCustomerPageSettings(db, notice.companyId);
  return {
    ...empty,
    state: 'unavailable',
    reason: notice.reason,
    company: { name: company.name },
    contactForMoreInfo: settings.contactForMoreInfo.trim() || null,
  };
}

/** Removes customer sessions that can no longer be used and codes older than a day; run periodically. */
export async function purgeCustomerSessions(db: Db, now = new Date()): Promise<void> {
  await deleteExpiredCustomerSessions(
    db,
    nowIso(now),
    nowIso(new Date(now.getTime() - CUSTOMER_SESSION.idleMs)),
  );
  await deleteOldCodes(db, nowIso(new Date(now.getTime() - 86_400_000)));
}
