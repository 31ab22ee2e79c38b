import type { ColorKey, CustomerPageColors } from './customer-page-settings.ts';

/**
 * WCAG 2.1 contrast (success criterion 1.4.3, level AA): text needs a contrast ratio of at least
 * 4.5:1 against its background. Formulas from WCAG 2.1's definitions of "relative luminance" and
 * "contrast ratio". Pure, no zod, so both the admin page and the customer page may use it.
 */

/** The AA minimum for normal text. */
export const MIN_TEXT_CONTRAST = 4.5;

/** `#rrggbb` or `#rgb` → [r, g, b] in 0–255; throws on anything else. */
export function parseHexColor(hex: string): [number, number, number] {
  const match = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(hex.trim());
  if (!match?.[1]) throw new RangeError(`not a colour #rrggbb: ${JSON.stringify(hex)}`);
  const digits = match[1].length === 3 ? [...match[1]].map((d) => d + d).join('') : match[1];
  return [0, 2, 4].map((i) => parseInt(digits.slice(i, i + 2), 16)) as [number, number, number];
}

/**
 * Relative luminance, 0 (black) to 1 (white). WCAG 2.1 writes the threshold 0.03928; sRGB's is
 * 0.04045. No 8-bit channel value lies between the two, so the result is the same.
 */
export function relativeLuminance(hex: string): number {
  const [r, g, b] = parseHexColor(hex).map((channel) => {
    const c = channel / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** Contrast ratio (L1 + 0.05) / (L2 + 0.05), from 1 (same colour) to 21 (black on white). */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [
    number,
    number,
  ];
  return (light + 0.05) / (dark + 0.05);
}

/** A text colour and the background it is drawn on in the customer page. */
export interface ContrastPair {
  id: 'heading' | 'menu' | 'menuSelected';
  foreground: ColorKey;
  background: ColorKey;
}

/** The pairs of the six colours that put text on a background. */
export const contrastPairs: readonly ContrastPair[] = [
  { id: 'heading', foreground: 'headingText', background: 'pageBackground' },
  { id: 'menu', foreground: 'menuText', background: 'menuBackground' },
  { id: 'menuSelected', foreground: 'menuSelectedText', background: 'menuSelectedBackground' },
];

export interface ContrastWarning extends ContrastPair {
  /** The exact ratio; compare with this, show {@link formatRatio}. */
  ratio: number;
}

/** The pairs whose contrast is under 4.5:1, in the order of {@link contrastPairs}. */
export function contrastWarnings(colors: CustomerPageColors): ContrastWarning[] {
  return contrastPairs
    .map((pair) => ({ ...pair, ratio: contrastRatio(colors[pair.foreground], colors[pair.background]) }))
    .filter((pair) => pair.ratio < MIN_TEXT_CONTRAST);
}

/**
 * A ratio as shown to people, rounded down to two decimals so a failing ratio never reads as passing
 * (4.4999 → "4.49:1", not "4.50:1").
 */
export function formatRatio(ratio: number, locale = 'nb-NO'): string {
  const floored = Math.floor(ratio * 100) / 100;
  return `${floored.toLocaleString(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 })}:1`;
}
