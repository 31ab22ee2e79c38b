import { LanguageSwitch, useLanguage } from '../shared/language.tsx';

/** Shown for a link that does not (or no longer) lead to a case. */
export function InvalidLinkPage() {
  const { t } = useLanguage();
  return (
    <div className="customer-page">
      <header className="customer-header">
        <span className="customer-brand">{t('common.appName')}</span>
        <LanguageSwitch className="customer-language" />
      </header>
      <main className="customer-main">
        <h1>{t('customer.invalidLinkTitle')}</h1>
        <p>{t('customer.invalidLinkBody')}</p>
        <p>{t('customer.invalidLinkHelp')}</p>
      </main>
    </div>
  );
}
