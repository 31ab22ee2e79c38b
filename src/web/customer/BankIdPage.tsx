import { useState } from 'react';
import { translateCustomer, type CustomerMessageKey } from '../i18n/customer-i18n.ts';
import { useLanguageChoice } from '../shared/language-core.tsx';
import { CodePage } from './CodePage.tsx';
import { ContactText, NoticeFrame } from './NoticePage.tsx';
import { bankIdStartUrl, type SessionView } from './api.ts';

/** Where the browser goes to identify: the server redirects to the company's BankID broker. */

/**
 * "Identify with BankID" (issue 18): after the link, before anything of the case, in the company's
 * look. The start is a plain link (a top-level navigation to the broker and back). After a failed
 * attempt the page says nothing was verified; while BankID is unavailable it says so and, when the
 * company allows it, offers the SMS code instead (the code page, same session).
 */
export function BankIdPage({ session, onVerified }: { session: SessionView; onVerified: () => void }) {
  const { language } = useLanguageChoice();
  const t = (key: CustomerMessageKey) => translateCustomer(language, key);
  const [useCode, setUseCode] = useState(false);
  const problem = session.bankId?.problem ?? null;
  const smsFallback = session.bankId?.smsFallback === true;
  if (useCode && smsFallback) return <CodePage session={session} onVerified={onVerified} />;

  const title: CustomerMessageKey =
    problem === 'unavailable'
      ? 'customer.bankId.unavailableTitle'
      : problem === 'failed'
        ? 'customer.bankId.failedTitle'
        : 'customer.bankId.title';
  return (
    <NoticeFrame company={session.company?.name ?? null}>
      <h1>{t(title)}</h1>
      {problem === 'failed' && <p role="alert">{t('customer.bankId.failed')}</p>}
      {problem === 'unavailable' && <p role="alert">{t('customer.bankId.unavailable')}</p>}
      <p>{t('customer.bankId.intro')}</p>
      <div className="customer-actions">
        <a className="customer-button customer-link-button" href={bankIdStartUrl()}>
          {problem ? t('customer.bankId.tryAgain') : t('customer.bankId.start')}
        </a>
        {smsFallback && (
          <>
            <p className="customer-hint">{t('customer.bankId.codeInstead')}</p>
            <button
              type="button"
              className="customer-button customer-button-secondary"
              onClick={() => setUseCode(true)}
            >
              {t('customer.bankId.useCode')}
            </button>
          </>
        )}
      </div>
      {session.contactForMoreInfo ? (
        <ContactText text={session.contactForMoreInfo} />
      ) : (
        <p>{t('customer.invalidLinkHelp')}</p>
      )}
    </NoticeFrame>
  );
}
