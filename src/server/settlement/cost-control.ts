import type { CostControlRowView, CostControlView } from '../../common/contracts/settlement-api.ts';
import { authorize, type Actor } from '../security/actor.ts';
import { loadCase } from '../cases/access.ts';
import type { Db } from '../db/database.ts';
import { settlementPolicy } from './policy.ts';
import { budgetTotalOfCase, invoiceAmountsOfCase, quoteRequestAmountsOfCase } from './queries.ts';

// Cost control of a case (issue 20, item 1; spec §9 "Kostnadskontroll"): the budget against the quote
// requests and invoices per partner office, read from the economy module's tables on every request
// (nothing stored twice). The budget is the case's — budget lines carry no office — so it stands in
// the totals: remaining = budgeted − approved, variance = invoiced − budgeted (over budget when > 0).

interface OfficeFields {
  office_id: string | null;
  office_name: string | null;
  partner_name: string | null;
}

/** The case's cost control: one row per partner office (then the row without one) and the totals. */
export async function getCostControl(db: Db, actor: Actor, caseId: string): Promise<CostControlView> {
  authorize(actor, settlementPolicy.read);
  const row = await loadCase(db, actor, caseId);
  const [budgetedOre, quotes, invoices] = await Promise.all([
    budgetTotalOfCase(db, row.id),
    quoteRequestAmountsOfCase(db, row.id),
    invoiceAmountsOfCase(db, row.id),
  ]);
  const offices = new Map<string, CostControlRowView>();
  const rowOf = (item: OfficeFields): CostControlRowView => {
    const key = item.office_id ?? '';
    let found = offices.get(key);
    if (!found) {
      found = {
        office: item.office_id
          ? { id: item.office_id, name: item.office_name ?? '', partnerName: item.partner_name ?? '' }
          : null,
        quotedOre: 0,
        invoicedOre: 0,
        approvedOre: 0,
        awaitingApprovalOre: 0,
        quoteRequests: 0,
        invoices: 0,
      };
      offices.set(key, found);
    }
    return found;
  };
  for (const quote of quotes) {
    const target = rowOf(quote);
    target.quoteRequests += 1;
    if (quote.status === 'answered' && quote.amount_ore !== null && quote.amount_ore !== undefined) {
      target.quotedOre += Number(quote.amount_ore);
    }
  }
  for (const invoice of invoices) {
    const target = rowOf(invoice);
    const amount = Number(invoice.amount_ore);
    target.invoices += 1;
    target.invoicedOre += amount;
    if (invoice.status === 'approved') target.approvedOre += amount;
    else target.awaitingApprovalOre += amount;
  }
  const rows = [...offices.values()].sort(byOffice);
  const sum = (pick: (item: CostControlRowView) => number) =>
    rows.reduce((total, item) => total + pick(item), 0);
  const invoicedOre = sum((item) => item.invoicedOre);
  const approvedOre = sum((item) => item.approvedOre);
  return {
    caseId: row.id,
    offices: rows,
    totals: {
      budgetedOre,
      quotedOre: sum((item) => item.quotedOre),
      invoicedOre,
      approvedOre,
      awaitingApprovalOre: sum((item) => item.awaitingApprovalOre),
      remainingOre: budgetedOre - approvedOre,
      varianceOre: invoicedOre - budgetedOre,
      overBudget: invoicedOre > budgetedOre,
    },
  };
}

/** By partner name, then office name (nb collation); the row without an office last. */
function byOffice(a: CostControlRowView, b: CostControlRowView): number {
  if (!a.office || !b.office) return a.office ? -1 : b.office ? 1 : 0;
  return (
    a.office.partnerName.localeCompare(b.office.partnerName, 'nb') ||
    a.office.name.localeCompare(b.office.name, 'nb') ||
    a.office.id.localeCompare(b.office.id)
  );
}
