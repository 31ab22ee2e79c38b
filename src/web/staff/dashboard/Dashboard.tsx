import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { dashboardRows } from '../../../common/contracts/economy-api.ts';
import { dashboardColumns } from '../../../common/rules/oslo-date.ts';
import { useLanguage } from '../../shared/language.tsx';
import { api } from '../api.ts';
import { errorText, Notice } from '../components.tsx';

export const DASHBOARD_QUERY = ['dashboard'] as const;

/** The address of the case list behind one number of the dashboard. */
export function dashboardCellHref(row: string, column: string): string {
  return `/cases?${new URLSearchParams({ row, column }).toString()}`;
}

/**
 * The staff dashboard (spec §11): Today / Tomorrow / Later for five kinds of follow-up; every number
 * links to the list of those cases.
 */
export function Dashboard() {
  const { t } = useLanguage();
  const dashboard = useQuery({
    queryKey: DASHBOARD_QUERY,
    queryFn: () => api.dashboard.get(),
  });
  if (dashboard.isError)
    return <Notice kind="error">{errorText(dashboard.error, t('common.errorGeneric'))}</Notice>;
  if (!dashboard.data) return <p role="status">{t('common.loading')}</p>;
  const byRow = new Map(dashboard.data.rows.map((row) => [row.row, row]));
  return (
    <section aria-labelledby="dashboard-title">
      <h2 id="dashboard-title">{t('dashboard.title')}</h2>
      <div className="table-scroll">
        <table className="dashboard-table">
          <caption className="visually-hidden">{t('dashboard.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('dashboard.cases')}</th>
              {dashboardColumns.map((column) => (
                <th key={column} scope="col" className="count">
                  {t(`dashboard.${column}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {dashboardRows.map((row) => {
              const counts = byRow.get(row);
              return (
                <tr key={row}>
                  <th scope="row">{t(`dashboard.${row}`)}</th>
                  {dashboardColumns.map((column) => {
                    const count = counts?.[column] ?? 0;
                    return (
                      <td key={column} className="count">
                        <Link
                          to={dashboardCellHref(row, column)}
                          className={count > 0 ? 'count-link count-some' : 'count-link'}
                        >
                          {count}
                          <span className="visually-hidden">
                            {' '}
                            –{' '}
                            {t('dashboard.linkLabel', {
                              row: t(`dashboard.${row}`),
                              column: t(`dashboard.${column}`),
                            })}
                          </span>
                        </Link>
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
