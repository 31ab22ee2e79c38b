import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { flatText, pdfText } from '../../../test/support/pdf-text.ts';
import { settle } from '../../common/rules/settlement.ts';
import { renderSettlementReport, type SettlementReportInput } from './render-settlement-report.ts';
import { formatMoney } from './report-texts.ts';

// The settlement report's PDF read back as a customer's reader sees it: the figures settle() computes,
// Norwegian letters intact, nb and en, long text wrapped, many lines continued on the next pages.

const spaces = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

function input(overrides: Partial<SettlementReportInput['settlement']> = {}, language: 'nb' | 'en' = 'nb') {
  return {
    language,
    company: {
      name: 'Skadeforsikring Ålesund AS',
      primaryColor: '#1f5f3a',
      logo: null,
      contactForMoreInfo: 'Spørsmål om oppgjøret? Ring 22 12 34 56.\nSkriv til oss på kundesiden.',
    },
    case: {
      claimNumber: 'SK-2026-ØÅ1',
      street: 'Bjørnstjerne Bjørnsons gate 7',
      postalCode: '3044',
      city: 'Drammen',
    },
    settlement: {
      version: 1,
      supersedesVersion: null,
      decidedAt: '2026-12-06T23:30:00.000Z',
      deductibleOre: 800_000,
      lines: [
        {
          kind: 'contractor_repair',
          description: 'Nytt parkettgulv i stue og gang',
          claimedOre: 4_512_345,
          depreciationBasisPoints: 0,
          depreciationReason: null,
          vatIncluded: true,
        },
        {
          kind: 'cash_settlement',
          description: 'Vaskemaskin, kjøpt 2019',
          claimedOre: 899_900,
          depreciationBasisPoints: 3_750,
          depreciationReason: 'Alder fem år, slitasje på trommel',
          vatIncluded: false,
        },
      ],
      ...overrides,
    },
  } satisfies SettlementReportInput;
}

describe('renderSettlementReport', () => {
  it('writes the lines, the deductible and the payout settle() computes, with æøå, in nb', async () => {
    const report = input();
    const totals = settle(report.settlement.lines, report.settlement.deductibleOre);
    const [text, ...more] = await pdfText(await renderSettlementReport(report));
    expect(more).toEqual([]);
    const page = flatText(text!);
    const money = (ore: number) => spaces(formatMoney(ore, 'nb'));
    expect(money(1_234_567)).toBe('12 345,67 kr');
    for (const text of [
      'Skadeforsikring Ålesund AS',
      'Kundeoppgjør',
      'SK-2026-ØÅ1',
      'Bjørnstjerne Bjørnsons gate 7, 3044 Drammen',
      'Vedtaksdato',
      '07.12.2026', // 23:30 UTC is the next day in Oslo
      'Reparasjon ved entreprenør',
      'Nytt parkettgulv i stue og gang',
      'Kontantoppgjør',
      'Avskrivning 37,5 %: Alder fem år, slitasje på trommel',
      'Merverdiavgift dekkes ikke',
      money(4_512_345),
      money(899_900),
      money(totals.lines[1]!.vatRemovedOre),
      money(totals.lines[1]!.depreciationOre),
      money(totals.lines[1]!.payableOre),
      `- ${money(800_000)}`,
      'Til utbetaling',
      money(totals.payoutOre),
      'Kontakt for mer informasjon',
      'Spørsmål om oppgjøret? Ring 22 12 34 56.',
      'Skriv til oss på kundesiden.',
      'Side 1 av 1',
    ]) {
      expect(page).toContain(text);
    }
    // The figures by hand: 8 999,00 without VAT is 7 199,20; 37,5 % of it 2 699,70; payable 4 499,50.
    expect(totals.lines[1]).toEqual({
      claimedOre: 899_900,
      vatRemovedOre: 179_980,
      depreciationOre: 269_970,
      payableOre: 449_950,
    });
    expect(page).toContain('45 123,45 kr');
    expect(page).toContain('41 622,95 kr'); // 45 123,45 + 4 499,50 − 8 000,00
    expect(totals.payoutOre).toBe(4_162_295);
  });

  it('speaks English with English amounts and dates', async () => {
    const page = flatText((await pdfText(await renderSettlementReport(input({}, 'en'))))[0]!);
    for (const text of [
      'Customer settlement',
      'Claim number',
      'Decision date',
      '7 December 2026',
      'Repair by a contractor',
      'Cash settlement',
      'Depreciation 37.5%: Alder fem år, slitasje på trommel',
      'VAT not covered',
      'NOK 45,123.45',
      'Amount to be paid',
      'NOK 41,622.95',
      'Contact for more information',
      'Page 1 of 1',
    ]) {
      expect(page).toContain(text);
    }
    expect(page).not.toContain('Kundeoppgjør');
  });

  it('names a capped deductible and the version it replaces', async () => {
    const [text] = await pdfText(
      await renderSettlementReport(
        input({
          version: 3,
          supersedesVersion: 2,
          deductibleOre: 1_000_000,
          lines: [
            {
              kind: 'own_work',
              description: 'Maling',
              claimedOre: 250_000,
              depreciationBasisPoints: 0,
              depreciationReason: null,
              vatIncluded: true,
            },
          ],
        }),
      ),
    );
    const page = flatText(text!);
    expect(page).toContain('3 (erstatter versjon 2)');
    expect(page).toContain('Egenandel (avtalt 10 000,00 kr)');
    expect(page).toContain('- 2 500,00 kr');
    expect(page).toMatch(/Til utbetaling 0,00 kr/);
  });

  it('wraps long descriptions and continues many lines on the next pages, every line there once', async () => {
    const long =
      'Riving av gammelt baderomsgulv, ny membran og flislegging ' + 'med fall mot sluk '.repeat(12);
    const lines = Array.from({ length: 45 }, (_, index) => ({
      kind: 'other_costs' as const,
      description: index === 0 ? long : `Post nummer ${index + 1} på lista`,
      claimedOre: 10_000 + index,
      depreciationBasisPoints: 0,
      depreciationReason: null,
      vatIncluded: true,
    }));
    const pages = await pdfText(await renderSettlementReport(input({ lines })));
    expect(pages.length).toBeGreaterThanOrEqual(3);
    const all = pages.join('\n');
    for (let index = 1; index < lines.length; index++) {
      expect(all.split(`Post nummer ${index + 1} på lista`).length - 1).toBe(1);
    }
    // Wrapped: no drawn run is wider than the description column holds (a run is one drawn line).
    const first = pages[0]!.split('\n');
    expect(first.filter((run) => run.includes('fall mot sluk')).length).toBeGreaterThan(2);
    // The table's head is repeated where the lines continue; the sums come once, on the last page.
    expect(pages[1]).toContain('Krevd');
    expect(pages[1]).toContain(`Side 2 av ${pages.length}`);
    expect(all.split('Sum krevd').length - 1).toBe(1);
    expect(all.indexOf('Sum krevd')).toBeGreaterThan(all.indexOf('Post nummer 45 på lista'));
    const payout = spaces(formatMoney(settle(lines, 800_000).payoutOre, 'nb'));
    expect(flatText(all.slice(all.indexOf('Sum krevd')))).toContain(`Til utbetaling ${payout}`);
  });

  it('draws the logo, writes what WinAnsi cannot hold as "?", and renders the same bytes twice', async () => {
    const logo = await sharp({ create: { width: 120, height: 40, channels: 4, background: '#c0392b' } })
      .png()
      .toBuffer();
    const report = input({
      lines: [
        {
          kind: 'other_costs',
          description: 'Kaffetrakter ☕ og Σ',
          claimedOre: 100_000,
          depreciationBasisPoints: 0,
          depreciationReason: null,
          vatIncluded: true,
        },
      ],
    });
    const withoutLogo = Buffer.from(await renderSettlementReport(report));
    expect(withoutLogo.includes(Buffer.from('/Subtype /Image'))).toBe(false);
    const withLogo = { ...report, company: { ...report.company, logo: new Uint8Array(logo) } };
    const bytes = await renderSettlementReport(withLogo);
    expect(Buffer.from(bytes).includes(Buffer.from('/Subtype /Image'))).toBe(true);
    const [page] = await pdfText(bytes);
    expect(flatText(page!)).toContain('Kaffetrakter ? og ?');
    expect(Buffer.from(await renderSettlementReport(withLogo)).equals(Buffer.from(bytes))).toBe(true);
    // A logo that is no image is left out rather than failing the report.
    const broken = { ...report, company: { ...report.company, logo: new Uint8Array([1, 2, 3]) } };
    expect((await pdfText(await renderSettlementReport(broken)))[0]).toContain('Kundeoppgjør');
  });
});
