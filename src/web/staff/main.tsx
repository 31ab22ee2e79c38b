import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { loadLanguage, storedLanguage } from '../i18n/i18n.ts';
import { LanguageProvider } from '../shared/language.tsx';
import { ApiError } from './api.ts';
import { App, preloadPage } from './App.tsx';
import './staff.css';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A 401/403/404 will not change by asking again.
      retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
      refetchOnWindowFocus: false,
    },
  },
});

preloadPage(window.location.pathname);

// A data router, so a form with unsaved changes can hold a navigation (useBlocker,
// use-unsaved-changes.tsx). One catch-all route: App and its pages keep their own <Routes>.
const router = createBrowserRouter([{ path: '*', element: <App /> }]);

const root = document.getElementById('root');
// English is its own chunk: a visitor who chose it gets it before the first render (no Norwegian flash).
if (root) {
  void loadLanguage(storedLanguage()).finally(() =>
    createRoot(root).render(
      <StrictMode>
        <QueryClientProvider client={queryClient}>
          <LanguageProvider>
            {/* Not in a transition: a page whose chunk is still loading shows its loading status at once
              (focus moves to it, Shell.tsx) instead of the old page staying put with no sign of life. */}
            <RouterProvider router={router} useTransitions={false} />
          </LanguageProvider>
        </QueryClientProvider>
      </StrictMode>,
    ),
  );
}
