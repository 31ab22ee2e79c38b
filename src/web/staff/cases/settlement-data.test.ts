import { describe, expect, it } from 'vitest';
import {
  liveFigures,
  newLine,
  parseLine,
  parsePercent,
  percentInput,
  type LineForm,
} from './settlement-data.ts';

// The settlement form's parsing (issue 20): percentages as Norwegians type them, and the live figures
// the tab shows while typing, from the same rule as the server.

const line = (change: Partial<LineForm>): LineForm => ({
  ...newLine(1, 'contractor_repair', false),
  ...change,
});

describe('the settlement form', () => {
  it('reads a percentage as basis points, and refuses what is not 0–100 %', () => {
    expect(parsePercent('12,5')).toBe(1_250);
    expect(parsePercent(' 12.25 % ')).toBe(1_225);
    expect(parsePercent('100')).toBe(10_000);
    expect(parsePercent('')).toBe(0);
    expect(parsePercent('100,01')).toBeNull();
    expect(parsePercent('-5')).toBeNull();
    expect(parsePercent('1,234')).toBeNull();
    expect(parsePercent('tjue')).toBeNull();
  });

  it('writes basis points back as the percentage typed', () => {
    for (const text of ['0', '12,5', '12,25', '100'])
      expect(percentInput(parsePercent(text) ?? -1)).toBe(text);
  });

  it('defaults VAT by kind and the company setting', () => {
    expect(newLine(1, 'cash_settlement', false).vatIncluded).toBe(false);
    expect(newLine(1, 'cash_settlement', true).vatIncluded).toBe(true);
    expect(newLine(1, 'own_work', false).vatIncluded).toBe(true);
  });

  it('asks for the reason of a depreciation, and names a bad amount', () => {
    expect(parseLine(line({ claimed: '100', depreciation: '10' })).problems).toEqual({
      claimed: false,
      depreciation: false,
      reason: true,
    });
    expect(parseLine(line({ claimed: '12,345', depreciation: '101' })).problems).toEqual({
      claimed: true,
      depreciation: true,
      reason: false,
    });
  });

  it('computes the payout live: 50 000 − 20 %, 10 000 cash without VAT, 8 000 deductible → 40 000', () => {
    const figures = liveFigures(
      [
        line({ claimed: '50 000', depreciation: '20', depreciationReason: 'Alder' }),
        line({ key: 2, kind: 'cash_settlement', claimed: '10 000', vatIncluded: false }),
      ],
      '8 000',
    );
    expect(figures.lines.map((l) => l?.payableOre)).toEqual([4_000_000, 800_000]);
    expect(figures.totals?.vatRemovedOre).toBe(200_000);
    expect(figures.totals?.payoutOre).toBe(4_000_000);
  });

  it('shows no totals while a line or the deductible is not an amount', () => {
    const figures = liveFigures([line({ claimed: '50 000' }), line({ key: 2, claimed: 'x' })], '0');
    expect(figures.lines[0]?.payableOre).toBe(5_000_000);
    expect(figures.lines[1]).toBeNull();
    expect(figures.totals).toBeNull();
    expect(liveFigures([line({ claimed: '1' })], 'mye').totals).toBeNull();
  });
});
