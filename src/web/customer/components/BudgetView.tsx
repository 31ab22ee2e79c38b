import { formatAmount } from '../../shared/format.ts';
import type { CustomerBudgetLine } from '../model.ts';
import type { Translate } from './text.ts';

/** The case budget: its lines and the total, in kroner (nb-NO). */
export function BudgetView({ lines, t }: { lines: CustomerBudgetLine[]; t: Translate }) {
  if (lines.length === 0) return <p>{t('customer.budget.empty')}</p>;
  const total = lines.reduce((sum, line) => sum + line.amountOre, 0);
  return (
    <table className="cp-table">
      <caption className="cp-visually-hidden">{t('customer.budget.caption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('customer.budget.description')}</th>
          <th scope="col" className="cp-amount">
            {t('customer.budget.amount')}
          </th>
        </tr>
      </thead>
      <tbody>
        {lines.map((line) => (
          <tr key={line.id}>
            <td>{line.description}</td>
            <td className="cp-amount">{formatAmount(line.amountOre)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">{t('customer.budget.total')}</th>
          <td className="cp-amount">{formatAmount(total)}</td>
        </tr>
      </tfoot>
    </table>
  );
}
