import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  defaultVatIncluded,
  divideRounded,
  settle,
  settleLine,
  settlementLineKinds,
  type SettlementLineInput,
} from './settlement.ts';

const MAX_LINE_ORE = 10_000_000_000_000; // the economy's largest amount (100 billion NOK)

const line = fc.record({
  kind: fc.constantFrom(...settlementLineKinds),
  claimedOre: fc.oneof(fc.integer({ min: 0, max: 1_000_000_000 }), fc.integer({ min: 0, max: MAX_LINE_ORE })),
  depreciationBasisPoints: fc.oneof(
    fc.constantFrom(0, 1, 1_250, 3_333, 5_000, 9_999, 10_000),
    fc.integer({ min: 0, max: 10_000 }),
  ),
  vatIncluded: fc.boolean(),
});
const lines = fc.array(line, { maxLength: 40 });
const deductible = fc.oneof(fc.constantFrom(0, 400_000, 800_000), fc.integer({ min: 0, max: MAX_LINE_ORE }));

describe('settlement arithmetic (properties)', () => {
  it('splits every line into whole-øre parts that add back to the claimed amount exactly', () => {
    fc.assert(
      fc.property(line, (input) => {
        const parts = settleLine(input);
        for (const value of [parts.vatRemovedOre, parts.depreciationOre, parts.payableOre]) {
          expect(Number.isSafeInteger(value) && value >= 0).toBe(true);
        }
        expect(parts.vatRemovedOre + parts.depreciationOre + parts.payableOre).toBe(input.claimedOre);
        if (input.vatIncluded) expect(parts.vatRemovedOre).toBe(0);
        if (input.depreciationBasisPoints === 0) expect(parts.depreciationOre).toBe(0);
      }),
      { numRuns: 2_000 },
    );
  });

  it('pays the sum of the lines minus the deductible, never negative, the deductible taken once', () => {
    fc.assert(
      fc.property(lines, deductible, (inputs, deductibleOre) => {
        const totals = settle(inputs, deductibleOre);
        const payable = totals.lines.reduce((sum, l) => sum + l.payableOre, 0);
        expect(totals.payableOre).toBe(payable);
        expect(totals.payoutOre).toBe(payable - totals.deductibleAppliedOre);
        expect(totals.payoutOre).toBeGreaterThanOrEqual(0);
        expect(totals.deductibleAppliedOre).toBe(Math.min(deductibleOre, payable));
        expect(totals.claimedOre).toBe(totals.vatRemovedOre + totals.depreciationOre + totals.payableOre);
      }),
      { numRuns: 1_000 },
    );
  });

  it('gives the same amounts whatever the order of the lines', () => {
    fc.assert(
      fc.property(lines, deductible, (inputs, deductibleOre) => {
        const forward = settle(inputs, deductibleOre);
        const backward = settle([...inputs].reverse(), deductibleOre);
        expect(backward.payoutOre).toBe(forward.payoutOre);
        expect(backward.lines).toEqual([...forward.lines].reverse());
      }),
    );
  });

  it('rounds like the exact fraction, halves away from zero', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 18n }), fc.bigInt({ min: 1n, max: 10n ** 6n }), (n, d) => {
        const q = divideRounded(n, d);
        // n/d − q lies in [−1/2, 1/2): a half always rounds up.
        const twice = 2n * n - 2n * q * d;
        expect(twice >= -d && twice < d).toBe(true);
      }),
    );
  });
});

describe('settlement arithmetic (worked examples a handler can check by hand)', () => {
  const at = (input: Partial<SettlementLineInput>) =>
    settleLine({
      kind: 'contractor_repair',
      claimedOre: 0,
      depreciationBasisPoints: 0,
      vatIncluded: true,
      ...input,
    });

  it('takes 20 % of a VAT-included amount out when VAT is not covered (25 % on the net)', () => {
    expect(at({ claimedOre: 12_500_00, vatIncluded: false })).toEqual({
      claimedOre: 12_500_00,
      vatRemovedOre: 2_500_00,
      depreciationOre: 0,
      payableOre: 10_000_00,
    });
  });

  it('depreciates the net amount and rounds the half øre up', () => {
    // 10 000,01 kr at 12,5 %: 1 250,00125 kr → 1 250,00 kr; 0,05 kr at 50 % = 0,025 → 0,03 kr.
    expect(at({ claimedOre: 1_000_001, depreciationBasisPoints: 1_250 })).toMatchObject({
      depreciationOre: 125_000,
      payableOre: 875_001,
    });
    expect(at({ claimedOre: 5, depreciationBasisPoints: 5_000 })).toMatchObject({
      depreciationOre: 3,
      payableOre: 2,
    });
  });

  it('never pays below zero when the deductible is larger than the settlement', () => {
    const totals = settle(
      [{ kind: 'own_work', claimedOre: 3_000_00, depreciationBasisPoints: 0, vatIncluded: true }],
      8_000_00,
    );
    expect(totals).toMatchObject({ payableOre: 3_000_00, deductibleAppliedOre: 3_000_00, payoutOre: 0 });
  });

  it('refuses amounts that are not whole non-negative øre and percentages outside 0–100 %', () => {
    expect(() => at({ claimedOre: 10.5 })).toThrow(RangeError);
    expect(() => at({ claimedOre: -1 })).toThrow(RangeError);
    expect(() => at({ depreciationBasisPoints: 10_001 })).toThrow(RangeError);
    expect(() => settle([], -1)).toThrow(RangeError);
  });

  it('leaves VAT out of cash settlements by default unless the company covers it', () => {
    expect(defaultVatIncluded('cash_settlement', false)).toBe(false);
    expect(defaultVatIncluded('cash_settlement', true)).toBe(true);
    expect(defaultVatIncluded('contractor_repair', false)).toBe(true);
  });
});
