import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { LanguageProvider } from '../shared/language-core.tsx';
import { InvalidLinkPage } from './InvalidLinkPage.tsx';
import './customer.css';

// The customer page: its own entry and bundle. Until customer access exists, every link is
// answered with the friendly "this link is not valid" page.
const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <LanguageProvider>
        <InvalidLinkPage />
      </LanguageProvider>
    </StrictMode>,
  );
}
