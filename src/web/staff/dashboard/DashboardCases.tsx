import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { DashboardRow, DashboardCaseView } from '../../../common/economy-api.ts';
import type { DashboardColumn } from '../../../common/oslo-date.ts';
import { useLanguage } from '../../shared/language.tsx';
import { api } from '../api.ts';
import { errorText, Notice } from '../components.tsx';
import { formatDate } from '../format.ts';

/** The cases behind one number of the dashboard, most urgent first. */
export function DashboardCases({ row, column }: { row: DashboardRow; column: DashboardColumn }) {
  const { t } = useLanguage();
  const query = new URLSearchParams({ row, column }).toString();
  const cases = useQuery({
    queryKey: ['dashboard', 'cases', query],
    queryFn: () => api<DashboardCaseView[]>('GET', `/api/dashboard/cases?${query}`),
  });
  return (
    <>
      <div className="notice notice-info">
        <p>{t('cases.dashboardFilter', { row: t(`dashboard.${row}`), column: t(`dashboard.${column}`) })}</p>
        <Link to="/cases">{t('cases.clearFilter')}</Link>
      </div>
      {cases.isError && <Notice kind="error">{errorText(cases.error, t('common.errorGeneric'))}</Notice>}
      {!cases.data ? (
        !cases.isError && <p role="status">{t('common.loading')}</p>
      ) : cases.data.length === 0 ? (
        <p>{t('cases.empty')}</p>
      ) : (
        <>
          <p className="result-count">{t('cases.count', { count: cases.data.length })}</p>
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
                {cases.data.map((item) => (
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
        </>
      )}
    </>
  );
}
