import { authorize, type Actor } from '../auth/actor.ts';
import { auditActorOf, auditCompanyLogoChange } from '../customer-page-config/customer-page-config.ts';
import { inTransaction, nowIso } from '../db/database.ts';
import { notFound } from '../errors.ts';
import { logoUrls, receiveLogo, renderLogo, storeLogo, type LogoDeps } from './logos.ts';
import { companyPolicy } from './policy.ts';
import { findCompany, lockCompanyRow, setCompanyLogoKey } from './queries.ts';

/**
 * POST /api/company/logo: the company's default logo (Company → Overview), which the customer page
 * uses while "use company default" is on. Level 6; same checks and renditions as every logo
 * (logos.ts). The change is written to the customer-page audit log as `companyLogo`.
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
    }),
  );
  const { logoUrl, logoUrl2x } = logoUrls(logo.key);
  return { logoUrl: logoUrl ?? '', logoUrl2x: logoUrl2x ?? '' };
}
