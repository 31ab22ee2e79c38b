import { describe, expect, it } from 'vitest';
import { customerEn } from './customer-en.ts';
import { translateCustomer } from './customer-i18n.ts';
import { customerNb } from './customer-nb.ts';
import { en } from './en.ts';
import { keysOf, loadLanguage, translate } from './i18n.ts';
import { lookup } from './lookup.ts';
import { nb } from './nb.ts';

// English is loaded on demand in the app (i18n.ts); these tests read it directly.
await loadLanguage('en');

// Every message file comes as a Norwegian/English pair with the same keys.
const pairs = [
  { name: 'nb.ts / en.ts (staff app)', nb, en },
  { name: 'customer-nb.ts / customer-en.ts (customer page)', nb: customerNb, en: customerEn },
];

describe('translations', () => {
  for (const pair of pairs) {
    it(`have the same keys in Norwegian and English: ${pair.name}`, () => {
      const nbKeys = keysOf(pair.nb).sort();
      const enKeys = keysOf(pair.en).sort();
      expect(nbKeys.filter((key) => !enKeys.includes(key))).toEqual([]);
      expect(enKeys.filter((key) => !nbKeys.includes(key))).toEqual([]);
    });

    it(`have no empty strings: ${pair.name}`, () => {
      for (const tree of [pair.nb, pair.en]) {
        const empty = keysOf(tree).filter((key) => lookup(tree, key).trim() === '');
        expect(empty).toEqual([]);
      }
    });
  }

  it('give the staff app every customer-page string too (the preview renders the customer page)', () => {
    const staffKeys = keysOf(nb);
    expect(keysOf(customerNb).filter((key) => !staffKeys.includes(key))).toEqual([]);
  });

  it('fill placeholders and differ between the languages', () => {
    expect(translate('nb', 'home.title', { name: 'Kari' })).toBe('Velkommen, Kari');
    expect(translate('en', 'home.title', { name: 'Kari' })).toBe('Welcome, Kari');
    expect(translateCustomer('nb', 'customer.views.budget')).toBe('Budsjett');
    expect(translateCustomer('en', 'customer.views.budget')).toBe('Budget');
  });
});
