import type {
  MarkAllReadView,
  MessageAttachmentView,
  MessageThreadView,
  MessageView,
} from '../../common/message-api.ts';
import { MAX_MESSAGE_FILES, postMessageBody, postMessageFields } from '../../common/message-api.ts';
import type { CustomerMessage } from '../../common/customer-page-model.ts';
import type { CustomerPageSettings } from '../../common/customer-page-settings.ts';
import type { PageRequest } from '../../common/paging.ts';
import { customerVisibility, type CustomerVisibility } from '../../common/visibility.ts';
import { authorize, type Actor } from '../auth/actor.ts';
import { caseCommand, changeCase, type CaseCommandContext } from '../case-commands/case-command.ts';
import type { EventActor } from '../case-events/case-events.ts';
import { loadCase } from '../cases/access.ts';
import { casePolicy } from '../cases/policy.ts';
import { findCase } from '../cases/queries.ts';
import { findCompany } from '../companies/queries.ts';
import { visibilityStateOf } from '../customer-access/customer-access.ts';
import { customerDocumentUrl as customerDownloadUrl } from '../customer-page/urls.ts';
import type { CustomerSession } from '../customer-access/customer-sessions.ts';
import { linkLength } from '../customer-access/messages.ts';
import { loadCustomerPageSettings } from '../customer-page-config/customer-page-config.ts';
import type { Db } from '../db/database.ts';
import { nowIso } from '../db/database.ts';
import { fetchPage } from '../db/paging.ts';
import type { CaseMessagesTable, CasesTable } from '../db/schema.ts';
import {
  acceptedTypesOf,
  commitFiles,
  discardFiles,
  documentRow,
  receiveFiles,
  refuseFullCase,
  type DocumentDeps,
  type ReceivedFile,
  type UploadPart,
  type Uploader,
} from '../documents/documents.ts';
import { documentAllowList } from '../documents/file-types.ts';
import { insertDocument } from '../documents/queries.ts';
import { AppError, notFound } from '../errors.ts';
import { configuredBaseUrl, enqueueMessage } from '../outbox/outbox.ts';
import { hashToken, newId, randomToken } from '../security/tokens.ts';
import type { CustomerWriteLimits } from '../config.ts';
import {
  giveBackMessageUse,
  refuseTooManyFiles,
  takeMessageUse,
  type LimitLog,
} from './customer-write-limits.ts';
import {
  customerNoticeEmail,
  customerNoticeSms,
  handlerWasNoticedLately,
  staffNoticeEmail,
} from './notices.ts';
import {
  countUnreadFromCustomer,
  findActiveUser,
  grantIsActive,
  insertAttachments,
  insertLinkToken,
  insertMessage,
  insertNotification,
  listActiveAccessWithContacts,
  listAttachmentsOf,
  listMessagesOfCase,
  messagesOfCase,
  markCaseNotificationsRead,
  markCustomerMessagesRead,
  markCustomerUploadsSeen,
} from './queries.ts';

/**
 * Customer communication (spec §10, issue 7): one thread per case between the company and the people
 * with access to its customer page.
 *
 * - The communication method is enforced here, for both sides, from the same settings the customer
 *   page reads: `both_ways`; `to_customer` (customers read, cannot write); `from_customer` (customers
 *   write and see only their own messages; staff cannot write). With communication hidden
 *   (`showCommunication: never`) nobody writes.
 * - A message is text (≤ 5000 characters) and/or up to 10 files; the files follow the document
 *   library's rules (size per file and case, type sniffed from the bytes, generated names) and land in
 *   the case's document library too. A refused message leaves nothing: no row, no file.
 * - The message, its documents, its log events and every notification it causes are one command of
 *   the case (case-command.ts): the guards (the case's quota, the customer's right to write) read the
 *   locked case; notifications go through the outbox (one per person and channel, by idempotency
 *   key); after the commit the files are kept and a live signal tells open pages to fetch again.
 * - A customer's message is unread for staff until "Mark all messages as read": it counts on the
 *   dashboard, shows the banner, and notifies the case handler (notification list and e-mail).
 */

/**
 * What the message services need: the database and the file storage of the document library; for
 * customers' messages the write limits (null or left out: none) and where a refusal is logged.
 */
export type MessageDeps = DocumentDeps & {
  customerWriteLimits?: CustomerWriteLimits | null;
  securityLog?: LimitLog;
};

/** What a message route received: a JSON body, or multipart parts (`body` field, `files`). */
export type MessageInput =
  { kind: 'json'; body: unknown } | { kind: 'multipart'; parts: AsyncIterable<UploadPart> };

/** A message was refused because of the communication method (or hidden communication). */
const notAllowed = (message: string) => new AppError('communication_not_allowed', message);

/** Whether staff may write to the customer under these settings. */
export const staffCanPost = (settings: CustomerPageSettings) =>
  settings.showCommunication !== 'never' && settings.communicationMethod !== 'from_customer';

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

/** POST /api/cases/:id/messages: a staff message to the people with access. */
export async function postStaffMessage(
  deps: MessageDeps,
  actor: Actor,
  caseId: string,
  input: MessageInput,
  /** Given only by tests; otherwise taken once the case is locked. */
  now?: Date,
): Promise<MessageView> {
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
      await queueCustomerNotices(trx, row, settings, message, now);
    },
  });
  return presentMessage(stored.message, stored.attachments);
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

/** The customer page's view of the communication rules for a session's case at `now`. */
export async function customerCommunication(
  db: Db,
  session: Pick<CustomerSession, 'company_id' | 'case_id'>,
  now = new Date(),
): Promise<{ row: CasesTable; settings: CustomerPageSettings; visibility: CustomerVisibility }> {
  const row = await findCase(db, session.case_id);
  if (!row || row.company_id !== session.company_id) throw notFound();
  const settings = await loadCustomerPageSettings(db, row.company_id);
  return { row, settings, visibility: customerVisibility(settings, visibilityStateOf(row), now) };
}

/** The sender of a customer's message: the person of the session's grant. */
export interface CustomerSender {
  accessId: string;
  name: string;
  email: string | null;
}

/** The refusal of a customer's message under these rules (none when the customer may write). */
function customerRefusal(visibility: CustomerVisibility): AppError | null {
  if (visibility.communication.customerCanPost) return null;
  return notAllowed(
    visibility.tabs.communication
      ? 'Messages cannot be sent from the customer page of this case; you can read the messages here.'
      : 'Messages cannot be sent from the customer page of this case.',
  );
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
      await queueStaffNotice(trx, row, message, fileCount > 0, now);
    },
  });
  return presentCustomerMessage(stored.message, stored.attachments, sender.accessId);
}

/**
 * The thread as the customer of `accessId` sees it, newest first: every message while the method lets
 * customers read, only their own with "only from the customer", none while communication is hidden.
 */
export async function listCustomerMessages(
  db: Db,
  caseId: string,
  accessId: string,
  communication: CustomerVisibility['communication'],
): Promise<CustomerMessage[]> {
  if (!communication.customerCanRead && !communication.onlyOwnMessages) return [];
  const rows = await listMessagesOfCase(db, caseId, communication.onlyOwnMessages ? accessId : undefined);
  const files = await attachmentsByMessage(db, rows, customerDownloadUrl);
  return rows.map((row) => presentCustomerMessage(row, files.get(row.id) ?? [], accessId));
}

/** A message as the customer page shows it (the sender's e-mail address, else their name). */
export function presentCustomerMessage(
  row: CaseMessagesTable,
  attachments: MessageAttachmentView[],
  accessId: string,
): CustomerMessage {
  return {
    id: row.id,
    sentAt: row.created_at,
    senderEmail: row.sender_email ?? row.sender_name,
    fromCustomer: row.direction === 'from_customer',
    own: row.sender_kind === 'customer' && row.sender_id === accessId,
    text: row.body,
    attachments: attachments.map((file) => ({ id: file.id, name: file.fileName, url: file.url })),
  };
}

/** Who writes a message: the sender as the thread shows them, and the uploader of its files. */
interface Author {
  sender: { kind: CaseMessagesTable['sender_kind']; id: string; name: string; email: string | null };
  uploader: Uploader;
}

interface StoreOptions {
  direction: CaseMessagesTable['direction'];
  /** Download path of an attachment for the sender's audience. */
  urlOf: (documentId: string) => string;
  /** Runs the write as a command of the case, for the sender (staff: caseCommand; a customer: changeCase). */
  command: <T>(run: (command: CaseCommandContext) => Promise<T>) => Promise<T>;
  /** The author, read (and for a customer: checked) inside the command, before anything is written. */
  authorOf: (command: CaseCommandContext) => Promise<Author>;
  /** A further check of the files inside the command, after the case quota's (a customer's upload rate). */
  refuseFiles?: (command: CaseCommandContext, adding: { files: number; bytes: number }) => Promise<void>;
  /** The message's own events and notifications, inside its command. */
  afterInsert: (command: CaseCommandContext, message: CaseMessagesTable, fileCount: number) => Promise<void>;
}

/**
 * Reads the input, checks text and files, and writes the message, its documents and whatever
 * `afterInsert` adds as one command of the case; the files are kept only once it has committed. On
 * any refusal the received files are deleted again.
 */
async function storeMessage(
  deps: MessageDeps,
  known: Pick<CasesTable, 'id' | 'company_id'>,
  input: MessageInput,
  options: StoreOptions,
): Promise<{ message: CaseMessagesTable; attachments: MessageAttachmentView[] }> {
  let body: string;
  let files: ReceivedFile[] = [];
  if (input.kind === 'json') {
    body = parseFields(postMessageBody, input.body).body;
  } else {
    // A full case is refused before the files' bytes are read (and with their size under the lock);
    // a customer's files also against the customers' share of the case.
    await refuseFullCase(deps.db, known.id, {
      by: options.direction === 'from_customer' ? 'customer' : 'staff',
    });
    const received = await receiveFiles(deps, known.company_id, input.parts, {
      fields: ['body'],
      fileField: 'files',
      maxFiles: MAX_MESSAGE_FILES,
    });
    files = received.files;
    try {
      body = parseFields(postMessageFields, received.fields).body ?? '';
    } catch (error) {
      await discardFiles(deps, files);
      throw error;
    }
  }
  try {
    if (body.trim() === '' && files.length === 0) {
      throw new AppError('validation_failed', 'Write a message or attach a file.', {
        fields: [{ path: 'body.body', message: 'write a message or attach a file' }],
      });
    }
    const types = await acceptedTypesOf(deps, files, documentAllowList);
    const { message, documents } = await options.command(async (command) => {
      const { trx, row, now, event } = command;
      const { sender, uploader } = await options.authorOf(command);
      if (files.length) {
        const bytes = files.reduce((sum, file) => sum + file.facts.sizeBytes, 0);
        await refuseFullCase(trx, row.id, { adding: bytes, by: uploader.kind });
        await options.refuseFiles?.(command, { files: files.length, bytes });
      }
      const message: CaseMessagesTable = {
        id: newId(),
        company_id: row.company_id,
        case_id: row.id,
        direction: options.direction,
        sender_kind: sender.kind,
        sender_id: sender.id,
        sender_name: sender.name,
        sender_email: sender.email,
        body,
        created_at: nowIso(now),
        read_at: null,
      };
      const documents = files.map((file, index) =>
        documentRow(row, file, types[index]!, { kind: 'other', taskId: null, uploader }, now),
      );
      await insertMessage(trx, message);
      for (const document of documents) {
        await insertDocument(trx, document);
        await event('document_uploaded', {
          documentId: document.id,
          fileName: document.file_name,
          kind: document.kind,
        });
      }
      await insertAttachments(
        trx,
        documents.map((document, position) => ({
          document_id: document.id,
          message_id: message.id,
          position,
        })),
      );
      // Kept before the outbox is woken for the notices (after-commit steps run in order).
      if (files.length) command.afterCommit(() => commitFiles(deps, files));
      await options.afterInsert(command, message, documents.length);
      command.signal('messages');
      return { message, documents };
    });
    return {
      message,
      attachments: documents.map((document) => ({
        id: document.id,
        fileName: document.file_name,
        contentType: document.content_type,
        sizeBytes: Number(document.size_bytes),
        url: options.urlOf(document.id),
      })),
    };
  } catch (error) {
    await discardFiles(deps, files);
    throw error;
  }
}

/** Validates message fields with our field paths (`body.body`). */
function parseFields<T>(
  schema: {
    safeParse: (
      value: unknown,
    ) =>
      | { success: true; data: T }
      | { success: false; error: { issues: Array<{ path: PropertyKey[]; message: string }> } };
  },
  value: unknown,
): T {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const fields = parsed.error.issues.map((issue) => ({
    path: ['body', ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  throw new AppError(
    'validation_failed',
    `The request is not valid: ${fields.map((f) => `${f.path} ${f.message}`).join('; ')}`,
    { fields },
  );
}

/**
 * Queues "you have a new message" to every person with access who can read it now: by e-mail, or by
 * SMS when the person has no e-mail address; each with a link of its own (a new token, only its hash
 * stored, valid while the grant is). One per message, person and channel (idempotency key).
 */
async function queueCustomerNotices(
  trx: Db,
  row: CasesTable,
  settings: CustomerPageSettings,
  message: CaseMessagesTable,
  now: Date,
): Promise<void> {
  const visibility = customerVisibility(settings, visibilityStateOf(row), now);
  if (!visibility.communication.customerCanRead) return;
  const [people, company] = await Promise.all([
    listActiveAccessWithContacts(trx, row.id),
    findCompany(trx, row.company_id),
  ]);
  const companyName = company?.name ?? '';
  const base = configuredBaseUrl();
  for (const person of people) {
    const channel = person.email ? 'email' : person.phone ? 'sms' : null;
    if (!channel) continue;
    const token = randomToken();
    await insertLinkToken(trx, {
      token_hash: hashToken(token),
      access_id: person.id,
      link_version: person.link_version,
      created_at: nowIso(now),
    });
    const email = channel === 'email' ? customerNoticeEmail(companyName, person.name) : null;
    await enqueueMessage(
      trx,
      {
        companyId: row.company_id,
        caseId: row.id,
        accessId: person.id,
        kind: 'message_notice',
        channel,
        recipient: channel === 'email' ? (person.email ?? '') : (person.phone ?? ''),
        senderName: companyName,
        subject: email?.subject ?? null,
        bodyText: email?.text ?? customerNoticeSms(companyName, base ? linkLength(base) : 70),
        bodyHtml: email?.html ?? null,
        secret: token,
        idempotencyKey: `message:${message.id}:${person.id}:${channel}`,
      },
      now,
    );
  }
}

/** The case handler's notification (list and e-mail) of a customer's message; none without a handler. */
async function queueStaffNotice(
  trx: Db,
  row: CasesTable,
  message: CaseMessagesTable,
  withFiles: boolean,
  now: Date,
): Promise<void> {
  if (!row.case_handler_id) return;
  const handler = await findActiveUser(trx, row.company_id, row.case_handler_id);
  if (!handler) return;
  // Always in the handler's list; the e-mail only when the last one was read or is 15 minutes old.
  const quiet = await handlerWasNoticedLately(trx, handler.id, row.id, now);
  await insertNotification(trx, {
    id: newId(),
    company_id: row.company_id,
    user_id: handler.id,
    case_id: row.id,
    message_id: message.id,
    kind: 'customer_message',
    created_at: nowIso(now),
    read_at: null,
  });
  if (quiet) return;
  const company = await findCompany(trx, row.company_id);
  const email = staffNoticeEmail({
    companyName: company?.name ?? '',
    recipientName: handler.name,
    senderName: message.sender_name,
    claimNumber: row.claim_number,
    caseUrl: `${configuredBaseUrl() ?? ''}/cases/${row.id}`,
    withFiles,
  });
  await enqueueMessage(
    trx,
    {
      companyId: row.company_id,
      caseId: row.id,
      kind: 'staff_notice',
      channel: 'email',
      recipient: handler.email,
      senderName: company?.name ?? null,
      subject: email.subject,
      bodyText: email.text,
      bodyHtml: email.html,
      idempotencyKey: `staff-notice:${message.id}:${handler.id}`,
    },
    now,
  );
}

/** Staff download path of a document. */
export const staffDownloadUrl = (documentId: string) => `/api/documents/${documentId}/download`;

/** The files of each message, by message id, with download paths for the audience. */
export async function attachmentsByMessage(
  db: Db,
  messages: Array<Pick<CaseMessagesTable, 'id'>>,
  urlOf: (documentId: string) => string,
): Promise<Map<string, MessageAttachmentView[]>> {
  const rows = await listAttachmentsOf(
    db,
    messages.map((message) => message.id),
  );
  const byMessage = new Map<string, MessageAttachmentView[]>();
  for (const row of rows) {
    const list = byMessage.get(row.message_id) ?? [];
    list.push({
      id: row.id,
      fileName: row.file_name,
      contentType: row.content_type,
      sizeBytes: Number(row.size_bytes),
      url: urlOf(row.id),
    });
    byMessage.set(row.message_id, list);
  }
  return byMessage;
}

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
