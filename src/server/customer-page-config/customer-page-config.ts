import type { z } from 'zod';
import {
  colorKeys,
  customerPageAuditQuery,
  customerPageSettingsSchema,
  customerPageSettingsUpdateSchema,
  defaultCustomerPageSettings,
  settingNames,
  type CustomerPageAuditEntry,
  type CustomerPageConfigView,
  type CustomerPageLogoView,
  type CustomerPageSettings,
} from '../../common/customer-page-settings.ts';
import type { Page } from '../../common/paging.ts';
import { authorize, type Actor } from '../auth/actor.ts';
import { eventActorOf } from '../case-events/case-events.ts';
import { getOwnCompany } from '../companies/companies.ts';
import {
  logoUrls,
  receiveLogo,
  renderLogo,
  storeLogo,
  type LogoDeps,
  type LogoKey,
} from '../companies/logos.ts';
import { findCompany, lockCompanyRow } from '../companies/queries.ts';
import type { Db } from '../db/database.ts';
import { inTransaction, nowIso } from '../db/database.ts';
import { fetchPage } from '../db/paging.ts';
import type { CompaniesTable, CustomerPageAuditTable, CustomerPageSettingsTable } from '../db/schema.ts';
import { notFound } from '../errors.ts';
import { newId } from '../security/tokens.ts';
import { customerPagePolicy } from './policy.ts';
import { auditRowsOf, findSettingsRow, insertAuditRows, upsertLogoKey, upsertSettings } from './queries.ts';

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
  const next = customerPageSettingsSchema.parse(pickSettings(parsed));
  const stamp = await auditActorOf(db, actor);
  await inTransaction(db, async (trx) => {
    await lockCompanyRow(trx, actor.companyId);
    const row = await findSettingsRow(trx, actor.companyId);
    const previous = row ? readStoredSettings(row.settings) : defaultCustomerPageSettings;
    const changes = diffSettings(previous, next);
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
    }),
  );
  return getCustomerPageConfig(deps.db, actor);
}

/**
 * The saved settings of a company, or the defaults (for the customer page and anything else that
 * needs them without an admin actor).
 */
export async function loadCustomerPageSettings(db: Db, companyId: string): Promise<CustomerPageSettings> {
  const row = await findSettingsRow(db, companyId);
  return settingsOfRow(row?.settings ?? null);
}

/** Parsed settings by their stored text: every customer request of a company reads the same text. */
const parsedSettings = new Map<string, CustomerPageSettings>();
const PARSED_SETTINGS_KEPT = 200;

const frozenDefaults = deepFreeze(structuredClone(defaultCustomerPageSettings));

/**
 * The settings of a stored `customer_page_settings.settings` text (null: no row, the defaults), each
 * text parsed and checked once (the customer page's hot path reads it with the session). The object
 * is shared and frozen, so no caller can change what the next one gets (copying it for every request
 * cost ~3 % of the customer page's CPU); change a spread copy instead.
 */
export function settingsOfRow(json: string | null): CustomerPageSettings {
  if (json === null) return frozenDefaults;
  let settings = parsedSettings.get(json);
  if (!settings) {
    settings = deepFreeze(readStoredSettings(json));
    if (parsedSettings.size >= PARSED_SETTINGS_KEPT) parsedSettings.clear();
    parsedSettings.set(json, settings);
  }
  return settings;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** The logo customers see for a company (see {@link customerPageLogoView}). */
export async function loadCustomerPageLogo(db: Db, companyId: string): Promise<CustomerPageLogoView> {
  return (await loadCustomerPageLook(db, companyId)).logo;
}

/** The settings and the logo customers see, from one read of each row (the customer page's hot path). */
export async function loadCustomerPageLook(
  db: Db,
  companyId: string,
): Promise<{ settings: CustomerPageSettings; logo: CustomerPageLogoView }> {
  const [company, row] = await Promise.all([findCompany(db, companyId), findSettingsRow(db, companyId)]);
  if (!company) throw notFound();
  const settings = row ? readStoredSettings(row.settings) : structuredClone(defaultCustomerPageSettings);
  return { settings, logo: presentLogo(settings.useCompanyLogo, row?.logo_key ?? null, company.logo_key) };
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

/** Only the settings of a PUT body (the read-only fields of GET dropped). */
function pickSettings(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(settingNames.map((name) => [name, body[name]]));
}

/**
 * Stored settings, completed with the defaults for settings added after they were saved and checked
 * again. A stored value that no longer passes is an error (500), never silently replaced by a default:
 * a default could, say, switch the SMS code off.
 */
export function readStoredSettings(json: string): CustomerPageSettings {
  const stored = JSON.parse(json) as Partial<CustomerPageSettings>;
  const merged = {
    ...defaultCustomerPageSettings,
    ...stored,
    colors: { ...defaultCustomerPageSettings.colors, ...stored.colors },
  };
  const result = customerPageSettingsSchema.safeParse(pickSettings(merged));
  // Not a ZodError: the error handler would answer 400 as if the client had sent it.
  if (!result.success) throw new Error(`stored customer-page settings are invalid: ${result.error.message}`);
  return result.data;
}

function presentConfig(
  company: CompaniesTable,
  row: CustomerPageSettingsTable | undefined,
): CustomerPageConfigView {
  const settings = row ? readStoredSettings(row.settings) : defaultCustomerPageSettings;
  return {
    ...settings,
    logo: presentLogo(settings.useCompanyLogo, row?.logo_key ?? null, company.logo_key),
    portalType: company.portal_type,
    updatedAt: row?.updated_at ?? null,
  };
}

function presentLogo(
  useCompanyLogo: boolean,
  customKey: LogoKey | null,
  companyKey: LogoKey | null,
): CustomerPageLogoView {
  const files = (key: LogoKey | null) => {
    const { logoUrl, logoUrl2x } = logoUrls(key);
    return logoUrl && logoUrl2x ? { url: logoUrl, url2x: logoUrl2x } : null;
  };
  const custom = files(customKey);
  const company = files(companyKey);
  const shown = !useCompanyLogo && custom ? custom : company;
  return {
    useCompanyLogo,
    hasCustomLogo: custom !== null,
    hasCompanyLogo: company !== null,
    logoUrl: shown?.url ?? null,
    logoUrl2x: shown?.url2x ?? null,
    custom,
    company,
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
