import { useQuery } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { caseStatuses } from '../../../common/contracts/case-schemas.ts';
import { dashboardRows } from '../../../common/contracts/economy-api.ts';
import { dashboardColumns } from '../../../common/rules/oslo-date.ts';
import { useLanguage } from '../../shared/language.tsx';
import { api } from '../api.ts';
import { Field, SelectField } from '../components.tsx';
import { formatDay } from '../format.ts';
import { DashboardCases } from '../dashboard/DashboardCases.tsx';
import { caseKeys, userOptions, useUsers } from './case-data.ts';
import { CaseTable } from './CaseTable.tsx';
import { StatusBadge } from './StatusBadge.tsx';

const PAGE_SIZE = 25;
/** Query parameters of the page's address that the list passes on to the API. */
const passed = ['q', 'status', 'handlerId', 'page'] as const;

/**
 * The company's cases: search, filter by status and case handler, pages of 25. With `row` and
 * `column` in the address it lists the cases behind one number of the dashboard instead.
 */
export function CaseListPage() {
  const { t } = useLanguage();
  const [params, setParams] = useSearchParams();
  const query = new URLSearchParams();
  const filter: { [name in (typeof passed)[number] | 'pageSize']?: string | number } = {};
  for (const name of passed) {
    const value = params.get(name);
    if (value) {
      query.set(name, value);
      filter[name] = value;
    }
  }
  query.set('pageSize', String(PAGE_SIZE));
  filter.pageSize = PAGE_SIZE;
  const dashboardRow = dashboardRows.find((row) => row === params.get('row'));
  const dashboardColumn = dashboardColumns.find((column) => column === params.get('column'));
  const fromDashboard =
    dashboardRow && dashboardColumn ? { row: dashboardRow, column: dashboardColumn } : null;
  const cases = useQuery({
    queryKey: [...caseKeys.list, query.toString()],
    queryFn: () => api.cases.list(filter),
    enabled: !fromDashboard,
  });
  const users = useUsers();
  const [q, setQ] = useState(params.get('q') ?? '');
  const [status, setStatus] = useState(params.get('status') ?? '');
  const [handlerId, setHandlerId] = useState(params.get('handlerId') ?? '');
  // A link (the menu, "show all cases") changes the address: the fields follow it.
  const paramsKey = params.toString();
  useEffect(() => {
    const current = new URLSearchParams(paramsKey);
    setQ(current.get('q') ?? '');
    setStatus(current.get('status') ?? '');
    setHandlerId(current.get('handlerId') ?? '');
  }, [paramsKey]);

  function search(event: FormEvent) {
    event.preventDefault();
    const next = new URLSearchParams();
    if (q.trim()) next.set('q', q.trim());
    if (status) next.set('status', status);
    if (handlerId) next.set('handlerId', handlerId);
    setParams(next);
  }

  return (
    <section>
      <div className="page-title">
        <h1>{t('cases.title')}</h1>
        <Link className="button-link" to="/cases/new">
          {t('cases.newCase')}
        </Link>
      </div>
      <form className="filters" role="search" aria-label={t('cases.filters')} onSubmit={search}>
        <Field
          label={t('cases.search')}
          type="search"
          value={q}
          placeholder={t('cases.searchHint')}
          onChange={(event) => setQ(event.target.value)}
        />
        <SelectField
          label={t('cases.status')}
          value={status}
          onChange={setStatus}
          options={[
            { value: '', label: t('cases.allStatuses') },
            ...caseStatuses.map((s) => ({ value: s, label: t(`caseStatus.${s}`) })),
          ]}
        />
        <SelectField
          label={t('cases.handler')}
          value={handlerId}
          onChange={setHandlerId}
          options={[{ value: '', label: t('cases.allHandlers') }, ...userOptions(users.data)]}
        />
        <button type="submit" className="button-primary">
          {t('cases.search')}
        </button>
      </form>
      {fromDashboard ? (
        <DashboardCases row={fromDashboard.row} column={fromDashboard.column} />
      ) : (
        <CaseTable
          cases={cases}
          columns={[
            { heading: t('cases.status'), cell: (item) => <StatusBadge status={item.status} /> },
            { heading: t('cases.handler'), cell: (item) => item.caseHandler?.name ?? '' },
            { heading: t('cases.createdAt'), cell: (item) => formatDay(item.createdAt) },
          ]}
        />
      )}
    </section>
  );
}
