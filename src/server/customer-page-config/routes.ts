import multipart from '@fastify/multipart';
import {
  customerPageAuditEntryView,
  customerPageAuditQuery,
  customerPageConfigView,
  customerPageSettingsUpdateSchema,
} from '../../common/contracts/customer-page-settings.ts';
import { pageView } from '../../common/contracts/paging.ts';
import { logoMultipartOptions, type LogoDeps } from '../companies/logos.ts';
import { createFileStorage } from '../storage/file-storage.ts';
import { actorOf } from '../http/authenticate.ts';
import type { App } from '../http/types.ts';
import {
  getCustomerPageConfig,
  listCustomerPageAudit,
  saveCustomerPageSettings,
  uploadCustomerPageLogo,
} from './customer-page-config.ts';

const tags = ['customer page configuration'];

/** Company admin → Customer page configuration (level 6 only; everyone else 403). */
export async function customerPageConfigRoutes(app: App): Promise<void> {
  await app.register(multipart, logoMultipartOptions);
  const deps: LogoDeps = { db: app.db, storage: createFileStorage(app.config), log: app.log };

  app.get(
    '/admin/customer-page',
    {
      schema: {
        tags,
        summary: 'The customer-page settings (defaults until saved), with the logo customers see (level 6)',
        response: { 200: customerPageConfigView },
      },
    },
    async (request) => getCustomerPageConfig(app.db, actorOf(request)),
  );

  app.put(
    '/admin/customer-page',
    {
      schema: {
        tags,
        summary:
          'Save every customer-page setting (level 6). All settings required, unknown fields refused; ' +
          'the read-only fields of GET may be sent back and are ignored. Each changed setting is audited',
        body: customerPageSettingsUpdateSchema,
        response: { 200: customerPageConfigView },
      },
    },
    async (request) => saveCustomerPageSettings(app.db, actorOf(request), request.body),
  );

  app.get(
    '/admin/customer-page/audit',
    {
      schema: {
        tags,
        summary: 'Who changed which customer-page setting when, old → new; newest first, in pages (level 6)',
        querystring: customerPageAuditQuery,
        response: { 200: pageView(customerPageAuditEntryView) },
      },
    },
    async (request) => listCustomerPageAudit(app.db, actorOf(request), request.query),
  );

  app.post(
    '/admin/customer-page/logo',
    {
      schema: {
        tags,
        summary:
          "Upload the customer page's own logo, used when useCompanyLogo is off (level 6; multipart: file). " +
          'PNG or JPEG of at most 2 MB, sniffed from the bytes, extension matching (else 415; SVG is refused); ' +
          'stored scaled to 40 px and 80 px height',
        consumes: ['multipart/form-data'],
        response: { 200: customerPageConfigView },
      },
    },
    async (request) =>
      uploadCustomerPageLogo(deps, actorOf(request), [request.isMultipart(), () => request.parts()]),
  );
}
