import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { translateCustomer } from '../i18n/customer-i18n.ts';
import { rememberLanguage, storedLanguage, type Language } from '../i18n/lookup.ts';

// The visitor's language, for both bundles. It holds no message file of the staff app: the customer
// page pairs it with its own strings (customer-i18n.ts), the staff app with all (language.tsx).

interface LanguageChoice {
  language: Language;
  setLanguage: (language: Language) => void;
}

const LanguageContext = createContext<LanguageChoice | null>(null);

/**
 * Provides the visitor's language (remembered between visits), or `initial`: the language the page's
 * HTML was rendered in by the server (the customer page), so hydration starts from the same text.
 */
export function LanguageProvider({ children, initial }: { children: ReactNode; initial?: Language }) {
  const [language, setLanguageState] = useState<Language>(() => {
    const chosen = initial ?? storedLanguage();
    if (typeof document !== 'undefined') document.documentElement.lang = chosen;
    return chosen;
  });
  const setLanguage = useCallback((next: Language) => {
    rememberLanguage(next);
    setLanguageState(next);
  }, []);
  const value = useMemo(() => ({ language, setLanguage }), [language, setLanguage]);
  return <LanguageContext.Provider value={value}>{children}</LanguageContext.Provider>;
}

/** The current language and the function that changes it. */
export function useLanguageChoice(): LanguageChoice {
  const value = useContext(LanguageContext);
  if (!value) throw new Error('useLanguageChoice outside LanguageProvider');
  return value;
}

/** A button that switches between Norwegian and English. */
export function LanguageSwitch({ className }: { className?: string }) {
  const { language, setLanguage } = useLanguageChoice();
  const other: Language = language === 'nb' ? 'en' : 'nb';
  return (
    <button
      type="button"
      className={className}
      lang={other}
      aria-label={translateCustomer(language, 'common.switchLanguageLabel')}
      onClick={() => setLanguage(other)}
    >
      {translateCustomer(language, 'common.switchLanguage')}
    </button>
  );
}
