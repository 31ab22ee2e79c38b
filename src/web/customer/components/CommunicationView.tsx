import { useId, useRef, useState, type ChangeEvent, type FormEvent } from 'react';
import { linkify } from '../../../common/rules/linkify.ts';
import type { CustomerVisibility } from '../../../common/rules/visibility.ts';
import type { CustomerMessageKey } from '../../i18n/customer-i18n.ts';
import { formatBytes, formatDateTime } from '../../shared/format.ts';
import type { CustomerMessage } from '../model.ts';
import {
  FILE_ACCEPT,
  hasAcceptedExtension,
  MAX_FILE_BYTES,
  MAX_MESSAGE_CHARS,
  MAX_MESSAGE_FILES,
} from '../upload-limits.ts';
import { newestFirst, type PagedList } from './paged-list.ts';
import { ShowOlder } from './ShowOlder.tsx';
import { Thumbnails } from '../../shared/media.tsx';
import { customerImages, customerMediaLabels } from './customer-media.ts';
import type { Translate } from './text.ts';

/** What the compose box sends: the text (trimmed) and the chosen files. */
export interface OutgoingMessage {
  text: string;
  files: File[];
}

/**
 * Sends a message; resolves once it is stored (and the page shows it), rejects with the API's error
 * (an Error with the server's `code`, or the fetch TypeError when the network failed).
 */
export type SendMessage = (message: OutgoingMessage) => Promise<void>;

/**
 * The message thread, newest first, each with the sender's e-mail address and time, its text (links
 * clickable, everything else plain text) and its files as downloads, older messages on request. The
 * communication method decides the rest: the compose box only when the customer may write, and "only
 * from the customer" shows the customer's own messages alone.
 */
export function CommunicationView({
  messages,
  paging,
  communication,
  onSend,
  t,
}: {
  messages: CustomerMessage[];
  /** The thread in pages (CustomerPage): "Show older" and the focus on what it revealed. */
  paging?: PagedList<CustomerMessage> | undefined;
  communication: CustomerVisibility['communication'];
  /** Without it (the admin preview) the compose box is shown but sends nothing. */
  onSend: SendMessage | undefined;
  t: Translate;
}) {
  const threadId = useId();
  const shown = messages
    .filter((message) => !communication.onlyOwnMessages || message.own)
    .sort(newerMessageFirst);
  const intro = communication.onlyOwnMessages
    ? t('customer.communication.onlyOwn')
    : communication.customerCanPost
      ? t('customer.communication.intro')
      : t('customer.communication.readOnly');
  return (
    <>
      <p>{intro}</p>
      {communication.customerCanPost && <ComposeBox onSend={onSend} t={t} />}
      <section className="cp-section" aria-labelledby={threadId}>
        <h3 id={threadId} className="cp-section-title">
          {t('customer.communication.thread')}
        </h3>
        {shown.length === 0 ? (
          <p>{t('customer.communication.empty')}</p>
        ) : (
          <ol className="cp-list cp-messages">
            {shown.map((message) => (
              <MessageItem
                key={message.id}
                message={message}
                focusRef={message.id === paging?.revealedId ? paging.focusRef : undefined}
                t={t}
              />
            ))}
          </ol>
        )}
        {paging && <ShowOlder list={paging} label={t('customer.older.messages')} t={t} />}
      </section>
    </>
  );
}

/** The thread's order: newest first (ties by id, as the API's pages). */
export const newerMessageFirst = newestFirst<CustomerMessage>((message) => message.sentAt);

function MessageItem({
  message,
  focusRef,
  t,
}: {
  message: CustomerMessage;
  /** Given to the first message "Show older" revealed: it takes the focus. */
  focusRef: ((element: HTMLElement | null) => void) | undefined;
  t: Translate;
}) {
  return (
    <li
      className={message.own ? 'cp-item cp-message cp-message-own' : 'cp-item cp-message'}
      ref={focusRef}
      tabIndex={focusRef ? -1 : undefined}
    >
      <p className="cp-message-meta">
        <span>
          {t('customer.communication.from')}: {message.senderEmail}
          {message.own && ` (${t('customer.communication.you')})`}
        </span>
        <time dateTime={message.sentAt}>{formatDateTime(message.sentAt)}</time>
      </p>
      {message.text.trim() !== '' && (
        <p className="cp-pre-line">
          <MessageText text={message.text} t={t} />
        </p>
      )}
      {message.attachments.length > 0 && (
        <ul className="cp-attachments" aria-label={t('customer.communication.attachments')}>
          {message.attachments.map((file) => (
            <li key={file.id}>
              <a className="cp-link" href={file.url} download={file.name}>
                {file.name}
              </a>
            </li>
          ))}
        </ul>
      )}
      <Thumbnails images={customerImages(message.attachments)} labels={customerMediaLabels(t)} />
    </li>
  );
}

/** Plain text with its http(s) addresses as links (linkify gives only safe hrefs); never HTML. */
function MessageText({ text, t }: { text: string; t: Translate }) {
  return (
    <>
      {linkify(text).map((segment, index) =>
        segment.kind === 'text' ? (
          segment.text
        ) : (
          <a
            key={index}
            className="cp-link"
            href={segment.href}
            rel="noopener noreferrer nofollow"
            target="_blank"
          >
            {segment.text}
            <span className="cp-visually-hidden"> {t('customer.communication.opensInNewWindow')}</span>
          </a>
        ),
      )}
    </>
  );
}

interface ComposeError {
  text: string;
  /** A refused send (with the "not sent" title), not a file refused when picked. */
  sendFailed: boolean;
}

function ComposeBox({ onSend, t }: { onSend: SendMessage | undefined; t: Translate }) {
  const id = useId();
  const textId = `${id}-text`;
  const fileId = `${id}-files`;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const textArea = useRef<HTMLTextAreaElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const [text, setText] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ComposeError | null>(null);
  const [sent, setSent] = useState(false);

  function pick(event: ChangeEvent<HTMLInputElement>) {
    const picked = Array.from(event.target.files ?? []);
    // Cleared so the same file can be picked again after removing it.
    event.target.value = '';
    const problems: string[] = [];
    let next = [...files];
    for (const file of picked) {
      if (!hasAcceptedExtension(file.name)) {
        problems.push(t('customer.communication.errors.fileType', { name: file.name }));
      } else if (file.size > MAX_FILE_BYTES) {
        problems.push(
          t('customer.communication.errors.fileTooBig', { name: file.name, mb: MAX_FILE_BYTES / 1024 ** 2 }),
        );
      } else {
        next.push(file);
      }
    }
    if (next.length > MAX_MESSAGE_FILES) {
      problems.push(t('customer.communication.errors.tooManyFiles', { max: MAX_MESSAGE_FILES }));
      next = next.slice(0, MAX_MESSAGE_FILES);
    }
    setFiles(next);
    setSent(false);
    setError(problems.length > 0 ? { text: problems.join(' '), sendFailed: false } : null);
  }

  function remove(index: number) {
    setFiles(files.filter((_, position) => position !== index));
    // The removed button is gone: focus returns to the file picker.
    fileInput.current?.focus();
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    const body = text.trim();
    if (body === '' && files.length === 0) {
      setError({ text: t('customer.communication.errors.empty'), sendFailed: false });
      textArea.current?.focus();
      return;
    }
    if (!onSend) return;
    setBusy(true);
    setError(null);
    setSent(false);
    try {
      await onSend({ text: body, files });
      setText('');
      setFiles([]);
      setSent(true);
    } catch (failure) {
      // The typed text and the chosen files stay, so the customer can try again.
      setError({ text: sendErrorText(failure, body, files.length, t), sendFailed: true });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="cp-compose" onSubmit={(event) => void submit(event)} noValidate>
      <label htmlFor={textId} className="cp-label">
        {t('customer.communication.newMessage')}
      </label>
      <textarea
        ref={textArea}
        id={textId}
        rows={4}
        value={text}
        maxLength={MAX_MESSAGE_CHARS}
        aria-describedby={error ? errorId : undefined}
        onChange={(event) => {
          setText(event.target.value);
          setSent(false);
        }}
      />
      <div className="cp-file-picker">
        <input
          ref={fileInput}
          id={fileId}
          type="file"
          multiple
          accept={FILE_ACCEPT}
          className="cp-visually-hidden cp-file-input"
          aria-describedby={hintId}
          onChange={pick}
        />
        <label htmlFor={fileId} className="cp-button cp-button-secondary cp-file-label">
          {t('customer.communication.attach')}
        </label>
        <p id={hintId} className="cp-hint">
          {t('customer.communication.attachHint', {
            files: MAX_MESSAGE_FILES,
            mb: MAX_FILE_BYTES / 1024 ** 2,
          })}
        </p>
      </div>
      {files.length > 0 && (
        <ul className="cp-files" aria-label={t('customer.communication.chosenFiles')}>
          {files.map((file, index) => (
            <li key={`${index}-${file.name}-${file.size}`} className="cp-file">
              <span className="cp-file-name">{file.name}</span>
              <span className="cp-file-size">{formatBytes(file.size)}</span>
              <button
                type="button"
                className="cp-file-remove"
                aria-label={t('customer.communication.removeFileLabel', { name: file.name })}
                onClick={() => remove(index)}
              >
                {t('customer.communication.removeFile')}
              </button>
            </li>
          ))}
        </ul>
      )}
      {error && (
        <div role="alert" id={errorId} className="cp-alert">
          {error.sendFailed && <strong>{t('customer.communication.errors.title')} </strong>}
          {error.text}
        </div>
      )}
      {/* aria-disabled, not disabled: the button keeps the keyboard focus while sending. */}
      <button type="submit" className="cp-button" aria-disabled={busy || undefined}>
        {busy ? t('customer.communication.sending') : t('customer.communication.send')}
      </button>
      <p role="status" className="cp-sent">
        {sent ? t('customer.communication.sent') : ''}
      </p>
    </form>
  );
}

/** The customer's words for a refused send; a rate limit says when to try again (its Retry-After). */
function sendErrorText(failure: unknown, body: string, fileCount: number, t: Translate): string {
  const { code, retryAfterSeconds } = (failure ?? {}) as { code?: unknown; retryAfterSeconds?: unknown };
  if (code === 'too_many_requests' && typeof retryAfterSeconds === 'number' && retryAfterSeconds > 0) {
    const minutes = Math.ceil(retryAfterSeconds / 60);
    return minutes <= 1
      ? t('customer.communication.errors.tooManyInAMinute')
      : t('customer.communication.errors.tooManyInMinutes', { minutes });
  }
  return t(sendErrorKey(failure, body, fileCount));
}

/** The customer's words for a refused send, chosen by the API's error code (never its English text). */
function sendErrorKey(failure: unknown, body: string, fileCount: number): CustomerMessageKey {
  const code = (failure as { code?: unknown } | null)?.code;
  switch (code) {
    case 'validation_failed':
      if (body.length > MAX_MESSAGE_CHARS) return 'customer.communication.errors.tooLong';
      if (body === '' && fileCount === 0) return 'customer.communication.errors.empty';
      return 'customer.communication.errors.generic';
    case 'communication_not_allowed':
      return 'customer.communication.errors.notAllowed';
    case 'payload_too_large':
      return 'customer.communication.errors.tooLarge';
    case 'unsupported_media_type':
      return 'customer.communication.errors.unsupported';
    case 'too_many_requests':
      return 'customer.communication.errors.tooMany';
    case 'unauthenticated':
    case 'forbidden':
      return 'customer.communication.errors.session';
    default:
      // fetch rejects with a TypeError when the request never got an answer.
      return failure instanceof TypeError
        ? 'customer.communication.errors.network'
        : 'customer.communication.errors.generic';
  }
}
