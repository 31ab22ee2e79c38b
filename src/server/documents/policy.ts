import type { Actor, Rule } from '../security/actor.ts';
import type { DocumentsTable } from '../db/schema.ts';

/** Level 2 and up delete any document of a case (Decision, issue 15 item 3). */
export const deleteAnyDocument: Rule = (actor) => actor.level >= 2;

/**
 * Who may delete a document: level 2 and up any document of the case; below that, only the staff
 * member (or API key) who uploaded it, and only while the customer does not see it (`shown`: shared by
 * hand, or a report the milestone rule shows) — taking a file away from the customer, or removing a
 * colleague's, partner's or customer's file, needs level 2.
 */
export function mayDeleteDocument(
  actor: Actor,
  document: Pick<DocumentsTable, 'uploaded_by_kind' | 'uploaded_by_id' | 'shared_at'>,
  shown: boolean = document.shared_at !== null,
): boolean {
  if (deleteAnyDocument(actor)) return true;
  const ownId = actor.kind === 'staff' ? actor.userId : actor.apiKeyId;
  return document.uploaded_by_kind === 'staff' && document.uploaded_by_id === ownId && !shown;
}
