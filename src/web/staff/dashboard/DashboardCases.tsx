import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import type { DashboardRow } from '../../../common/economy-api.ts';
import type { DashboardColumn } from '../../../common/oslo-date.ts';
import { useLanguage } from '../../shared/language.tsx';
import { api } from '../api.ts';
import { errorText, Notice, Pager } from '../components.tsx';
import { formatDate } from '../format.ts';

const PAGE_SIZE = 25;

/** The cases behind one number of the dashboard, most urgent first, in pages of 25. */
export function DashboardCases({ row, column }: { row: DashboardRow; column: DashboardColumn }) {
  const { t } = useLanguage();
  const [params, setParams] = useSearchParams();
  const page = Number(params.get('page') ?? '1') || 1;
  const query = { row, column, page, pageSize: PAGE_SIZE };
  const cases = useQuery({
    queryKey: ['dashboard', 'cases', row, column, page],
    queryFn: () => api.dashboard.cases(query),
  });
  const pages = cases.data ? Math.max(1, Math.ceil(cases.data.total / cases.data.pageSize)) : 1;
  function goTo(nextPage: number) {
    const next = new URLSearchParams(params);
    next.set('page', String(nextPage));
    setParams(next);
  }
  return (
    <>
      <div className="notice notice-info">
        <p>{t('cases.dashboardFilter', { row: t(`dashboard.${row}`), column: t(`dashboard.${column}`) })}</p>
        <Link to="/cases">{t('cases.clearFilter')}</Link>
      </div>
      {cases.isError && <Notice kind="error">{errorText(cases.error, t('common.errorGeneric'))}</Notice>}
      {!cases.data ? (
        !cases.isError && <p role="status">{t('common.loading')}</p>
      ) : cases.data.items.length === 0 && page === 1 ? (
        <p>{t('cases.empty')}</p>
      ) : (
        <>
          <p className="result-count">{t('cases.count', { count: cases.data.total })}</p>
          <div className="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('cases.claimNumber')}</th>
                  <th scope="col">{t('cases.address')}</th>
                  <th scope="col">{t('cases.customer')}</th>
                  <th scope="col">{t('dashboard.earliestDue')}</th>
                </tr>
              </thead>
              <tbody>
                {cases.data.items.map((item) => (
                  <tr key={item.id}>
                    <td>
                      <Link to={`/cases/${item.id}`}>{item.claimNumber}</Link>
                    </td>
                    <td>
                      {item.address.street}, {item.address.postalCode} {item.address.city}
                    </td>
                    <td>{item.customerName ?? ''}</td>
                    <td>{item.earliestDueOn ? formatDate(item.earliestDueOn) : t('dashboard.noDue')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager page={page} pages={pages} onGo={goTo} />
        </>
      )}
    </>
  );
}
