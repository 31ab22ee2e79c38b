import { z } from 'zod';
import { isoDateTime } from '../../common/contracts/date-formats.ts';
import type { CustomerMessage } from '../../common/rules/customer-page-model.ts';
import type { MessageAttachmentView } from '../../common/contracts/message-api.ts';
import type { CaseMessagesTable } from '../db/schema.ts';

/** One message of the thread as the customer page shows it (CustomerMessage). */
export const customerMessageSchema = z.object({
  id: z.string(),
  sentAt: isoDateTime,
  senderEmail: z.string(),
  fromCustomer: z.boolean(),
  own: z.boolean(),
  text: z.string(),
  attachments: z.array(z.object({ id: z.string(), name: z.string(), url: z.string() })),
});

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
