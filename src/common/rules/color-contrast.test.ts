import { describe, expect, it } from 'vitest';
import {
  contrastRatio,
  contrastWarnings,
  formatRatio,
  parseHexColor,
  relativeLuminance,
} from './color-contrast.ts';
import { defaultColors } from './customer-page-settings.ts';

describe('relative luminance (WCAG 2.1)', () => {
  it.each([
    ['#000000', 0],
    ['#ffffff', 1],
    ['#FF0000', 0.2126],
    ['#00ff00', 0.7152],
    ['#0000ff', 0.0722],
    ['#808080', 0.2158605],
  ])('%s → %f', (hex, expected) => {
    expect(relativeLuminance(hex)).toBeCloseTo(expected, 6);
  });

  it('reads #rgb shorthand and refuses anything else', () => {
    expect(parseHexColor('#777')).toEqual([0x77, 0x77, 0x77]);
    expect(parseHexColor('#1f3A5f')).toEqual([0x1f, 0x3a, 0x5f]);
    for (const bad of ['777777', '#12345', '#gggggg', 'red', '']) {
      expect(() => parseHexColor(bad)).toThrow(RangeError);
    }
  });
});

describe('contrast ratio', () => {
  it.each([
    ['#000000', '#ffffff', 21],
    ['#ffffff', '#000000', 21],
    ['#777777', '#ffffff', 4.478],
    ['#767676', '#ffffff', 4.542],
    ['#595959', '#ffffff', 7.0],
    ['#ff0000', '#ffffff', 3.998],
    ['#123456', '#123456', 1],
  ])('%s on %s ≈ %f', (a, b, expected) => {
    expect(contrastRatio(a, b)).toBeCloseTo(expected, 2);
  });

  it('rounds down for display so a failing ratio never reads as passing', () => {
    expect(formatRatio(contrastRatio('#777777', '#ffffff'), 'en-GB')).toBe('4.47:1');
    expect(formatRatio(21, 'en-GB')).toBe('21.00:1');
    expect(formatRatio(4.4999, 'nb-NO')).toBe('4,49:1');
  });
});

describe('contrastWarnings', () => {
  it('finds nothing wrong with the default colours (every pair at least 7:1)', () => {
    expect(contrastWarnings(defaultColors)).toEqual([]);
    expect(contrastRatio(defaultColors.headingText, defaultColors.pageBackground)).toBeGreaterThan(7);
    expect(contrastRatio(defaultColors.menuText, defaultColors.menuBackground)).toBeGreaterThan(7);
    expect(
      contrastRatio(defaultColors.menuSelectedText, defaultColors.menuSelectedBackground),
    ).toBeGreaterThan(7);
  });

  it('names each pair under 4.5:1 with its ratio, and only those', () => {
    const warnings = contrastWarnings({
      ...defaultColors,
      pageBackground: '#ffffff',
      headingText: '#777777', // 4.48: just under
      menuBackground: '#000000',
      menuText: '#767676', // 4.69 on black: fine
      menuSelectedBackground: '#ffff00',
      menuSelectedText: '#ffffff', // 1.07
    });
    expect(warnings).toEqual([
      {
        id: 'heading',
        foreground: 'headingText',
        background: 'pageBackground',
        ratio: expect.closeTo(4.478, 2),
      },
      {
        id: 'menuSelected',
        foreground: 'menuSelectedText',
        background: 'menuSelectedBackground',
        ratio: expect.closeTo(1.07, 2),
      },
    ]);
  });

  it('warns about text in the colour of its background', () => {
    const same = '#336699';
    const warnings = contrastWarnings({
      pageBackground: same,
      headingText: same,
      menuBackground: same,
      menuText: same,
      menuSelectedBackground: same,
      menuSelectedText: same,
    });
    expect(warnings.map((w) => [w.id, w.ratio])).toEqual([
      ['heading', 1],
      ['menu', 1],
      ['menuSelected', 1],
    ]);
  });
});
