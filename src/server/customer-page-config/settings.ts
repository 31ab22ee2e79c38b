import {
  defaultCustomerPageSettings,
  settingNames,
  type CustomerPageSettings,
} from '../../common/rules/customer-page-settings.ts';
import {
  customerPageSettingsSchema,
  type CustomerPageLogoView,
} from '../../common/contracts/customer-page-settings.ts';
import { logoUrls, type LogoKey } from '../companies/logos.ts';
import { findCompany } from '../companies/queries.ts';
import type { Db } from '../db/database.ts';
import { notFound } from '../errors.ts';
import { findSettingsRow } from './queries.ts';

/**
 * The customer-page settings as everyone reads them (the customer page, customer access, messages,
 * the admin page): a company's saved settings or the defaults, parsed once per stored text, and the
 * logo its customers see. No presenter of the admin page (customer-page-config.ts) is here, so the
 * customer side reads settings without importing it.
 */

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

/** The logo customers see for a company (see {@link logoViewOf}). */
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
  return { settings, logo: logoViewOf(settings.useCompanyLogo, row?.logo_key ?? null, company.logo_key) };
}

/** Only the settings of a PUT body (the read-only fields of GET dropped). */
export function pickSettings(body: Record<string, unknown>): Record<string, unknown> {
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

/** The logo a company's customer page shows (its own, or the company's), with both files. */
export function logoViewOf(
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
