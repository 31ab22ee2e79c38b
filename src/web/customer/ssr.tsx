import { StrictMode } from 'react';
import { renderToString } from 'react-dom/server';
import { LanguageProvider } from '../shared/language-core.tsx';
import type { Bootstrap } from './api.ts';
import { App } from './App.tsx';

/**
 * The customer page's first screen as HTML, rendered on the server from the answers its HTML
 * carries (issue 13, first paint): the same tree main.tsx hydrates in the browser, so the phone shows
 * the page before any script has loaded. Built by scripts/build-web.ts into dist/web/ssr/ and loaded
 * by the server (http/web-routes.ts) when present.
 */
export function renderCustomerPage(boot: Bootstrap): string {
  return renderToString(
    <StrictMode>
      <LanguageProvider initial={boot.language}>
        <App boot={boot} />
      </LanguageProvider>
    </StrictMode>,
  );
}
