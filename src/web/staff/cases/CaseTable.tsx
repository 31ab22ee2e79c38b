import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import { pageCount, type Page } from '../../../common/rules/pages.ts';
import { useLanguage } from '../../shared/language.tsx';
import { errorText, Notice, Pager } from '../components.tsx';

/** What every listed case shows: its claim number (a link to the case), address and customer. */
interface CaseRow {
  id: string;
  claimNumber: string;
  address: { street: string; postalCode: string; city: string };
  customerName: string | null;
}

/** A column after claim number, address and customer: its heading and what a case shows in it. */
export interface CaseColumn<C> {
  heading: string;
  cell: (item: C) => ReactNode;
}

/**
 * One page of cases as a table (claim number, address, customer, then `columns`) under their count,
 * with the query's error, loading and empty states and the Pager, which keeps the page in the address
 * (`?page=`). With `emptyOnlyOnFirstPage`, an empty page past the first (the list shrank while it was
 * paged) still shows the table and the Pager, to lead back.
 */
export function CaseTable<C extends CaseRow>({
  cases,
  columns,
  emptyOnlyOnFirstPage = false,
  caseLink = (item) => ({ to: `/cases/${item.id}` }),
}: {
  cases: UseQueryResult<Page<C>>;
  columns: CaseColumn<C>[];
  emptyOnlyOnFirstPage?: boolean;
  /** Where a case's claim number leads (the case page unless a list knows better, e.g. a tab of it). */
  caseLink?: (item: C) => { to: string; state?: unknown };
}) {
  const { t } = useLanguage();
  const [params, setParams] = useSearchParams();
  const page = Number(params.get('page') ?? '1') || 1;
  function goTo(nextPage: number) {
    const next = new URLSearchParams(params);
    next.set('page', String(nextPage));
    setParams(next);
  }
  return (
    <>
      {cases.isError && <Notice kind="error">{errorText(cases.error, t('common.errorGeneric'))}</Notice>}
      {!cases.data ? (
        !cases.isError && <p role="status">{t('common.loading')}</p>
      ) : cases.data.items.length === 0 && (!emptyOnlyOnFirstPage || page === 1) ? (
        <p>{t('cases.empty')}</p>
      ) : (
        <>
          <p className="result-count">{t('cases.count', { count: cases.data.total })}</p>
          <div className="table-scroll">
            {/* On a phone the rows become cards, each cell under its heading (staff.css, .case-table). */}
            <table className="case-table">
              <thead>
                <tr>
                  <th scope="col">{t('cases.claimNumber')}</th>
                  <th scope="col">{t('cases.address')}</th>
                  <th scope="col">{t('cases.customer')}</th>
                  {columns.map((column) => (
                    <th key={column.heading} scope="col">
                      {column.heading}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {cases.data.items.map((item) => (
                  <tr key={item.id}>
                    <td data-label={t('cases.claimNumber')}>
                      <Link {...caseLink(item)}>{item.claimNumber}</Link>
                    </td>
                    <td data-label={t('cases.address')}>
                      {item.address.street}, {item.address.postalCode} {item.address.city}
                    </td>
                    <td data-label={t('cases.customer')}>{item.customerName ?? ''}</td>
                    {columns.map((column) => (
                      <td key={column.heading} data-label={column.heading}>
                        {column.cell(item)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager page={page} pages={pageCount(cases.data)} onGo={goTo} />
        </>
      )}
    </>
  );
}
