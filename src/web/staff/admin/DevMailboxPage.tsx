import type { DevMailboxView } from '../../../common/contracts/customer-access-api.ts';
import { useLanguage } from '../../shared/language.tsx';
import { api, ApiError } from '../api.ts';
import { Notice, Pager } from '../components.tsx';
import { formatDateTime } from '../format.ts';
import { usePagedList } from '../paging.ts';
import { formatPhone } from '../phone.tsx';

type Message = DevMailboxView['items'][number];

const URL_PATTERN = /(https?:\/\/[^\s<>"']+)/g;

/** Plain text with its web addresses as plain links; nothing else is interpreted. */
export function TextWithLinks({ text }: { text: string }) {
  const parts = text.split(URL_PATTERN);
  return (
    <>
      {parts.map((part, index) =>
        index % 2 === 1 ? (
          <a key={index} href={part} rel="noreferrer">
            {part}
          </a>
        ) : (
          part
        ),
      )}
    </>
  );
}

/**
 * "Utviklingspostkasse": the messages kept instead of sent when no SMTP_URL / SMS_PROVIDER is set
 * (level 6). In production the API answers 404 and the page says so.
 */
export function DevMailboxPage() {
  const { t } = useLanguage();
  const mailbox = usePagedList<DevMailboxView>(['dev-mailbox'], (paging) => api.devMailbox(paging), {
    retry: false,
  });

  let content;
  if (mailbox.isError) {
    const status = mailbox.error instanceof ApiError ? mailbox.error.status : 0;
    content = (
      <p className="notice notice-info" role="status">
        {status === 404
          ? t('devMailbox.unavailable')
          : status === 403
            ? t('devMailbox.forbidden')
            : t('common.errorGeneric')}
      </p>
    );
  } else if (!mailbox.data) {
    content = <p role="status">{t('common.loading')}</p>;
  } else if (mailbox.data.total === 0) {
    content = <p>{t('devMailbox.empty')}</p>;
  } else {
    content = (
      <>
        <p className="muted">{t('devMailbox.count', { count: mailbox.data.total })}</p>
        <ul className="mailbox-list">
          {mailbox.data.items.map((message) => (
            <MailItem key={message.id} message={message} />
          ))}
        </ul>
        <Pager page={mailbox.page} pages={mailbox.pages} onGo={mailbox.setPage} />
      </>
    );
  }

  return (
    <section aria-labelledby="dev-mailbox-title">
      <div className="page-title">
        <h1 id="dev-mailbox-title">{t('devMailbox.title')}</h1>
        {!mailbox.isError && (
          <button
            type="button"
            className="button-quiet"
            aria-disabled={mailbox.isFetching || undefined}
            onClick={() => !mailbox.isFetching && void mailbox.refetch()}
          >
            {t('devMailbox.refresh')}
          </button>
        )}
      </div>
      <p>{t('devMailbox.intro')}</p>
      {mailbox.isRefetchError && <Notice kind="error">{t('common.errorGeneric')}</Notice>}
      {content}
    </section>
  );
}

function MailItem({ message }: { message: Message }) {
  const { t } = useLanguage();
  const headingId = `mail-${message.id}`;
  const channel = message.channel === 'sms' ? t('customerAccess.sms') : t('customerAccess.email');
  return (
    <li className="mail-item" aria-labelledby={headingId}>
      <h2 id={headingId}>{message.subject ?? `${channel}: ${t(`devMailbox.kind_${message.kind}`)}`}</h2>
      <dl className="facts mail-meta">
        <dt>{t('devMailbox.channel')}</dt>
        <dd>
          {channel} · {t(`devMailbox.kind_${message.kind}`)}
        </dd>
        <dt>{t('devMailbox.to')}</dt>
        <dd>{message.channel === 'sms' ? formatPhone(message.to) : message.to}</dd>
        {message.from && (
          <>
            <dt>{t('devMailbox.from')}</dt>
            <dd>{message.from}</dd>
          </>
        )}
        <dt>{t('devMailbox.createdAt')}</dt>
        <dd>{formatDateTime(message.createdAt)}</dd>
        <dt>{t('devMailbox.sentAt')}</dt>
        <dd>{message.sentAt ? formatDateTime(message.sentAt) : t('devMailbox.notSent')}</dd>
      </dl>
      <p className="mail-body">
        <TextWithLinks text={message.text} />
      </p>
    </li>
  );
}
