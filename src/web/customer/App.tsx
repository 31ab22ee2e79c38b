import { useCallback, useEffect, useState } from 'react';
import { translateCustomer } from '../i18n/customer-i18n.ts';
import { useLanguageChoice } from '../shared/language-core.tsx';
import { getPage, getSession, type PageAnswer, type SessionView } from './api.ts';
import { CodePage } from './CodePage.tsx';
import { CustomerPage, customerViews, visibleViews, type CustomerView } from './components/CustomerPage.tsx';
import { InvalidLinkPage } from './InvalidLinkPage.tsx';
import { NoticeFrame, NoticePage } from './NoticePage.tsx';

type Screen =
  | { kind: 'loading' }
  | { kind: 'error' }
  | { kind: 'session'; session: SessionView }
  | { kind: 'page'; page: PageAnswer };

/** The view named by the address's hash (/k/#documents), else the dashboard. */
function viewOfHash(): CustomerView {
  const name = window.location.hash.replace(/^#/, '');
  return (customerViews as readonly string[]).includes(name) ? (name as CustomerView) : 'dashboard';
}

/**
 * The customer page after the link was opened (the server left a session cookie, or none): asks the
 * session what may be shown — the "link not valid" page, the SMS code, the "no longer available"
 * page, or the case's page in the visitor's language (fetched again when the language changes, so
 * the news texts match).
 */
export function App() {
  const { language, setLanguage } = useLanguageChoice();
  const [screen, setScreen] = useState<Screen>({ kind: 'loading' });
  const [view, setView] = useState<CustomerView>(viewOfHash);

  const load = useCallback(async () => {
    try {
      const session = await getSession();
      if (session.state !== 'ok') {
        setScreen({ kind: 'session', session });
        return;
      }
      setScreen({ kind: 'page', page: await getPage(language) });
    } catch {
      setScreen({ kind: 'error' });
    }
  }, [language]);

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);

  useEffect(() => {
    const onHash = () => setView(viewOfHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const t = (key: Parameters<typeof translateCustomer>[1]) => translateCustomer(language, key);

  if (screen.kind === 'loading') {
    return (
      <NoticeFrame company={null}>
        <p role="status">{t('common.loading')}</p>
      </NoticeFrame>
    );
  }
  if (screen.kind === 'error') {
    return (
      <NoticeFrame company={null}>
        <h1>{t('customer.invalidLinkTitle')}</h1>
        <p>{t('customer.loadError')}</p>
        <button type="button" className="customer-button" onClick={() => void load()}>
          {t('customer.retry')}
        </button>
      </NoticeFrame>
    );
  }
  const session = screen.kind === 'session' ? screen.session : screen.page.session;
  const company = session.company?.name ?? null;
  if (screen.kind === 'session' && session.state === 'code_required') {
    return <CodePage session={session} onVerified={() => void load()} />;
  }
  if (screen.kind === 'session' || !screen.page.model || !screen.page.visibility) {
    switch (session.reason) {
      case 'access_removed':
        return (
          <NoticePage
            company={company}
            title="customer.invalidLinkTitle"
            body="customer.unavailable.accessRemoved"
            contact={session.contactForMoreInfo}
            fallback="customer.invalidLinkHelp"
          />
        );
      case 'case_unavailable':
        return (
          <NoticePage
            company={company}
            title="customer.unavailable.title"
            body="customer.unavailable.closed"
            contact={session.contactForMoreInfo}
            fallback="customer.unavailable.noContact"
          />
        );
      case 'no_phone':
        return (
          <NoticePage
            company={company}
            title="customer.code.title"
            body="customer.unavailable.noPhone"
            contact={session.contactForMoreInfo}
            fallback="customer.invalidLinkHelp"
          />
        );
      default:
        return <InvalidLinkPage company={company} contact={session.contactForMoreInfo} />;
    }
  }
  const { model } = screen.page;
  // Sending messages comes with the communication issue: until then the thread is read-only here.
  const visibility = {
    ...screen.page.visibility,
    communication: { ...screen.page.visibility.communication, customerCanPost: false },
  };
  const shown = visibleViews(visibility).includes(view) ? view : 'dashboard';
  return (
    <CustomerPage
      model={model}
      visibility={visibility}
      language={language}
      onLanguageChange={setLanguage}
      view={shown}
      onViewChange={(next) => {
        setView(next);
        window.history.replaceState(null, '', next === 'dashboard' ? window.location.pathname : `#${next}`);
      }}
    />
  );
}
