/**
 * The customer settlement's arithmetic (issue 20), written once for the server, the staff app and
 * the generated report. Money is an integer number of øre; percentages are basis points (1 % = 100),
 * so nothing is ever a binary fraction. Every line splits its claimed amount into three whole-øre
 * parts that add back to it exactly — the VAT taken out (a line whose VAT is not covered), the
 * depreciation, and what is payable — so rounding can neither lose nor invent an øre. The deductible
 * (egenandel) is taken once per case from the lines' payable sum, never below zero.
 */

/** What a settlement line covers. */
export const settlementLineKinds = [
  'contractor_repair',
  'cash_settlement',
  'own_work',
  'other_costs',
] as const;
export type SettlementLineKind = (typeof settlementLineKinds)[number];

/** Norwegian VAT (merverdiavgift) on the goods and services a claim pays for: 25 %. */
export const VAT_BASIS_POINTS = 2_500;
/** 100 % in basis points. */
export const FULL_BASIS_POINTS = 10_000;

export interface SettlementLineInput {
  kind: SettlementLineKind;
  /** The amount claimed for the line, VAT included, in øre (≥ 0). */
  claimedOre: number;
  /** Depreciation in basis points, 0–10 000 (12,5 % = 1 250). */
  depreciationBasisPoints: number;
  /** Whether the VAT in the claimed amount is covered (a cash settlement's usually is not). */
  vatIncluded: boolean;
}

export interface SettlementLineAmounts {
  claimedOre: number;
  /** The VAT taken out of the claimed amount when it is not covered; 0 otherwise. */
  vatRemovedOre: number;
  depreciationOre: number;
  /** What the line pays: claimed − VAT removed − depreciation. */
  payableOre: number;
}

export interface SettlementTotals {
  lines: SettlementLineAmounts[];
  claimedOre: number;
  vatRemovedOre: number;
  depreciationOre: number;
  /** The sum of the lines' payable amounts, before the deductible. */
  payableOre: number;
  /** The case's deductible as agreed. */
  deductibleOre: number;
  /** The part of the deductible taken: all of it, or the payable sum when that is smaller. */
  deductibleAppliedOre: number;
  /** What the customer is paid: payable − deductible applied, never negative. */
  payoutOre: number;
}

/**
 * `numerator / denominator` rounded to the nearest whole number, halves away from zero (the way a
 * receipt rounds 0,5 øre), for non-negative integers — in BigInt, so the product never loses bits.
 */
export function divideRounded(numerator: bigint, denominator: bigint): bigint {
  if (numerator < 0n || denominator <= 0n)
    throw new RangeError('divideRounded takes a non-negative numerator');
  return (numerator * 2n + denominator) / (denominator * 2n);
}

function assertOre(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RangeError(`${name} must be a whole, non-negative number of øre`);
}

/** One line's parts, each in whole øre, adding back to the claimed amount exactly. */
export function settleLine(line: SettlementLineInput): SettlementLineAmounts {
  assertOre(line.claimedOre, 'claimedOre');
  const basisPoints = line.depreciationBasisPoints;
  if (!Number.isInteger(basisPoints) || basisPoints < 0 || basisPoints > FULL_BASIS_POINTS) {
    throw new RangeError('depreciationBasisPoints must be a whole number from 0 to 10 000');
  }
  const claimed = BigInt(line.claimedOre);
  const net = line.vatIncluded
    ? claimed
    : divideRounded(claimed * BigInt(FULL_BASIS_POINTS), BigInt(FULL_BASIS_POINTS + VAT_BASIS_POINTS));
  const depreciation = divideRounded(net * BigInt(basisPoints), BigInt(FULL_BASIS_POINTS));
  return {
    claimedOre: line.claimedOre,
    vatRemovedOre: Number(claimed - net),
    depreciationOre: Number(depreciation),
    payableOre: Number(net - depreciation),
  };
}

/** The settlement of a case: every line, the sums, the deductible taken once, the payout. */
export function settle(lines: readonly SettlementLineInput[], deductibleOre: number): SettlementTotals {
  assertOre(deductibleOre, 'deductibleOre');
  const settled = lines.map(settleLine);
  const sum = (pick: (line: SettlementLineAmounts) => number) =>
    settled.reduce((total, line) => total + pick(line), 0);
  const claimedOre = sum((line) => line.claimedOre);
  // The parts never exceed the claimed sum, so one check keeps every sum exact in a double.
  if (!Number.isSafeInteger(claimedOre))
    throw new RangeError('The settlement is too large to add up exactly');
  const payableOre = sum((line) => line.payableOre);
  const deductibleAppliedOre = Math.min(deductibleOre, payableOre);
  return {
    lines: settled,
    claimedOre,
    vatRemovedOre: sum((line) => line.vatRemovedOre),
    depreciationOre: sum((line) => line.depreciationOre),
    payableOre,
    deductibleOre,
    deductibleAppliedOre,
    payoutOre: payableOre - deductibleAppliedOre,
  };
}

/** The VAT-included default of a new line of a kind (cash settlements leave VAT out unless the company says otherwise). */
export function defaultVatIncluded(kind: SettlementLineKind, cashSettlementIncludesVat: boolean): boolean {
  return kind === 'cash_settlement' ? cashSettlementIncludesVat : true;
}
