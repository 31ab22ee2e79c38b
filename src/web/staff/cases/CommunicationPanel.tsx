import { useEffect, useId, useRef, useState, type FormEvent, type Ref } from 'react';
import type { CaseView } from '../../../common/contracts/case-api.ts';
import { communicationMethodLabels } from '../../../common/rules/customer-page-settings.ts';
import { acceptedDocumentExtensions, MAX_FILE_BYTES } from '../../../common/contracts/document-api.ts';
import { linkify } from '../../../common/rules/linkify.ts';
import {
  MAX_MESSAGE_CHARS,
  MAX_MESSAGE_FILES,
  type MessageDeliveryView,
  type MessageThreadView,
  type MessageView,
} from '../../../common/contracts/message-api.ts';
import { useLanguage } from '../../shared/language.tsx';
import { ApiError } from '../api.ts';
import { errorText, Notice, ShowOlder } from '../components.tsx';
import { apiErrorText } from '../error-text.tsx';
import { formatBytes, formatDateTime } from '../format.ts';
import { LogButton } from './CaseLog.tsx';
import { Thumbnails } from '../../shared/media.tsx';
import { staffImages, useMediaLabels } from './staff-media.ts';
import { AccessSymbol } from './CustomerAccessPanel.tsx';
import { useMarkAllRead, useMessageThread, usePostMessage } from './communication-data.ts';

type T = ReturnType<typeof useLanguage>['t'];

const accept = acceptedDocumentExtensions.map((extension) => `.${extension}`).join(',');

/** The ids of the communication panel and its heading: the unread banner and notifications lead there. */
export const COMMUNICATION_ID = 'communication';
const COMMUNICATION_HEADING_ID = 'communication-title';

/** "3 uleste meldinger fra kunden" (the text alternative of the red arrow). */
export function unreadText(t: T, count: number): string {
  return t('communication.unread', { count });
}

/**
 * The red arrow beside "Kundekommunikasjon" while the customer has written something unread (spec
 * §10). It blinks a few times and then stays (WCAG 2.2.2: no endless blinking), not at all with
 * reduced motion; the words are there for screen readers.
 */
export function UnreadArrow({ count }: { count: number }) {
  const { t } = useLanguage();
  if (count <= 0) return null;
  return (
    <span className="unread-arrow">
      <svg aria-hidden="true" focusable="false" width="22" height="18" viewBox="0 0 22 18">
        <path d="M1 9 L10 1 V5.5 H21 V12.5 H10 V17 Z" />
      </svg>
      <span className="visually-hidden">{unreadText(t, count)}</span>
    </span>
  );
}

/** Message text: links as links (http and https only), everything else as text, line breaks kept. */
export function MessageText({ text }: { text: string }) {
  return (
    <p className="message-body">
      {linkify(text).map((segment, index) =>
        segment.kind === 'link' ? (
          <a key={index} href={segment.href} target="_blank" rel="noopener noreferrer nofollow">
            {segment.text}
          </a>
        ) : (
          <span key={index}>{segment.text}</span>
        ),
      )}
    </p>
  );
}

/** How many messages show before "Vis alle meldinger" (our number; unread ones always show). */
const FIRST_MESSAGES = 5;

/**
 * "Kundekommunikasjon" (spec §9, §10), a panel of the case page: the access symbol top right, the box
 * to write to the customer with pictures and documents, "Marker alle meldinger som lest" and the
 * thread, newest first.
 */
export function CommunicationPanel({ kase, focusKey }: { kase: CaseView; focusKey?: string | null }) {
  const { t } = useLanguage();
  const thread = useMessageThread(kase.id);
  const data = thread.first;
  const heading = useRef<HTMLHeadingElement>(null);
  const loaded = Boolean(data) || thread.isError;
  // Asked for by a link (the unread banner, a notification): focus the heading and bring it to the
  // top once the thread is there, so the page below is tall enough to scroll to it.
  useEffect(() => {
    if (!focusKey || !loaded) return;
    heading.current?.focus({ preventScroll: true });
    heading.current?.scrollIntoView({ block: 'start' });
  }, [focusKey, loaded]);
  // The case's count shows at once (the case is loaded); the thread's once it has arrived.
  const unread = data?.unreadFromCustomer ?? kase.banners.unreadCustomerMessages;

  return (
    <section id={COMMUNICATION_ID} aria-labelledby={COMMUNICATION_HEADING_ID} className="panel communication">
      <div className="panel-title">
        <h2 id={COMMUNICATION_HEADING_ID} ref={heading} tabIndex={-1} className="communication-heading">
          {t('communication.title')} <UnreadArrow count={unread} />
        </h2>
        <span className="row-actions">
          <AccessSymbol kase={kase} />
          <LogButton caseId={kase.id} topic="communication" title={t('communication.logTitle')} />
        </span>
      </div>
      {thread.isError ? (
        <Notice kind="error">{errorText(thread.error, t('communication.loadError'))}</Notice>
      ) : !data ? (
        <p role="status">{t('common.loading')}</p>
      ) : (
        <>
          <MethodNote data={data} />
          <ComposeForm caseId={kase.id} data={data} />
          <MarkAllRead caseId={kase.id} unread={data.unreadFromCustomer} />
          <MessageList messages={thread.items} />
          <ShowOlder list={thread} />
        </>
      )}
    </section>
  );
}

/** Why staff cannot write (only from the customer, or communication hidden), or that replies are off. */
function MethodNote({ data }: { data: MessageThreadView }) {
  const { t, language } = useLanguage();
  const { method, staffCanPost } = data.communication;
  const methodText = t('communication.method', { method: communicationMethodLabels[language][method] });
  if (staffCanPost) {
    return method === 'to_customer' ? (
      <p className="notice notice-info">
        {methodText} {t('communication.onlyToCustomer')}
      </p>
    ) : null;
  }
  return (
    <p className="notice notice-info" id="communication-blocked">
      {method === 'from_customer' ? t('communication.fromCustomerOnly') : t('communication.hidden')}{' '}
      {t('communication.settingsHint')}
    </p>
  );
}

/** The message of a refused message, in the reader's language with the server's reason. */
function postErrorText(t: T, error: unknown): string {
  if (!(error instanceof ApiError)) return t('common.errorGeneric');
  const reason = apiErrorText(t, error, '');
  // A refusal with its own reason names the file and what is wrong with it: that text says it all.
  if (error.reason) return reason;
  switch (error.code) {
    case 'unsupported_media_type':
      return t('communication.rejectedFile', { reason });
    case 'payload_too_large':
      return t('communication.tooLarge', { reason });
    case 'validation_failed':
      return t('communication.invalid', { reason });
    default:
      return reason || t('common.errorGeneric');
  }
}

/**
 * What became of a message just sent, as it really went (issue 16): kept without anyone to read it,
 * kept while the page hides the thread, or the people told by e-mail or SMS.
 */
function sentText(t: T, language: string, delivery: MessageDeliveryView): string {
  if (delivery.peopleWithAccess === 0) return t('communication.sentNoAccess');
  if (!delivery.customerCanRead) return t('communication.sentNotShown');
  if (delivery.notified.length === 0) return t('communication.sentNobodyNotified');
  const people = delivery.notified.map(
    (person) => `${person.name} (${t(`communication.channel_${person.channel}`)})`,
  );
  const list = new Intl.ListFormat(language === 'nb' ? 'nb-NO' : 'en', { type: 'conjunction' });
  return t('communication.sentNotified', { people: list.format(people) });
}

/** The white box: a message to the customer, with pictures or documents; checked before sending. */
function ComposeForm({ caseId, data }: { caseId: string; data: MessageThreadView }) {
  const { t, language } = useLanguage();
  const id = useId();
  const post = usePostMessage(caseId);
  const fileInput = useRef<HTMLInputElement>(null);
  const [body, setBody] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [problem, setProblem] = useState('');
  // Who the message just sent reached; null until one is sent (and again once the text changes).
  const [sent, setSent] = useState<MessageDeliveryView | null>(null);
  const blocked = !data.communication.staffCanPost;

  function check(): string {
    if (body.trim() === '' && files.length === 0) return t('communication.empty');
    if (body.length > MAX_MESSAGE_CHARS) return t('communication.tooLong', { max: MAX_MESSAGE_CHARS });
    if (files.length > MAX_MESSAGE_FILES) return t('communication.tooManyFiles', { max: MAX_MESSAGE_FILES });
    const large = files.find((file) => file.size > MAX_FILE_BYTES);
    if (large) return t('communication.fileTooLarge', { name: large.name });
    return '';
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (blocked || post.isPending) return;
    setSent(null);
    post.reset();
    const found = check();
    setProblem(found);
    if (found) return;
    post.mutate(
      { body, files },
      {
        onSuccess: (posted) => {
          setBody('');
          setFiles([]);
          if (fileInput.current) fileInput.current.value = '';
          setSent(posted.delivery);
        },
      },
    );
  }

  const error = problem || (post.isError ? postErrorText(t, post.error) : '');
  const describedBy = [blocked ? 'communication-blocked' : '', `${id}-hint`, `${id}-count`]
    .filter(Boolean)
    .join(' ');

  return (
    <form className="card compose" onSubmit={submit} aria-labelledby={`${id}-title`} noValidate>
      <h3 id={`${id}-title`}>{t('communication.compose')}</h3>
      <fieldset className="compose-fields" disabled={blocked}>
        <div className="field">
          <label htmlFor={`${id}-body`}>{t('communication.body')}</label>
          <textarea
            id={`${id}-body`}
            rows={5}
            maxLength={MAX_MESSAGE_CHARS}
            value={body}
            onChange={(event) => {
              setBody(event.target.value);
              setSent(null);
            }}
            aria-describedby={describedBy}
            aria-invalid={problem ? true : undefined}
          />
          <p id={`${id}-hint`} className="field-hint">
            {t('communication.bodyHint')}
          </p>
          <p id={`${id}-count`} className="field-hint char-count">
            {t('communication.charCount', { count: body.length, max: MAX_MESSAGE_CHARS })}
          </p>
        </div>
        <div className="field">
          <label htmlFor={`${id}-files`}>{t('communication.files')}</label>
          <input
            id={`${id}-files`}
            ref={fileInput}
            type="file"
            multiple
            accept={accept}
            aria-describedby={`${id}-files-hint`}
            onChange={(event) => {
              setFiles(Array.from(event.target.files ?? []));
              setSent(null);
              // Other files: a refusal of the previous ones no longer applies.
              setProblem('');
              post.reset();
            }}
          />
          <p id={`${id}-files-hint`} className="field-hint">
            {t('communication.filesHint', { max: MAX_MESSAGE_FILES })}
          </p>
          {files.length > 0 && (
            <ul className="chosen-files" aria-label={t('communication.chosenFiles')}>
              {files.map((file, index) => (
                <li key={`${file.name}-${index}`}>
                  <span className="break">{file.name}</span>{' '}
                  <span className="muted">({formatBytes(file.size)})</span>
                </li>
              ))}
            </ul>
          )}
        </div>
        {error && <Notice kind="error">{error}</Notice>}
        {sent &&
          (sent.notified.length > 0 ? (
            <Notice kind="success">{sentText(t, language, sent)}</Notice>
          ) : (
            // Saved, but nobody reads it yet: information, not success.
            <p className="notice notice-info" role="status">
              {sentText(t, language, sent)}
            </p>
          ))}
        <button type="submit" className="button-primary" aria-disabled={post.isPending || undefined}>
          {post.isPending ? t('communication.sending') : t('communication.send')}
        </button>
      </fieldset>
    </form>
  );
}

/** "Marker alle meldinger som lest", above the messages while something from the customer is unread. */
function MarkAllRead({ caseId, unread }: { caseId: string; unread: number }) {
  const { t } = useLanguage();
  const mark = useMarkAllRead(caseId);
  const done = useRef<HTMLParagraphElement>(null);
  const [marked, setMarked] = useState(false);
  if (unread === 0) {
    return marked ? (
      <p ref={done} className="notice notice-success" role="status" tabIndex={-1}>
        {t('communication.markedRead')}
      </p>
    ) : null;
  }
  return (
    <div className="mark-all-read">
      <button
        type="button"
        className="button-primary"
        aria-disabled={mark.isPending || undefined}
        onClick={() => {
          if (mark.isPending) return;
          mark.mutate(undefined, {
            onSuccess: () => {
              setMarked(true);
              // The button goes away: keep the keyboard user's place on the confirmation.
              requestAnimationFrame(() => done.current?.focus());
            },
          });
        }}
      >
        {t('communication.markAllRead')}
      </button>
      {mark.isError && <Notice kind="error">{errorText(mark.error, t('common.errorGeneric'))}</Notice>}
    </div>
  );
}

/** The thread, newest first: sender's e-mail (or name), time, text with links, files with sizes. */
function MessageList({ messages }: { messages: MessageView[] }) {
  const { t } = useLanguage();
  // null: the first messages; a number: all, and the focus goes to the first one that was hidden.
  const [revealedFrom, setRevealedFrom] = useState<number | null>(null);
  const firstRevealed = useRef<HTMLLIElement>(null);
  useEffect(() => {
    if (revealedFrom !== null) firstRevealed.current?.focus();
  }, [revealedFrom]);
  if (messages.length === 0) return <p className="muted">{t('communication.noMessages')}</p>;
  const unread = messages.filter((message) => message.direction === 'from_customer' && !message.readAt);
  const shown = revealedFrom === null ? Math.max(FIRST_MESSAGES, unread.length) : messages.length;
  return (
    <>
      <h3 className="visually-hidden">{t('communication.thread')}</h3>
      <ol className="message-list">
        {messages.slice(0, shown).map((message, index) => (
          <MessageItem
            key={message.id}
            message={message}
            itemRef={index === revealedFrom ? firstRevealed : undefined}
          />
        ))}
      </ol>
      {shown < messages.length && (
        <button type="button" className="button-quiet show-all" onClick={() => setRevealedFrom(shown)}>
          {t('communication.showAll', { count: messages.length })}
        </button>
      )}
    </>
  );
}

function MessageItem({
  message,
  itemRef,
}: {
  message: MessageView;
  itemRef?: Ref<HTMLLIElement> | undefined;
}) {
  const { t } = useLanguage();
  const mediaLabels = useMediaLabels();
  const fromCustomer = message.direction === 'from_customer';
  const unread = fromCustomer && message.readAt === null;
  const sender = message.sender.email ?? message.sender.name;
  return (
    <li
      ref={itemRef}
      tabIndex={itemRef ? -1 : undefined}
      className={`message ${fromCustomer ? 'message-from-customer' : 'message-to-customer'}${
        unread ? ' message-unread' : ''
      }`}
    >
      <p className="message-meta">
        <span className={`badge ${fromCustomer ? 'badge-from-customer' : 'badge-to-customer'}`}>
          {fromCustomer ? t('communication.fromCustomer') : t('communication.toCustomer')}
        </span>
        {unread && <span className="badge badge-new">{t('communication.unreadBadge')}</span>}
        <span className="message-sender break">
          {sender}
          {message.sender.email && message.sender.name && (
            <span className="muted"> ({message.sender.name})</span>
          )}
        </span>
        <time className="message-time" dateTime={message.createdAt}>
          {formatDateTime(message.createdAt)}
        </time>
      </p>
      {message.body && <MessageText text={message.body} />}
      {message.attachments.length > 0 && (
        <ul className="message-files" aria-label={t('communication.attachments')}>
          {message.attachments.map((file) => (
            <li key={file.id}>
              <a href={file.url} download={file.fileName} className="break">
                {file.fileName}
              </a>{' '}
              <span className="muted">({formatBytes(file.sizeBytes)})</span>
            </li>
          ))}
        </ul>
      )}
      <Thumbnails images={staffImages(message.attachments)} labels={mediaLabels} />
    </li>
  );
}
