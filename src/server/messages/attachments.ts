import type { MessageAttachmentView } from '../../common/contracts/message-api.ts';
import type { Db } from '../db/database.ts';
import type { CaseMessagesTable } from '../db/schema.ts';
import { listAttachmentsOf } from './queries.ts';

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
