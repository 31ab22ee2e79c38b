import { describe, expect, it } from 'vitest';
import { en } from './en.ts';
import { keysOf, translate } from './i18n.ts';
import { nb } from './nb.ts';

describe('translations', () => {
  it('have the same keys in Norwegian and English', () => {
    const nbKeys = keysOf(nb).sort();
    const enKeys = keysOf(en).sort();
    expect(nbKeys.filter((key) => !enKeys.includes(key))).toEqual([]);
    expect(enKeys.filter((key) => !nbKeys.includes(key))).toEqual([]);
  });

  it('have no empty strings', () => {
    for (const tree of [nb, en]) {
      const empty = keysOf(tree).filter(
        (key) => translate(tree === nb ? 'nb' : 'en', key as never).trim() === '',
      );
      expect(empty).toEqual([]);
    }
  });

  it('fill placeholders and differ between the languages', () => {
    expect(translate('nb', 'home.title', { name: 'Kari' })).toBe('Velkommen, Kari');
    expect(translate('en', 'home.title', { name: 'Kari' })).toBe('Welcome, Kari');
  });
});
