import type { FastifyReply, FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { exchangeCustomerLink, LINK_TOKEN_PATTERN } from '../customer-access/customer-routes.ts';
import { errorCatalogue } from '../errors.ts';
import type { App } from './types.ts';

/** Path prefix of customer-page links; everything under it is served by the customer entry. */
export const CUSTOMER_PAGE_PREFIX = '/k/';

/**
 * Serves the built web app: hashed assets with a year of immutable caching, and the two HTML entries
 * (staff app for every other page, customer page under /k/) never cached, so a deploy is seen at once.
 * A customer's link `/k/<token>` is exchanged for a customer session first (customer-access/).
 */
export async function webRoutes(
  app: App,
  options: {
    /** The data the customer page's HTML carries for this request (JSON safe inside <script>). */
    customerData?: (request: FastifyRequest) => Promise<string>;
  } = {},
): Promise<void> {
  const dist = app.config.webDistDir;
  const staffHtml = readEntry(dist, 'staff');
  const customerHtml = readEntry(dist, 'customer');

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

  const sendHtml = (html: string | null) => async (_request: unknown, reply: FastifyReply) => {
    if (html === null) {
      return reply
        .status(503)
        .type('text/plain; charset=utf-8')
        .send('The web app is not built. Run: npm run build');
    }
    return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(html);
  };

  // /k/<token> (a link as sent to a customer) is exchanged for a session and redirected to /k/;
  // every other /k/ path is the customer page itself. It never sends a Referer (quality bar).
  // With `customerData` the HTML carries the first answers (session and page), so the page shows
  // without waiting for requests of its own; it then holds personal data and is never stored.
  const serveCustomer = async (request: FastifyRequest, reply: FastifyReply) => {
    const { customerData } = options;
    if (customerHtml === null || !customerData) return sendHtml(customerHtml)(request, reply);
    const data = await customerData(request);
    const html = customerHtml.replace(
      '<div id="root"></div>',
      `<script type="application/json" id="ks-boot">${data}</script><div id="root"></div>`,
    );
    return reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(html);
  };
  app.get<{ Params: { '*': string } }>(
    `${CUSTOMER_PAGE_PREFIX}*`,
    { schema: { hide: true } },
    async (request, reply) => {
      reply.header('referrer-policy', 'no-referrer');
      const rest = request.params['*'];
      if (request.method === 'GET' && LINK_TOKEN_PATTERN.test(rest)) {
        return exchangeCustomerLink(app, request, reply, rest);
      }
      return serveCustomer(request, reply);
    },
  );
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
