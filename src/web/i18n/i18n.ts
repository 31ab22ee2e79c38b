import { lookup, type Language, type Leaves } from './lookup.ts';
import { nb, type Messages } from './nb.ts';

// A small translation function for the staff app (no i18n library). Keys are dotted paths into the
// message files. The customer page uses customer-i18n.ts instead, which holds only its own strings.
// Norwegian, the default, is part of the staff app's first load; English is its own chunk, loaded
// when a visitor uses it (loadLanguage): the first load stays within its budget as strings grow.

export { DEFAULT_LANGUAGE, keysOf, rememberLanguage, storedLanguage, type Language } from './lookup.ts';

const loaded: Partial<Record<Language, Messages>> = { nb };
const pending = new Map<Language, Promise<void>>();
const listeners = new Set<() => void>();
let loadedVersion = 0;

/** Every translation key, e.g. "signIn.title". */
export type MessageKey = Leaves<Messages>;

/** Loads a language's messages (once); resolves when `translate` can use them. */
export function loadLanguage(language: Language): Promise<void> {
  if (loaded[language]) return Promise.resolve();
  let promise = pending.get(language);
  if (!promise) {
    promise = import('./en.ts').then(({ en }) => {
      loaded.en = en;
      loadedVersion += 1;
      for (const listener of listeners) listener();
    });
    pending.set(language, promise);
  }
  return promise;
}

/** Whether `translate` has the language's own messages (otherwise it answers in Norwegian). */
export function isLanguageLoaded(language: Language): boolean {
  return loaded[language] !== undefined;
}

/** For useSyncExternalStore: re-render when a language has arrived. */
export function subscribeToLanguages(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Changes each time a language has loaded. */
export const languagesVersion = (): number => loadedVersion;

/**
 * Looks a key up in a language and fills {{placeholders}}. A missing key shows as the key; a language
 * still loading answers in Norwegian for that moment.
 */
export function translate(
  language: Language,
  key: MessageKey,
  values: Record<string, string | number> = {},
): string {
  return lookup(loaded[language] ?? nb, key, values, language);
}
