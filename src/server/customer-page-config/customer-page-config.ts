import type { z } from 'zod';
import {
  colorKeys,
  defaultCustomerPageSettings,
  settingNames,
  type CustomerPageSettings,
} from '../../common/rules/customer-page-settings.ts';
import {
  customerPageAuditQuery,
  customerPageSettingsSchema,
  customerPageSettingsUpdateSchema,
  type CustomerPageAuditEntry,
  type CustomerPageConfigView,
} from '../../common/contracts/customer-page-settings.ts';
import type { Page } from '../../common/contracts/paging.ts';
import { authorize, type Actor } from '../security/actor.ts';
import { eventActorOf } from '../case-events/case-events.ts';
import { getOwnCompany } from '../companies/companies.ts';
import { receiveLogo, renderLogo, storeLogo, type LogoDeps, type LogoKey } from '../companies/logos.ts';
import { lockCompanyRow } from '../companies/queries.ts';
import type { Db } from '../db/database.ts';
import { inTransaction, nowIso } from '../db/database.ts';
import { fetchPage } from '../db/paging.ts';
import { signalAfterCommit } from '../live/live.ts';
import type { CompaniesTable, CustomerPageAuditTable, CustomerPageSettingsTable } from '../db/schema.ts';
import { newId } from '../security/tokens.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { customerPagePolicy } from './policy.ts';
import { quietHoursOfRow, saveQuietHours } from './quiet-hours.ts';
import { auditRowsOf, findSettingsRow, insertAuditRows, upsertLogoKey, upsertSettings } from './queries.ts';
import { logoViewOf, pickSettings, readStoredSettings } from './settings.ts';

/**
 * Customer-page configuration (spec §3–§5, issue 4): the settings of a company (defaults until saved),
 * their audit log, and the customer page's own logo. Level 6 only (403 for everyone else, API keys
 * included). Every save writes the settings and one audit row per changed setting in one
 * transaction; an unchanged save writes nothing.
 */

/** GET /api/admin/customer-page. */
export async function getCustomerPageConfig(db: Db, actor: Actor): Promise<CustomerPageConfigView> {
  authorize(actor, customerPagePolicy.configure);
  const company = await getOwnCompany(db, actor);
  return presentConfig(company, await findSettingsRow(db, company.id));
}

/** PUT /api/admin/customer-page: validates every setting, saves, audits each change. */
export async function saveCustomerPageSettings(
  db: Db,
  actor: Actor,
  input: z.input<typeof customerPageSettingsUpdateSchema>,
  now = new Date(),
): Promise<CustomerPageConfigView> {
  authorize(actor, customerPagePolicy.configure);
  // The read-only fields of the GET answer (logo, portalType, updatedAt) are validated away here.
  const parsed = customerPageSettingsUpdateSchema.parse(input);
  const stamp = await auditActorOf(db, actor);
  await inTransaction(db, async (trx) => {
    await lockCompanyRow(trx, actor.companyId);
    const row = await findSettingsRow(trx, actor.companyId);
    const previous = row ? readStoredSettings(row.settings) : defaultCustomerPageSettings;
    // bankIdSignIn came after the contract's list: left out, the saved value stays.
    const next = customerPageSettingsSchema.parse(
      pickSettings({
        ...parsed,
        bankIdSignIn: parsed.bankIdSignIn ?? previous.bankIdSignIn,
        showDecisionOutcome: parsed.showDecisionOutcome ?? previous.showDecisionOutcome,
        reconsiderationText: parsed.reconsiderationText ?? previous.reconsiderationText,
        nextStepTexts: parsed.nextStepTexts ?? previous.nextStepTexts,
      }),
    );
    // Quiet hours live on the company row; audited with the settings.
    const quietChanges = await saveQuietHours(trx, actor.companyId, parsed);
    const changes = [...diffSettings(previous, next), ...quietChanges];
    if (row && changes.length === 0) return;
    const at = nowIso(now);
    await upsertSettings(trx, {
      company_id: actor.companyId,
      settings: JSON.stringify(next),
      updated_at: at,
      updated_by: stamp.id,
    });
    await insertAuditRows(
      trx,
      changes.map((change) => auditRow(actor.companyId, stamp, at, change)),
    );
    // The general trail names which settings changed; the values stay in the page's own audit.
    await recordAudit(trx, actor, {
      action: 'settings.changed',
      subjectType: 'customer_page',
      subjectId: null,
      detail: { settings: changes.map((change) => change.setting) },
      at: now,
    });
    // Open customer pages of the company fetch again and show the new settings.
    await signalAfterCommit(trx, { scope: 'company', id: actor.companyId, topic: 'settings' });
  });
  return getCustomerPageConfig(db, actor);
}

/** GET /api/admin/customer-page/audit: one page, newest first. */
export async function listCustomerPageAudit(
  db: Db,
  actor: Actor,
  query: z.input<typeof customerPageAuditQuery> = {},
): Promise<Page<CustomerPageAuditEntry>> {
  authorize(actor, customerPagePolicy.configure);
  const paging = customerPageAuditQuery.parse(query);
  return fetchPage(auditRowsOf(db, actor.companyId), paging, (row) => ({
    id: row.id,
    at: row.at,
    actor: { id: row.actor_id, name: row.actor_name },
    setting: row.setting,
    oldValue: parseJson(row.old_value),
    newValue: parseJson(row.new_value),
  }));
}

/**
 * POST /api/admin/customer-page/logo: the customer page's own logo (shown when useCompanyLogo is
 * off). Saving it does not change useCompanyLogo; the admin page saves that with the other settings.
 */
export async function uploadCustomerPageLogo(
  deps: LogoDeps,
  actor: Actor,
  upload: Parameters<typeof receiveLogo>,
  now = new Date(),
): Promise<CustomerPageConfigView> {
  authorize(actor, customerPagePolicy.configure);
  const { fileName, bytes } = await receiveLogo(...upload);
  const logo = await renderLogo(fileName, bytes);
  const stamp = await auditActorOf(deps.db, actor);
  await storeLogo(deps, logo, (key) =>
    inTransaction(deps.db, async (trx) => {
      await lockCompanyRow(trx, actor.companyId);
      const row = await findSettingsRow(trx, actor.companyId);
      const previous = row?.logo_key ?? null;
      if (previous === key) return;
      const at = nowIso(now);
      await upsertLogoKey(trx, {
        company_id: actor.companyId,
        settings: row?.settings ?? JSON.stringify(defaultCustomerPageSettings),
        logo_key: key,
        updated_at: at,
        updated_by: stamp.id,
      });
      await insertAuditRows(trx, [
        auditRow(actor.companyId, stamp, at, { setting: 'logo', oldValue: previous, newValue: key }),
      ]);
      await recordAudit(trx, actor, {
        action: 'settings.changed',
        subjectType: 'customer_page',
        subjectId: null,
        detail: { settings: ['logo'] },
        at: now,
      });
      await signalAfterCommit(trx, { scope: 'company', id: actor.companyId, topic: 'settings' });
    }),
  );
  return getCustomerPageConfig(deps.db, actor);
}

/** Writes the audit row of a change of the company's own logo (called by the company-logo upload). */
export async function auditCompanyLogoChange(
  trx: Db,
  companyId: string,
  stamp: AuditActor,
  at: string,
  oldKey: LogoKey | null,
  newKey: LogoKey | null,
): Promise<void> {
  await insertAuditRows(trx, [
    auditRow(companyId, stamp, at, { setting: 'companyLogo', oldValue: oldKey, newValue: newKey }),
  ]);
}

/** Who an audit row names: the user or API key (with its name as the case log shows it). */
export interface AuditActor {
  id: string;
  name: string | null;
}

export async function auditActorOf(db: Db, actor: Actor): Promise<AuditActor> {
  const { name } = await eventActorOf(db, actor);
  return { id: actor.kind === 'staff' ? actor.userId : actor.apiKeyId, name };
}

// ---------------------------------------------------------------------------------------------------

interface Change {
  setting: string;
  oldValue: unknown;
  newValue: unknown;
}

/**
 * The changed settings, in the order of the settings: one entry per setting, except the colours,
 * which are one entry per colour (`colors.menuText`); the news filter is compared as a whole.
 */
export function diffSettings(previous: CustomerPageSettings, next: CustomerPageSettings): Change[] {
  const changes: Change[] = [];
  for (const name of settingNames) {
    if (name === 'colors') {
      for (const key of colorKeys) {
        if (previous.colors[key] !== next.colors[key]) {
          changes.push({
            setting: `colors.${key}`,
            oldValue: previous.colors[key],
            newValue: next.colors[key],
          });
        }
      }
    } else if (JSON.stringify(previous[name]) !== JSON.stringify(next[name])) {
      changes.push({ setting: name, oldValue: previous[name], newValue: next[name] });
    }
  }
  return changes;
}

const auditRow = (
  companyId: string,
  stamp: AuditActor,
  at: string,
  change: Change,
): CustomerPageAuditTable => ({
  id: newId(),
  company_id: companyId,
  actor_id: stamp.id,
  actor_name: stamp.name,
  at,
  setting: change.setting,
  old_value: JSON.stringify(change.oldValue ?? null),
  new_value: JSON.stringify(change.newValue ?? null),
});

function presentConfig(
  company: CompaniesTable,
  row: CustomerPageSettingsTable | undefined,
): CustomerPageConfigView {
  const settings = row ? readStoredSettings(row.settings) : defaultCustomerPageSettings;
  return {
    ...settings,
    ...quietHoursOfRow(company),
    logo: logoViewOf(settings.useCompanyLogo, row?.logo_key ?? null, company.logo_key),
    portalType: company.portal_type,
    updatedAt: row?.updated_at ?? null,
  };
}

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
