import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { useLanguage } from '../../shared/language.tsx';
import { api } from '../api.ts';
import { errorText, Notice, SelectField } from '../components.tsx';
import { formatDateTime } from '../format.ts';

/** The periods the results can be read over, in days. */
const PERIODS = [30, 90, 365] as const;

const average = (value: number | null) =>
  value === null ? '–' : new Intl.NumberFormat('nb-NO', { minimumFractionDigits: 1 }).format(value);

/**
 * Customer satisfaction (level 4): what customers answered on their closed cases' pages, for the
 * company and per case handler at the time of the answer, and the newest comments.
 */
export function SatisfactionPage() {
  const { t } = useLanguage();
  const [days, setDays] = useState<number>(365);
  const results = useQuery({
    queryKey: ['satisfaction', days],
    queryFn: () => {
      const to = new Date();
      return api.satisfaction.results({
        from: new Date(to.getTime() - days * 86_400_000).toISOString(),
        to: to.toISOString(),
      });
    },
  });
  const data = results.data;
  return (
    <section>
      <h1>{t('satisfaction.title')}</h1>
      <p>{t('satisfaction.intro')}</p>
      <SelectField
        label={t('satisfaction.period')}
        value={String(days)}
        options={PERIODS.map((value) => ({
          value: String(value),
          label: t('satisfaction.lastDays', { days: value }),
        }))}
        onChange={(value) => setDays(Number(value))}
      />
      {results.isError ? (
        <Notice kind="error">{errorText(results.error, t('common.errorGeneric'))}</Notice>
      ) : !data ? (
        <p role="status">{t('common.loading')}</p>
      ) : data.company.answers === 0 ? (
        <p>{t('satisfaction.empty')}</p>
      ) : (
        <>
          {/* Scrolls sideways on a phone: focusable, so the keyboard can scroll it too. */}
          <div
            className="table-scroll"
            tabIndex={0}
            role="region"
            aria-label={t('satisfaction.tableCaption')}
          >
            <table>
              <caption className="visually-hidden">{t('satisfaction.tableCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('satisfaction.handler')}</th>
                  <th scope="col">{t('satisfaction.answers')}</th>
                  <th scope="col">{t('satisfaction.average')}</th>
                  {[1, 2, 3, 4, 5].map((score) => (
                    <th scope="col" key={score}>
                      {score}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {data.handlers.map((row) => (
                  <tr key={row.handlerId ?? 'none'}>
                    <th scope="row">{row.handlerName ?? t('satisfaction.noHandler')}</th>
                    <td>{row.answers}</td>
                    <td>{average(row.average)}</td>
                    {row.distribution.map((count, index) => (
                      <td key={index}>{count}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">{t('satisfaction.company')}</th>
                  <td>{data.company.answers}</td>
                  <td>{average(data.company.average)}</td>
                  {data.company.distribution.map((count, index) => (
                    <td key={index}>{count}</td>
                  ))}
                </tr>
              </tfoot>
            </table>
          </div>
          <h2>{t('satisfaction.comments')}</h2>
          {data.comments.length === 0 ? (
            <p>{t('satisfaction.noComments')}</p>
          ) : (
            <ul className="plain-list">
              {data.comments.map((comment) => (
                <li key={`${comment.caseId}-${comment.answeredAt}`}>
                  <p>
                    <strong>{t('satisfaction.score', { score: comment.score })}</strong> —{' '}
                    <Link to={`/cases/${comment.caseId}`}>{comment.claimNumber}</Link>
                    {comment.handlerName ? ` · ${comment.handlerName}` : ''} ·{' '}
                    {formatDateTime(comment.answeredAt)}
                  </p>
                  <blockquote className="satisfaction-comment">{comment.comment}</blockquote>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
