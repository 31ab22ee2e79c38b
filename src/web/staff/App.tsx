import { useQuery } from '@tanstack/react-query';
import { Route, Routes } from 'react-router';
import type { MeView } from '../../common/api.ts';
import { useLanguage } from '../shared/language.tsx';
import { api, ApiError } from './api.ts';
import { Shell } from './Shell.tsx';
import { CustomerPageAdminPage } from './admin/CustomerPageAdminPage.tsx';
import { DevMailboxPage } from './admin/DevMailboxPage.tsx';
import { CaseListPage } from './cases/CaseListPage.tsx';
import { CasePage } from './cases/CasePage.tsx';
import { NewCasePage } from './cases/NewCasePage.tsx';
import { NotificationsPage } from './notifications/NotificationsPage.tsx';
import { ApiKeysPage } from './pages/ApiKeysPage.tsx';
import { CompanyPage } from './pages/CompanyPage.tsx';
import { HomePage } from './pages/HomePage.tsx';
import { NotFoundPage } from './pages/NotFoundPage.tsx';
import { PartnersPage } from './pages/PartnersPage.tsx';
import { SignInPage } from './pages/SignInPage.tsx';
import { UsersPage } from './pages/UsersPage.tsx';

export const ME_QUERY = ['me'] as const;

/** Signed out: the sign-in page. Signed in: the shell with the pages the user's abilities allow. */
export function App() {
  const { t } = useLanguage();
  const me = useQuery({ queryKey: ME_QUERY, queryFn: () => api<MeView>('GET', '/api/me') });

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
      <Routes>
        <Route path="/" element={<HomePage me={me.data} />} />
        <Route path="/cases" element={<CaseListPage />} />
        <Route path="/cases/new" element={<NewCasePage me={me.data} />} />
        <Route path="/cases/:id" element={<CasePage me={me.data} />} />
        <Route path="/notifications" element={<NotificationsPage />} />
        <Route path="/company" element={<CompanyPage canEdit={abilities.manageCompany} />} />
        <Route
          path="/users"
          element={<UsersPage canManage={abilities.manageUsers} selfId={me.data.user?.id} />}
        />
        <Route path="/partners" element={<PartnersPage canManage={abilities.managePartners} />} />
        {abilities.manageApiKeys && <Route path="/api-keys" element={<ApiKeysPage />} />}
        {/* Always routed: a lower level typing the address sees the API's refusal. */}
        <Route path="/admin/customer-page" element={<CustomerPageAdminPage me={me.data} />} />
        {abilities.configureCustomerPage && <Route path="/admin/dev-mailbox" element={<DevMailboxPage />} />}
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </Shell>
  );
}
