import type { FastifyBaseLogger } from 'fastify';
import type { z } from 'zod';
import type { saveSsoConfigSchema, SsoErrorCode } from '../../common/contracts/sso-api.ts';
import type { ssoConfigView } from '../../common/contracts/sso-api.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { inTransaction, nowIso } from '../db/database.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { StaffSsoTable } from '../db/schema.ts';
import { AppError, notFound } from '../errors.ts';
import { type Actor, authorize } from '../security/actor.ts';
import { sealClientSecret, unsealClientSecret, type OidcClientSettings } from '../security/oidc-client.ts';
import { createSealer } from '../outbox/sealing.ts';
import { ssoPolicy } from './policy.ts';
import { deleteSsoConfig, findSsoConfig, upsertSsoConfig } from './queries.ts';

/** Where the provider sends the browser back: to register at the provider as the redirect URI. */
export const ssoRedirectUri = (config: Config) => `${config.publicBaseUrl}/api/auth/sso/callback`;

/** The company's sign-in link, which its admin gives to staff (it names no e-mail address). */
export const ssoSignInUrl = (config: Config, companyId: string) =>
  `${config.publicBaseUrl}/sign-in/sso/${encodeURIComponent(companyId)}`;

/** http issuers only outside production (a provider on the developer's machine, the tests' provider). */
export const allowHttpIssuer = (config: Config) => config.nodeEnv !== 'production';

/** The company's configuration as level 6 sees it: never the secret, only whether one is stored. */
export async function getSsoConfigAs(
  db: Db,
  config: Config,
  actor: Actor,
): Promise<z.output<typeof ssoConfigView>> {
  authorize(actor, ssoPolicy.configure);
  return presentSsoConfig(config, actor.companyId, await findSsoConfig(db, actor.companyId));
}

/**
 * Saves the company's provider, client and switches. The client secret is write-only: left out, the
 * stored one stays (required the first time). Sealed under the server secret before it is stored.
 */
export async function saveSsoConfigAs(
  db: Db,
  config: Config,
  actor: Actor,
  input: z.output<typeof saveSsoConfigSchema>,
  log: FastifyBaseLogger,
): Promise<z.output<typeof ssoConfigView>> {
  authorize(actor, ssoPolicy.configure);
  const issuer = input.issuer.replace(/\/+$/, '');
  if (!issuer.toLowerCase().startsWith('https://') && !allowHttpIssuer(config)) {
    throw fieldError('issuer', 'must be an https:// URL');
  }
  const previous = await findSsoConfig(db, actor.companyId);
  if (!input.clientSecret && !previous) throw fieldError('clientSecret', 'is required');
  const row: StaffSsoTable = {
    company_id: actor.companyId,
    issuer,
    client_id: input.clientId,
    client_secret_sealed: input.clientSecret
      ? sealClientSecret(createSealer(config.sessionSecret), input.clientSecret)
      : previous!.client_secret_sealed,
    enabled: input.enabled ? 1 : 0,
    sso_only: input.ssoOnly ? 1 : 0,
    updated_at: nowIso(),
    updated_by: actor.kind === 'staff' ? actor.userId : actor.apiKeyId,
  };
  await inTransaction(db, async (trx) => {
    await upsertSsoConfig(trx, row);
    await recordAudit(trx, actor, {
      action: 'sso.changed',
      subjectType: 'sso',
      subjectId: null,
      detail: {
        change: previous ? 'updated' : 'created',
        issuer,
        enabled: input.enabled,
        ssoOnly: input.ssoOnly,
        clientCredentialChanged: Boolean(input.clientSecret),
      },
    });
  });
  // The audit trail is issue 19's; until then the change is a security log line (never the secret).
  log.info(
    {
      event: 'sso_config_saved',
      companyId: actor.companyId,
      by: row.updated_by,
      issuer,
      enabled: input.enabled,
      ssoOnly: input.ssoOnly,
      secretChanged: Boolean(input.clientSecret),
    },
    'security: single sign-on configuration saved',
  );
  return presentSsoConfig(config, actor.companyId, row);
}

/** Removes the company's single sign-on (and with it "SSO only"). 404 when there is none. */
export async function deleteSsoConfigAs(db: Db, actor: Actor, log: FastifyBaseLogger): Promise<void> {
  authorize(actor, ssoPolicy.configure);
  await inTransaction(db, async (trx) => {
    const result = await deleteSsoConfig(trx, actor.companyId);
    if (Number(result.numDeletedRows) === 0) throw notFound();
    await recordAudit(trx, actor, {
      action: 'sso.changed',
      subjectType: 'sso',
      subjectId: null,
      detail: { change: 'deleted' },
    });
  });
  log.info(
    {
      event: 'sso_config_deleted',
      companyId: actor.companyId,
      by: actor.kind === 'staff' ? actor.userId : actor.apiKeyId,
    },
    'security: single sign-on configuration removed',
  );
}

/**
 * The provider settings to sign in with for a company, or the reason there are none: not
 * configured, switched off, or the secret sealed under a session secret that has since changed.
 */
export async function ssoSettingsOf(
  db: Db,
  config: Config,
  companyId: string,
  log: FastifyBaseLogger,
): Promise<OidcClientSettings | { problem: SsoErrorCode }> {
  const row = await findSsoConfig(db, companyId);
  if (!row || row.enabled !== 1) return { problem: 'not_configured' };
  const clientSecret = unsealClientSecret(createSealer(config.sessionSecret), row.client_secret_sealed);
  if (clientSecret === null) {
    log.error(
      { event: 'sso_secret_unreadable', companyId },
      'single sign-on: the client secret was sealed under another SESSION_SECRET; save it again',
    );
    return { problem: 'not_configured' };
  }
  return { issuer: row.issuer, clientId: row.client_id, clientSecret };
}

/** The fields of the configuration level 6 sees (the secret is not one of them). */
export function presentSsoConfig(
  config: Config,
  companyId: string,
  row: StaffSsoTable | undefined,
): z.output<typeof ssoConfigView> {
  return {
    configured: Boolean(row),
    issuer: row?.issuer ?? null,
    clientId: row?.client_id ?? null,
    hasClientSecret: Boolean(row?.client_secret_sealed),
    enabled: row ? row.enabled === 1 : false,
    ssoOnly: row ? row.sso_only === 1 : false,
    redirectUri: ssoRedirectUri(config),
    signInUrl: ssoSignInUrl(config, companyId),
    updatedAt: row?.updated_at ?? null,
  };
}

function fieldError(field: string, message: string): AppError {
  return new AppError('validation_failed', `The request is not valid: body.${field} ${message}`, {
    fields: [{ path: field, message }],
  });
}
