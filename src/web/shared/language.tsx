import { useEffect, useMemo, useSyncExternalStore } from 'react';
import {
  isLanguageLoaded,
  languagesVersion,
  loadLanguage,
  subscribeToLanguages,
  translate,
  type Language,
  type MessageKey,
} from '../i18n/i18n.ts';
import { useLanguageChoice } from './language-core.tsx';

// The staff app's language hook: the language choice of language-core.tsx with every string of the
// staff app. The customer page imports language-core.tsx directly, so these strings stay out of it.

export { LanguageProvider, LanguageSwitch } from './language-core.tsx';

interface LanguageContextValue {
  language: Language;
  setLanguage: (language: Language) => void;
  t: (key: MessageKey, values?: Record<string, string | number>) => string;
}

/** The current language and translation function (re-rendered when a chosen language has loaded). */
export function useLanguage(): LanguageContextValue {
  const { language, setLanguage } = useLanguageChoice();
  const version = useSyncExternalStore(subscribeToLanguages, languagesVersion, languagesVersion);
  useEffect(() => {
    if (!isLanguageLoaded(language)) void loadLanguage(language);
  }, [language]);
  return useMemo(
    () => ({ language, setLanguage, t: (key, values) => translate(language, key, values) }),
    // `version` makes a new `t` once the language's messages are there.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [language, setLanguage, version],
  );
}
