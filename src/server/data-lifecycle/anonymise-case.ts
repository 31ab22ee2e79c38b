import { changeCase } from '../case-commands/case-command.ts';
import type { EventActor } from '../case-events/case-events.ts';
import { nowIso, type Db } from '../db/database.ts';
import type { DocumentsTable } from '../db/schema.ts';
import { previewKeysOf } from '../documents/previews.ts';
import { forgetAccesses, identifiersOf, redactText } from '../person-data/person-data.ts';
import {
  FREE_TEXT_COLUMNS,
  callsOfCase,
  eventsOfCase,
  freeTextRowsOf,
  updateFreeText,
} from '../person-data/queries.ts';
import type { FileStorage } from '../storage/file-storage.ts';

/** What anonymised names read as (the same fixed text an erasure writes, person-data/). */
export const ANONYMISED_NAME = 'Slettet';
/** What every message of an anonymised case reads as. */
export const ANONYMISED_MESSAGE = '[Slettet: personopplysninger fjernet etter lagringstiden]';

const SYSTEM: EventActor = { kind: 'system', id: null, name: null };

/** What the job needs besides the database: the file storage, and where to report a failed delete. */
export interface LifecycleDeps {
  storage: FileStorage;
  log?: { error: (details: object, message: string) => void };
}

/** What one case's anonymisation removed. */
export interface AnonymisedCase {
  contacts: number;
  messages: number;
  files: number;
}

/**
 * Removes the personal data of one closed case past its company's retention, as one change of the
 * write path (under the case's lock, the case search and stored pages kept current by its steps):
 * the people on the case become "Slettet" without e-mail or phone, their access is revoked and every
 * sign-in trace deleted, every message text becomes a fixed text, the case's files leave the storage
 * (after the commit) with their rows, outbox rows of the case lose addresses and texts, names and
 * numbers in calls, the case log and free text are replaced. Left: the case number, dates, status,
 * milestones, amounts and the address of the insured property (a case fact). A case reopened since
 * the job listed it, or done already, is skipped (null).
 */
export async function anonymiseCase(
  db: Db,
  deps: LifecycleDeps,
  target: { companyId: string; caseId: string; closedBefore: string },
  now: Date,
): Promise<AnonymisedCase | null> {
  return changeCase(
    db,
    { ...target, stamp: () => SYSTEM, now },
    async ({ trx, row, afterCommit, signal }) => {
      // Guard under the lock: reopened meanwhile, or anonymised by a run in another process.
      if (row.status !== 'closed' || !row.closed_at || row.closed_at >= target.closedBefore) return null;
      if (row.personal_data_removed_at) return null;
      const at = nowIso(now);
      const caseId = row.id;

      const contacts = await trx
        .selectFrom('case_contacts')
        .selectAll()
        .where('case_id', '=', caseId)
        .execute();
      const identifiers = [
        ...new Set(contacts.filter((c) => !c.erased_at).flatMap((contact) => identifiersOf(contact))),
      ].sort((a, b) => b.length - a.length);

      // Access revoked, every trace of signing in gone.
      const grants = await trx
        .selectFrom('customer_access')
        .select('id')
        .where('case_id', '=', caseId)
        .execute();
      const accessIds = grants.map((grant) => grant.id);
      await forgetAccesses(trx, accessIds, at);

      // Every message: a fixed text; a customer's name and address as author gone.
      const messages = await trx
        .updateTable('case_messages')
        .set({ body: ANONYMISED_MESSAGE })
        .where('case_id', '=', caseId)
        .executeTakeFirst();
      await trx
        .updateTable('case_messages')
        .set({ sender_name: ANONYMISED_NAME, sender_email: null })
        .where('case_id', '=', caseId)
        .where('sender_kind', '=', 'customer')
        .execute();

      // Files: rows now, bytes after the commit (a rolled-back run keeps them).
      const documents = await trx
        .selectFrom('documents')
        .select(['id', 'storage_key'])
        .where('case_id', '=', caseId)
        .execute();
      if (documents.length > 0) {
        const ids = documents.map((document) => document.id);
        await trx.deleteFrom('message_attachments').where('document_id', 'in', ids).execute();
        await trx.deleteFrom('documents').where('id', 'in', ids).execute();
        afterCommit(() => removeFiles(deps, documents));
        signal('documents');
      }

      // Messages of the case in the outbox: addresses and texts gone; one still waiting is not sent.
      await trx
        .updateTable('outbox')
        .set((eb) => ({
          recipient: eb.case().when('channel', '=', 'webhook').then(eb.ref('recipient')).else('').end(),
          subject: null,
          body_text: '',
          body_html: null,
          secret_sealed: null,
          personal_data_scrubbed_at: at,
        }))
        .where('case_id', '=', caseId)
        .execute();
      await trx
        .updateTable('outbox')
        .set({ state: 'failed', last_error: 'Not sent: the case’s personal data was removed.' })
        .where('case_id', '=', caseId)
        .where('state', '=', 'queued')
        .execute();

      // Calls: the other party's number and name.
      for (const call of await callsOfCase(trx, caseId)) {
        await trx
          .updateTable('calls')
          .set({
            number: '',
            party_name: call.party_name === null ? null : ANONYMISED_NAME,
            caller_name: redactText(call.caller_name, identifiers),
          })
          .where('id', '=', call.id)
          .execute();
      }

      // The case log: names, numbers and addresses of the people out of every event; the facts stay.
      for (const event of await eventsOfCase(trx, caseId)) {
        const data = JSON.stringify(redactJson(JSON.parse(event.data), identifiers));
        const actorName = event.actor_kind === 'customer' ? ANONYMISED_NAME : event.actor_name;
        if (data === event.data && actorName === event.actor_name) continue;
        await trx
          .updateTable('case_events')
          .set({ data, actor_name: actorName })
          .where('id', '=', event.id)
          .execute();
      }

      // Free text that may name them (messages and documents are done above).
      for (const table of [
        'cases',
        'tasks',
        'reminders',
        'quote_requests',
        'invoices',
        'budget_lines',
      ] as const) {
        for (const textRow of await freeTextRowsOf(trx, table, caseId)) {
          const changed: Record<string, string | null> = {};
          for (const column of FREE_TEXT_COLUMNS[table]) {
            const value = textRow[column];
            if (typeof value === 'string') {
              const redacted = redactText(value, identifiers);
              if (redacted !== value) changed[column] = redacted;
            }
          }
          if (Object.keys(changed).length > 0) await updateFreeText(trx, table, String(textRow.id), changed);
        }
      }

      await trx.deleteFrom('customer_page_models').where('case_id', '=', caseId).execute();
      // The people last: the case search's step rebuilds its text from them after this command.
      await trx
        .updateTable('case_contacts')
        .set((eb) => ({
          name: ANONYMISED_NAME,
          email: null,
          phone: null,
          erased_at: eb.fn.coalesce('erased_at', eb.val(at)),
        }))
        .where('case_id', '=', caseId)
        .execute();
      await trx.updateTable('cases').set({ personal_data_removed_at: at }).where('id', '=', caseId).execute();
      signal('messages');
      return {
        contacts: contacts.length,
        messages: Number(messages.numUpdatedRows),
        files: documents.length,
      };
    },
  );
}

/** A JSON value with every string redacted (names, e-mails, numbers → "Slettet"). */
function redactJson(value: unknown, identifiers: readonly string[]): unknown {
  if (typeof value === 'string') return redactText(value, identifiers);
  if (Array.isArray(value)) return value.map((item) => redactJson(item, identifiers));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactJson(v, identifiers)]));
  }
  return value;
}

/** Removes the files of an anonymised case (bytes, staged copies, previews); never throws. */
async function removeFiles(
  deps: LifecycleDeps,
  documents: readonly Pick<DocumentsTable, 'id' | 'storage_key'>[],
): Promise<void> {
  for (const document of documents) {
    try {
      await deps.storage.delete(document.storage_key);
      await deps.storage.discardStaged(document.id);
      for (const key of previewKeysOf(document.storage_key)) await deps.storage.delete(key);
    } catch (error) {
      deps.log?.error({ err: error, documentId: document.id }, 'data-lifecycle: could not remove a file');
    }
  }
}
