import type { FastifyReply, FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { errorCatalogue } from '../errors.ts';
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

/**
 * The customer page's HTML, for the /k/ route that customer-access registers (where a link
 * `/k/<token>` is exchanged for a session first): never cached. With `customerData` the HTML
 * carries the first answers (session and page), so the page shows without waiting for requests of
 * its own; it then holds personal data and is never stored.
 */
export function customerPageHtml(
  app: App,
  /** The data the customer page's HTML carries for this request (JSON safe inside <script>). */
  customerData?: (request: FastifyRequest) => Promise<string>,
): PageHandler {
  const customerHtml = readEntry(app.config.webDistDir, 'customer');
  return async (request, reply) => {
    if (customerHtml === null || !customerData) return sendHtml(customerHtml)(request, reply);
    const data = await customerData(request);
    const html = customerHtml.replace(
      '<div id="root"></div>',
      `<script type="application/json" id="ks-boot">${data}</script><div id="root"></div>`,
    );
    return reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(html);
  };
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

  // Client-side routes of the staff app: any other page a browser asks for. API calls and missing
  // assets get the JSON 404 of the error catalogue.
  const serveStaff = sendHtml(staffHtml);
  app.setNotFoundHandler(async (request, reply) => {
    const wantsPage =
      (request.method === 'GET' || request.method === 'HEAD') &&
      !request.url.startsWith('/api/') &&
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
