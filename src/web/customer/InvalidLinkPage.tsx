import { translateCustomer } from '../i18n/customer-i18n.ts';
import { LanguageSwitch, useLanguageChoice } from '../shared/language-core.tsx';

/** Shown for a link that does not (or no longer) lead to a case. */
export function InvalidLinkPage() {
  const { language } = useLanguageChoice();
  const t = (key: Parameters<typeof translateCustomer>[1]) => translateCustomer(language, key);
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
