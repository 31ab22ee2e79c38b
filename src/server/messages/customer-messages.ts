import type { CustomerMessage } from '../../common/rules/customer-page-model.ts';
import type { CustomerPageSettings } from '../../common/rules/customer-page-settings.ts';
import { customerVisibility } from '../../common/rules/visibility.ts';
import { changeCase } from '../case-commands/case-command.ts';
import type { EventActor } from '../case-events/case-events.ts';
import type { CustomerWriteLimits } from '../config.ts';
import { visibilityStateOf } from '../customer-access/access-rules.ts';
import type { CustomerSession } from '../customer-access/customer-sessions.ts';
import type { CasesTable } from '../db/schema.ts';
import { customerDocumentUrl as customerDownloadUrl } from '../documents/urls.ts';
import { AppError } from '../errors.ts';
import { customerCommunication, customerRefusal } from './communication.ts';
import { presentCustomerMessage } from './customer-presenter.ts';
import { giveBackMessageUse, refuseTooManyFiles, takeMessageUse } from './customer-write-limits.ts';
import { storeMessage, type MessageDeps, type MessageInput } from './message-intake.ts';
import { grantIsActive } from './queries.ts';
import { queueStaffNotice } from './send-notices.ts';

/** A customer's message from the customer page, within the communication method and the write limits. */

/** The sender of a customer's message: the person of the session's grant. */
export interface CustomerSender {
  accessId: string;
  name: string;
  email: string | null;
}

/** POST /api/customer/messages: a customer's message (when the communication method allows it). */
export async function postCustomerMessage(
  deps: MessageDeps,
  /** With write limits, `id` keys the per-session limit (left out: the person of the grant). */
  session: Pick<CustomerSession, 'company_id' | 'case_id'> & { id?: string },
  sender: CustomerSender,
  input: MessageInput,
  /** Given only by tests; otherwise taken once the case is locked. */
  now?: Date,
): Promise<CustomerMessage> {
  // Refused before any file is read; checked again on the locked case before anything is written.
  const { row: known, settings, visibility } = await customerCommunication(deps.db, session, now);
  const early = customerRefusal(visibility);
  if (early) throw early;
  const limits = deps.customerWriteLimits ?? null;
  // The limits come before any byte of the body is stored (see customer-write-limits.ts).
  const uses = limits
    ? await takeMessageUse(
        deps.db,
        limits,
        { id: session.id ?? sender.accessId, case_id: known.id },
        deps.securityLog,
        now,
      )
    : [];
  try {
    if (limits && input.kind === 'multipart') {
      await refuseTooManyFiles(deps.db, limits, known.id, null, deps.securityLog, now);
    }
    return await storeCustomerMessage(deps, known, settings, sender, input, limits, now);
  } catch (error) {
    await giveBackMessageUse(deps.db, uses);
    throw error;
  }
}

async function storeCustomerMessage(
  deps: MessageDeps,
  known: CasesTable,
  settings: CustomerPageSettings,
  sender: CustomerSender,
  input: MessageInput,
  limits: CustomerWriteLimits | null,
  now: Date | undefined,
): Promise<CustomerMessage> {
  const stamp: EventActor = { kind: 'customer', id: sender.accessId, name: sender.name };
  const stored = await storeMessage(deps, known, input, {
    direction: 'from_customer',
    urlOf: customerDownloadUrl,
    command: (run) =>
      changeCase(deps.db, { caseId: known.id, companyId: known.company_id, stamp: () => stamp, now }, run),
    authorOf: async ({ trx, row, now }) => {
      // The case may have been closed or cancelled, or the grant removed, since the session was checked.
      const refusal = customerRefusal(customerVisibility(settings, visibilityStateOf(row), now));
      if (refusal) throw refusal;
      if (!(await grantIsActive(trx, row.id, sender.accessId))) {
        throw new AppError('forbidden', 'The customer page is not available.');
      }
      return {
        sender: { kind: 'customer', id: sender.accessId, name: sender.name, email: sender.email },
        uploader: { kind: 'customer', id: sender.accessId, name: sender.name },
      };
    },
    refuseFiles: limits
      ? ({ trx, row, now }, adding) => refuseTooManyFiles(trx, limits, row.id, adding, deps.securityLog, now)
      : undefined,
    afterInsert: async ({ trx, row, now, event }, message, fileCount) => {
      await event('message_from_customer', { messageId: message.id, name: sender.name, files: fileCount });
      await queueStaffNotice(trx, row, message, fileCount > 0, now, settings.colors);
    },
  });
  return presentCustomerMessage(stored.message, stored.attachments, sender.accessId);
}
