import { z } from 'zod';
import { isoDateTime } from './date-formats.ts';
import { singleLine } from './string-input.ts';

// Staff single sign-on per company (issue 18, part 1). The issuer's shape is checked here; whether
// http is allowed (a loopback issuer outside production only) is the server's rule (sso/sso-config.ts).

// The sign-in error codes are zod-free (the staff sign-in page, in the first load, reads them).
export { ssoErrorCodes, type SsoErrorCode } from '../rules/sso.ts';

export const saveSsoConfigSchema = z.strictObject({
  issuer: singleLine()
    .trim()
    .max(500)
    .refine((value) => URL.canParse(value) && /^https?:\/\//i.test(value), 'must be an https:// URL')
    .describe(
      'The OpenID Provider (issuer URL; its discovery document is at /.well-known/openid-configuration)',
    ),
  clientId: singleLine().trim().min(1).max(500),
  clientSecret: singleLine()
    .min(1)
    .max(2000)
    .optional()
    .describe('Write-only. Required the first time; left out, the stored secret is kept'),
  enabled: z.boolean(),
  ssoOnly: z.boolean().describe('true: the company’s users may not sign in with a password'),
});

export const ssoConfigView = z.object({
  configured: z.boolean(),
  issuer: z.string().nullable(),
  clientId: z.string().nullable(),
  /** The secret itself is never returned. */
  hasClientSecret: z.boolean(),
  enabled: z.boolean(),
  ssoOnly: z.boolean(),
  /** To register at the provider as the client's redirect URI. */
  redirectUri: z.string(),
  /** The company's sign-in link to give staff. */
  signInUrl: z.string(),
  updatedAt: isoDateTime.nullable(),
});
