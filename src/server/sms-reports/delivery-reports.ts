import { z } from 'zod';
import { singleLine } from '../../common/contracts/string-input.ts';
import type { Db } from '../db/database.ts';
import { nowIso } from '../db/database.ts';
import type { OutboxTable } from '../db/schema.ts';
import { AppError, notFound } from '../errors.ts';

/**
 * Delivery reports of the SMS provider (issue 18, part 5): the provider tells us, per idempotency key,
 * whether an SMS we handed it reached the phone. A report is stored on the message's outbox row
 * (`provider_status`, `provider_status_at`, `provider_error`) and shown to staff in the access dialog;
 * it never changes our own delivery state (`state` stays "handed to the provider").
 *
 * The order rule, so a late or repeated report never takes the state backwards:
 * - the newest report by its time (`at`, else when we received it) wins; a report no newer than the
 *   one stored is ignored (so a repeat of the same report changes nothing);
 * - `delivered` is final: the phone has the message, and no later `failed` (a late retry notice, one
 *   part of a long message) can take that back; a `failed` may be followed by a newer `delivered`
 *   (providers keep trying a phone that was off).
 */

export const providerStatuses = ['delivered', 'failed'] as const;
export type ProviderStatus = (typeof providerStatuses)[number];

/** How far ahead of our clock a report's `at` may be (the signature's tolerance, our number). */
const FUTURE_TOLERANCE_MS = 5 * 60_000;

/** The body of `POST /api/sms/delivery-reports`: one report per request. */
export const deliveryReportSchema = z.strictObject({
  idempotencyKey: singleLine().min(1).max(200),
  status: z.enum(providerStatuses),
  /** The provider's reason of a failure (shown to staff); ignored for `delivered`. */
  error: singleLine().max(300).optional(),
  /** When it happened at the provider (ISO 8601 with offset); default: when we receive the report. */
  at: z.iso.datetime({ offset: true }).optional(),
});
export type DeliveryReport = z.infer<typeof deliveryReportSchema>;

/** The answer: the message's provider state after the report, and whether this report changed it. */
export const deliveryReportView = z.object({
  idempotencyKey: z.string(),
  status: z.enum(providerStatuses),
  at: z.iso.datetime(),
  error: z.string().nullable(),
  applied: z.boolean(),
});
export type DeliveryReportView = z.infer<typeof deliveryReportView>;

/** What is stored of the provider's reports on one message. */
export interface StoredProviderStatus {
  status: ProviderStatus | null;
  /** ISO 8601 UTC (fixed width, so text order is time order). */
  at: string | null;
}

/** The order rule (above): whether a report at `at` (ISO UTC) replaces what is stored. */
export function reportApplies(
  stored: StoredProviderStatus,
  report: { status: ProviderStatus; at: string },
): boolean {
  if (stored.status === null || stored.at === null) return true;
  if (stored.status === 'delivered') return false;
  return report.at > stored.at;
}

/** Whether the message was ever handed to the SMS provider (a report before that cannot be true yet). */
const handedToProvider = (row: Pick<OutboxTable, 'channel' | 'attempts' | 'delivered_via'>) =>
  row.channel === 'sms' &&
  row.attempts > 0 &&
  (row.delivered_via === null || row.delivered_via === 'sms-webhook');

const findSms = (db: Db, idempotencyKey: string) =>
  db
    .selectFrom('outbox')
    .select([
      'id',
      'channel',
      'attempts',
      'delivered_via',
      'provider_status',
      'provider_status_at',
      'provider_error',
    ])
    .where('idempotency_key', '=', idempotencyKey)
    .where('channel', '=', 'sms')
    .executeTakeFirst();

type SmsRow = NonNullable<Awaited<ReturnType<typeof findSms>>>;

/** Writes the report only if the row still holds what was read (a concurrent report wins, then we look again). */
const updateIfUnchanged = (
  db: Db,
  row: SmsRow,
  values: Pick<OutboxTable, 'provider_status' | 'provider_status_at' | 'provider_error'>,
) =>
  db
    .updateTable('outbox')
    .set(values)
    .where('id', '=', row.id)
    .where('provider_status', row.provider_status === null ? 'is' : '=', row.provider_status)
    .where('provider_status_at', row.provider_status_at === null ? 'is' : '=', row.provider_status_at)
    .returning('id')
    .execute();

/**
 * Applies one delivery report (already authenticated by its signature): 404 for a key that is no SMS
 * of ours, 409 `sms_not_sent` while the message has not been handed to the provider (the provider
 * sends it again later), else the state after the order rule.
 */
export async function applyDeliveryReport(
  db: Db,
  report: DeliveryReport,
  now = new Date(),
): Promise<DeliveryReportView> {
  const at = report.at === undefined ? now : new Date(report.at);
  if (at.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) {
    throw new AppError('validation_failed', 'The report time `at` is in the future.', {
      fields: [
        { path: 'body.at', code: 'invalid', message: 'must not be more than 5 minutes in the future' },
      ],
    });
  }
  const next = {
    provider_status: report.status,
    provider_status_at: nowIso(at),
    provider_error: report.status === 'failed' ? (report.error ?? null) : null,
  };
  // A concurrent report of the same message changes the row between our read and our write at most
  // a few times; each retry reads the newer state and applies the rule to it.
  for (let round = 0; round < 5; round += 1) {
    const row = await findSms(db, report.idempotencyKey);
    if (!row) throw notFound('No SMS with this idempotency key.');
    if (!handedToProvider(row)) throw new AppError('sms_not_sent');
    const { provider_status: status, provider_status_at: storedAt, provider_error: error } = row;
    if (status !== null && storedAt !== null) {
      if (!reportApplies({ status, at: storedAt }, { status: report.status, at: next.provider_status_at })) {
        return { idempotencyKey: report.idempotencyKey, status, at: storedAt, error, applied: false };
      }
    }
    if ((await updateIfUnchanged(db, row, next)).length) {
      return {
        idempotencyKey: report.idempotencyKey,
        status: report.status,
        at: next.provider_status_at,
        error: next.provider_error,
        applied: true,
      };
    }
  }
  throw new AppError('conflict', 'Reports of this message keep changing; send the report again.');
}
