// Staff single sign-on (issue 18): what the sign-in page needs without zod (it is in the first load).

/** Why an SSO sign-in ended on the sign-in page (`?sso_error=` of the redirect); translated by the web. */
export const ssoErrorCodes = [
  'not_configured',
  'expired',
  'state_mismatch',
  'rejected',
  'invalid_token',
  'email_unverified',
  'unknown_user',
  'unreachable',
] as const;
export type SsoErrorCode = (typeof ssoErrorCodes)[number];
