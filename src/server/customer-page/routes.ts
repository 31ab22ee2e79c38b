import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { errorBody } from '../../common/contracts/api.ts';
import { customerSessionView } from '../../common/contracts/customer-access-api.ts';
import { idSchema } from '../../common/contracts/schemas.ts';
import { customerVisibility } from '../../common/rules/visibility.ts';
import { visibilityStateOf } from '../customer-access/access-rules.ts';
import { customerSessionOf } from '../customer-access/customer-auth.ts';
import { customerSessionAnswer } from '../customer-access/customer-links.ts';
import { presentCustomerSession, type CustomerSession } from '../customer-access/customer-sessions.ts';
import { attachmentDisposition } from '../documents/content-disposition.ts';
import { openDocumentBytes } from '../documents/intake.ts';
import { openPreview, previewHeaders } from '../documents/previews.ts';
import { findDocument } from '../documents/queries.ts';
import { createFileStorage, FileNotFoundError } from '../storage/file-storage.ts';
import { settingsOfRow } from '../customer-page-config/settings.ts';
import { AppError, notFound } from '../errors.ts';
import { downloadHeaders } from '../http/download-headers.ts';
import type { App } from '../http/types.ts';
import type { CustomerPageBoot } from '../http/web-routes.ts';
import { customerNewsPage, customerThreadPage } from './customer-lists.ts';
import { customerMayDownload } from './customer-page.ts';
import { customerPageBody, pageAnswer } from './read-model.ts';
import {
  customerMessagesPage,
  customerMessagesQuery,
  customerNewsPage as customerNewsPageSchema,
  customerNewsQuery,
  customerPageQuery,
  customerPageResponse,
} from './schemas.ts';

type CustomerPageAnswer = z.infer<typeof customerPageResponse>;

/** The case, grant and stamps of a customer session's page. */
const pageScopeOf = (session: CustomerSession) => ({
  companyId: session.company_id,
  caseId: session.case_id,
  accessId: session.access_id,
  caseVersion: Number(session.case_version),
  companyVersion: Number(session.company_page_version),
});

/**
 * What the session's page shows now, for the routes of its older list pages (rare reads: computed,
 * not stored). 403 when the page is not available to the session (SMS code first, case past its
 * window or cancelled), as the download; the session carries the settings and the case's milestones.
 */
async function visibilityForLists(session: CustomerSession, now = new Date()) {
  const view = await presentCustomerSession(session, now);
  if (view.state !== 'ok') throw new AppError('forbidden', 'The customer page is not available.');
  const visibility = customerVisibility(
    settingsOfRow(session.page_settings),
    visibilityStateOf({ ...session, created_at: session.case_created_at }),
    now,
  );
  if (!visibility.reachable) throw new AppError('forbidden', 'The customer page is not available.');
  return visibility;
}

/** The cookie the customer page keeps the visitor's language in (also in localStorage). */
export const LANGUAGE_COOKIE = 'ks_lang';

/**
 * What the customer page's HTML carries so its first screen needs no request of its own (issue 13,
 * first paint): the visitor's language, the session answer, and — when the page may be shown — the
 * same answer and tag GET /api/customer/page gives. `json` is safe to put inside a <script> element;
 * `answers` is the same as an object, from which the server renders the first screen.
 */
export async function customerPageBootstrap(app: App, request: FastifyRequest): Promise<CustomerPageBoot> {
  const language = request.cookies[LANGUAGE_COOKIE] === 'en' ? 'en' : 'nb';
  const { session, view } = await customerSessionAnswer(app, request);
  const stored =
    session && view.state === 'ok' ? await customerPageBody(app.db, pageScopeOf(session), language) : null;
  const page = stored ? pageAnswer(stored, view) : null;
  const sessionView = customerSessionView.parse(view);
  const json =
    `{"language":"${language}","session":${JSON.stringify(sessionView)},` +
    `"page":${page?.json ?? 'null'},"etag":${JSON.stringify(page?.etag ?? null)}}`;
  return {
    language,
    // No "</script>" or "<!--" can end the element early: every "<" is written as its JSON escape.
    json: json.replace(/</g, '\\u003c'),
    answers: () => ({
      language,
      session: sessionView,
      page: page ? (JSON.parse(page.json) as unknown) : null,
      etag: page?.etag ?? null,
    }),
  };
}

const tags = ['customer'];

/**
 * The customer page's data (issue 6), for the case of the customer session: the page as the shared
 * visibility rules allow it now, and the download of a document the page shows. Authenticated by
 * the customer hook (401 without a session); a session that still needs its SMS code gets 403.
 */
export async function customerPageRoutes(app: App): Promise<void> {
  const storage = createFileStorage(app.config);

  /**
   * A document of the session's case that its page shows (its download and its previews take the
   * same check): 403 while the page is not open to the session, 404 for anything the page does not show.
   */
  async function shownDocument(request: FastifyRequest, id: string) {
    const session = customerSessionOf(request);
    const view = await presentCustomerSession(session);
    if (view.state !== 'ok') throw new AppError('forbidden', 'The customer page is not available.');
    const scope = { companyId: session.company_id, caseId: session.case_id, accessId: session.access_id };
    if (!(await customerMayDownload(app.db, scope, id))) throw notFound();
    const row = await findDocument(app.db, id);
    if (!row || row.case_id !== scope.caseId || row.company_id !== scope.companyId) throw notFound();
    return row;
  }

  app.get(
    '/page',
    {
      schema: {
        tags,
        summary:
          "The customer page of the session's case in nb or en: visibility and model (ok), or the unavailable answer with the contact text only. Tagged (ETag): a request naming the current tag in If-None-Match gets 304 without a body",
        querystring: customerPageQuery,
        response: {
          200: customerPageResponse,
          304: z.null().describe('Not modified: the page is still the one of the tag in If-None-Match'),
          401: errorBody,
          403: errorBody,
        },
      },
    },
    async (request, reply) => {
      const session = customerSessionOf(request);
      const view = await presentCustomerSession(session);
      reply.header('cache-control', 'no-store');
      if (view.state === 'code_required') {
        throw new AppError('forbidden', 'Enter the security code sent by SMS first.');
      }
      if (view.state === 'bankid_required') throw new AppError('forbidden', 'Identify with BankID first.');
      if (view.state === 'unavailable') {
        return { state: 'unavailable' as const, visibility: null, model: null, session: view };
      }
      const page = await customerPageBody(app.db, pageScopeOf(session), request.query.lang);
      if (!page) {
        return { state: 'unavailable' as const, visibility: null, model: null, session: view };
      }
      // The stored case part is sent as it is (a string is not serialised again; it was built
      // through the same schemas), around it the session part of this request.
      const { json, etag } = pageAnswer(page, view);
      reply.header('etag', etag);
      if (request.headers['if-none-match'] === etag) return reply.code(304).send(null);
      // Typed as the schema's answer: Fastify sends a JSON string as it is.
      return reply.type('application/json; charset=utf-8').send(json as unknown as CustomerPageAnswer);
    },
  );

  app.get(
    '/news',
    {
      schema: {
        tags,
        summary:
          "A page of the news feed of the session's case, newest first, in nb or en: the filter and redaction of the page (page 1 is in GET /api/customer/page); `anchor` keeps the pages from shifting while news arrives. 403 when the page is not available",
        querystring: customerNewsQuery,
        response: { 200: customerNewsPageSchema, 401: errorBody, 403: errorBody, 404: errorBody },
      },
    },
    async (request, reply) => {
      const session = customerSessionOf(request);
      const visibility = await visibilityForLists(session);
      reply.header('cache-control', 'no-store');
      const { lang, ...page } = request.query;
      return customerNewsPage(app.db, session.case_id, visibility, lang, page);
    },
  );

  app.get(
    '/messages',
    {
      schema: {
        tags,
        summary:
          "A page of the message thread of the session's case as this person sees it, newest first (page 1 is in GET /api/customer/page); `anchor` keeps the pages from shifting while messages arrive. 403 when the page is not available",
        querystring: customerMessagesQuery,
        response: { 200: customerMessagesPage, 401: errorBody, 403: errorBody, 404: errorBody },
      },
    },
    async (request, reply) => {
      const session = customerSessionOf(request);
      const visibility = await visibilityForLists(session);
      reply.header('cache-control', 'no-store');
      return customerThreadPage(
        app.db,
        session.case_id,
        session.access_id,
        visibility.communication,
        request.query,
      );
    },
  );

  app.get(
    '/documents/:id/download',
    {
      schema: {
        tags,
        summary:
          'A document the customer page shows, as an attachment (RFC 6266 file name, nosniff, sandboxing CSP, not cached); 404 otherwise',
        params: z.object({ id: idSchema }),
      },
    },
    async (request, reply) => {
      const row = await shownDocument(request, request.params.id);
      let stream;
      try {
        stream = await openDocumentBytes(storage, row);
      } catch (error) {
        if (!(error instanceof FileNotFoundError)) throw error;
        request.log.error({ documentId: row.id }, 'customer page: stored file is missing');
        throw notFound('The file of this document is missing.');
      }
      return reply
        .headers(downloadHeaders)
        .header('content-type', row.content_type)
        .header('content-length', Number(row.size_bytes))
        .header('content-disposition', attachmentDisposition(row.file_name))
        .send(stream);
    },
  );

  // Previews of an image the page shows: the same check as its download, 404 otherwise.
  for (const kind of ['thumbnail', 'display'] as const) {
    app.get(
      `/documents/:id/${kind}`,
      {
        schema: {
          tags,
          summary:
            kind === 'thumbnail'
              ? 'A thumbnail (WebP, 320 px wide) of an image the customer page shows; 404 otherwise or when it has none'
              : 'The display image (JPEG, at most 1600 px; HEIC converted) of an image the customer page shows; 404 otherwise',
          params: z.object({ id: idSchema }),
        },
      },
      async (request, reply) => {
        const row = await shownDocument(request, request.params.id);
        const stream = await openPreview({ storage, log: request.log }, row, kind);
        if (!stream) throw notFound('This document has no preview.');
        return reply.headers(previewHeaders(kind)).send(stream);
      },
    );
  }
}
