import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import type { DashboardRow } from '../../../common/contracts/economy-api.ts';
import type { DashboardColumn } from '../../../common/rules/oslo-date.ts';
import { useLanguage } from '../../shared/language.tsx';
import { api } from '../api.ts';
import { CaseTable } from '../cases/CaseTable.tsx';
import { formatDate } from '../format.ts';

const PAGE_SIZE = 25;

/** The cases behind one number of the dashboard, most urgent first, in pages of 25. */
export function DashboardCases({ row, column }: { row: DashboardRow; column: DashboardColumn }) {
  const { t } = useLanguage();
  const [params] = useSearchParams();
  const page = Number(params.get('page') ?? '1') || 1;
  const query = { row, column, page, pageSize: PAGE_SIZE };
  const cases = useQuery({
    queryKey: ['dashboard', 'cases', row, column, page],
    queryFn: () => api.dashboard.cases(query),
  });
  return (
    <>
      <div className="notice notice-info">
        <p>{t('cases.dashboardFilter', { row: t(`dashboard.${row}`), column: t(`dashboard.${column}`) })}</p>
        <Link to="/cases">{t('cases.clearFilter')}</Link>
      </div>
      <CaseTable
        cases={cases}
        emptyOnlyOnFirstPage
        columns={[
          {
            heading: t('dashboard.earliestDue'),
            cell: (item) => (item.earliestDueOn ? formatDate(item.earliestDueOn) : t('dashboard.noDue')),
          },
        ]}
      />
    </>
  );
}
