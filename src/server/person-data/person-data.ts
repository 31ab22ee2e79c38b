import type { ErasePersonView } from '../../common/contracts/person-data-api.ts';
import { formatPhoneNumber } from '../../common/rules/phone-format.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { caseCommand } from '../case-commands/case-command.ts';
import { loadCase } from '../cases/access.ts';
import { inTransaction, nowIso, type Db } from '../db/database.ts';
import type {
  CaseContactsTable,
  CaseEventsTable,
  CasesTable,
  CustomerAccessTable,
  DocumentsTable,
  OutboxTable,
} from '../db/schema.ts';
import { previewKeysOf } from '../documents/previews.ts';
import { AppError, notFound } from '../errors.ts';
import { authorize, type Actor } from '../security/actor.ts';
import { hashToken, randomToken } from '../security/tokens.ts';
import type { FileStorage } from '../storage/file-storage.ts';
import { personDataPolicy } from './policy.ts';
import {
  FREE_TEXT_COLUMNS,
  attachmentsOf,
  callsOfCase,
  documentsUploadedBy,
  eventsOfCase,
  findContact,
  freeTextRowsOf,
  grantsOf,
  messagesWrittenBy,
  outboxRowsOf,
  satisfactionAnswersOf,
  sessionsOf,
  smsCodesOf,
  updateFreeText,
} from './queries.ts';

/*
 * Export and erasure of one person's data from one case (issue 19, item 6; GDPR art. 15, 17, 20).
 *
 * "A person on a case" is one of the case's contacts (`case_contacts`: the customer, a contact person
 * or another person), named by the contact's id. Every table that holds that person's data, and what
 * the erasure does to it — THE MAP (keep it current when a table gains a column about people):
 *
 *   case_contacts          the person: name, e-mail, phone, role
 *                          → name "Slettet", e-mail and phone null, `erased_at` set (the row stays:
 *                            grants and the case's people refer to it; a second erasure is 409)
 *   customer_access        their customer-page grants (contact_id): BankID's verified name and birth
 *                          date (identified_*), use times, wrong-code count
 *                          → state removed, identified_* null, the link token hash replaced by a
 *                            random one, code lock and count cleared (access revoked)
 *   customer_link_tokens   hashes of every link sent to them (access_id)          → deleted
 *   customer_sessions      their browser sessions: BankID verified name and birth date → deleted
 *   sms_codes              HMACs of the security codes sent to them               → deleted
 *   auth_failures          wrong-code counts keyed by the hash of their grant id  → deleted
 *   case_messages          messages they wrote (sender_kind customer, sender_id = their grant):
 *                          body, sender name and e-mail → body "[Slettet]", name "Slettet", e-mail null
 *   documents              files they uploaded (uploaded_by_kind customer, uploaded_by_id = grant)
 *   message_attachments    → the links and the rows deleted; the bytes (and previews) removed from
 *                            the file storage AFTER the commit
 *   outbox                 e-mails and SMS addressed to them (access_id, or recipient = their
 *                          address) and any row of the case whose texts name them (staff notices of
 *                          their messages, webhook event bodies) → recipient (when theirs), subject,
 *                          bodies and sealed secret cleared; queued ones cancelled (failed, with why)
 *   satisfaction_answers   their answer: the comment → null (the score stays, no longer about anyone)
 *   calls                  calls logged with them (their number or name)       → number '', names
 *                          "Slettet"
 *   case_events            the case log: names, numbers and addresses in the events' data (contact
 *                          added, access granted/removed, link queued/sent/failed with recipient,
 *                          their messages, calls) and the actor name of events they caused
 *                          → every occurrence replaced ("Slettet"), the rest of the fact kept
 *   customer_page_models   stored customer pages of the case (JSON that may name them) → deleted
 *                          (rebuilt on the next read)
 *   case_search            the case search's folded text (customer names, e-mail, phone) → rebuilt
 *                          by its on-change step in the same transaction (cases/search-text.ts)
 *   free text of the case  cases.description, tasks, reminders, quote requests, invoices, budget
 *                          lines, every message of the case (staff greeting them by name), document
 *                          file names, other people's satisfaction comments → their name, e-mail and
 *                          phone (E.164, as written "412 34 567", the 8 digits) replaced by "Slettet"
 *
 * Not personal data of the person, left as they are: staff notifications (ids), webhook deliveries
 * (ids, status), dashboard rows and counts, the case's address (the insured property, a case fact),
 * staff names on grants and events. Known limit: a name written differently from the contact's name
 * (a first name alone, another spelling) in staff free text is not found.
 *
 * The export reads the same map (person.json + the files they uploaded); both are audited.
 */

/** What erased names and authors read as (a fixed text, as the retention job writes it). */
export const ERASED_NAME = 'Slettet';
/** What an erased message's text reads as. */
export const ERASED_MESSAGE = '[Slettet]';

/** The person's identifiers as they may appear in text: name, e-mail, phone in three spellings. */
export function identifiersOf(contact: Pick<CaseContactsTable, 'name' | 'email' | 'phone'>): string[] {
  const found = new Set<string>();
  const add = (value: string | null | undefined) => {
    const trimmed = value?.trim();
    // One or two letters would replace parts of every word.
    if (trimmed && trimmed.length >= 3) found.add(trimmed);
  };
  add(contact.name);
  add(contact.email);
  if (contact.phone) {
    add(contact.phone);
    add(formatPhoneNumber(contact.phone));
    add(/^\+47(\d{8})$/.exec(contact.phone)?.[1]);
  }
  // Longest first, so "Ola Nordmann" is replaced before a shorter identifier inside it.
  return [...found].sort((a, b) => b.length - a.length);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `text` with every identifier (any case) replaced by "Slettet". */
export function redactText(text: string, identifiers: readonly string[]): string {
  let result = text;
  for (const id of identifiers) result = result.replace(new RegExp(escapeRegExp(id), 'gi'), ERASED_NAME);
  return result;
}

const mentions = (text: string | null | undefined, identifiers: readonly string[]): boolean =>
  !!text && identifiers.some((id) => text.toLowerCase().includes(id.toLowerCase()));

/** A JSON value with every string redacted ({@link redactText}). */
function redactJson(value: unknown, identifiers: readonly string[]): unknown {
  if (typeof value === 'string') return redactText(value, identifiers);
  if (Array.isArray(value)) return value.map((item) => redactJson(item, identifiers));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactJson(v, identifiers)]));
  }
  return value;
}

/** Whether an event is about the person: names their contact or grant, or they caused it. */
function eventIsAbout(event: CaseEventsTable, person: PersonRef, identifiers: readonly string[]): boolean {
  if (event.actor_kind === 'customer' && event.actor_id && person.accessIds.includes(event.actor_id))
    return true;
  return (
    event.data.includes(person.contactId) ||
    person.accessIds.some((id) => event.data.includes(id)) ||
    mentions(event.data, identifiers)
  );
}

interface PersonRef {
  contactId: string;
  accessIds: string[];
}

/** Whether an outbox row was addressed to the person (by grant, or by their e-mail or phone). */
function addressedTo(row: OutboxTable, person: PersonRef, contact: CaseContactsTable): boolean {
  if (row.channel === 'webhook') return false;
  if (row.access_id && person.accessIds.includes(row.access_id)) return true;
  const recipient = row.recipient.trim().toLowerCase();
  return (
    recipient !== '' &&
    (recipient === contact.email?.trim().toLowerCase() || recipient === contact.phone?.trim().toLowerCase())
  );
}

/** The contact of the case (404 unless it is one of the actor's company's cases). */
async function loadPerson(db: Db, caseRow: CasesTable, contactId: string): Promise<CaseContactsTable> {
  const contact = await findContact(db, caseRow.id, contactId);
  if (!contact) throw notFound('This person is not on the case.');
  return contact;
}

// Export -----------------------------------------------------------------------------------------

/** One file of the export: where it goes in the zip, and where its bytes are. */
export interface ExportFile {
  pathInZip: string;
  storageKey: string;
}

/** What an export hands over: person.json's content and the files to add. */
export interface PersonExport {
  fileName: string;
  json: Record<string, unknown>;
  files: ExportFile[];
}

/** A safe name inside the zip: no folders, no control characters. */
const zipName = (index: number, fileName: string) =>
  `files/${String(index + 1).padStart(3, '0')}-${fileName.replace(/[\\/\p{Cc}]/gu, '_').slice(0, 150)}`;

/**
 * Everything the case holds about one person (level 6), as readable JSON with ISO dates, and the
 * files they uploaded; recorded in the audit trail (`person.exported`) before anything is sent.
 * An erased person is 409 `person_erased` (nothing is left to export).
 */
export async function exportPerson(
  db: Db,
  actor: Actor,
  caseId: string,
  contactId: string,
  now = new Date(),
): Promise<PersonExport> {
  authorize(actor, personDataPolicy.export);
  const caseRow = await loadCase(db, actor, caseId);
  const contact = await loadPerson(db, caseRow, contactId);
  if (contact.erased_at) throw new AppError('person_erased');
  const grants = await grantsOf(db, caseId, contactId);
  const person: PersonRef = { contactId, accessIds: grants.map((g) => g.id) };
  const identifiers = identifiersOf(contact);
  const [sessions, codes, messages, documents, outbox, answers, calls, events] = await Promise.all([
    sessionsOf(db, person.accessIds),
    smsCodesOf(db, person.accessIds),
    messagesWrittenBy(db, caseId, person.accessIds),
    documentsUploadedBy(db, caseId, person.accessIds),
    outboxRowsOf(db, caseId, person.accessIds),
    satisfactionAnswersOf(db, person.accessIds),
    callsOfCase(db, caseId),
    eventsOfCase(db, caseId),
  ]);
  const attachments = await attachmentsOf(
    db,
    messages.map((m) => m.id),
  );
  const files = documents.map((d, index) => ({ document: d, pathInZip: zipName(index, d.file_name) }));
  const pathOf = new Map(files.map((f) => [f.document.id, f.pathInZip]));

  const json = {
    exportedAt: nowIso(now),
    about:
      'Everything this case holds about one person: their details, customer-page access, sessions, ' +
      'security codes, the messages they wrote and the files they uploaded (under files/), the messages ' +
      'sent to them, their satisfaction answer, calls logged with them and the case-log entries about them.',
    case: { id: caseRow.id, claimNumber: caseRow.claim_number },
    person: {
      id: contact.id,
      role: contact.role,
      name: contact.name,
      email: contact.email,
      phone: contact.phone,
      addedAt: contact.created_at,
    },
    customerPageAccess: grants.map(presentGrant),
    sessions: sessions.map((s) => ({
      startedAt: s.created_at,
      lastSeenAt: s.last_seen_at,
      expiresAt: s.expires_at,
      securityCodeEntered: s.code_verified === 1,
      identifiedBy: s.identified_by,
      verifiedName: s.verified_name,
      verifiedBirthDate: s.verified_birth_date,
      identifiedAt: s.identified_at,
    })),
    securityCodes: codes.map((c) => ({
      sentAt: c.created_at,
      expiresAt: c.expires_at,
      usedAt: c.used_at,
      wrongAttempts: c.wrong_attempts,
    })),
    messagesWritten: messages.map((m) => ({
      writtenAt: m.created_at,
      name: m.sender_name,
      email: m.sender_email,
      text: m.body,
      readByStaffAt: m.read_at,
      files: attachments.filter((a) => a.message_id === m.id).map((a) => pathOf.get(a.document_id) ?? null),
    })),
    filesUploaded: files.map(({ document, pathInZip }) => ({
      fileName: document.file_name,
      contentType: document.content_type,
      sizeBytes: Number(document.size_bytes),
      uploadedAt: document.created_at,
      inThisZip: pathInZip,
    })),
    messagesSentToThem: outbox
      .filter((row) => addressedTo(row, person, contact))
      .map((row) => ({
        channel: row.channel,
        kind: row.kind,
        recipient: row.recipient,
        subject: row.subject,
        // `{{secret}}` stands for the link or code, which is never exported.
        text: row.body_text,
        state: row.state,
        queuedAt: row.created_at,
        sentAt: row.sent_at,
        deliveryReport: row.provider_status,
      })),
    satisfactionAnswers: answers.map((a) => ({
      score: a.score,
      comment: a.comment,
      answeredAt: a.answered_at,
    })),
    calls: calls
      .filter(
        (c) =>
          mentions(c.number, identifiers) ||
          mentions(c.party_name, identifiers) ||
          mentions(c.caller_name, identifiers),
      )
      .map((c) => ({
        direction: c.direction,
        callerName: c.caller_name,
        otherParty: c.party_name,
        number: c.number,
        reached: c.reached === 1,
        durationSeconds: c.duration_seconds,
        calledAt: c.called_at,
      })),
    caseLog: events
      .filter((e) => eventIsAbout(e, person, identifiers))
      .map((e) => ({
        kind: e.kind,
        at: e.occurred_at,
        by: e.actor_name,
        data: JSON.parse(e.data) as unknown,
      })),
  };

  await inTransaction(db, (trx) =>
    recordAudit(trx, actor, {
      action: 'person.exported',
      subjectType: 'person',
      subjectId: contact.id,
      detail: { caseId: caseRow.id, files: files.length },
      at: now,
    }),
  );
  return {
    fileName: `person-${caseRow.claim_number}-${contact.id}.zip`.replace(/[^\w.-]/g, '_'),
    json,
    files: files.map(({ document, pathInZip }) => ({ pathInZip, storageKey: document.storage_key })),
  };
}

function presentGrant(g: CustomerAccessTable) {
  return {
    grantedAt: g.granted_at,
    grantedBy: g.granted_by_name,
    state: g.state,
    removedAt: g.removed_at,
    lastUsedAt: g.last_used_at,
    wrongCodesInARow: g.wrong_codes,
    lockedAt: g.code_locked_at,
    identifiedBy: g.identified_by,
    identifiedName: g.identified_name,
    identifiedBirthDate: g.identified_birth_date,
    identifiedAt: g.identified_at,
  };
}

// Erasure ----------------------------------------------------------------------------------------

/** What the erasure needs besides the database: the file storage, and where to report failures. */
/**
 * Revokes the grants and removes every trace of how their people signed in: sessions, SMS codes, link
 * tokens, failure counters, BankID identity, satisfaction comments. Returns the sessions removed.
 * Shared by the erasure of one person and the retention job (data-lifecycle/).
 */
export async function forgetAccesses(trx: Db, accessIds: readonly string[], at: string): Promise<number> {
  if (accessIds.length === 0) return 0;
  const ids = [...accessIds];
  for (const id of ids) {
    await trx
      .updateTable('customer_access')
      .set((eb) => ({
        state: 'removed',
        removed_at: eb.fn.coalesce('removed_at', eb.val(at)),
        token_hash: hashToken(randomToken()),
        wrong_codes: 0,
        code_locked_at: null,
        identified_by: null,
        identified_name: null,
        identified_birth_date: null,
        identified_at: null,
      }))
      .where('id', '=', id)
      .execute();
  }
  const sessions = await trx.deleteFrom('customer_sessions').where('access_id', 'in', ids).executeTakeFirst();
  await trx.deleteFrom('sms_codes').where('access_id', 'in', ids).execute();
  await trx.deleteFrom('customer_link_tokens').where('access_id', 'in', ids).execute();
  await trx
    .deleteFrom('auth_failures')
    .where(
      'key',
      'in',
      ids.map((id) => hashToken(id)),
    )
    .execute();
  await trx
    .updateTable('satisfaction_answers')
    .set({ comment: null })
    .where('access_id', 'in', ids)
    .execute();
  return Number(sessions.numDeletedRows);
}

export interface PersonDataDeps {
  db: Db;
  storage: FileStorage;
  log?: { error: (details: object, message: string) => void };
}

/**
 * Erases one person's data from a case (level 6): one case command — under the case's lock, in one
 * transaction with its `person_erased` event (no personal data in it) and its audit line — does
 * everything of the map above; their files leave the storage after the commit. A second erasure is
 * 409 `person_erased`; a customer message racing it is either written before (and anonymised) or
 * refused by its own guard under the same lock (the grant is removed).
 */
export async function erasePerson(
  deps: PersonDataDeps,
  actor: Actor,
  caseId: string,
  contactId: string,
  now?: Date,
): Promise<ErasePersonView> {
  return caseCommand(
    deps.db,
    actor,
    caseId,
    personDataPolicy.erase,
    async ({ trx, row: caseRow, now, event, signal, afterCommit }) => {
      const contact = await loadPerson(trx, caseRow, contactId);
      if (contact.erased_at) throw new AppError('person_erased');
      const at = nowIso(now);
      const grants = await grantsOf(trx, caseRow.id, contactId);
      const person: PersonRef = { contactId, accessIds: grants.map((g) => g.id) };
      const ids = person.accessIds;
      const identifiers = identifiersOf(contact);
      const counts: ErasePersonView['erased'] = {
        grants: grants.length,
        sessions: 0,
        messages: 0,
        files: 0,
        outboxMessages: 0,
        events: 0,
        calls: 0,
        texts: 0,
      };

      // Access: revoked, and every trace of how they signed in gone.
      if (ids.length) {
        counts.sessions = await forgetAccesses(trx, ids, at);
      }

      // Their messages: text and author gone, the message (a fact of the thread) stays.
      const messages = await messagesWrittenBy(trx, caseRow.id, ids);
      if (messages.length) {
        await trx
          .updateTable('case_messages')
          .set({ body: ERASED_MESSAGE, sender_name: ERASED_NAME, sender_email: null })
          .where(
            'id',
            'in',
            messages.map((m) => m.id),
          )
          .execute();
      }
      counts.messages = messages.length;

      // Their files: rows now, bytes after the commit.
      const documents = await documentsUploadedBy(trx, caseRow.id, ids);
      if (documents.length) {
        const documentIds = documents.map((d) => d.id);
        await trx.deleteFrom('message_attachments').where('document_id', 'in', documentIds).execute();
        await trx.deleteFrom('documents').where('id', 'in', documentIds).execute();
        afterCommit(() => removeFiles(deps, documents));
        signal('documents');
      }
      counts.files = documents.length;

      // Messages to them, and any of the case that names them.
      for (const row of await outboxRowsOf(trx, caseRow.id, ids)) {
        const addressed = addressedTo(row, person, contact);
        const named = [row.recipient, row.subject, row.body_text, row.body_html].some((text) =>
          mentions(text, identifiers),
        );
        if (!addressed && !named) continue;
        await trx
          .updateTable('outbox')
          .set({
            recipient: addressed || mentions(row.recipient, identifiers) ? '' : row.recipient,
            subject: null,
            body_text: '',
            body_html: null,
            secret_sealed: null,
            ...(row.state === 'queued'
              ? { state: 'failed' as const, last_error: 'Not sent: the person’s data was erased.' }
              : {}),
          })
          .where('id', '=', row.id)
          .execute();
        counts.outboxMessages += 1;
      }

      // Calls logged with them.
      for (const call of await callsOfCase(trx, caseRow.id)) {
        const number = mentions(call.number, identifiers) ? '' : call.number;
        const partyName = call.party_name === null ? null : redactText(call.party_name, identifiers);
        const callerName = redactText(call.caller_name, identifiers);
        if (number === call.number && partyName === call.party_name && callerName === call.caller_name)
          continue;
        await trx
          .updateTable('calls')
          .set({ number, party_name: partyName, caller_name: callerName })
          .where('id', '=', call.id)
          .execute();
        counts.calls += 1;
      }

      // The case log: their names, numbers and addresses out of every event; the facts stay.
      for (const row of await eventsOfCase(trx, caseRow.id)) {
        const byThem = row.actor_kind === 'customer' && row.actor_id !== null && ids.includes(row.actor_id);
        const data = JSON.stringify(redactJson(JSON.parse(row.data), identifiers));
        const actorName = byThem ? ERASED_NAME : row.actor_name && redactText(row.actor_name, identifiers);
        if (data === row.data && actorName === row.actor_name) continue;
        await trx
          .updateTable('case_events')
          .set({ data, actor_name: actorName })
          .where('id', '=', row.id)
          .execute();
        counts.events += 1;
      }

      // Free text of the case that names them.
      for (const table of Object.keys(FREE_TEXT_COLUMNS) as (keyof typeof FREE_TEXT_COLUMNS)[]) {
        for (const row of await freeTextRowsOf(trx, table, caseRow.id)) {
          const changed: Record<string, string | null> = {};
          for (const column of FREE_TEXT_COLUMNS[table]) {
            const value = row[column];
            if (typeof value === 'string' && mentions(value, identifiers)) {
              changed[column] = column === 'sender_email' ? null : redactText(value, identifiers);
            }
          }
          if (Object.keys(changed).length === 0) continue;
          await updateFreeText(trx, table, String(row.id), changed);
          counts.texts += 1;
        }
      }

      // Stored customer pages may name them: built again on the next read.
      await trx.deleteFrom('customer_page_models').where('case_id', '=', caseRow.id).execute();

      // The person last (the steps after this command rebuild the case search from it).
      await trx
        .updateTable('case_contacts')
        .set({ name: ERASED_NAME, email: null, phone: null, erased_at: at })
        .where('id', '=', contactId)
        .execute();

      await event('person_erased', { contactId });
      await recordAudit(trx, actor, {
        action: 'person.erased',
        subjectType: 'person',
        subjectId: contactId,
        detail: { caseId: caseRow.id, ...counts },
        at: now,
      });
      signal('messages');
      return { contactId, erased: counts };
    },
    now,
  );
}

/** Removes the erased person's files (bytes, staged copies, previews); never throws. */
async function removeFiles(
  deps: PersonDataDeps,
  documents: readonly Pick<DocumentsTable, 'id' | 'storage_key'>[],
): Promise<void> {
  for (const document of documents) {
    try {
      await deps.storage.delete(document.storage_key);
      await deps.storage.discardStaged(document.id);
      for (const key of previewKeysOf(document.storage_key)) await deps.storage.delete(key);
    } catch (error) {
      deps.log?.error(
        { err: error, documentId: document.id },
        'person-data: could not remove a file of an erased person',
      );
    }
  }
}
