import type { FastifyBaseLogger } from 'fastify';
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import type { Db } from '../db/database.ts';
import { inTransaction, nowIso } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { enqueueMessage } from '../outbox/outbox.ts';
import { releaseAttempt, reserveAttempt, type ThrottleRule } from '../security/throttle.ts';
import { maskIdentifier, newId } from '../security/tokens.ts';
import {
  phoneHint,
  presentCustomerSession,
  startCustomerSession,
  type CustomerSession,
} from './customer-sessions.ts';
import { codeSms } from './messages.ts';
import {
  clearGrantCodeTries,
  deleteCustomerSession,
  findGrantCodeLock,
  findLiveCode,
  insertSmsCode,
  killLiveCodes,
  listCodesSince,
  lockAccessRow,
  lockGrantCodes,
  recordAccessIdentification,
  touchAccess,
  takeCodeTry,
  takeGrantCodeTry,
} from './queries.ts';

/**
 * The SMS security code of a customer session (spec §12, issue 15 item 9): sent to the phone on
 * record, checked once, its limits per grant; the right code replaces the session by one that may
 * see the case (customer-sessions.ts).
 */

/**
 * Our numbers (quality bar): 6 digits, 10 minutes, 5 wrong tries, resend 1/60 s, 5/hour and 10 per
 * 24 hours; 15 wrong codes in a row (three codes' worth, however many codes they were spread over)
 * lock the grant until staff send a new link.
 */
export const SMS_CODE = {
  digits: 6,
  validMs: 10 * 60_000,
  wrongTriesPerCode: 5,
  resendIntervalMs: 60_000,
  perHour: 5,
  perDay: 10,
  wrongCodesBeforeLock: 15,
};

/** At most 100 failed code checks per grant per hour (NIST 800-63B §5.2.2); then 429 until the window frees. */
export const codeFailureThrottle: ThrottleRule = {
  bucket: 'sms_code_access',
  limit: 100,
  windowMs: 3_600_000,
};

/** Refuses unless the session is waiting for its SMS code (423 when the grant is locked, else 409). */
async function requireCodeRequired(db: Db, session: CustomerSession, now: Date): Promise<string> {
  const view = await presentCustomerSession(session, now);
  if (view.reason === 'code_locked') throw new AppError('code_locked');
  // With BankID on, the code is the fallback while BankID is unavailable (customer-sessions.ts).
  const codeAllowed =
    view.state === 'code_required' || (view.state === 'bankid_required' && view.bankId?.smsFallback);
  if (!codeAllowed || !session.contact_phone) {
    throw new AppError(
      'conflict',
      view.state === 'ok' ? 'No security code is needed.' : 'The customer page is not available.',
    );
  }
  return session.contact_phone;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

const codeHash = (secret: string, codeId: string, code: string) =>
  createHmac('sha256', secret).update(`${codeId}:${code}`).digest('base64url');

/**
 * POST /api/customer/code/send: a new 6-digit code by SMS to the person's phone on record (any
 * earlier code stops working). At most one per minute, five per hour and ten per 24 hours per grant
 * (429 with the wait); none while the grant is locked by wrong codes (423 `code_locked`).
 */
export async function sendSecurityCode(
  db: Db,
  secret: string,
  session: CustomerSession,
  log: FastifyBaseLogger,
  now = new Date(),
): Promise<{ phoneHint: string; expiresInSeconds: number; resendAfterSeconds: number }> {
  const phone = await requireCodeRequired(db, session, now);
  const security = { access: maskIdentifier(session.access_id), phone: maskIdentifier(phone) };
  const code = String(randomInt(0, 10 ** SMS_CODE.digits)).padStart(SMS_CODE.digits, '0');
  const codeId = newId();
  await inTransaction(db, async (trx) => {
    // One sender at a time per grant: the limits below are checked and the code written under the lock.
    await lockAccessRow(trx, session.access_id);
    if (await findGrantCodeLock(trx, session.access_id)) {
      log.warn({ event: 'sms_code_locked', ...security }, 'security: SMS code refused, grant locked');
      throw new AppError('code_locked');
    }
    const day = await listCodesSince(trx, session.access_id, nowIso(new Date(now.getTime() - DAY_MS)));
    const hour = day.filter((sent) => now.getTime() - new Date(sent.created_at).getTime() < HOUR_MS);
    // Each limit gives the time its oldest counted code leaves the window; the longest wait applies.
    const freeAt = (codes: typeof day, limit: number, windowMs: number) =>
      codes.length >= limit
        ? new Date(codes[codes.length - limit]?.created_at ?? now).getTime() + windowMs
        : 0;
    const waitUntil = Math.max(
      freeAt(hour, 1, SMS_CODE.resendIntervalMs),
      freeAt(hour, SMS_CODE.perHour, HOUR_MS),
      freeAt(day, SMS_CODE.perDay, DAY_MS),
    );
    const retryAfterSeconds =
      waitUntil > now.getTime() ? Math.max(1, Math.ceil((waitUntil - now.getTime()) / 1000)) : null;
    if (retryAfterSeconds !== null) {
      log.warn({ event: 'sms_code_resend_limited', ...security }, 'security: SMS code resend limit hit');
      throw new AppError('too_many_requests', 'A new code can be sent later.', { retryAfterSeconds });
    }
    await killLiveCodes(trx, session.access_id);
    await insertSmsCode(trx, {
      id: codeId,
      access_id: session.access_id,
      code_hash: codeHash(secret, codeId, code),
      created_at: nowIso(now),
      expires_at: nowIso(new Date(now.getTime() + SMS_CODE.validMs)),
      used_at: null,
      wrong_attempts: 0,
      dead: 0,
    });
    await enqueueMessage(
      trx,
      {
        companyId: session.company_id,
        caseId: session.case_id,
        accessId: session.access_id,
        kind: 'sms_code',
        channel: 'sms',
        recipient: phone,
        senderName: session.company_name,
        bodyText: codeSms(session.company_name, SMS_CODE.validMs / 60_000),
        secret: code,
        idempotencyKey: `code:${codeId}`,
      },
      now,
    );
  });
  log.info({ event: 'sms_code_sent', ...security }, 'security: SMS code sent');
  return {
    phoneHint: phoneHint(phone),
    expiresInSeconds: SMS_CODE.validMs / 1000,
    resendAfterSeconds: SMS_CODE.resendIntervalMs / 1000,
  };
}

/**
 * POST /api/customer/code/verify {code}: the right code, within 10 minutes, once, ends this session
 * and starts a new one (new id) that may see the case. A wrong code counts against the code (dead
 * after 5), the grant's hourly failures (429 after 100 in an hour) and the grant's wrong codes in a
 * row (the 15th locks the grant: 423 `code_locked` until staff send a new link; a right code starts
 * the count again). Every outcome is a security event.
 */
export async function verifySecurityCode(
  db: Db,
  secret: string,
  session: CustomerSession,
  code: string,
  log: FastifyBaseLogger,
  now = new Date(),
): Promise<{ token: string; expiresAt: Date }> {
  await requireCodeRequired(db, session, now);
  const security = { access: maskIdentifier(session.access_id) };
  // The attempt counts against the grant's hourly limit before the code is compared (so concurrent
  // guesses cannot pass the limit together); the right code takes it back.
  const attempt = await reserveAttempt(db, codeFailureThrottle, session.access_id, now);
  if (attempt.retryAfterSeconds !== null) {
    log.warn({ event: 'sms_code_throttled', ...security }, 'security: SMS code rate limit hit');
    throw new AppError('too_many_requests', undefined, { retryAfterSeconds: attempt.retryAfterSeconds });
  }
  const fail = (reason: string, error: AppError) => {
    log.warn({ event: 'sms_code_failed', reason, ...security }, 'security: SMS code check failed');
    return error;
  };
  const expired = new AppError('code_expired');
  // A guess that raced the one locking the grant finds its code gone: it is told about the lock.
  const refuse = async (reason: string, error: AppError) =>
    (await findGrantCodeLock(db, session.access_id))
      ? fail('locked', new AppError('code_locked'))
      : fail(reason, error);
  const live = await findLiveCode(db, session.access_id);
  if (!live) throw await refuse('no_code', expired);
  if (new Date(live.expires_at) <= now) throw fail('expired', expired);

  // Take one of the code's tries before comparing: at most five comparisons per code, however many
  // requests arrive at once.
  const tried = await takeCodeTry(db, live.id, SMS_CODE.wrongTriesPerCode);
  if (!tried) {
    throw await refuse(
      'wrong_code_dead',
      new AppError('code_expired', 'Too many wrong tries. Ask for a new code.'),
    );
  }
  // And one of the grant's tries, in one statement too: however many guesses arrive at once, at most
  // `wrongCodesBeforeLock` are compared before the grant locks.
  const grantTry = await takeGrantCodeTry(db, session.access_id, SMS_CODE.wrongCodesBeforeLock);
  if (!grantTry) throw fail('locked', new AppError('code_locked'));
  const expected = Buffer.from(live.code_hash);
  const given = Buffer.from(codeHash(secret, live.id, code));
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    if (grantTry.wrong_codes >= SMS_CODE.wrongCodesBeforeLock) {
      await inTransaction(db, async (trx) => {
        await lockGrantCodes(trx, session.access_id, nowIso(now));
        await killLiveCodes(trx, session.access_id);
      });
      log.warn({ event: 'sms_code_lock', ...security }, 'security: grant locked after too many wrong codes');
      throw fail('wrong_code_locked', new AppError('code_locked'));
    }
    const wrong = tried.wrong_attempts;
    if (wrong >= SMS_CODE.wrongTriesPerCode) {
      await db.updateTable('sms_codes').set({ dead: 1 }).where('id', '=', live.id).execute();
      throw fail(
        'wrong_code_dead',
        new AppError('code_expired', 'Too many wrong tries. Ask for a new code.'),
      );
    }
    const left = SMS_CODE.wrongTriesPerCode - wrong;
    throw fail(
      'wrong_code',
      new AppError('code_wrong', `The code is wrong. ${left} ${left === 1 ? 'try' : 'tries'} left.`),
    );
  }
  await releaseAttempt(db, attempt.id);
  await clearGrantCodeTries(db, session.access_id);

  // Single use, even when two requests bring the right code at once.
  return inTransaction(db, async (trx) => {
    const used = await trx
      .updateTable('sms_codes')
      .set({ used_at: nowIso(now) })
      .where('id', '=', live.id)
      .where('used_at', 'is', null)
      .where('dead', '=', 0)
      .returning('id')
      .executeTakeFirst();
    if (!used) throw expired;
    await deleteCustomerSession(trx, session.id);
    const next = await startCustomerSession(
      trx,
      { id: session.access_id, company_id: session.company_id, case_id: session.case_id },
      { method: 'sms_code' },
      now,
    );
    await touchAccess(trx, session.access_id, nowIso(now));
    await recordAccessIdentification(
      trx,
      session.access_id,
      { method: 'sms_code', name: null, birthDate: null },
      nowIso(now),
    );
    log.info({ event: 'sms_code_verified', ...security }, 'security: SMS code accepted');
    return next;
  });
}
