import { errorCatalogue } from '../errors.ts';
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
 * The CSP with one inline script allowed by its SHA-256 (base64): the customer page's loader, a fixed
 * text per build (web-routes.ts). Every other inline script stays refused.
 */
export function contentSecurityPolicyWithScript(sha256: string): string {
  return contentSecurityPolicy.replace("script-src 'self'", `script-src 'self' 'sha256-${sha256}'`);
}

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

/** Security headers on every response (HSTS over HTTPS). */
export async function registerSecurityHeaders(app: App): Promise<void> {
  const headers = securityHeaders(app.config.secureCookies);
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });
}

/**
 * Inside an API's scope (app.ts): no-store on every answer that does not set its own caching (case
 * data must not sit in shared or browser caches), and the JSON 404 of the error catalogue for a path
 * under the API's prefix that no route serves (after the scope's authentication hook).
 */
export function apiDefaults(api: App): void {
  api.addHook('onSend', (_request, reply, payload, done) => {
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    done(null, payload);
  });
  api.setNotFoundHandler(async (_request, reply) =>
    reply.status(404).send({ error: { code: 'not_found', message: errorCatalogue.not_found.message } }),
  );
}
