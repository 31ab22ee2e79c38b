import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { rememberLanguage, storedLanguage, translate, type Language, type MessageKey } from '../i18n/i18n.ts';

interface LanguageContextValue {
  language: Language;
  setLanguage: (language: Language) => void;
  t: (key: MessageKey, values?: Record<string, string | number>) => string;
}

const LanguageContext = createContext<LanguageContextValue | null>(null);

/** Provides the visitor's language (remembered between visits) and the `t` function. */
export function LanguageProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(() => {
    const initial = storedLanguage();
    document.documentElement.lang = initial;
    return initial;
  });
  const setLanguage = useCallback((next: Language) => {
    rememberLanguage(next);
    setLanguageState(next);
  }, []);
  const value = useMemo<LanguageContextValue>(
    () => ({ language, setLanguage, t: (key, values) => translate(language, key, values) }),
    [language, setLanguage],
  );
  return <LanguageContext.Provider value={value}>{children}</LanguageContext.Provider>;
}

/** The current language and translation function. */
export function useLanguage(): LanguageContextValue {
  const value = useContext(LanguageContext);
  if (!value) throw new Error('useLanguage outside LanguageProvider');
  return value;
}

/** A button that switches between Norwegian and English. */
export function LanguageSwitch({ className }: { className?: string }) {
  const { language, setLanguage, t } = useLanguage();
  const other: Language = language === 'nb' ? 'en' : 'nb';
  return (
    <button
      type="button"
      className={className}
      lang={other}
      aria-label={t('common.switchLanguageLabel')}
      onClick={() => setLanguage(other)}
    >
      {t('common.switchLanguage')}
    </button>
  );
}
