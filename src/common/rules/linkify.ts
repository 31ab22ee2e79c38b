/**
 * Splits plain message text into text and link segments, so the web apps render links as `<a>`
 * elements and everything else as text (never as HTML). Only http(s) addresses and `www.` names
 * become links; `javascript:`, `data:` and other schemes stay text. Trailing punctuation that
 * usually ends a sentence (`.,;:!?` and an unmatched `)`) is left out of the link.
 *
 * No dependencies: the customer bundle imports it.
 */
export type TextSegment = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

const CANDIDATE = /\b(?:https?:\/\/|www\.)[^\s<>"']+/gi;

export function linkify(text: string): TextSegment[] {
  const segments: TextSegment[] = [];
  let last = 0;
  for (const match of text.matchAll(CANDIDATE)) {
    const start = match.index;
    let candidate = match[0];
    // Leave sentence punctuation and an unmatched closing parenthesis outside the link.
    while (/[.,;:!?)\]]$/.test(candidate)) {
      if (candidate.endsWith(')') && count(candidate, '(') >= count(candidate, ')')) break;
      candidate = candidate.slice(0, -1);
    }
    const href = safeHref(candidate);
    if (!href) continue;
    if (start > last) segments.push({ kind: 'text', text: text.slice(last, start) });
    segments.push({ kind: 'link', text: candidate, href });
    last = start + candidate.length;
  }
  if (last < text.length) segments.push({ kind: 'text', text: text.slice(last) });
  return segments;
}

const count = (text: string, char: string) => text.split(char).length - 1;

/** The address a candidate opens, or null when it is not a valid http(s) URL. */
function safeHref(candidate: string): string | null {
  const withScheme = /^www\./i.test(candidate) ? `https://${candidate}` : candidate;
  try {
    const url = new URL(withScheme);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    if (!url.hostname.includes('.')) return null;
    return url.href;
  } catch {
    return null;
  }
}
