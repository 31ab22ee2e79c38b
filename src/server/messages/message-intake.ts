import type { FastifyRequest } from 'fastify';
import { MAX_FILE_BYTES } from '../../common/contracts/document-api.ts';
import {
  MAX_MESSAGE_CHARS,
  MAX_MESSAGE_FILES,
  postMessageBody,
  postMessageFields,
  type MessageAttachmentView,
} from '../../common/contracts/message-api.ts';
import type { CaseCommandContext } from '../case-commands/case-command.ts';
import type { CustomerWriteLimits } from '../config.ts';
import { nowIso } from '../db/database.ts';
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
} from '../documents/intake.ts';
import { insertDocument } from '../documents/queries.ts';
import { AppError } from '../errors.ts';
import { fieldIssuesOf, validationError } from '../http/field-issues.ts';
import { newId } from '../security/tokens.ts';
import { documentAllowList } from '../storage/file-types.ts';
import type { LimitLog } from './customer-write-limits.ts';
import { insertAttachments, insertMessage } from './queries.ts';

/**
 * The intake of a message, either side's: what a message route received (JSON or multipart), and
 * {@link storeMessage}, which checks text and files and writes the message with its documents as
 * one command of the case, the files kept only once it has committed.
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

/** Multipart limits of a message: the `body` field (UTF-8, up to 4 bytes a character) and the files. */
export const messageMultipartLimits = {
  fileSize: MAX_FILE_BYTES,
  files: MAX_MESSAGE_FILES,
  fields: 2,
  fieldSize: MAX_MESSAGE_CHARS * 4,
  fieldNameSize: 100,
  parts: MAX_MESSAGE_FILES + 3,
  headerPairs: 20,
};

/** A message route's input: multipart parts, or the JSON body (validated by the service). */
export function messageInputOf(request: FastifyRequest): MessageInput {
  return request.isMultipart()
    ? { kind: 'multipart', parts: request.parts() }
    : { kind: 'json', body: request.body };
}

/** Who writes a message: the sender as the thread shows them, and the uploader of its files. */
export interface Author {
  sender: { kind: CaseMessagesTable['sender_kind']; id: string; name: string; email: string | null };
  uploader: Uploader;
}

/** How {@link storeMessage} writes one side's message. */
export interface StoreOptions {
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
export async function storeMessage(
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
        fields: [{ path: 'body.body', message: 'write a message or attach a file', code: 'required' }],
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
  throw validationError(fieldIssuesOf(parsed.error.issues, 'body', value ?? {}));
}
