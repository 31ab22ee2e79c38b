import { useRef, useState } from 'react';
import { Link } from 'react-router';
import type { NotificationView } from '../../../common/contracts/message-api.ts';
import { useLanguage } from '../../shared/language.tsx';
import { FOCUS_COMMUNICATION } from '../cases/communication-data.ts';
import { errorText, Notice, ShowOlder } from '../components.tsx';
import { formatDateTime } from '../format.ts';
import { useMarkNotificationsRead, useNotificationPages } from './notification-data.ts';

/**
 * "Varsler": what customers wrote on the user's cases (spec §10, "the case handler receives a
 * notification"), newest first, each leading to the case's customer communication.
 */
export function NotificationsPage() {
  const { t } = useLanguage();
  const list = useNotificationPages();
  const mark = useMarkNotificationsRead();
  const [allDone, setAllDone] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const data = list.first;

  function markAll() {
    if (mark.isPending) return;
    setAllDone(false);
    mark.mutate(null, {
      onSuccess: () => {
        setAllDone(true);
        // The button goes away: keep the keyboard user's place at the top of the page.
        requestAnimationFrame(() => heading.current?.focus());
      },
    });
  }

  return (
    <section aria-labelledby="notifications-title" className="notifications-page">
      <div className="page-title">
        <h1 id="notifications-title" ref={heading} tabIndex={-1}>
          {t('notifications.title')}
        </h1>
        {data && data.unread > 0 && (
          <button
            type="button"
            className="button-quiet"
            aria-disabled={mark.isPending || undefined}
            onClick={markAll}
          >
            {t('notifications.markAllRead')}
          </button>
        )}
      </div>
      <p className="muted">{t('notifications.intro')}</p>
      {allDone && <Notice kind="success">{t('notifications.markedAll')}</Notice>}
      {mark.isError && <Notice kind="error">{errorText(mark.error, t('common.errorGeneric'))}</Notice>}
      {list.isError && !data ? (
        <Notice kind="error">{errorText(list.error, t('notifications.loadError'))}</Notice>
      ) : !data ? (
        <p role="status">{t('common.loading')}</p>
      ) : (
        <>
          <p className="notification-count">
            <strong>
              {data.unread === 0
                ? t('notifications.unreadNone')
                : t('notifications.unreadCount', { count: data.unread })}
            </strong>
          </p>
          {list.items.length === 0 ? (
            <p>{t('notifications.empty')}</p>
          ) : (
            <ul className="notification-list">
              {list.items.map((notification) => (
                <NotificationItem
                  key={notification.id}
                  notification={notification}
                  busy={mark.isPending}
                  onRead={(then) => mark.mutate(notification.id, { onSuccess: then })}
                />
              ))}
            </ul>
          )}
          <ShowOlder list={list} />
        </>
      )}
    </section>
  );
}

function NotificationItem({
  notification: n,
  busy,
  onRead,
}: {
  notification: NotificationView;
  busy: boolean;
  onRead: (then?: () => void) => void;
}) {
  const { t } = useLanguage();
  const link = useRef<HTMLAnchorElement>(null);
  const unread = n.readAt === null;
  return (
    <li className={unread ? 'notification notification-unread' : 'notification'}>
      <p className="notification-head">
        <Link
          ref={link}
          to={`/cases/${encodeURIComponent(n.caseId)}#communication`}
          state={FOCUS_COMMUNICATION}
          // Opening the case is reading the notification.
          onClick={() => unread && onRead()}
        >
          {t('notifications.customerMessage', { from: n.from, claimNumber: n.claimNumber })}
        </Link>
        {unread && <span className="badge badge-new">{t('notifications.unread')}</span>}
      </p>
      <dl className="document-meta">
        <div>
          <dt>{t('notifications.claimNumber')}</dt>
          <dd>{n.claimNumber}</dd>
        </div>
        <div>
          <dt>{t('notifications.address')}</dt>
          <dd>{n.address}</dd>
        </div>
        <div>
          <dt>{t('notifications.time')}</dt>
          <dd>
            <time dateTime={n.createdAt}>{formatDateTime(n.createdAt)}</time>
          </dd>
        </div>
      </dl>
      {unread && (
        <div className="button-row">
          <button
            type="button"
            className="button-quiet button-small"
            aria-label={t('notifications.markReadLabel', { from: n.from, claimNumber: n.claimNumber })}
            aria-disabled={busy || undefined}
            onClick={() => {
              // The button goes away: the focus moves to the notification's link.
              if (!busy) onRead(() => requestAnimationFrame(() => link.current?.focus()));
            }}
          >
            {t('notifications.markRead')}
          </button>
        </div>
      )}
    </li>
  );
}
