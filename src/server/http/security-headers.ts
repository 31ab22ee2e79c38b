import type { App } from './types.ts';

/**
 * Content Security Policy of every page and answer: no inline scripts, no plugins, no framing, no
 * <base>. React sets style attributes through the CSSOM and the customer page's theme comes as CSS
 * custom properties, so inline style attributes are allowed, inline scripts never.
 */
const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join(';');

/**
 * The security headers of every response (what helmet's defaults send, with our CSP, referrer policy
 * and framing rule), as one fixed object: set with one call per request. Helmet built them anew per
 * request through a chain of middlewares, ~6 % of the customer page's CPU (bench profile, issue 13).
 * Routes may still override one (a download's sandbox CSP, the customer page's no-referrer).
 */
export function securityHeaders(https: boolean): Readonly<Record<string, string>> {
  return Object.freeze({
    'content-security-policy': contentSecurityPolicy,
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'origin-agent-cluster': '?1',
    'referrer-policy': 'same-origin',
    ...(https && { 'strict-transport-security': 'max-age=31536000; includeSubDomains' }),
    'x-content-type-options': 'nosniff',
    'x-dns-prefetch-control': 'off',
    'x-download-options': 'noopen',
    'x-frame-options': 'DENY',
    'x-permitted-cross-domain-policies': 'none',
    // The old XSS auditor is off (it could be abused to blank parts of a page); the CSP protects.
    'x-xss-protection': '0',
  });
}

/**
 * Security headers on every response (HSTS over HTTPS), and no-store on every API response (case
 * data must not sit in shared or browser caches).
 */
export async function registerSecurityHeaders(app: App): Promise<void> {
  const headers = securityHeaders(app.config.secureCookies);
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });
  app.addHook('onSend', (request, reply, payload, done) => {
    if (request.url.startsWith('/api/') && !reply.hasHeader('cache-control')) {
      reply.header('cache-control', 'no-store');
    }
    done(null, payload);
  });
}
