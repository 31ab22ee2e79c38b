import {
  PDFDocument,
  StandardFonts,
  rgb,
  type PDFFont,
  type PDFImage,
  type PDFPage,
  type RGB,
} from 'pdf-lib';
import { contrastRatio, MIN_TEXT_CONTRAST } from '../../common/rules/color-contrast.ts';
import type { Language } from '../../common/rules/languages.ts';
import { settle, type SettlementLineKind } from '../../common/rules/settlement.ts';
import { emailColors } from '../outbox/email-layout.ts';
import {
  formatBasisPoints,
  formatDecisionDate,
  formatDeduction,
  formatMoney,
  reportWords,
} from './report-texts.ts';

/**
 * The customer settlement report as a PDF (issue 20 item 3), drawn with pdf-lib: A4, the company's
 * name, logo and primary colour, in nb or en, the case's claim number and address, every line (kind,
 * description, claimed, VAT removed, depreciation with its reason, payable), the deductible, the
 * amount to be paid, the decision date and the company's "contact for more information" text.
 *
 * The amounts are computed here by `settle` (common/rules/settlement.ts), the one rule the API and the
 * staff screen use, from the lines as stored: the report cannot disagree with them.
 *
 * Fonts: the standard Helvetica of every PDF reader, in WinAnsi encoding (Windows-1252), which holds
 * æ ø å Æ Ø Å and the rest of Western European text, so nothing is embedded. A character outside it
 * (an emoji, Cyrillic, a CJK name) is written as "?" rather than failing the report.
 *
 * The output is a function of the input alone (its dates are the decision's), so rendering the same
 * approved version twice gives the same bytes.
 */

/** A line of the settlement as stored. */
export interface SettlementReportLine {
  kind: SettlementLineKind;
  description: string;
  claimedOre: number;
  depreciationBasisPoints: number;
  depreciationReason: string | null;
  vatIncluded: boolean;
}

/** Everything the report shows. */
export interface SettlementReportInput {
  language: Language;
  company: {
    name: string;
    /** `#rrggbb`: the band, the table's head and the payout (the customer page's menu background). */
    primaryColor: string;
    /** `#rrggbb` text on the primary colour (replaced by white or black when it reads too poorly). */
    primaryTextColor?: string | undefined;
    /** The logo customers see, PNG or JPEG bytes; null: none. */
    logo: Uint8Array | null;
    /** The customer page's "contact for more information" text; empty: the section is left out. */
    contactForMoreInfo: string;
  };
  case: { claimNumber: string; street: string; postalCode: string; city: string };
  settlement: {
    version: number;
    /** The version this one replaces, if any. */
    supersedesVersion: number | null;
    /** When it was approved (ISO 8601): the decision date, and the PDF's own dates. */
    decidedAt: string;
    deductibleOre: number;
    lines: readonly SettlementReportLine[];
  };
}

const PAGE = { width: 595.28, height: 841.89 };
const MARGIN = 48;
const CONTENT = PAGE.width - 2 * MARGIN;
const FOOTER = MARGIN - 8;
/** The lowest a body line may go (the footer lives below). */
const BOTTOM = MARGIN + 20;
/** The room for lines on a page the table continues on (below its repeated head). */
const LINE_ROOM = PAGE.height - MARGIN - 42 - BOTTOM;
const AMOUNT_WIDTH = 78;
const DESCRIPTION_WIDTH = CONTENT - 4 * AMOUNT_WIDTH;
const CELL = 5;
const TEXT = rgb(0.1, 0.1, 0.1);
const MUTED = rgb(0.33, 0.33, 0.33);
const RULE = rgb(0.8, 0.8, 0.8);

/** Renders the settlement report; resolves with the PDF's bytes. */
export async function renderSettlementReport(input: SettlementReportInput): Promise<Uint8Array> {
  const words = reportWords[input.language];
  const language = input.language;
  const { settlement, company } = input;
  const doc = await PDFDocument.create();
  const decided = new Date(settlement.decidedAt);
  doc.setTitle(`${words.title} ${input.case.claimNumber}`, { showInWindowTitleBar: true });
  doc.setAuthor(company.name);
  doc.setLanguage(words.tag);
  doc.setCreator(company.name);
  doc.setProducer('Kundeside');
  doc.setCreationDate(decided);
  doc.setModificationDate(decided);

  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const logo = company.logo ? await embedLogo(doc, company.logo) : null;
  const colors = emailColors({
    menuBackground: company.primaryColor,
    menuText: company.primaryTextColor ?? '#ffffff',
  });
  const brand = toRgb(colors.brand);
  const onBrand = toRgb(colors.onBrand);
  // Headings are the brand's colour on white only when it reads well there.
  const heading = contrastRatio(colors.brand, '#ffffff') >= MIN_TEXT_CONTRAST ? brand : TEXT;

  const writer = new Writer(doc, regular, bold);
  const totals = settle(settlement.lines, settlement.deductibleOre);

  // ---- Header: logo, company, the title band, the case's facts.
  const page = writer.page;
  let top = PAGE.height - MARGIN;
  if (logo) {
    const height = 36;
    const width = Math.min((logo.width / logo.height) * height, CONTENT / 2);
    const drawnHeight = (width / logo.width) * logo.height;
    page.drawImage(logo, { x: MARGIN, y: top - drawnHeight, width, height: drawnHeight });
    writer.text(company.name, PAGE.width - MARGIN, top - 22, {
      size: 13,
      font: bold,
      align: 'right',
      maxWidth: CONTENT - width - 24,
    });
    top -= height + 14;
  } else {
    writer.text(company.name, MARGIN, top - 16, { size: 15, font: bold, maxWidth: CONTENT });
    top -= 30;
  }
  page.drawRectangle({ x: MARGIN, y: top - 34, width: CONTENT, height: 34, color: brand });
  writer.text(words.title, MARGIN + 12, top - 23, { size: 17, font: bold, color: onBrand });
  top -= 34 + 18;

  const facts: Array<[string, string]> = [
    [words.claimNumber, input.case.claimNumber],
    [words.address, `${input.case.street}, ${input.case.postalCode} ${input.case.city}`],
    [words.decisionDate, formatDecisionDate(settlement.decidedAt, language)],
    [
      words.version,
      settlement.supersedesVersion === null
        ? String(settlement.version)
        : `${settlement.version} (${words.replaces(settlement.supersedesVersion)})`,
    ],
  ];
  for (const [label, value] of facts) {
    writer.text(label, MARGIN, top - 10, { size: 10, font: bold });
    const lines = writer.wrap(value, regular, 10, CONTENT - 110);
    lines.forEach((line, index) => writer.text(line, MARGIN + 110, top - 10 - index * 13, { size: 10 }));
    top -= Math.max(1, lines.length) * 13 + 3;
  }
  writer.y = top - 14;

  // ---- The lines, their head repeated on every page they continue on.
  writer.heading(words.lines, heading);
  const tableHead = () => {
    const y = writer.y;
    writer.page.drawRectangle({ x: MARGIN, y: y - 20, width: CONTENT, height: 20, color: brand });
    const head = { size: 8.5, font: bold, color: onBrand };
    writer.text(words.columns.line, MARGIN + CELL, y - 13.5, head);
    const columns = [
      words.columns.claimed,
      words.columns.vatRemoved,
      words.columns.depreciation,
      words.columns.payable,
    ];
    columns.forEach((label, index) => {
      writer.text(label, amountRight(index), y - 13.5, {
        ...head,
        align: 'right',
        maxWidth: AMOUNT_WIDTH - 2 * CELL,
      });
    });
    writer.y = y - 20;
  };
  writer.onNewPage = () => {
    writer.text(`${company.name} · ${words.title} · ${input.case.claimNumber}`, MARGIN, writer.y - 9, {
      size: 9,
      color: MUTED,
    });
    writer.y -= 22;
    tableHead();
  };
  tableHead();
  if (settlement.lines.length === 0) {
    writer.ensure(20);
    writer.text(words.noLines, MARGIN + CELL, writer.y - 14, { size: 9.5, color: MUTED });
    writer.y -= 22;
  }
  settlement.lines.forEach((line, index) => {
    const amounts = totals.lines[index]!;
    const width = DESCRIPTION_WIDTH - 2 * CELL;
    const description = writer.wrap(line.description, regular, 9.5, width);
    const notes = [
      ...(line.depreciationBasisPoints > 0
        ? writer.wrap(
            words.depreciationNote(
              formatBasisPoints(line.depreciationBasisPoints, language),
              line.depreciationReason,
            ),
            regular,
            8.5,
            width,
          )
        : []),
      ...(line.vatIncluded ? [] : writer.wrap(words.vatNotCovered, regular, 8.5, width)),
    ];
    const height = 8 + 12 + description.length * 12 + notes.length * 11 + 4;
    // A line longer than a whole page is split where it must; others move to the next page whole.
    writer.ensure(height <= LINE_ROOM ? height : 40);
    let y = writer.y - 8 - 9;
    writer.text(words.kinds[line.kind], MARGIN + CELL, y, { size: 9.5, font: bold });
    const figures = [amounts.claimedOre, amounts.vatRemovedOre, amounts.depreciationOre, amounts.payableOre];
    figures.forEach((ore, column) => {
      writer.text(formatMoney(ore, language), amountRight(column), y, {
        size: 9.5,
        font: column === 3 ? bold : regular,
        align: 'right',
        maxWidth: AMOUNT_WIDTH - 2 * CELL,
      });
    });
    for (const text of description) {
      y -= 12;
      if (y < BOTTOM) y = writer.breakPage() - 9;
      writer.text(text, MARGIN + CELL, y, { size: 9.5 });
    }
    for (const note of notes) {
      y -= 11;
      if (y < BOTTOM) y = writer.breakPage() - 9;
      writer.text(note, MARGIN + CELL, y, { size: 8.5, color: MUTED });
    }
    writer.y = y - 7;
    writer.page.drawLine({
      start: { x: MARGIN, y: writer.y },
      end: { x: PAGE.width - MARGIN, y: writer.y },
      thickness: 0.5,
      color: RULE,
    });
  });
  writer.onNewPage = null;

  // ---- The sums, the deductible, the payout.
  const sums: Array<[string, string]> = [
    [words.totals.claimed, formatMoney(totals.claimedOre, language)],
    [words.totals.vatRemoved, formatDeduction(totals.vatRemovedOre, language)],
    [words.totals.depreciation, formatDeduction(totals.depreciationOre, language)],
    [words.totals.payable, formatMoney(totals.payableOre, language)],
    [
      totals.deductibleAppliedOre < totals.deductibleOre
        ? words.totals.deductibleCapped(formatMoney(totals.deductibleOre, language))
        : words.totals.deductible,
      formatDeduction(totals.deductibleAppliedOre, language),
    ],
  ];
  writer.ensure(18 + sums.length * 16 + 40);
  writer.y -= 14;
  const labelX = PAGE.width - MARGIN - 300;
  for (const [label, value] of sums) {
    writer.text(label, labelX, writer.y - 11, { size: 10, maxWidth: 300 - AMOUNT_WIDTH - 30 });
    writer.text(value, PAGE.width - MARGIN - CELL, writer.y - 11, {
      size: 10,
      align: 'right',
      maxWidth: 120,
    });
    writer.y -= 16;
  }
  writer.y -= 6;
  writer.page.drawRectangle({ x: labelX - 8, y: writer.y - 30, width: 308, height: 30, color: brand });
  const payout = { size: 13, font: bold, color: onBrand };
  writer.text(words.totals.payout, labelX, writer.y - 19.5, { ...payout, maxWidth: 150 });
  writer.text(formatMoney(totals.payoutOre, language), PAGE.width - MARGIN - CELL, writer.y - 19.5, {
    ...payout,
    align: 'right',
    maxWidth: 140,
  });
  writer.y -= 30 + 24;

  // ---- Contact for more information.
  const contact = company.contactForMoreInfo.trim();
  if (contact) {
    const lines = writer.wrap(contact, regular, 10, CONTENT);
    writer.ensure(30 + Math.min(lines.length, 4) * 13);
    writer.heading(words.contact, heading);
    for (const line of lines) {
      writer.ensure(13);
      writer.text(line, MARGIN, writer.y - 10, { size: 10 });
      writer.y -= 13;
    }
  }

  // ---- Footers, once the number of pages is known.
  const pages = doc.getPages();
  pages.forEach((each, index) => {
    writer.text(company.name, MARGIN, FOOTER, { size: 8, color: MUTED, page: each, maxWidth: CONTENT / 2 });
    writer.text(words.page(index + 1, pages.length), PAGE.width - MARGIN, FOOTER, {
      size: 8,
      color: MUTED,
      align: 'right',
      page: each,
    });
  });
  return doc.save();
}

/** The right edge of an amount column (0: claimed … 3: payable), inside its cell. */
const amountRight = (column: number) => MARGIN + DESCRIPTION_WIDTH + (column + 1) * AMOUNT_WIDTH - CELL;

interface TextOptions {
  size: number;
  font?: PDFFont;
  color?: RGB;
  align?: 'left' | 'right';
  /** Shrinks the size until the text fits (a very large amount in its column). */
  maxWidth?: number;
  page?: PDFPage;
}

/** The pages and the pen: where the next line goes, page breaks, WinAnsi-safe text and wrapping. */
class Writer {
  page: PDFPage;
  y: number;
  /** Drawn at the top of a page the body continues on (the table's head while the lines run). */
  onNewPage: (() => void) | null = null;
  private readonly encodable = new Map<PDFFont, Set<number>>();

  constructor(
    private readonly doc: PDFDocument,
    private readonly regular: PDFFont,
    private readonly bold: PDFFont,
  ) {
    this.page = doc.addPage([PAGE.width, PAGE.height]);
    this.y = PAGE.height - MARGIN;
  }

  /** Starts the next page; returns the new `y`. */
  breakPage(): number {
    this.page = this.doc.addPage([PAGE.width, PAGE.height]);
    this.y = PAGE.height - MARGIN;
    this.onNewPage?.();
    return this.y;
  }

  /** Moves to the next page unless `height` fits above the footer. */
  ensure(height: number): void {
    if (this.y - height < BOTTOM) this.breakPage();
  }

  heading(text: string, color: RGB): void {
    this.ensure(40);
    this.text(text, MARGIN, this.y - 12, { size: 12, font: this.bold, color });
    this.y -= 22;
  }

  text(value: string, x: number, y: number, options: TextOptions): void {
    const font = options.font ?? this.regular;
    const text = this.printable(value, font);
    let size = options.size;
    if (options.maxWidth) {
      while (size > 5 && font.widthOfTextAtSize(text, size) > options.maxWidth) size -= 0.25;
    }
    const width = font.widthOfTextAtSize(text, size);
    (options.page ?? this.page).drawText(text, {
      x: options.align === 'right' ? x - width : x,
      y,
      size,
      font,
      color: options.color ?? TEXT,
    });
  }

  /**
   * `value` in lines of at most `width` at `size`: its own line breaks kept, words wrapped, a word
   * longer than a line broken where it must be.
   */
  wrap(value: string, font: PDFFont, size: number, width: number): string[] {
    const lines: string[] = [];
    const fits = (text: string) => font.widthOfTextAtSize(text, size) <= width;
    for (const paragraph of value.replace(/\r\n?/g, '\n').split('\n')) {
      let line = '';
      for (const word of this.printable(paragraph, font).split(/ +/)) {
        const candidate = line ? `${line} ${word}` : word;
        if (fits(candidate)) {
          line = candidate;
          continue;
        }
        if (line) lines.push(line);
        line = '';
        let rest = word;
        while (rest && !fits(rest)) {
          let cut = rest.length - 1;
          while (cut > 1 && !fits(rest.slice(0, cut))) cut--;
          lines.push(rest.slice(0, cut));
          rest = rest.slice(cut);
        }
        line = rest;
      }
      lines.push(line);
    }
    while (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
    return lines;
  }

  /** The text as the font can encode it (WinAnsi): thin spaces as no-break spaces, anything else "?". */
  private printable(value: string, font: PDFFont): string {
    let known = this.encodable.get(font);
    if (!known) {
      known = new Set(font.getCharacterSet());
      this.encodable.set(font, known);
    }
    let out = '';
    for (const char of value.normalize('NFC')) {
      const code = char.codePointAt(0)!;
      if (known.has(code)) out += char;
      else if (char === '\t') out += ' ';
      else if (code === 0x2212) out += '-';
      else if (code === 0x2009 || code === 0x202f || code === 0x2007) out += '\u00a0';
      else if (code < 0x20 || (code >= 0x7f && code < 0xa0)) continue;
      else out += '?';
    }
    return out;
  }
}

/** The logo's image: PNG or JPEG by its first bytes; anything else (or broken bytes) is left out. */
async function embedLogo(doc: PDFDocument, bytes: Uint8Array): Promise<PDFImage | null> {
  try {
    if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) {
      return await doc.embedPng(bytes);
    }
    if (bytes[0] === 0xff && bytes[1] === 0xd8) return await doc.embedJpg(bytes);
  } catch {
    // A logo that cannot be read never stops the report: it is drawn without.
  }
  return null;
}

function toRgb(hex: string): RGB {
  const value = Number.parseInt(hex.slice(1), 16);
  return rgb(((value >> 16) & 255) / 255, ((value >> 8) & 255) / 255, (value & 255) / 255);
}
