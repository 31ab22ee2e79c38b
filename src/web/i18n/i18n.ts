import { en } from './en.ts';
import { nb, type Messages } from './nb.ts';

// A small translation function shared by both bundles (no i18n library: the customer page must
// stay within its JavaScript budget). Keys are dotted paths into the message files.

export const languages = { nb, en } as const;
export type Language = keyof typeof languages;
export const DEFAULT_LANGUAGE: Language = 'nb';
const STORAGE_KEY = 'kundeside.language';

type Leaves<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];

/** Every translation key, e.g. "signIn.title". */
export type MessageKey = Leaves<Messages>;

/** Looks a key up in a language and fills {{placeholders}}. A missing key shows as the key. */
export function translate(
  language: Language,
  key: MessageKey,
  values: Record<string, string | number> = {},
): string {
  let node: unknown = languages[language];
  for (const part of key.split('.')) node = (node as Record<string, unknown> | undefined)?.[part];
  const text = typeof node === 'string' ? node : key;
  return text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(values[name] ?? ''));
}

/** The language the visitor chose before, else Norwegian bokmål. */
export function storedLanguage(): Language {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return value === 'en' || value === 'nb' ? value : DEFAULT_LANGUAGE;
  } catch {
    return DEFAULT_LANGUAGE;
  }
}

/** Remembers the visitor's choice and sets the document language for screen readers. */
export function rememberLanguage(language: Language): void {
  try {
    localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
  document.documentElement.lang = language === 'nb' ? 'nb' : 'en';
}

/** All keys of a message tree, for the completeness test. */
export function keysOf(tree: object, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'string' ? [`${prefix}${key}`] : keysOf(value as object, `${prefix}${key}.`),
  );
}
