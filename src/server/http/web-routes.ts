import type { FastifyReply, FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { errorCatalogue } from '../errors.ts';
import { contentSecurityPolicyWithScript } from './security-headers.ts';
import type { App } from './types.ts';

/** Path prefix of customer-page links; everything under it is served by the customer entry. */
export const CUSTOMER_PAGE_PREFIX = '/k/';

/** Serves a page's HTML (or 503 while the web app is not built). */
type PageHandler = (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>;

const sendHtml =
  (html: string | null): PageHandler =>
  async (_request, reply) => {
    if (html === null) {
      return reply
        .status(503)
        .type('text/plain; charset=utf-8')
        .send('The web app is not built. Run: npm run build');
    }
    return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(html);
  };

/** Where a web build keeps the customer page's server-side renderer (scripts/build-web.ts; not served). */
export const CUSTOMER_SSR_FILE = 'ssr/customer-ssr.mjs';

/** What the customer page's HTML carries for one request (customer-page/routes.ts). */
export interface CustomerPageBoot {
  language: 'nb' | 'en';
  /** The answers as JSON, safe inside a <script> element. */
  json: string;
  /** The same answers as an object, for the server-side renderer. */
  answers: () => unknown;
}

type CustomerRenderer = (answers: unknown) => string;

const gzipAsync = promisify(gzip);

/**
 * The customer page's HTML, for the /k/ route that customer-access registers (where a link
 * `/k/<token>` is exchanged for a session first): never cached. With `customerData` the HTML
 * carries the first answers (session and page) and, when the build has the customer page's
 * server-side renderer, the first screen rendered from them (the browser hydrates it): the page shows
 * before any script has loaded. Its style sheet is inlined, so nothing blocks that first paint. It
 * then holds personal data and is never stored.
 */
export function customerPageHtml(
  app: App,
  /** The data the customer page's HTML carries for this request. */
  customerData?: (request: FastifyRequest) => Promise<CustomerPageBoot>,
): PageHandler {
  const dist = app.config.webDistDir;
  const built = readEntry(dist, 'customer');
  if (built === null) return sendHtml(null);
  const { html: template, loaderSha256 } = scriptsAfterFirstPaint(inlineStyleSheets(built, dist));
  const csp = loaderSha256 === null ? null : contentSecurityPolicyWithScript(loaderSha256);
  const renderer = loadCustomerRenderer(app, dist);
  return async (request, reply) => {
    if (csp) reply.header('content-security-policy', csp);
    if (!customerData) return sendHtml(template)(request, reply);
    const boot = await customerData(request);
    const render = await renderer;
    let markup = '';
    if (render) {
      try {
        markup = render(boot.answers());
      } catch (error) {
        // The browser renders the page itself from the same answers: a failure here costs speed only.
        request.log.error({ err: error }, 'customer page: server rendering failed');
      }
    }
    const html = template
      .replace('<html lang="nb">', `<html lang="${boot.language}">`)
      .replace(
        '<div id="root"></div>',
        `<script type="application/json" id="ks-boot">${boot.json}</script><div id="root">${markup}</div>`,
      );
    reply
      .header('cache-control', 'no-store')
      .header('vary', 'accept-encoding')
      .type('text/html; charset=utf-8');
    // Compressed for a phone on a slow link (the answers and the rendered screen are most of it).
    if (!/\bgzip\b/.test(request.headers['accept-encoding'] ?? '')) return reply.send(html);
    return reply.header('content-encoding', 'gzip').send(await gzipAsync(html, { level: 6 }));
  };
}

/**
 * The customer page's server-side renderer of this build, or null: not built, or not loadable (then
 * logged once; the browser renders alone, as it can).
 */
async function loadCustomerRenderer(app: App, dist: string): Promise<CustomerRenderer | null> {
  const file = path.join(dist, CUSTOMER_SSR_FILE);
  if (!existsSync(file)) return null;
  try {
    const module = (await import(pathToFileURL(file).href)) as { renderCustomerPage?: unknown };
    if (typeof module.renderCustomerPage === 'function') return module.renderCustomerPage as CustomerRenderer;
    throw new Error('renderCustomerPage is missing');
  } catch (error) {
    app.log.error({ err: error }, 'customer page: the server renderer of the build cannot be loaded');
    return null;
  }
}

/**
 * The customer page's scripts requested after its first paint. The first screen is in the HTML
 * (server-rendered, styles inlined), so the scripts only hydrate it; requested from the head, a phone
 * on a slow link fetched ~80 KB of them before it painted anything (Lighthouse's simulated FCP 1.9 s
 * against 1.0 s without them, issue 13). The module script and its preloads become one small inline
 * loader, allowed by its hash in the page's CSP: it adds them on the first animation frame's next
 * task, or after a second when no frame comes (a tab opened in the background), and removes its own
 * element (the page then holds no inline script: the XSS journey looks for any).
 */
function scriptsAfterFirstPaint(html: string): { html: string; loaderSha256: string | null } {
  const modules: string[] = [];
  const preloads: string[] = [];
  const rest = html
    .replace(/<script type="module" crossorigin src="([^"]+)"><\/script>\s*/g, (_tag, src: string) => {
      modules.push(src);
      return '';
    })
    .replace(/<link rel="modulepreload" crossorigin href="([^"]+)">\s*/g, (_tag, href: string) => {
      preloads.push(href);
      return '';
    });
  if (modules.length === 0) return { html, loaderSha256: null };
  const loader =
    '(function(){var me=document.currentScript;if(me)me.remove();var done=false;function load(){if(done)return;done=true;var h=document.head;' +
    `${JSON.stringify(preloads)}.forEach(function(u){var l=document.createElement("link");l.rel="modulepreload";l.crossOrigin="";l.href=u;h.appendChild(l)});` +
    `${JSON.stringify(modules)}.forEach(function(u){var s=document.createElement("script");s.type="module";s.crossOrigin="";s.src=u;h.appendChild(s)})}` +
    'requestAnimationFrame(function(){setTimeout(load,0)});setTimeout(load,1000)})()';
  return {
    html: rest.replace('<div id="root"></div>', `<div id="root"></div><script>${loader}</script>`),
    loaderSha256: createHash('sha256').update(loader).digest('base64'),
  };
}

/** The HTML with each of its own style sheets (`/assets/*.css`) inlined as a <style> element. */
function inlineStyleSheets(html: string, dist: string): string {
  return html.replace(
    /<link rel="stylesheet"[^>]*href="\/assets\/([\w.-]+\.css)"[^>]*>/g,
    (tag, file: string) => {
      const sheet = path.join(dist, 'assets', file);
      return existsSync(sheet) ? `<style>${readFileSync(sheet, 'utf8')}</style>` : tag;
    },
  );
}

/**
 * Serves the built web app: hashed assets with a year of immutable caching, and the staff app's HTML
 * for every other page, never cached, so a deploy is seen at once. The customer page under /k/ is
 * served by customer-access's route with {@link customerPageHtml}.
 */
export async function webRoutes(app: App): Promise<void> {
  const dist = app.config.webDistDir;
  const staffHtml = readEntry(dist, 'staff');

  await app.register(fastifyStatic, {
    root: path.join(dist, 'assets'),
    prefix: '/assets/',
    immutable: true,
    maxAge: '365d',
    // The build writes .br and .gz beside each script and style sheet (vite.config.ts).
    preCompressed: true,
    index: false,
    wildcard: true,
  });

  app.get('/', { schema: { hide: true } }, sendHtml(staffHtml));

  // Client-side routes of the staff app: any other page a browser asks for. Missing assets get the
  // JSON 404 of the error catalogue (the APIs have their own, http/security-headers.ts apiDefaults).
  const serveStaff = sendHtml(staffHtml);
  app.setNotFoundHandler(async (request, reply) => {
    const wantsPage =
      (request.method === 'GET' || request.method === 'HEAD') &&
      !request.url.startsWith('/assets/') &&
      (request.headers.accept ?? '').includes('text/html');
    if (wantsPage) return serveStaff(request, reply);
    return reply
      .status(404)
      .send({ error: { code: 'not_found', message: errorCatalogue.not_found.message } });
  });
}

function readEntry(dist: string, entry: 'staff' | 'customer'): string | null {
  const file = path.join(dist, entry, 'index.html');
  return existsSync(file) ? readFileSync(file, 'utf8') : null;
}
