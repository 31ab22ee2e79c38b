import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { LanguageProvider } from '../shared/language-core.tsx';
import { App } from './App.tsx';
import './customer.css';

// The customer page: its own entry and bundle (no staff-app code, no zod, no query library).
const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <LanguageProvider>
        <App />
      </LanguageProvider>
    </StrictMode>,
  );
}
