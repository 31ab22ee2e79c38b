import { z } from 'zod';
import { isoDateTime } from './date-formats.ts';
import { singleLine } from './string-input.ts';

/**
 * The BankID broker of a company (issue 18 part 2): GET/PUT/DELETE /api/admin/bankid-broker (level 6).
 * Customers identify with BankID through an OpenID Connect broker (Signicat, Idura, …); the company
 * registers our redirect URI there and enters the issuer, client id and client secret here. The
 * secret is write-only: it is stored sealed and never returned.
 */

/** PUT /api/admin/bankid-broker. `clientSecret` may be left out to keep the stored one. */
export const bankIdBrokerInput = z.strictObject({
  issuer: singleLine()
    .trim()
    .max(500)
    .url('must be the URL of the OpenID Connect issuer')
    .describe('The issuer URL (its /.well-known/openid-configuration is read); https in production'),
  clientId: singleLine().trim().min(1, 'must not be empty').max(200),
  clientSecret: singleLine()
    .min(1, 'must not be empty')
    .max(500)
    .optional()
    .describe('Write-only; left out: the stored secret is kept (required the first time)'),
});
export type BankIdBrokerInput = z.infer<typeof bankIdBrokerInput>;

export const bankIdBrokerView = z.object({
  /** Issuer, client id and secret are stored (BankID can be used). */
  configured: z.boolean(),
  issuer: z.string().nullable(),
  clientId: z.string().nullable(),
  /** A client secret is stored (it is never returned). */
  hasClientSecret: z.boolean(),
  /** The redirect URI to register at the broker: PUBLIC_BASE_URL/api/customer/bankid/callback. */
  redirectUri: z.string(),
  /** The scopes we ask for. */
  scope: z.string(),
  updatedAt: isoDateTime.nullable(),
});
export type BankIdBrokerView = z.infer<typeof bankIdBrokerView>;
