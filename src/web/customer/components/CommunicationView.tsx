import { useId, useState, type FormEvent } from 'react';
import type { CustomerVisibility } from '../../../common/visibility.ts';
import { formatDateTime } from '../../shared/format.ts';
import type { CustomerMessage } from '../model.ts';
import type { Translate } from './text.ts';

/**
 * The message thread, newest first, each with the sender's e-mail address and time. The
 * communication method decides the rest: the compose box only when the customer may write, and
 * "only from the customer" shows the customer's own messages alone.
 */
export function CommunicationView({
  messages,
  communication,
  onSend,
  t,
}: {
  messages: CustomerMessage[];
  communication: CustomerVisibility['communication'];
  onSend: ((text: string) => void) | undefined;
  t: Translate;
}) {
  const shown = messages
    .filter((message) => !communication.onlyOwnMessages || message.fromCustomer)
    .sort((a, b) => b.sentAt.localeCompare(a.sentAt));
  const intro = communication.onlyOwnMessages
    ? t('customer.communication.onlyOwn')
    : communication.customerCanPost
      ? t('customer.communication.intro')
      : t('customer.communication.readOnly');
  return (
    <>
      <p>{intro}</p>
      {communication.customerCanPost && <ComposeBox onSend={onSend} t={t} />}
      {shown.length === 0 ? (
        <p>{t('customer.communication.empty')}</p>
      ) : (
        <ol className="cp-list cp-messages">
          {shown.map((message) => (
            <li key={message.id} className={message.fromCustomer ? 'cp-item cp-message-own' : 'cp-item'}>
              <p className="cp-message-meta">
                <span>
                  {t('customer.communication.from')}: {message.senderEmail}
                  {message.fromCustomer && ` (${t('customer.communication.you')})`}
                </span>
                <time dateTime={message.sentAt}>{formatDateTime(message.sentAt)}</time>
              </p>
              <p className="cp-pre-line">{message.text}</p>
              {message.attachments.length > 0 && (
                <ul className="cp-attachments" aria-label={t('customer.communication.attachments')}>
                  {message.attachments.map((file) => (
                    <li key={file.id}>
                      <a className="cp-link" href={file.url}>
                        {file.name}
                      </a>
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ol>
      )}
    </>
  );
}

function ComposeBox({ onSend, t }: { onSend: ((text: string) => void) | undefined; t: Translate }) {
  const id = useId();
  const [text, setText] = useState('');
  function submit(event: FormEvent) {
    event.preventDefault();
    if (!onSend || text.trim() === '') return;
    onSend(text.trim());
    setText('');
  }
  return (
    <form className="cp-compose" onSubmit={submit}>
      <label htmlFor={id} className="cp-label">
        {t('customer.communication.newMessage')}
      </label>
      <textarea id={id} rows={3} value={text} maxLength={5000} onChange={(e) => setText(e.target.value)} />
      <button type="submit" className="cp-button">
        {t('customer.communication.send')}
      </button>
    </form>
  );
}
