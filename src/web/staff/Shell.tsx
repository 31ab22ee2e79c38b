import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, type ReactNode } from 'react';
import { NavLink, useLocation } from 'react-router';
import type { MeView } from '../../common/contracts/api.ts';
import type { MessageKey } from '../i18n/i18n.ts';
import { LanguageSwitch, useLanguage } from '../shared/language.tsx';
import { api } from './api.ts';
import { useLiveUpdates } from './live-updates.ts';
import { useNotifications } from './notifications/notification-data.ts';

interface NavItem {
  to: string;
  label: MessageKey;
  visible: (me: MeView) => boolean;
}

// Only pages that exist, and only those the user's abilities allow.
const navItems: NavItem[] = [
  { to: '/', label: 'nav.home', visible: () => true },
  { to: '/cases', label: 'nav.cases', visible: () => true },
  { to: '/notifications', label: 'nav.notifications', visible: (me) => me.user !== null },
  { to: '/company', label: 'nav.company', visible: () => true },
  { to: '/users', label: 'nav.users', visible: () => true },
  { to: '/partners', label: 'nav.partners', visible: () => true },
  { to: '/api-keys', label: 'nav.apiKeys', visible: (me) => me.abilities.manageApiKeys },
  { to: '/webhooks', label: 'nav.webhooks', visible: (me) => me.abilities.manageWebhooks },
  { to: '/satisfaction', label: 'nav.satisfaction', visible: (me) => me.abilities.viewSatisfaction },
  // The audit trail is the company admin's (level 6), as is changing the company.
  { to: '/audit-log', label: 'nav.auditTrail', visible: (me) => me.abilities.manageCompany },
  {
    to: '/admin/customer-page',
    label: 'nav.customerPage',
    visible: (me) => me.abilities.configureCustomerPage,
  },
  {
    to: '/admin/dev-mailbox',
    label: 'nav.devMailbox',
    visible: (me) => me.abilities.configureCustomerPage,
  },
];

/** The frame of every signed-in page: skip link, header with navigation, language and sign-out. */
export function Shell({ me, children }: { me: MeView; children: ReactNode }) {
  const { t } = useLanguage();
  const queryClient = useQueryClient();
  const location = useLocation();
  const main = useRef<HTMLElement>(null);
  // One live stream for the whole app: the dashboard's counts and this count follow it (polled only
  // while it is down), so a customer's message shows in the menu on any page.
  const live = useLiveUpdates();
  const notifications = useNotifications(me.user !== null, live);
  const unread = me.user ? (notifications.data?.unread ?? 0) : 0;

  // Move focus to the new page's content after navigation, as a screen reader user expects.
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus();
  }, [location.pathname]);

  async function signOut() {
    await api.auth.logout();
    // Drop every cached answer of the signed-out user before showing the sign-in page.
    queryClient.clear();
    window.location.assign('/');
  }

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('common.skipToContent')}
      </a>
      <header className="topbar">
        <div className="brand">
          <span className="brand-name">{t('common.appName')}</span>
          <span className="brand-company">{me.company.name}</span>
        </div>
        <nav aria-label={t('nav.label')} className="nav">
          <ul>
            {navItems
              .filter((item) => item.visible(me))
              .map((item) => (
                <li key={item.to}>
                  <NavLink to={item.to} end={item.to === '/'}>
                    {t(item.label)}
                    {item.to === '/notifications' && unread > 0 && (
                      <>
                        {' '}
                        {/* "Varsler 3 uleste" for screen readers, the number in a pill on screen. */}
                        <span className="nav-count">
                          {unread}
                          <span className="visually-hidden"> {t('nav.unreadSuffix')}</span>
                        </span>
                      </>
                    )}
                  </NavLink>
                </li>
              ))}
          </ul>
        </nav>
        <div className="topbar-actions">
          <span className="signed-in-as">
            {t('nav.signedInAs', { name: me.user?.name ?? '', level: me.level })}
          </span>
          <LanguageSwitch className="button-quiet" />
          <button type="button" className="button-quiet" onClick={() => void signOut()}>
            {t('nav.signOut')}
          </button>
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
