import { authorize, type Actor } from '../security/actor.ts';
import multipart from '@fastify/multipart';
import { z } from 'zod';
import {
  logoMultipartOptions,
  logoUrls,
  receiveLogo,
  renderLogo,
  storeLogo,
  type LogoDeps,
} from '../companies/logos.ts';
import { companyPolicy } from '../companies/policy.ts';
import { findCompany, lockCompanyRow, setCompanyLogoKey } from '../companies/queries.ts';
import { inTransaction, nowIso } from '../db/database.ts';
import { notFound } from '../errors.ts';
import { signalAfterCommit } from '../live/live.ts';
import { actorOf } from '../http/authenticate.ts';
import type { App } from '../http/types.ts';
import { createFileStorage } from '../storage/file-storage.ts';
import { auditActorOf, auditCompanyLogoChange } from './customer-page-config.ts';

/**
 * POST /api/company/logo: the company's default logo (Company → Overview), which the customer page
 * uses while "use company default" is on. Level 6; same checks and renditions as every logo
 * (companies/logos.ts). The change is written to the customer-page audit log as `companyLogo`: that
 * log is this module's, so the upload is here (companies, below, never imports the customer side).
 */
export async function uploadCompanyLogo(
  deps: LogoDeps,
  actor: Actor,
  upload: Parameters<typeof receiveLogo>,
  now = new Date(),
): Promise<{ logoUrl: string; logoUrl2x: string }> {
  authorize(actor, companyPolicy.update);
  const { fileName, bytes } = await receiveLogo(...upload);
  const logo = await renderLogo(fileName, bytes);
  const stamp = await auditActorOf(deps.db, actor);
  await storeLogo(deps, logo, (key) =>
    inTransaction(deps.db, async (trx) => {
      await lockCompanyRow(trx, actor.companyId);
      const company = await findCompany(trx, actor.companyId);
      if (!company) throw notFound();
      if (company.logo_key === key) return;
      await setCompanyLogoKey(trx, actor.companyId, key);
      await auditCompanyLogoChange(trx, actor.companyId, stamp, nowIso(now), company.logo_key, key);
      // The customer pages show the company logo (unless they have their own): open ones fetch again.
      await signalAfterCommit(trx, { scope: 'company', id: actor.companyId, topic: 'settings' });
    }),
  );
  const { logoUrl, logoUrl2x } = logoUrls(logo.key);
  return { logoUrl: logoUrl ?? '', logoUrl2x: logoUrl2x ?? '' };
}

/**
 * The company logo's upload route (registered by app.ts after the company's routes), with multipart
 * in its own scope. The public logo files stay with the company (companies/logo-routes.ts).
 */
export async function companyLogoUploadRoutes(app: App): Promise<void> {
  await app.register(multipart, logoMultipartOptions);
  const deps: LogoDeps = { db: app.db, storage: createFileStorage(app.config), log: app.log };

  app.post(
    '/company/logo',
    {
      schema: {
        tags: ['company'],
        summary:
          'Upload the company logo (level 6; multipart: file). PNG or JPEG of at most 2 MB, sniffed from the ' +
          'bytes, extension matching (else 415; SVG is refused); stored scaled to 40 px and 80 px height',
        consumes: ['multipart/form-data'],
        response: { 200: z.object({ logoUrl: z.string(), logoUrl2x: z.string() }) },
      },
    },
    async (request) =>
      uploadCompanyLogo(deps, actorOf(request), [request.isMultipart(), () => request.parts()]),
  );
}
