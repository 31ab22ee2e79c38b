import { useQuery } from '@tanstack/react-query';
import { matchPath, Route, Routes, useLocation } from 'react-router';
import { useLanguage } from '../shared/language.tsx';
import { api, ApiError } from './api.ts';
import { lazyComponent, LoadBoundary, type LazyComponent } from './lazy.tsx';
import { SignInPage } from './pages/SignInPage.tsx';
import { Shell } from './Shell.tsx';

export const ME_QUERY = ['me'] as const;

// Every page is a chunk of its own (see lazy.tsx); the sign-in page is small and shown before
// anything else is known, so it stays in the first load.
const HomePage = lazyComponent(() => import('./pages/HomePage.tsx').then((m) => m.HomePage));
const CaseListPage = lazyComponent(() => import('./cases/CaseListPage.tsx').then((m) => m.CaseListPage));
const NewCasePage = lazyComponent(() => import('./cases/NewCasePage.tsx').then((m) => m.NewCasePage));
const CasePage = lazyComponent(() => import('./cases/CasePage.tsx').then((m) => m.CasePage));
const NotificationsPage = lazyComponent(() =>
  import('./notifications/NotificationsPage.tsx').then((m) => m.NotificationsPage),
);
const CompanyPage = lazyComponent(() => import('./pages/CompanyPage.tsx').then((m) => m.CompanyPage));
const UsersPage = lazyComponent(() => import('./pages/UsersPage.tsx').then((m) => m.UsersPage));
const PartnersPage = lazyComponent(() => import('./pages/PartnersPage.tsx').then((m) => m.PartnersPage));
const ApiKeysPage = lazyComponent(() => import('./pages/ApiKeysPage.tsx').then((m) => m.ApiKeysPage));
const WebhooksPage = lazyComponent(() => import('./pages/WebhooksPage.tsx').then((m) => m.WebhooksPage));
const SatisfactionPage = lazyComponent(() =>
  import('./pages/SatisfactionPage.tsx').then((m) => m.SatisfactionPage),
);
const AuditTrailPage = lazyComponent(() =>
  import('./pages/AuditTrailPage.tsx').then((m) => m.AuditTrailPage),
);
const CustomerPageAdminPage = lazyComponent(() =>
  import('./admin/CustomerPageAdminPage.tsx').then((m) => m.CustomerPageAdminPage),
);
const DevMailboxPage = lazyComponent(() =>
  import('./admin/DevMailboxPage.tsx').then((m) => m.DevMailboxPage),
);
const NotFoundPage = lazyComponent(() => import('./pages/NotFoundPage.tsx').then((m) => m.NotFoundPage));

// Paths in matching order (a fixed path before a parameter), for preloadPage.
const pagesByPath: Array<[string, Pick<LazyComponent<object>, 'preload'>]> = [
  ['/', HomePage],
  ['/cases', CaseListPage],
  ['/cases/new', NewCasePage],
  ['/cases/:id', CasePage],
  ['/notifications', NotificationsPage],
  ['/company', CompanyPage],
  ['/users', UsersPage],
  ['/partners', PartnersPage],
  ['/api-keys', ApiKeysPage],
  ['/webhooks', WebhooksPage],
  ['/satisfaction', SatisfactionPage],
  ['/audit-log', AuditTrailPage],
  ['/admin/customer-page', CustomerPageAdminPage],
  ['/admin/dev-mailbox', DevMailboxPage],
];

/**
 * Starts downloading the chunk of the page at `pathname` at once, so it arrives while /api/me is
 * still being asked instead of after it. A failure shows when the page renders (LoadBoundary).
 */
export function preloadPage(pathname: string): void {
  const page = pagesByPath.find(([path]) => matchPath(path, pathname))?.[1] ?? NotFoundPage;
  page.preload().catch(() => undefined);
}

/** Signed out: the sign-in page. Signed in: the shell with the pages the user's abilities allow. */
export function App() {
  const { t } = useLanguage();
  const location = useLocation();
  const me = useQuery({ queryKey: ME_QUERY, queryFn: () => api.auth.me() });

  if (me.isPending) {
    return (
      <p className="page-loading" role="status">
        {t('common.loading')}
      </p>
    );
  }
  if (me.isError) {
    if (me.error instanceof ApiError && me.error.status === 401) return <SignInPage />;
    return (
      <p className="page-loading" role="alert">
        {t('common.errorGeneric')}
      </p>
    );
  }
  const { abilities } = me.data;
  return (
    <Shell me={me.data}>
      <LoadBoundary loading={t('common.loading')} resetKey={location.pathname}>
        <Routes>
          <Route path="/" element={<HomePage me={me.data} />} />
          <Route path="/cases" element={<CaseListPage />} />
          <Route path="/cases/new" element={<NewCasePage me={me.data} />} />
          <Route path="/cases/:id" element={<CasePage />} />
          <Route path="/notifications" element={<NotificationsPage />} />
          <Route path="/company" element={<CompanyPage canEdit={abilities.manageCompany} />} />
          <Route
            path="/users"
            element={<UsersPage canManage={abilities.manageUsers} selfId={me.data.user?.id} />}
          />
          <Route path="/partners" element={<PartnersPage canManage={abilities.managePartners} />} />
          {abilities.manageApiKeys && <Route path="/api-keys" element={<ApiKeysPage />} />}
          {abilities.manageWebhooks && <Route path="/webhooks" element={<WebhooksPage />} />}
          {abilities.viewSatisfaction && <Route path="/satisfaction" element={<SatisfactionPage />} />}
          {abilities.manageCompany && <Route path="/audit-log" element={<AuditTrailPage />} />}
          {/* Always routed: a lower level typing the address sees the API's refusal. */}
          <Route path="/admin/customer-page" element={<CustomerPageAdminPage me={me.data} />} />
          {abilities.configureCustomerPage && (
            <Route path="/admin/dev-mailbox" element={<DevMailboxPage />} />
          )}
          <Route path="*" element={<NotFoundPage />} />
        </Routes>
      </LoadBoundary>
    </Shell>
  );
}
