import { lockCase } from '../case-commands/case-command.ts';
import type { CustomerWriteLimits } from '../config.ts';
import type { Db } from '../db/database.ts';
import { inTransaction, nowIso } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { releaseAttempt, takeAllowance, type ThrottleRule } from '../security/throttle.ts';

/**
 * How fast a customer may write from the customer page (issue 15 item 4; the numbers and their
 * reasons are with CustomerWriteLimits in config.ts). Kept in the database, so every app process on
 * one PostgreSQL counts the same uses:
 *
 * - messages: a use per message under the session and under the case (`auth_failures` rows through
 *   throttle.ts), taken in a short transaction holding the case's row lock *before* the body is
 *   read, so of simultaneous posts exactly the allowed number go on and a refused post stores
 *   nothing; a post that fails later gives its uses back;
 * - files: counted from the case's documents the customers uploaded in the last hour — before the
 *   body is read (a case already at a limit), and with the message's own files inside its command,
 *   under the case lock (as the case quota is).
 *
 * Over a limit: 429 `too_many_requests` with Retry-After (seconds until the window has room).
 */

export const MESSAGE_SESSION_WINDOW_MS = 10 * 60_000;
export const MESSAGE_CASE_WINDOW_MS = 60 * 60_000;
export const FILE_CASE_WINDOW_MS = 60 * 60_000;

const sessionRule = (limits: CustomerWriteLimits): ThrottleRule => ({
  bucket: 'customer_message_session',
  limit: limits.messagesPerSession,
  windowMs: MESSAGE_SESSION_WINDOW_MS,
});

const caseRule = (limits: CustomerWriteLimits): ThrottleRule => ({
  bucket: 'customer_message_case',
  limit: limits.messagesPerCase,
  windowMs: MESSAGE_CASE_WINDOW_MS,
});

/** The refusal the customer page shows as "try again in N minutes". */
function rateLimited(what: 'messages' | 'files', retryAfterSeconds: number): AppError {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return new AppError(
    'too_many_requests',
    what === 'messages'
      ? `Many messages were sent in a short time. Try again in ${minutes} minute(s).`
      : `Many files were sent on this case in a short time. Try again in ${minutes} minute(s).`,
    { retryAfterSeconds },
  );
}

/** What the rate limiter reports when it refuses (a security event, quality bar). */
export interface LimitLog {
  warn: (details: object, message: string) => void;
}

/**
 * Takes one message's uses under the session and the case (429 when either is used up); returns
 * them for {@link giveBackMessageUse} when the message is refused later. Its own short transaction,
 * committed before the body is read, so concurrent posts of the case see it.
 */
export async function takeMessageUse(
  db: Db,
  limits: CustomerWriteLimits,
  session: { id: string; case_id: string },
  log?: LimitLog,
  now = new Date(),
): Promise<string[]> {
  const taken = await inTransaction(db, async (trx) => {
    // The lock every post of the case takes (SQLite: the IMMEDIATE transaction's write lock).
    await lockCase(trx, session.case_id);
    return takeAllowance(
      trx,
      [
        { rule: sessionRule(limits), key: session.id },
        { rule: caseRule(limits), key: session.case_id },
      ],
      now,
    );
  });
  if (taken.ids) return taken.ids;
  log?.warn({ event: 'customer_message_limited' }, 'security: customer message rate limit hit');
  throw rateLimited('messages', taken.retryAfterSeconds);
}

/** Gives back the uses of a message that was not written (refused, invalid, failed). */
export async function giveBackMessageUse(db: Db, ids: string[]): Promise<void> {
  for (const id of ids) await releaseAttempt(db, id);
}

/**
 * 429 when the customers' uploads to the case in the last hour leave no room: before the body is
 * read call it with `adding` null (refused when a limit is already reached); inside the message's
 * command with its files (refused when they would pass a limit).
 */
export async function refuseTooManyFiles(
  db: Db,
  limits: CustomerWriteLimits,
  caseId: string,
  adding: { files: number; bytes: number } | null,
  log?: LimitLog,
  now = new Date(),
): Promise<void> {
  const since = nowIso(new Date(now.getTime() - FILE_CASE_WINDOW_MS));
  const uploads = await db
    .selectFrom('documents')
    .select(['created_at', 'size_bytes'])
    .where('case_id', '=', caseId)
    .where('created_at', '>', since)
    .where('uploaded_by_kind', '=', 'customer')
    .orderBy('created_at')
    .execute();
  const fits = (from: number) => {
    const rest = uploads.slice(from);
    const bytes = rest.reduce((sum, upload) => sum + Number(upload.size_bytes), 0);
    return adding === null
      ? rest.length < limits.filesPerCase && bytes < limits.bytesPerCase
      : rest.length + adding.files <= limits.filesPerCase && bytes + adding.bytes <= limits.bytesPerCase;
  };
  if (fits(0)) return;
  // Room comes when enough of the oldest uploads have left the window.
  let from = 1;
  while (from < uploads.length && !fits(from)) from += 1;
  const leaving = uploads[from - 1];
  const freeAt = fits(from) && leaving ? new Date(leaving.created_at).getTime() + FILE_CASE_WINDOW_MS : 0;
  const retryAfterSeconds = Math.max(
    1,
    Math.ceil(freeAt > now.getTime() ? (freeAt - now.getTime()) / 1000 : FILE_CASE_WINDOW_MS / 1000),
  );
  log?.warn({ event: 'customer_upload_limited' }, 'security: customer upload rate limit hit');
  throw rateLimited('files', retryAfterSeconds);
}
