import { useQuery } from '@tanstack/react-query';
import type { CaseView } from '../../../common/contracts/case-api.ts';
import type { CostControlRowView, CostControlView } from '../../../common/contracts/settlement-api.ts';
import { useLanguage } from '../../shared/language.tsx';
import { useSettlementText } from './settlement-texts.ts';
import { errorText, Notice } from '../components.tsx';
import { formatAmount } from '../format.ts';
import { caseKeys } from './case-data.ts';
import { LogButton } from './CaseLog.tsx';
import { settlementApi } from './settlement-data.ts';

/** Under the case's key, so an economy change (which invalidates the case) fetches it again. */
export const costControlKey = (caseId: string) => [...caseKeys.one(caseId), 'cost-control'] as const;

/**
 * The guide's "Kostnadskontroll": per partner office what was quoted, invoiced, approved and still
 * awaits approval, with totals; then the case budget against the invoices — remaining and variance,
 * over budget said in words (and a sign), not by colour alone. A table from 40rem, a card per office
 * on a phone (staff.css, .cost-table).
 */
export function CostControlTab({ kase }: { kase: CaseView }) {
  const { t } = useLanguage();
  const cost = useQuery({
    queryKey: costControlKey(kase.id),
    queryFn: () => settlementApi.costControl(kase.id),
  });
  return (
    <>
      <div className="panel-title">
        <h3>{t('tabs.costControl')}</h3>
        <LogButton caseId={kase.id} topic="economy" title={t('budget.logTitle')} />
      </div>
      {cost.isError ? (
        <Notice kind="error">{errorText(cost.error, t('common.errorGeneric'))}</Notice>
      ) : !cost.data ? (
        <p role="status">{t('common.loading')}</p>
      ) : (
        <>
          <OfficeTable data={cost.data} />
          <BudgetFigures totals={cost.data.totals} />
        </>
      )}
    </>
  );
}

function OfficeTable({ data }: { data: CostControlView }) {
  const { t } = useLanguage();
  const s = useSettlementText();
  if (data.offices.length === 0) return <p className="muted">{s('costControl.empty')}</p>;
  const columns: Array<{
    label: string;
    pick: (row: CostControlView['totals'] | CostControlRowView) => number;
  }> = [
    { label: s('costControl.quoted'), pick: (row) => row.quotedOre },
    { label: s('costControl.invoiced'), pick: (row) => row.invoicedOre },
    { label: s('costControl.approved'), pick: (row) => row.approvedOre },
    { label: s('costControl.awaiting'), pick: (row) => row.awaitingApprovalOre },
  ];
  const officeName = (office: CostControlRowView['office']) =>
    office ? `${office.name} (${office.partnerName})` : t('invoices.outsidePartner');
  return (
    <div className="table-scroll">
      <table className="cost-table">
        <thead>
          <tr>
            <th scope="col">{s('costControl.office')}</th>
            {columns.map((column) => (
              <th key={column.label} scope="col" className="amount">
                {column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {data.offices.map((row) => (
            <tr key={row.office?.id ?? 'none'}>
              <th scope="row">{officeName(row.office)}</th>
              {columns.map((column) => (
                <td key={column.label} className="amount" data-label={column.label}>
                  {formatAmount(column.pick(row))}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{s('costControl.total')}</th>
            {columns.map((column) => (
              <td key={column.label} className="amount" data-label={column.label}>
                <strong>{formatAmount(column.pick(data.totals))}</strong>
              </td>
            ))}
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

/** The case budget against what was invoiced and approved. */
function BudgetFigures({ totals }: { totals: CostControlView['totals'] }) {
  const s = useSettlementText();
  return (
    <section className="tab-section cost-budget" aria-labelledby="cost-budget-title">
      <h4 id="cost-budget-title">{s('costControl.budgetTitle')}</h4>
      <dl className="settlement-figures">
        <dt>{s('costControl.budgeted')}</dt>
        <dd>{formatAmount(totals.budgetedOre)}</dd>
        <dt>{s('costControl.invoiced')}</dt>
        <dd>{formatAmount(totals.invoicedOre)}</dd>
        <dt>{s('costControl.approved')}</dt>
        <dd>{formatAmount(totals.approvedOre)}</dd>
        <dt>{s('costControl.remaining')}</dt>
        <dd className={totals.remainingOre < 0 ? 'over-budget' : undefined}>
          {formatAmount(totals.remainingOre)}
        </dd>
        <dt>{s('costControl.variance')}</dt>
        <dd className={totals.overBudget ? 'over-budget' : undefined}>{formatAmount(totals.varianceOre)}</dd>
      </dl>
      {totals.overBudget ? (
        <p className="over-budget" data-testid="over-budget">
          <span aria-hidden="true">⚠ </span>
          {s('costControl.overBudget', { amount: formatAmount(totals.varianceOre) })}
        </p>
      ) : (
        <p>{s('costControl.withinBudget')}</p>
      )}
    </section>
  );
}
