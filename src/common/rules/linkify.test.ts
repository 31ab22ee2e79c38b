import { describe, expect, it } from 'vitest';
import { linkify } from './linkify.ts';

describe('linkify', () => {
  it('turns http(s) and www. addresses into links and keeps the rest as text', () => {
    expect(linkify('Se https://example.no/skade?id=1 og www.nav.no i dag')).toEqual([
      { kind: 'text', text: 'Se ' },
      { kind: 'link', text: 'https://example.no/skade?id=1', href: 'https://example.no/skade?id=1' },
      { kind: 'text', text: ' og ' },
      { kind: 'link', text: 'www.nav.no', href: 'https://www.nav.no/' },
      { kind: 'text', text: ' i dag' },
    ]);
  });

  it('leaves sentence punctuation and an unmatched parenthesis outside the link', () => {
    expect(linkify('(se https://example.no/a).')).toEqual([
      { kind: 'text', text: '(se ' },
      { kind: 'link', text: 'https://example.no/a', href: 'https://example.no/a' },
      { kind: 'text', text: ').' },
    ]);
    expect(linkify('https://no.wikipedia.org/wiki/Tak_(bygning)')[0]).toMatchObject({
      text: 'https://no.wikipedia.org/wiki/Tak_(bygning)',
    });
  });

  it('never links other schemes or markup', () => {
    for (const text of ['javascript:alert(1)', 'data:text/html,<b>x</b>', '<a href="https://x.no">x</a>']) {
      const links = linkify(text).filter((segment) => segment.kind === 'link');
      for (const link of links) expect(link.href).toMatch(/^https?:\/\//);
    }
    expect(linkify('javascript:alert(1)')).toEqual([{ kind: 'text', text: 'javascript:alert(1)' }]);
  });

  it('gives back plain text unchanged', () => {
    expect(linkify('Hei! Vannet kom inn i kjelleren.\nMvh Kari')).toEqual([
      { kind: 'text', text: 'Hei! Vannet kom inn i kjelleren.\nMvh Kari' },
    ]);
    expect(linkify('')).toEqual([]);
  });
});
