import { contrastRatio, MIN_TEXT_CONTRAST } from '../../common/rules/color-contrast.ts';
import { defaultColors, type CustomerPageColors } from '../../common/rules/customer-page-settings.ts';
import type { Language } from '../../common/rules/languages.ts';
import { escapeHtml, fillTemplate, LINK_PLACEHOLDER } from './outbox.ts';

/**
 * THE e-mail layout: every e-mail the server sends (customer links, message notices, the case
 * handler's notice) is a body — paragraphs, an optional button, an optional code — put into this one
 * frame, as an HTML part and its plain-text twin. The frame carries the company's name and its
 * customer-page colours (menu background and text; a text colour without enough contrast is replaced)
 * and its own few words in Norwegian bokmål or English.
 *
 * Texts come in filled by `fillTemplate` (one pass: user data quoted, `{{link}}` / `{{code}}` left for
 * the send-time pass of `renderMessage`); the layout escapes them for HTML and fills only its own
 * words (the company's and the recipient's names, quoted the same way), so nothing a person typed is
 * ever read as a placeholder. Every text, address and colour is escaped or
 * checked before it enters the HTML.
 */

/** The company an e-mail comes from: its name, and its customer-page colours for the frame. */
export interface EmailSender {
  name: string;
  colors?: Pick<CustomerPageColors, 'menuBackground' | 'menuText'> | undefined;
}

/** The button of an e-mail: its label, and `{{link}}` or an http(s) address (or a path). */
export interface EmailAction {
  label: string;
  url: string;
}

/** What an e-mail says; every text filled by `fillTemplate`, a `\n` in a paragraph is a line break. */
export interface EmailBody {
  language: Language;
  sender: EmailSender;
  subject: string;
  /** The recipient's name as written (quoted here): the first paragraph greets them by it. */
  greeting?: string | undefined;
  /** Paragraphs before the button (after the greeting). */
  paragraphs: readonly string[];
  /** The button; the plain-text twin writes it as "label:" with the address on the next line. */
  action?: EmailAction | undefined;
  /** A code shown large under the button (`{{code}}`, filled when sent). */
  code?: string | undefined;
  /** Paragraphs after the button and the code. */
  after?: readonly string[] | undefined;
  /** The closing: "Vennlig hilsen" and the company (default), or the company's name alone. */
  closing?: 'regards' | 'name' | undefined;
}

/** An e-mail as queued: the subject, the plain-text part and the HTML part. */
export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/** The frame's own words. */
const frameWords: Record<
  Language,
  { greeting: string; buttonFallback: string; code: string; regards: string }
> = {
  nb: {
    greeting: 'Hei {{name}},',
    buttonFallback: 'Virker ikke knappen? Kopier denne adressen inn i nettleseren:',
    code: 'Koden din:',
    regards: 'Vennlig hilsen',
  },
  en: {
    greeting: 'Hello {{name}},',
    buttonFallback: 'Is the button not working? Copy this address into your browser:',
    code: 'Your code:',
    regards: 'Kind regards',
  },
};

const TEXT_COLOR = '#1a1a1a';
const CARD_COLOR = '#ffffff';
const PAGE_COLOR = '#f4f5f7';
/** WCAG 2.1 1.4.11: a button's edge needs 3:1 against what surrounds it. */
const MIN_EDGE_CONTRAST = 3;
const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;

/**
 * The frame's colours from the company's: the brand (header band and button) is the menu background,
 * its text the menu text — or, when that pair is under 4.5:1, white or black, whichever reads better.
 * A brand too light to stand out from the white card gets an edge in its text colour.
 */
export function emailColors(colors: EmailSender['colors']): {
  brand: string;
  onBrand: string;
  edge: string | null;
} {
  const valid = (value: string | undefined, fallback: string) =>
    value !== undefined && HEX_COLOR.test(value) ? value.toLowerCase() : fallback;
  const brand = valid(colors?.menuBackground, defaultColors.menuBackground);
  const wanted = valid(colors?.menuText, defaultColors.menuText);
  const onBrand =
    contrastRatio(wanted, brand) >= MIN_TEXT_CONTRAST
      ? wanted
      : contrastRatio('#ffffff', brand) >= contrastRatio('#000000', brand)
        ? '#ffffff'
        : '#000000';
  const edge = contrastRatio(brand, CARD_COLOR) < MIN_EDGE_CONTRAST ? onBrand : null;
  return { brand, onBrand, edge };
}

/** A text as HTML: escaped, its line breaks as `<br>`. */
const htmlText = (text: string) => escapeHtml(text).replaceAll('\n', '<br>');

/** An action's address, checked: only `{{link}}`, an http(s) address or a path of our own site. */
function actionUrl(url: string): string {
  if (url === LINK_PLACEHOLDER || /^https?:\/\//i.test(url) || /^\/(?!\/)/.test(url)) return url;
  throw new Error('An e-mail button leads to {{link}}, an http(s) address or a path only.');
}

/** Renders an e-mail body into the one frame: the HTML part and its plain-text twin. */
export function renderEmail(body: EmailBody): RenderedEmail {
  const words = frameWords[body.language];
  // The frame names the company itself, so its name is quoted as fillTemplate quotes every value.
  const company = fillTemplate('{{company}}', { company: body.sender.name });
  const closing = body.closing === 'name' ? company : `${words.regards}\n${company}`;
  const url = body.action ? actionUrl(body.action.url) : null;
  const after = body.after ?? [];
  const paragraphs = [
    ...(body.greeting === undefined ? [] : [fillTemplate(words.greeting, { name: body.greeting })]),
    ...body.paragraphs,
  ];

  const text = [
    ...paragraphs,
    ...(body.action && url !== null ? [`${body.action.label}:\n${url}`] : []),
    ...(body.code !== undefined ? [`${words.code} ${body.code}`] : []),
    ...after,
    closing,
  ].join('\n\n');

  const { brand, onBrand, edge } = emailColors(body.sender.colors);
  const border = edge ? `; border: 1px solid ${edge}` : '';
  const font = 'font-family: Arial, Helvetica, sans-serif';
  const header = body.sender.name
    ? `<tr><td style="padding: 16px 24px; background: ${brand}; color: ${onBrand}; ${font}; font-size: 18px; font-weight: bold${border}">${htmlText(company)}</td></tr>\n`
    : '';
  const blocks = [
    ...paragraphs.map((paragraph) => `<p>${htmlText(paragraph)}</p>`),
    ...(body.action && url !== null
      ? [
          `<p><a href="${escapeHtml(url)}" style="display: inline-block; padding: 10px 16px; background: ${brand}; color: ${onBrand}; text-decoration: none; border-radius: 4px${border}">${htmlText(body.action.label)}</a></p>`,
          `<p>${htmlText(words.buttonFallback)}<br>${htmlText(url)}</p>`,
        ]
      : []),
    ...(body.code !== undefined
      ? [
          `<p>${htmlText(words.code)}<br><strong style="font-size: 24px; letter-spacing: 4px">${htmlText(body.code)}</strong></p>`,
        ]
      : []),
    ...after.map((paragraph) => `<p>${htmlText(paragraph)}</p>`),
    `<p>${htmlText(closing)}</p>`,
  ];
  const html = `<!doctype html>
<html lang="${body.language}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(body.subject)}</title></head>
<body style="margin: 0; padding: 0; background: ${PAGE_COLOR}">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background: ${PAGE_COLOR}">
<tr><td align="center" style="padding: 24px 12px">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width: 600px; background: ${CARD_COLOR}">
${header}<tr><td style="padding: 8px 24px 16px; ${font}; font-size: 16px; color: ${TEXT_COLOR}; line-height: 1.5">
${blocks.join('\n')}
</td></tr>
</table>
</td></tr>
</table>
</body>
</html>`;
  return { subject: body.subject, text, html };
}
