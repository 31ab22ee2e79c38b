import type { CSSProperties } from 'react';
import { contrastRatio } from '../../../common/rules/color-contrast.ts';
import type { CustomerPageColors } from '../../../common/rules/customer-page-settings.ts';

const DARK_TEXT = '#1f2937';
const LIGHT_TEXT = '#ffffff';

/**
 * Body text on the page background: the company chooses only the heading colour, so the body text is
 * dark or white, whichever reads better on the chosen background (on the default white: dark grey).
 */
export function bodyTextOn(pageBackground: string): string {
  try {
    return contrastRatio(DARK_TEXT, pageBackground) >= contrastRatio(LIGHT_TEXT, pageBackground)
      ? DARK_TEXT
      : LIGHT_TEXT;
  } catch {
    return DARK_TEXT;
  }
}

/** The company's colours as the CSS custom properties customer-page.css draws with. */
export function themeStyle(colors: CustomerPageColors): CSSProperties {
  return {
    '--page-background': colors.pageBackground,
    '--menu-background': colors.menuBackground,
    '--menu-selected-background': colors.menuSelectedBackground,
    '--menu-text': colors.menuText,
    '--menu-selected-text': colors.menuSelectedText,
    '--heading-text': colors.headingText,
    '--text': bodyTextOn(colors.pageBackground),
  } as CSSProperties;
}
