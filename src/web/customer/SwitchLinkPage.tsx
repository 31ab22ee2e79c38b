import { useEffect, useRef, useState } from 'react';
import { translateCustomer, type CustomerMessageKey } from '../i18n/customer-i18n.ts';
import { useLanguageChoice } from '../shared/language-core.tsx';
import { acceptPendingLink, dismissPendingLink, type SessionView } from './api.ts';
import { NoticeFrame } from './NoticePage.tsx';

/**
 * A link for another case was opened while this browser shows a case (issue 15: a link never takes a
 * live session away by itself). The person decides: switch to the new link's case, or stay. Either
 * answer is a same-origin request, so a foreign site cannot decide for them.
 */
export function SwitchLinkPage({ session, onDone }: { session: SessionView; onDone: () => void }) {
  const { language } = useLanguageChoice();
  const t = (key: CustomerMessageKey, values?: Record<string, string>) =>
    translateCustomer(language, key, values);
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);

  const decide = async (choice: () => Promise<SessionView>) => {
    setBusy(true);
    setFailed(false);
    try {
      await choice();
      onDone();
    } catch {
      setFailed(true);
      setBusy(false);
    }
  };

  return (
    <NoticeFrame company={session.company?.name ?? null}>
      <h1 ref={heading} tabIndex={-1}>
        {t('customer.switchLink.title')}
      </h1>
      <p>{t('customer.switchLink.body')}</p>
      {session.claimNumber ? <p>{t('customer.switchLink.current', { claim: session.claimNumber })}</p> : null}
      <p>{t('customer.switchLink.warning')}</p>
      {failed ? <p role="alert">{t('common.errorGeneric')}</p> : null}
      <div className="customer-actions">
        <button
          type="button"
          className="customer-button"
          disabled={busy}
          onClick={() => void decide(dismissPendingLink)}
        >
          {t('customer.switchLink.stay')}
        </button>
        <button
          type="button"
          className="customer-button customer-button-secondary"
          disabled={busy}
          onClick={() => void decide(acceptPendingLink)}
        >
          {t('customer.switchLink.accept')}
        </button>
      </div>
    </NoticeFrame>
  );
}
