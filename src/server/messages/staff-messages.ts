import type {
  MarkAllReadView,
  MessageAttachmentView,
  MessageDeliveryView,
  MessageThreadView,
  MessageView,
  PostedMessageView,
} from '../../common/contracts/message-api.ts';
import type { PageRequest } from '../../common/contracts/paging.ts';
import { caseCommand } from '../case-commands/case-command.ts';
import { loadCase } from '../cases/access.ts';
import { casePolicy } from '../cases/policy.ts';
import { countUnreadFromCustomer } from '../cases/queries.ts';
import { loadCustomerPageSettings } from '../customer-page-config/settings.ts';
import type { Db } from '../db/database.ts';
import { nowIso } from '../db/database.ts';
import { fetchPage } from '../db/paging.ts';
import type { CaseMessagesTable } from '../db/schema.ts';
import { staffDownloadUrl } from '../documents/urls.ts';
import { authorize, type Actor } from '../security/actor.ts';
import { attachmentsByMessage } from './attachments.ts';
import { notAllowed, staffCanPost } from './communication.ts';
import { storeMessage, type MessageDeps, type MessageInput } from './message-intake.ts';
import {
  findActiveUser,
  markCaseNotificationsRead,
  markCustomerMessagesRead,
  markCustomerUploadsSeen,
  messagesOfCase,
} from './queries.ts';
import { queueCustomerNotices } from './send-notices.ts';

/** The staff side of the thread: the list, a staff message, "mark all read", and the staff presenter. */

/** GET /api/cases/:id/messages: one page of the thread for staff, newest first (page 1). */
export async function listCaseMessages(
  db: Db,
  actor: Actor,
  caseId: string,
  paging: PageRequest,
): Promise<MessageThreadView> {
  authorize(actor, casePolicy.read);
  const row = await loadCase(db, actor, caseId);
  const [settings, page, unread] = await Promise.all([
    loadCustomerPageSettings(db, row.company_id),
    fetchPage(messagesOfCase(db, row.id), paging, (message) => message),
    countUnreadFromCustomer(db, row.company_id, row.id),
  ]);
  const files = await attachmentsByMessage(db, page.items, staffDownloadUrl);
  return {
    ...page,
    items: page.items.map((message) => presentMessage(message, files.get(message.id) ?? [])),
    unreadFromCustomer: unread,
    communication: { method: settings.communicationMethod, staffCanPost: staffCanPost(settings) },
  };
}

/**
 * POST /api/cases/:id/messages: a staff message to the people with access, with who it reached
 * (`delivery`: the people with access and who was told by e-mail or SMS).
 */
export async function postStaffMessage(
  deps: MessageDeps,
  actor: Actor,
  caseId: string,
  input: MessageInput,
  /** Given only by tests; otherwise taken once the case is locked. */
  now?: Date,
): Promise<PostedMessageView> {
  authorize(actor, casePolicy.work);
  // 404 before the communication method's 403, and both before any file is read.
  const known = await loadCase(deps.db, actor, caseId);
  const settings = await loadCustomerPageSettings(deps.db, known.company_id);
  if (!staffCanPost(settings)) {
    throw notAllowed(
      settings.showCommunication === 'never'
        ? 'The customer page does not show communication, so customers could not read this message.'
        : 'The communication method is "only from the customer": staff cannot write to the customer.',
    );
  }
  let delivery: MessageDeliveryView = { peopleWithAccess: 0, customerCanRead: false, notified: [] };
  const stored = await storeMessage(deps, known, input, {
    direction: 'to_customer',
    urlOf: staffDownloadUrl,
    command: (run) => caseCommand(deps.db, actor, known.id, casePolicy.work, run, now),
    authorOf: async ({ trx, row, stamp }) => {
      const email =
        actor.kind === 'staff'
          ? ((await findActiveUser(trx, row.company_id, actor.userId))?.email ?? null)
          : null;
      return {
        sender: {
          kind: stamp.kind === 'api_key' ? 'api_key' : 'user',
          id: stamp.id ?? '',
          name: stamp.name ?? '',
          email,
        },
        uploader: { kind: 'staff', id: stamp.id, name: stamp.name },
      };
    },
    afterInsert: async ({ trx, row, now, event }, message, fileCount) => {
      await event('message_to_customer', { messageId: message.id, files: fileCount });
      delivery = await queueCustomerNotices(trx, row, settings, message, now);
    },
  });
  return { ...presentMessage(stored.message, stored.attachments), delivery };
}

/**
 * POST /api/cases/:id/messages/mark-all-read: clears arrow, banner and dashboard count; logged.
 * Marking again finds nothing unread: no event, no signal.
 */
export async function markAllMessagesRead(
  deps: MessageDeps,
  actor: Actor,
  caseId: string,
  /** Given only by tests; otherwise taken once the case is locked. */
  now?: Date,
): Promise<MarkAllReadView> {
  const marked = await caseCommand(
    deps.db,
    actor,
    caseId,
    casePolicy.work,
    async ({ trx, row, now, event, signal }) => {
      const count = await markCustomerMessagesRead(trx, row.company_id, row.id, nowIso(now));
      await markCustomerUploadsSeen(trx, row.id, nowIso(now));
      await markCaseNotificationsRead(trx, row.id, nowIso(now));
      if (count > 0) {
        await event('customer_messages_read', { count });
        signal('messages');
      }
      return count;
    },
    now,
  );
  return { marked };
}

/** A message as staff see it (the staff presenter). */
function presentMessage(row: CaseMessagesTable, attachments: MessageAttachmentView[]): MessageView {
  return {
    id: row.id,
    caseId: row.case_id,
    direction: row.direction,
    sender: { kind: row.sender_kind, name: row.sender_name, email: row.sender_email },
    body: row.body,
    attachments,
    createdAt: row.created_at,
    readAt: row.read_at,
  };
}
