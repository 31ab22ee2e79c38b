import { StrictMode, useEffect, type ReactNode } from 'react';
import { createRoot, hydrateRoot } from 'react-dom/client';
import { chosenLanguage, DEFAULT_LANGUAGE, rememberLanguage } from '../i18n/lookup.ts';
import { LanguageProvider } from '../shared/language-core.tsx';
import { readBootstrap } from './api.ts';
import { App, viewOfHash } from './App.tsx';
import './customer.css';

// The customer page: its own entry and bundle (no staff-app code, no zod, no query library).
const root = document.getElementById('root');

/** Marks #root `data-ready` once the page answers (hydrated or rendered): the browser tests wait for it. */
function Ready({ children }: { children: ReactNode }) {
  useEffect(() => {
    if (root) root.dataset.ready = 'true';
  }, []);
  return children;
}

if (root) {
  const boot = readBootstrap();
  // The visitor's own choice on this device wins over the language the server rendered in (its
  // cookie may be missing); then the server is told for next time, and this time the page loads anew.
  const language = chosenLanguage() ?? boot?.language ?? DEFAULT_LANGUAGE;
  if (boot && boot.language !== language) rememberLanguage(language);
  const page = (
    <StrictMode>
      <LanguageProvider initial={language}>
        <Ready>
          <App boot={boot} />
        </Ready>
      </LanguageProvider>
    </StrictMode>
  );
  // The server rendered the first screen (the dashboard) from the same answers into #root: take it
  // over. An address naming another view (/k/#documents), or no server rendering, renders anew.
  const sameScreen = boot?.language === language && viewOfHash() === 'dashboard';
  if (sameScreen && root.firstElementChild) hydrateRoot(root, page);
  else createRoot(root).render(page);
}
