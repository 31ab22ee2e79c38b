import type { Language } from '../../common/rules/languages.ts';
import type { SettlementLineKind } from '../../common/rules/settlement.ts';

/**
 * The words of the customer settlement report in Norwegian bokmål and English (server texts are kept
 * beside their only user, as the e-mail frame's are), and the report's number formats: money as the
 * staff app writes it in nb ("12 345,67 kr", web/shared/format.ts) and as English readers expect it
 * ("NOK 12,345.67"), percentages and the decision date in Europe/Oslo.
 */
export interface ReportWords {
  /** The document's title, and the first words of its file name. */
  title: string;
  claimNumber: string;
  address: string;
  decisionDate: string;
  version: string;
  /** "replaces version N". */
  replaces: (version: number) => string;
  lines: string;
  columns: { line: string; claimed: string; vatRemoved: string; depreciation: string; payable: string };
  kinds: Record<SettlementLineKind, string>;
  /** Under a line's description: "Depreciation 12.5 %: reason". */
  depreciationNote: (percent: string, reason: string | null) => string;
  vatNotCovered: string;
  noLines: string;
  totals: {
    claimed: string;
    vatRemoved: string;
    depreciation: string;
    payable: string;
    deductible: string;
    /** The deductible agreed, when the payable sum is smaller (only that much is taken). */
    deductibleCapped: (agreed: string) => string;
    payout: string;
  };
  contact: string;
  /** Footer: "Page 1 of 2". */
  page: (page: number, pages: number) => string;
  /** The PDF's language tag (its catalogue's /Lang). */
  tag: string;
}

export const reportWords: Record<Language, ReportWords> = {
  nb: {
    title: 'Kundeoppgjør',
    claimNumber: 'Skadenummer',
    address: 'Adresse',
    decisionDate: 'Vedtaksdato',
    version: 'Versjon',
    replaces: (version) => `erstatter versjon ${version}`,
    lines: 'Oppgjørslinjer',
    columns: {
      line: 'Post',
      claimed: 'Krevd',
      vatRemoved: 'Mva. trukket',
      depreciation: 'Avskrivning',
      payable: 'Til utbetaling',
    },
    kinds: {
      contractor_repair: 'Reparasjon ved entreprenør',
      cash_settlement: 'Kontantoppgjør',
      own_work: 'Eget arbeid',
      other_costs: 'Andre kostnader',
    },
    depreciationNote: (percent, reason) => `Avskrivning ${percent}${reason ? `: ${reason}` : ''}`,
    vatNotCovered: 'Merverdiavgift dekkes ikke',
    noLines: 'Ingen oppgjørslinjer.',
    totals: {
      claimed: 'Sum krevd',
      vatRemoved: 'Merverdiavgift trukket',
      depreciation: 'Avskrivning',
      payable: 'Sum etter avskrivning',
      deductible: 'Egenandel',
      deductibleCapped: (agreed) => `Egenandel (avtalt ${agreed})`,
      payout: 'Til utbetaling',
    },
    contact: 'Kontakt for mer informasjon',
    page: (page, pages) => `Side ${page} av ${pages}`,
    tag: 'nb-NO',
  },
  en: {
    title: 'Customer settlement',
    claimNumber: 'Claim number',
    address: 'Address',
    decisionDate: 'Decision date',
    version: 'Version',
    replaces: (version) => `replaces version ${version}`,
    lines: 'Settlement lines',
    columns: {
      line: 'Item',
      claimed: 'Claimed',
      vatRemoved: 'VAT removed',
      depreciation: 'Depreciation',
      payable: 'Payable',
    },
    kinds: {
      contractor_repair: 'Repair by a contractor',
      cash_settlement: 'Cash settlement',
      own_work: 'Own work',
      other_costs: 'Other costs',
    },
    depreciationNote: (percent, reason) => `Depreciation ${percent}${reason ? `: ${reason}` : ''}`,
    vatNotCovered: 'VAT not covered',
    noLines: 'No settlement lines.',
    totals: {
      claimed: 'Total claimed',
      vatRemoved: 'VAT removed',
      depreciation: 'Depreciation',
      payable: 'Total after depreciation',
      deductible: 'Deductible',
      deductibleCapped: (agreed) => `Deductible (agreed ${agreed})`,
      payout: 'Amount to be paid',
    },
    contact: 'Contact for more information',
    page: (page, pages) => `Page ${page} of ${pages}`,
    tag: 'en-GB',
  },
};

const money: Record<Language, Intl.NumberFormat> = {
  nb: new Intl.NumberFormat('nb-NO', { style: 'currency', currency: 'NOK' }),
  en: new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'NOK' }),
};

/** An amount in øre: "12 345,67 kr" (nb, as the staff app writes it) or "NOK 12,345.67" (en). */
export function formatMoney(ore: number, language: Language): string {
  return money[language].format(ore / 100);
}

/** A negative amount taken off ("− 1 234,00 kr"), or "0,00 kr" when nothing is taken. */
export function formatDeduction(ore: number, language: Language): string {
  return ore === 0 ? formatMoney(0, language) : `- ${formatMoney(ore, language)}`;
}

const percent: Record<Language, Intl.NumberFormat> = {
  nb: new Intl.NumberFormat('nb-NO', { style: 'percent', maximumFractionDigits: 2 }),
  en: new Intl.NumberFormat('en-GB', { style: 'percent', maximumFractionDigits: 2 }),
};

/** Basis points as a percentage: 1 250 → "12,5 %" (nb) or "12.5%" (en). */
export function formatBasisPoints(basisPoints: number, language: Language): string {
  return percent[language].format(basisPoints / 10_000);
}

const dates: Record<Language, Intl.DateTimeFormat> = {
  nb: new Intl.DateTimeFormat('nb-NO', {
    timeZone: 'Europe/Oslo',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
  }),
  en: new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Oslo',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  }),
};

/** The Oslo date of an instant: "27.11.2026" (nb) or "27 November 2026" (en). */
export function formatDecisionDate(iso: string, language: Language): string {
  return dates[language].format(new Date(iso));
}
