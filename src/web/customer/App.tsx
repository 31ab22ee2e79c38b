import { useCallback, useEffect, useRef, useState } from 'react';
import { translateCustomer } from '../i18n/customer-i18n.ts';
import { useLanguageChoice } from '../shared/language-core.tsx';
import {
  ApiError,
  customerLists,
  customerSatisfaction,
  customerCaseArchive,
  getPage,
  getSession,
  logOut,
  postMessage,
  type Bootstrap,
  type PageAnswer,
  type SessionView,
} from './api.ts';
import { BankIdPage } from './BankIdPage.tsx';
import { CodeLockedPage, CodePage } from './CodePage.tsx';
import type { SendMessage } from './components/CommunicationView.tsx';
import { CustomerPage, customerViews, visibleViews, type CustomerView } from './components/CustomerPage.tsx';
import { InvalidLinkPage } from './InvalidLinkPage.tsx';
import { listenForChanges } from './live.ts';
import { NoticeFrame, NoticePage } from './NoticePage.tsx';
import { SwitchLinkPage } from './SwitchLinkPage.tsx';

type Screen =
  | { kind: 'loading' }
  | { kind: 'error' }
  | { kind: 'session'; session: SessionView }
  | { kind: 'page'; page: PageAnswer };

/** The view named by the address's hash (/k/#documents), else the dashboard (and on the server). */
export function viewOfHash(): CustomerView {
  if (typeof window === 'undefined') return 'dashboard';
  const name = window.location.hash.replace(/^#/, '');
  return (customerViews as readonly string[]).includes(name) ? (name as CustomerView) : 'dashboard';
}

/** The first screen from the HTML's answers (when they are in the visitor's language), else loading. */
function firstScreen(boot: Bootstrap | null, language: string): Screen {
  if (!boot || boot.language !== language) return { kind: 'loading' };
  if (boot.session.state !== 'ok' || boot.session.pendingLink)
    return { kind: 'session', session: boot.session };
  return boot.page ? { kind: 'page', page: boot.page } : { kind: 'loading' };
}

/**
 * The customer page after the link was opened (the server left a session cookie, or none): asks the
 * session what may be shown — the "link not valid" page, the SMS code, the "no longer available"
 * page, or the case's page in the visitor's language (fetched again when the language changes, so
 * the news texts match). With `boot` (the HTML's answers) the first screen needs no request: the
 * server renders it from the same answers (ssr.tsx) and the browser hydrates it (main.tsx).
 */
export function App({ boot }: { boot: Bootstrap | null }) {
  const { language, setLanguage } = useLanguageChoice();
  const [screen, setScreen] = useState<Screen>(() => firstScreen(boot, language));
  // The language the HTML's answers were in, until the first load of its own (a language switch):
  // no load is needed before then. (Not a one-shot flag: React's StrictMode runs effects twice.)
  const shownFromHtml = useRef<string | null>(screen.kind !== 'loading' ? language : null);
  const [view, setView] = useState<CustomerView>(viewOfHash);
  const [signedOut, setSignedOut] = useState(false);

  // "Sign out": the session ends on the server (the stream with it); the page says how to come back.
  // Signed out on this screen even when the request fails: a stale session ends by itself (60 min).
  const signOut = useCallback(async () => {
    try {
      await logOut();
    } finally {
      setSignedOut(true);
    }
  }, []);

  const load = useCallback(async () => {
    try {
      const session = await getSession();
      if (session.state !== 'ok' || session.pendingLink) {
        setScreen({ kind: 'session', session });
        return;
      }
      setScreen({ kind: 'page', page: await getPage(language) });
    } catch {
      setScreen({ kind: 'error' });
    }
  }, [language]);

  useEffect(() => {
    if (shownFromHtml.current === language) return;
    shownFromHtml.current = null;
    void load();
  }, [load, language]);

  // Fetches the page again in the background (a live signal, a sent message). A failed fetch leaves
  // the page as it is, unless the session ended: then the whole page is loaded anew (link not valid,
  // code required …). Only the newest of overlapping fetches is shown.
  const latestRefresh = useRef(0);
  const refresh = useCallback(async () => {
    const sequence = ++latestRefresh.current;
    try {
      const page = await getPage(language);
      if (sequence === latestRefresh.current) setScreen({ kind: 'page', page });
    } catch (error) {
      if (error instanceof ApiError && (error.status === 401 || error.status === 403)) await load();
    }
  }, [language, load]);

  // A send refused because the session ended (access removed, say) loads the page anew, so it says
  // why — the company's "access removed" page — instead of only the form's error.
  const sendMessage = useCallback<SendMessage>(
    async ({ text, files }) => {
      try {
        await postMessage(text, files);
      } catch (error) {
        if (error instanceof ApiError && (error.status === 401 || error.code === 'forbidden')) await load();
        throw error;
      }
      await refresh();
    },
    [refresh, load],
  );

  // Live updates while the case's page is shown: one stream, closed when the page goes away.
  const showingCase = screen.kind === 'page' && screen.page.model !== null && !signedOut;
  const refreshLatest = useRef(refresh);
  useEffect(() => {
    refreshLatest.current = refresh;
  }, [refresh]);
  useEffect(() => {
    if (!showingCase) return;
    const onChange = () => void refreshLatest.current();
    return listenForChanges(onChange, onChange);
  }, [showingCase]);

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
  if (signedOut) {
    return (
      <NoticeFrame company={company}>
        <h1>{t('customer.signedOutTitle')}</h1>
        <p>{t('customer.signedOut')}</p>
      </NoticeFrame>
    );
  }
  if (screen.kind === 'session' && session.pendingLink) {
    return <SwitchLinkPage session={session} onDone={() => void load()} />;
  }
  if (screen.kind === 'session' && session.state === 'bankid_required') {
    return <BankIdPage session={session} onVerified={() => void load()} />;
  }
  if (screen.kind === 'session' && session.state === 'code_required') {
    return <CodePage session={session} onVerified={() => void load()} />;
  }
  if (screen.kind === 'session' || !screen.page.model || !screen.page.visibility) {
    switch (session.reason) {
      case 'access_removed':
        return (
          <NoticePage
            company={company}
            title="customer.unavailable.accessRemovedTitle"
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
      case 'code_locked':
        return <CodeLockedPage session={session} />;
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
  const { model, visibility } = screen.page;
  const shown = visibleViews(visibility).includes(view) ? view : 'dashboard';
  return (
    <CustomerPage
      model={model}
      visibility={visibility}
      language={language}
      onLanguageChange={setLanguage}
      onSignOut={() => void signOut()}
      onSendMessage={sendMessage}
      lists={customerLists}
      satisfaction={customerSatisfaction}
      archive={customerCaseArchive}
      view={shown}
      onViewChange={(next) => {
        setView(next);
        window.history.replaceState(null, '', next === 'dashboard' ? window.location.pathname : `#${next}`);
      }}
    />
  );
}
