import { en } from './en.ts';
import { lookup, type Language, type Leaves } from './lookup.ts';
import { nb, type Messages } from './nb.ts';

// A small translation function for the staff app (no i18n library). Keys are dotted paths into the
// message files. The customer page uses customer-i18n.ts instead, which holds only its own strings.

export { DEFAULT_LANGUAGE, keysOf, rememberLanguage, storedLanguage, type Language } from './lookup.ts';

export const languages: Record<Language, Messages> = { nb, en };

/** Every translation key, e.g. "signIn.title". */
export type MessageKey = Leaves<Messages>;

/** Looks a key up in a language and fills {{placeholders}}. A missing key shows as the key. */
export function translate(
  language: Language,
  key: MessageKey,
  values: Record<string, string | number> = {},
): string {
  return lookup(languages[language], key, values, language);
}
