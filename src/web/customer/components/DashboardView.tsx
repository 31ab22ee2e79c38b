import { useId } from 'react';
import type { CustomerVisibility } from '../../../common/rules/visibility.ts';
import { formatDateTime } from '../../shared/format.ts';
import type { CustomerNewsItem, CustomerPageModel } from '../model.ts';
import { newestFirst, type PagedList } from './paged-list.ts';
import { ShowOlder } from './ShowOlder.tsx';
import type { Translate } from './text.ts';

/** The news feed's order: newest first (ties by id, as the API's pages). */
export const newerNewsFirst = newestFirst<CustomerNewsItem>((item) => item.occurredAt);

/**
 * The dashboard (always there): the news feed when the news section is visible — only the kinds of
 * the news filter, newest first, older entries on request — and the plan of upcoming meetings when
 * "plan on dashboard" is on.
 */
export function DashboardView({
  model,
  news: feed,
  visibility,
  t,
}: {
  model: CustomerPageModel;
  /** The news feed: the page answer's first page and the older pages loaded (CustomerPage). */
  news: PagedList<CustomerNewsItem>;
  visibility: CustomerVisibility;
  t: Translate;
}) {
  const newsId = useId();
  const planId = useId();
  const news = visibility.news ? feed.items.filter((item) => visibility.newsKinds.includes(item.kind)) : [];
  const plan = [...model.plan].sort((a, b) => a.meetingAt.localeCompare(b.meetingAt));
  return (
    <>
      <p>{t('customer.dashboard.intro')}</p>
      {visibility.planOnDashboard && (
        <section className="cp-section" aria-labelledby={planId}>
          <h3 id={planId} className="cp-section-title">
            {t('customer.dashboard.plan')}
          </h3>
          {plan.length === 0 ? (
            <p>{t('customer.dashboard.noPlan')}</p>
          ) : (
            <ul className="cp-list">
              {plan.map((item) => (
                <li key={item.id} className="cp-item">
                  <p className="cp-item-title">{item.taskName}</p>
                  <dl className="cp-facts">
                    <div>
                      <dt>{t('customer.dashboard.meeting')}</dt>
                      <dd>
                        <time dateTime={item.meetingAt}>{formatDateTime(item.meetingAt)}</time>
                      </dd>
                    </div>
                    <div>
                      <dt>{t('customer.dashboard.partner')}</dt>
                      <dd>{item.partner ?? t('customer.dashboard.notChosen')}</dd>
                    </div>
                    <div>
                      <dt>{t('customer.dashboard.responsible')}</dt>
                      <dd>{item.responsible ?? t('customer.dashboard.notChosen')}</dd>
                    </div>
                  </dl>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
      {visibility.news && (
        <section className="cp-section" aria-labelledby={newsId}>
          <h3 id={newsId} className="cp-section-title">
            {t('customer.dashboard.news')}
          </h3>
          {news.length === 0 ? (
            <p>{t('customer.dashboard.noNews')}</p>
          ) : (
            <ol className="cp-list cp-news">
              {news.map((item) => (
                <li
                  key={item.id}
                  className="cp-item"
                  data-kind={item.kind}
                  ref={item.id === feed.revealedId ? feed.focusRef : undefined}
                  tabIndex={item.id === feed.revealedId ? -1 : undefined}
                >
                  <time className="cp-time" dateTime={item.occurredAt}>
                    {formatDateTime(item.occurredAt)}
                  </time>
                  <p className="cp-news-text">{item.text}</p>
                </li>
              ))}
            </ol>
          )}
          <ShowOlder list={feed} label={t('customer.older.news')} t={t} />
        </section>
      )}
    </>
  );
}
