import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import type { DashboardRow } from '../../../common/contracts/economy-api.ts';
import type { DashboardColumn } from '../../../common/rules/oslo-date.ts';
import { useLanguage } from '../../shared/language.tsx';
import { api } from '../api.ts';
import { CaseTable } from '../cases/CaseTable.tsx';
import { FOCUS_INVOICES, FOCUS_QUOTE_REQUESTS, invoicesTabPath } from '../cases/economy-data.ts';
import { formatDate } from '../format.ts';

const PAGE_SIZE = 25;

/** Rows whose items are handled on a tab of the case: their cases open on it. */
const rowTab: Partial<Record<DashboardRow, (caseId: string) => { to: string; state: unknown }>> = {
  quoteRequests: (caseId) => ({ to: invoicesTabPath(caseId), state: FOCUS_QUOTE_REQUESTS }),
  invoicesAwaitingApproval: (caseId) => ({ to: invoicesTabPath(caseId), state: FOCUS_INVOICES }),
};

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
        caseLink={(item) => rowTab[row]?.(item.id) ?? { to: `/cases/${item.id}` }}
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
