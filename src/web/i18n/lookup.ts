import type { Language } from '../../common/rules/languages.ts';

// The parts of the translation machinery that hold no messages, so each bundle can pair them with only
// the message files it needs: the customer page loads common + customer strings
// (customer-i18n.ts), the staff app everything (i18n.ts).

export type { Language };
export const DEFAULT_LANGUAGE: Language = 'nb';
const STORAGE_KEY = 'kundeside.language';

/** The shape every language of a message file must have: the same keys, any strings. */
export type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };

/** The plural categories of Intl.PluralRules; a key `days_one` / `days_other` is looked up as `days`. */
export type PluralCategory = 'zero' | 'one' | 'two' | 'few' | 'many' | 'other';
type WithoutPlural<K extends string> = K extends `${infer Base}_${PluralCategory}` ? Base : K;

/** Every dotted key of a message tree, e.g. "signIn.title" (plural forms once, without their suffix). */
export type Leaves<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${WithoutPlural<K>}` : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];

const pluralRules = new Map<Language, Intl.PluralRules>();

/** The plural category of `count` in a language ("1 sak", "2 saker"; "1 case", "2 cases"). */
export function pluralOf(language: Language, count: number): PluralCategory {
  let rules = pluralRules.get(language);
  if (!rules) {
    rules = new Intl.PluralRules(language);
    pluralRules.set(language, rules);
  }
  return rules.select(count);
}

/**
 * Looks a dotted key up in a tree and fills {{placeholders}}. A key without a text of its own but
 * with plural forms (`key_one`, `key_other` …) takes the form of `values.count` in `language`. A
 * missing key shows as the key.
 */
export function lookup(
  tree: object,
  key: string,
  values: Record<string, string | number> = {},
  language: Language = DEFAULT_LANGUAGE,
): string {
  const parts = key.split('.');
  const leaf = parts.pop() ?? '';
  let parent: unknown = tree;
  for (const part of parts) parent = (parent as Record<string, unknown> | undefined)?.[part];
  const node = parent as Record<string, unknown> | undefined;
  let found = node?.[leaf];
  if (typeof found !== 'string' && typeof values.count === 'number') {
    found = node?.[`${leaf}_${pluralOf(language, values.count)}`] ?? node?.[`${leaf}_other`];
  }
  const text = typeof found === 'string' ? found : key;
  return text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(values[name] ?? ''));
}

/** The language the visitor chose before, else Norwegian bokmål. */
export function storedLanguage(): Language {
  return chosenLanguage() ?? DEFAULT_LANGUAGE;
}

/** The language the visitor chose before on this device, or null when none was chosen (or no storage). */
export function chosenLanguage(): Language | null {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return value === 'en' || value === 'nb' ? value : null;
  } catch {
    return null;
  }
}

/** Remembers the visitor's choice and sets the document language for screen readers. */
export function rememberLanguage(language: Language): void {
  try {
    localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
  // The customer page's HTML is sent with its first answer in it, in this language (server:
  // customer-page/routes.ts LANGUAGE_COOKIE).
  document.cookie = `ks_lang=${language}; path=/k/; max-age=31536000; samesite=lax`;
  document.documentElement.lang = language === 'nb' ? 'nb' : 'en';
}

/** All keys of a message tree, for the completeness test. */
export function keysOf(tree: object, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'string' ? [`${prefix}${key}`] : keysOf(value as object, `${prefix}${key}.`),
  );
}
