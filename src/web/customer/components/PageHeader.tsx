import type { Language } from '../../i18n/lookup.ts';
import type { CustomerPageModel } from '../model.ts';
import type { Translate } from './text.ts';

/** The top of every customer page: the company's logo (40 px high, sharp on 2x screens) or name. */
export function PageHeader({
  company,
  language,
  t,
  onLanguageChange,
  onSignOut,
}: {
  company: CustomerPageModel['company'];
  language: Language;
  t: Translate;
  onLanguageChange: ((language: Language) => void) | undefined;
  /** Ends the session (the customer page; the admin preview has none). */
  onSignOut?: (() => void) | undefined;
}) {
  const other: Language = language === 'nb' ? 'en' : 'nb';
  return (
    <header className="cp-header">
      {company.logo ? (
        <img
          className="cp-logo"
          src={company.logo.url}
          srcSet={`${company.logo.url} 1x, ${company.logo.url2x} 2x`}
          height={40}
          alt={company.name}
        />
      ) : (
        <span className="cp-company">{company.name}</span>
      )}
      <div className="cp-header-actions">
        {onLanguageChange && (
          <button
            type="button"
            className="cp-language"
            lang={other}
            aria-label={t('common.switchLanguageLabel')}
            onClick={() => onLanguageChange(other)}
          >
            {t('common.switchLanguage')}
          </button>
        )}
        {onSignOut && (
          <button type="button" className="cp-language" onClick={onSignOut}>
            {t('customer.signOut')}
          </button>
        )}
      </div>
    </header>
  );
}
