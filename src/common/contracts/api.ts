import { z } from 'zod';
import { isoDateTime } from './date-formats.ts';
import { errorReasons, fieldFormats, fieldIssueCodes, type FieldFormat } from '../rules/api-errors.ts';
import { portalTypes } from '../rules/enums.ts';
import { MAX_PAGE_SIZE, pageQuery } from './paging.ts';

// Response shapes of the staff API. Plain schemas (no transforms): the server serialises through
// them, so a field not named here never leaves the server; the web app types its data with them.

/**
 * A refused field (issue 16): the path and English text as always, plus the stable issue code a client
 * translates and the limit, format or allowed values it names (common/rules/api-errors.ts).
 */
export const fieldIssueView = z.object({
  path: z.string(),
  message: z.string(),
  code: z.enum(fieldIssueCodes),
  minimum: z.number().optional(),
  maximum: z.number().optional(),
  origin: z.enum(['string', 'number', 'array']).optional(),
  format: z.enum(Object.keys(fieldFormats) as [FieldFormat, ...FieldFormat[]]).optional(),
  values: z.array(z.string()).optional(),
});

export const errorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.array(fieldIssueView).optional(),
    /** Refines the code (a conflict's reason), for clients that translate it. */
    reason: z.enum(errorReasons).optional(),
    params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  }),
});

export const companyView = z.object({
  id: z.string(),
  name: z.string(),
  orgNumber: z.string().nullable(),
  portalType: z.enum(portalTypes),
  hasLogo: z.boolean(),
  createdAt: isoDateTime,
  /** Whether a new cash-settlement line includes VAT by default (issue 20; default false). */
  cashSettlementIncludesVat: z.boolean(),
  /** Years a closed case keeps personal data (1–30, default 10), apart from the page's visibility. */
  personalDataRetentionYears: z.number().int(),
});

export const userView = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  phone: z.string().nullable(),
  level: z.number().int(),
  active: z.boolean(),
  createdAt: isoDateTime,
});

export const abilitiesView = z.object({
  manageCompany: z.boolean(),
  manageUsers: z.boolean(),
  manageApiKeys: z.boolean(),
  manageWebhooks: z.boolean(),
  viewSatisfaction: z.boolean(),
  /** Export and erase one person's data from a case (person-data/ policy: level 6). */
  managePersonData: z.boolean(),
  managePartners: z.boolean(),
  configureCustomerPage: z.boolean(),
});

export const meView = z.object({
  user: userView.nullable(),
  apiKey: z.object({ id: z.string() }).nullable(),
  company: companyView,
  level: z.number().int(),
  abilities: abilitiesView,
});

export const personView = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
});

export const officeView = z.object({
  id: z.string(),
  name: z.string(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  persons: z.array(personView),
});

export const partnerView = z.object({
  id: z.string(),
  name: z.string(),
  orgNumber: z.string().nullable(),
  offices: z.array(officeView),
});

export const apiKeyView = z.object({
  id: z.string(),
  name: z.string(),
  level: z.number().int(),
  createdAt: isoDateTime,
  lastUsedAt: isoDateTime.nullable(),
  revokedAt: isoDateTime.nullable(),
});

export const idView = z.object({ id: z.string() });

/** `GET /api/users`, `GET /api/partners`: pick lists too, so a larger page by default (still ≤ 100). */
export const userListQuery = pageQuery(MAX_PAGE_SIZE);
export const partnerListQuery = pageQuery(MAX_PAGE_SIZE);
/** `GET /api/admin/api-keys`. */
export const apiKeyListQuery = pageQuery();

export type CompanyView = z.infer<typeof companyView>;
export type UserView = z.infer<typeof userView>;
export type MeView = z.infer<typeof meView>;
export type Abilities = z.infer<typeof abilitiesView>;
export type PartnerView = z.infer<typeof partnerView>;
export type OfficeView = z.infer<typeof officeView>;
export type PersonView = z.infer<typeof personView>;
export type ApiKeyView = z.infer<typeof apiKeyView>;
export type ErrorBody = z.infer<typeof errorBody>;
export type FieldIssueView = z.infer<typeof fieldIssueView>;
