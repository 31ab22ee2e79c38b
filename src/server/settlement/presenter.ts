import type {
  SettlementHistoryItemView,
  SettlementVersionView,
  SettlementView,
} from '../../common/contracts/settlement-api.ts';
import { settle } from '../../common/rules/settlement.ts';
import type { Actor } from '../security/actor.ts';
import type { SettlementLinesTable, SettlementsTable } from '../db/schema.ts';
import { settlementPolicy } from './policy.ts';

// What staff see of a case's settlement: every stored field a view names, and the amounts computed
// by settle() (rules/settlement.ts) on read — they are never stored, so they cannot disagree.

/** One version with its lines, each line's amounts and the totals. */
export function presentVersion(row: SettlementsTable, lines: SettlementLinesTable[]): SettlementVersionView {
  const inputs = lines.map((line) => ({
    kind: line.kind,
    claimedOre: Number(line.claimed_ore),
    depreciationBasisPoints: line.depreciation_basis_points,
    vatIncluded: line.vat_included === 1,
  }));
  const { lines: amounts, ...totals } = settle(inputs, Number(row.deductible_ore));
  return {
    id: row.id,
    caseId: row.case_id,
    version: row.version,
    revision: row.revision,
    status: row.status,
    deductibleOre: Number(row.deductible_ore),
    lines: lines.map((line, index) => {
      const amount = amounts[index]!;
      return {
        id: line.id,
        position: line.position,
        kind: line.kind,
        description: line.description,
        claimedOre: amount.claimedOre,
        depreciationBasisPoints: line.depreciation_basis_points,
        depreciationReason: line.depreciation_reason,
        vatIncluded: line.vat_included === 1,
        vatRemovedOre: amount.vatRemovedOre,
        depreciationOre: amount.depreciationOre,
        payableOre: amount.payableOre,
      };
    }),
    totals,
    decidedAt: row.decided_at,
    approvedBy: row.approved_by,
    supersedesId: row.supersedes_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function presentHistoryItem(version: SettlementVersionView): SettlementHistoryItemView {
  return {
    id: version.id,
    version: version.version,
    status: version.status,
    payoutOre: version.totals.payoutOre,
    decidedAt: version.decidedAt,
    approvedBy: version.approvedBy,
    createdAt: version.createdAt,
  };
}

/** The case's settlement: the newest version in full, the earlier ones briefly, what the actor may do. */
export function presentSettlement(
  actor: Actor,
  caseId: string,
  rows: SettlementsTable[],
  lines: SettlementLinesTable[],
  cashSettlementIncludesVat: boolean,
): SettlementView {
  // rows come newest first.
  const versions = rows.map((row) =>
    presentVersion(
      row,
      lines.filter((line) => line.settlement_id === row.id).sort((a, b) => a.position - b.position),
    ),
  );
  const current = versions[0] ?? null;
  return {
    caseId,
    current,
    approvedVersionId: versions.find((version) => version.status === 'approved')?.id ?? null,
    history: versions.slice(1).map(presentHistoryItem),
    cashSettlementIncludesVat,
    allowed: {
      save: settlementPolicy.save(actor) && (current === null || current.status === 'draft'),
      approve: settlementPolicy.approve(actor) && current?.status === 'draft' && current.lines.length > 0,
      newVersion: settlementPolicy.save(actor) && current?.status === 'approved',
    },
  };
}
