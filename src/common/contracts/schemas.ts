import { z } from 'zod';
import { authorizationLevels, portalTypes } from '../rules/enums.ts';
import { toE164 } from '../rules/phone.ts';
import { singleLine } from './string-input.ts';

// Shared zod schemas: the server validates with them, the web app types its forms by them.

export const idSchema = singleLine().min(1).max(64);

export const nameSchema = singleLine().trim().min(1, 'is required').max(200);

export const emailSchema = singleLine()
  .trim()
  .max(254)
  .pipe(z.email('must be an e-mail address'))
  .transform((value) => value.toLowerCase());

/** A phone number in any common notation, stored as E.164. */
export const phoneSchema = singleLine()
  .max(40)
  .transform((value, ctx) => {
    const e164 = toE164(value);
    if (!e164) {
      ctx.addIssue({ code: 'custom', message: 'must be a valid phone number, e.g. +4791234567' });
      return z.NEVER;
    }
    return e164;
  });

export const orgNumberSchema = z
  .string()
  .trim()
  .regex(/^\d{9}$/, 'must be a Norwegian organisation number of 9 digits');

export const portalTypeSchema = z.enum(portalTypes);

export const levelSchema = z.coerce
  .number()
  .int()
  .refine((value) => (authorizationLevels as readonly number[]).includes(value), 'must be 1–6');

/** Passwords: long enough to matter, short enough to hash cheaply (NIST 800-63B: ≥ 8, allow ≥ 64). */
export const passwordSchema = singleLine().min(10, 'must be at least 10 characters').max(200);

export const loginSchema = z.strictObject({
  email: singleLine().trim().min(1).max(254),
  password: singleLine().min(1).max(200),
  /** "Keep me signed in": the cookie outlives the browser; otherwise it ends when the browser closes. */
  remember: z.boolean().optional(),
});

export const createCompanySchema = z.strictObject({
  name: nameSchema,
  orgNumber: orgNumberSchema.optional(),
  portalType: portalTypeSchema,
});

export const updateCompanySchema = z.strictObject({
  name: nameSchema.optional(),
  orgNumber: orgNumberSchema.nullable().optional(),
  /** The default of VAT on a new cash-settlement line (issue 20). */
  cashSettlementIncludesVat: z.boolean().optional(),
  /** Years a closed case keeps personal data before the retention job anonymises it (issue 19, item 6). */
  personalDataRetentionYears: z.number().int().min(1).max(30).optional(),
});

export const createUserSchema = z.strictObject({
  name: nameSchema,
  email: emailSchema,
  phone: phoneSchema.optional(),
  level: levelSchema,
  password: passwordSchema,
});

export const updateUserSchema = z.strictObject({
  name: nameSchema.optional(),
  phone: phoneSchema.nullable().optional(),
  level: levelSchema.optional(),
  active: z.boolean().optional(),
});

export const createApiKeySchema = z.strictObject({
  name: nameSchema,
  level: levelSchema.default(6),
});

export const createPartnerSchema = z.strictObject({
  name: nameSchema,
  orgNumber: orgNumberSchema.optional(),
});

export const createOfficeSchema = z.strictObject({
  name: nameSchema,
  phone: phoneSchema.optional(),
  email: emailSchema.optional(),
});

export const createPersonSchema = z.strictObject({
  name: nameSchema,
  phone: phoneSchema.optional(),
  email: emailSchema.optional(),
});

export type LoginInput = z.infer<typeof loginSchema>;
export type CreateCompanyInput = z.input<typeof createCompanySchema>;
export type CreateUserInput = z.input<typeof createUserSchema>;
export type CreateApiKeyInput = z.input<typeof createApiKeySchema>;
export type CreatePartnerInput = z.input<typeof createPartnerSchema>;
export type CreateOfficeInput = z.input<typeof createOfficeSchema>;
export type CreatePersonInput = z.input<typeof createPersonSchema>;
