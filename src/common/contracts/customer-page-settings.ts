import { z } from 'zod';
import { isoDateTime } from './date-formats.ts';
import { newsKinds } from '../rules/case-events.ts';
import {
  accessForValues,
  colorKeys,
  communicationMethods,
  MAX_CONTACT_FOR_MORE_INFO,
  MAX_VISIBLE_DAYS_AFTER_CLOSE,
  sendLinkValues,
  sortNewsKinds,
  triggers,
  type ColorKey,
  type CustomerPageColors,
  type CustomerPageSettings,
} from '../rules/customer-page-settings.ts';
import { portalTypes } from '../rules/enums.ts';
import {
  MAX_NEXT_STEP_TEXT,
  MAX_RECONSIDERATION_TEXT,
  nextStepKeys,
  type NextStepKey,
} from '../rules/next-step.ts';
import type { Assert, SameType } from '../rules/same-type.ts';
import { pageQuery } from './paging.ts';
import { multiLine } from './string-input.ts';

/**
 * The schemas of the customer-page settings and of the admin API around them (integration contract
 * §3, `GET/PUT /api/admin/customer-page`). The values, types, defaults and labels are zod-free in
 * rules/customer-page-settings.ts; the schemas below produce exactly its types (checked at compile
 * time), so the server validates with {@link customerPageSettingsSchema} what the rules read.
 */

const oneOf = (values: readonly string[]) => values.join(', ');
/** The message of a bad enum value: "is required" when missing, else the allowed values. */
const enumError = (values: readonly string[]) => (issue: { input?: unknown }) =>
  issue.input === undefined ? 'is required' : `must be one of ${oneOf(values)}`;

/** A trigger; `manual` gets its own message, since it is the likeliest mix-up. */
const triggerSchema = z.enum(triggers, {
  error: (issue) =>
    issue.input === 'manual'
      ? `'manual' is only a value of sendLink; use one of ${oneOf(triggers)}`
      : enumError(triggers)(issue),
});

/** `#rrggbb`; upper case is accepted and stored in lower case. */
export const hexColorSchema = z
  .string()
  .toLowerCase()
  .regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour written #rrggbb');

export const colorsSchema = z.strictObject(
  Object.fromEntries(colorKeys.map((key) => [key, hexColorSchema])) as Record<
    ColorKey,
    typeof hexColorSchema
  >,
);
type _ColorsTied = Assert<SameType<z.infer<typeof colorsSchema>, CustomerPageColors>>;

/** The news kinds in the guide's order, each once (so a stored filter compares as a whole). */
const newsFilterSchema = z
  .array(
    z.enum(newsKinds, {
      error: (issue) => `${JSON.stringify(issue.input)} is not a news kind; known kinds: ${oneOf(newsKinds)}`,
    }),
  )
  .max(newsKinds.length)
  .refine((kinds) => new Set(kinds).size === kinds.length, 'must not name a news kind twice')
  .overwrite(sortNewsKinds);

/** A text in nb and en (each trimmed; empty: the default wording), at most `max` characters each. */
function localizedText(max: number) {
  return z.strictObject({ nb: multiLine().trim().max(max), en: multiLine().trim().max(max) });
}
const emptyText = () => ({ nb: '', en: '' });

/** The company's "Hva skjer nå?" wording per situation (a situation left out: the default). */
const nextStepTextsSchema = z.strictObject(
  Object.fromEntries(
    nextStepKeys.map((key) => [key, localizedText(MAX_NEXT_STEP_TEXT).default(emptyText)]),
  ) as Record<NextStepKey, z.ZodDefault<ReturnType<typeof localizedText>>>,
);

/** A whole hour of the Oslo wall clock, 0–23; null: no quiet hours (common/rules/quiet-hours.ts). */
const quietHourSchema = z
  .number({ error: 'must be a whole hour 0–23' })
  .int('must be a whole hour 0–23')
  .min(0, 'must be 0 or more')
  .max(23, 'must be at most 23')
  .nullable();

/**
 * The quiet hours of customer notices (issue 19, item 5): kept with the company, beside the settings
 * but not among them, so the contract's settings (and clients that send exactly those) stay as they
 * are. Equal hours are refused by the service (`quiet_hours_equal`).
 */
export const quietHoursShape = { quietHoursFrom: quietHourSchema, quietHoursTo: quietHourSchema };

/** The fields of the settings; see {@link customerPageSettingsSchema} for the rules across fields. */
export const customerPageSettingsShape = {
  smsSecurityCode: z.boolean(),
  bankIdSignIn: z.boolean(),
  accessFor: z.enum(accessForValues, { error: enumError(accessForValues) }),
  sendLink: z.enum(sendLinkValues, { error: enumError(sendLinkValues) }),
  visibleDaysAfterClose: z
    .number({ error: 'must be a whole number of days' })
    .int('must be a whole number of days')
    .min(0, 'must be 0 or more')
    .max(MAX_VISIBLE_DAYS_AFTER_CLOSE, `must be at most ${MAX_VISIBLE_DAYS_AFTER_CLOSE}`),
  showBudget: triggerSchema,
  showNews: triggerSchema,
  newsFilter: newsFilterSchema,
  showPlanOnDashboard: z.boolean(),
  showProjectPlan: triggerSchema,
  showCommunication: triggerSchema,
  communicationMethod: z.enum(communicationMethods, { error: enumError(communicationMethods) }),
  showDocuments: triggerSchema,
  showInspectionReport: triggerSchema,
  showSettlementReport: triggerSchema,
  showCaseHandler: z.boolean(),
  showCaseHandlerPhone: z.boolean(),
  showPartnerContact: z.boolean(),
  contactForMoreInfo: multiLine().trim().max(MAX_CONTACT_FOR_MORE_INFO),
  colors: colorsSchema,
  useCompanyLogo: z.boolean(),
  showDecisionOutcome: z.boolean(),
  reconsiderationText: localizedText(MAX_RECONSIDERATION_TEXT),
  nextStepTexts: nextStepTextsSchema,
};

/** The rule across fields: the handler's phone only with the handler's name (guide, Kontaktinformasjon). */
function checkDependencies(
  settings: { showCaseHandler: boolean; showCaseHandlerPhone: boolean },
  ctx: z.RefinementCtx,
): void {
  if (settings.showCaseHandlerPhone && !settings.showCaseHandler) {
    ctx.addIssue({
      code: 'custom',
      path: ['showCaseHandlerPhone'],
      message:
        "can only be on when showCaseHandler is on (the phone number is shown with the handler's name)",
    });
  }
}

/**
 * Every setting, all required, nothing unknown (strict). Rules: `#rrggbb` colours; whole days 0–3650;
 * triggers from {@link triggers} (and `manual` for sendLink only); known news kinds, each once;
 * showCaseHandlerPhone only with showCaseHandler. Errors name the field.
 */
export const customerPageSettingsSchema = z
  .strictObject(customerPageSettingsShape)
  .superRefine(checkDependencies);
type _SettingsTied = Assert<SameType<z.infer<typeof customerPageSettingsSchema>, CustomerPageSettings>>;
export type CustomerPageSettingsInput = z.input<typeof customerPageSettingsSchema>;

/** The same shape for responses (no rules to run when the server sends what it validated). */
export const customerPageSettingsView = z.object(customerPageSettingsShape);

const logoFiles = z.object({ url: z.string(), url2x: z.string() });

/**
 * The logo of the customer page: `logoUrl`/`logoUrl2x` are what customers see (the uploaded logo when
 * useCompanyLogo is off and one is uploaded, else the company's logo, else null); `custom` and
 * `company` are both candidates, for a preview of unsaved settings.
 */
export const customerPageLogoView = z.object({
  useCompanyLogo: z.boolean(),
  hasCustomLogo: z.boolean(),
  hasCompanyLogo: z.boolean(),
  logoUrl: z.string().nullable(),
  logoUrl2x: z.string().nullable(),
  custom: logoFiles.nullable(),
  company: logoFiles.nullable(),
});
export type CustomerPageLogoView = z.infer<typeof customerPageLogoView>;

/** GET /api/admin/customer-page: every setting at the top level, plus read-only facts. */
export const customerPageConfigView = customerPageSettingsView.extend({
  ...quietHoursShape,
  logo: customerPageLogoView,
  /** Decides the wording of the decision milestone (see `triggerLabel` in rules). */
  portalType: z.enum(portalTypes),
  /** When the settings were last saved; null while the defaults apply. */
  updatedAt: isoDateTime.nullable(),
});
export type CustomerPageConfigView = z.infer<typeof customerPageConfigView>;

const readOnly = z.unknown().optional().describe('Read-only (from GET); ignored when sent back.');

/**
 * PUT /api/admin/customer-page: every setting (strict, with the rules of
 * {@link customerPageSettingsSchema}); the read-only fields of the GET answer may be sent back
 * unchanged and are ignored, so a client can GET, change and PUT the same object.
 */
export const customerPageSettingsUpdateSchema = z
  .strictObject({
    ...customerPageSettingsShape,
    // Added after the integration contract: a client that does not send it keeps the saved value.
    bankIdSignIn: z.boolean().optional(),
    // Issue 19 (after the contract too): left out, the saved value stays.
    showDecisionOutcome: z.boolean().optional(),
    reconsiderationText: localizedText(MAX_RECONSIDERATION_TEXT).optional(),
    nextStepTexts: nextStepTextsSchema.optional(),
    // Quiet hours (issue 19): left out, the saved hours stay.
    quietHoursFrom: quietHourSchema.optional(),
    quietHoursTo: quietHourSchema.optional(),
    logo: readOnly,
    portalType: readOnly,
    updatedAt: readOnly,
  })
  .superRefine(checkDependencies);

/** One entry of the audit log: who changed which setting when, old → new. */
export const customerPageAuditEntryView = z.object({
  id: z.string(),
  at: z.string(),
  actor: z.object({ id: z.string(), name: z.string().nullable() }),
  /** A setting name, `colors.<key>` for one colour, `logo` (customer-page logo) or `companyLogo`. */
  setting: z.string(),
  oldValue: z.unknown(),
  newValue: z.unknown(),
});
export type CustomerPageAuditEntry = z.infer<typeof customerPageAuditEntryView>;

/** `GET /api/admin/customer-page/audit`: `page` / `pageSize` as every list (page 1: the newest). */
export const customerPageAuditQuery = pageQuery();
