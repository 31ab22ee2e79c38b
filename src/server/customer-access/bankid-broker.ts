import type { BankIdBrokerInput, BankIdBrokerView } from '../../common/contracts/bankid-api.ts';
import { auditActorOf } from '../customer-page-config/customer-page-config.ts';
import { customerPagePolicy } from '../customer-page-config/policy.ts';
import type { Db } from '../db/database.ts';
import { inTransaction, nowIso } from '../db/database.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { BankIdBrokersTable } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import type { Sealer } from '../outbox/sealing.ts';
import { authorize, type Actor } from '../security/actor.ts';
import { sealClientSecret, unsealClientSecret, type OidcClientSettings } from '../security/oidc-client.ts';

/**
 * The company's BankID broker (issue 18 part 2): an OpenID Connect provider such as Signicat or Idura
 * that runs BankID and returns the person's verified name and birth date in an ID token. Level 6
 * configures it beside the customer-page settings; the client secret is sealed under the server
 * secret and never returned. Queries, service and presenter in one file: the module is small.
 */

/** What we ask the broker for: the ID token's `name` and `birthdate` come with `profile`. */
export const BANKID_SCOPE = 'openid profile';

/** The path the broker sends the customer back to (registered at the broker with PUBLIC_BASE_URL). */
export const BANKID_CALLBACK_PATH = '/api/customer/bankid/callback';

/** The settings the broker needs from us. */
export interface BankIdDeps {
  db: Db;
  sealer: Sealer;
  publicBaseUrl: string;
  production: boolean;
}

export const bankIdRedirectUri = (publicBaseUrl: string) => `${publicBaseUrl}${BANKID_CALLBACK_PATH}`;

// Queries --------------------------------------------------------------------------------------------

const findBroker = (db: Db, companyId: string) =>
  db.selectFrom('bankid_brokers').selectAll().where('company_id', '=', companyId).executeTakeFirst();

const upsertBroker = (db: Db, row: BankIdBrokersTable) =>
  db
    .insertInto('bankid_brokers')
    .values(row)
    .onConflict((oc) =>
      oc.column('company_id').doUpdateSet({
        issuer: row.issuer,
        client_id: row.client_id,
        client_secret_sealed: row.client_secret_sealed,
        updated_at: row.updated_at,
        updated_by: row.updated_by,
      }),
    )
    .execute();

const deleteBroker = (db: Db, companyId: string) =>
  db.deleteFrom('bankid_brokers').where('company_id', '=', companyId).execute();

// Service --------------------------------------------------------------------------------------------

/** GET /api/admin/bankid-broker: the company's broker (level 6), without its secret. */
export async function getBankIdBroker(deps: BankIdDeps, actor: Actor): Promise<BankIdBrokerView> {
  authorize(actor, customerPagePolicy.configure);
  return presentBroker(deps, await findBroker(deps.db, actor.companyId));
}

/**
 * PUT /api/admin/bankid-broker: saves issuer, client id and (sealed) secret. The issuer must be https
 * in production; the secret is required the first time and kept when left out afterwards.
 */
export async function saveBankIdBroker(
  deps: BankIdDeps,
  actor: Actor,
  input: BankIdBrokerInput,
  now = new Date(),
): Promise<BankIdBrokerView> {
  authorize(actor, customerPagePolicy.configure);
  const issuer = new URL(input.issuer);
  if (issuer.protocol !== 'https:' && (deps.production || issuer.protocol !== 'http:')) {
    throw fieldError('issuer', 'must be an https URL');
  }
  const existing = await findBroker(deps.db, actor.companyId);
  const sealed = input.clientSecret
    ? sealClientSecret(deps.sealer, input.clientSecret)
    : existing?.client_secret_sealed;
  if (!sealed) throw fieldError('clientSecret', 'is required the first time');
  const stamp = await auditActorOf(deps.db, actor);
  await inTransaction(deps.db, async (trx) => {
    await upsertBroker(trx, {
      company_id: actor.companyId,
      issuer: input.issuer,
      client_id: input.clientId,
      client_secret_sealed: sealed,
      updated_at: nowIso(now),
      updated_by: stamp.id,
    });
    await recordAudit(trx, actor, {
      action: 'bankid.changed',
      subjectType: 'bankid',
      subjectId: null,
      detail: {
        change: existing ? 'updated' : 'created',
        issuer: input.issuer,
        clientCredentialChanged: Boolean(input.clientSecret),
      },
      at: now,
    });
  });
  return presentBroker(deps, await findBroker(deps.db, actor.companyId));
}

/** DELETE /api/admin/bankid-broker: forgets the broker (BankID then says it is unavailable). */
export async function removeBankIdBroker(deps: BankIdDeps, actor: Actor): Promise<BankIdBrokerView> {
  authorize(actor, customerPagePolicy.configure);
  await inTransaction(deps.db, async (trx) => {
    const result = await deleteBroker(trx, actor.companyId);
    if (result.some((row) => Number(row.numDeletedRows) > 0)) {
      await recordAudit(trx, actor, {
        action: 'bankid.changed',
        subjectType: 'bankid',
        subjectId: null,
        detail: { change: 'deleted' },
      });
    }
  });
  return presentBroker(deps, undefined);
}

/**
 * The broker of a company as the OIDC client needs it, or null when none is configured or its secret
 * no longer opens (the server secret changed): BankID is then unavailable.
 */
export async function loadBankIdClient(
  deps: Pick<BankIdDeps, 'db' | 'sealer'>,
  companyId: string,
): Promise<OidcClientSettings | null> {
  const row = await findBroker(deps.db, companyId);
  const secret = row ? unsealClientSecret(deps.sealer, row.client_secret_sealed) : null;
  return row && secret ? { issuer: row.issuer, clientId: row.client_id, clientSecret: secret } : null;
}

function presentBroker(deps: BankIdDeps, row: BankIdBrokersTable | undefined): BankIdBrokerView {
  return {
    configured: row !== undefined,
    issuer: row?.issuer ?? null,
    clientId: row?.client_id ?? null,
    hasClientSecret: row !== undefined,
    redirectUri: bankIdRedirectUri(deps.publicBaseUrl),
    scope: BANKID_SCOPE,
    updatedAt: row?.updated_at ?? null,
  };
}

const fieldError = (field: string, message: string) =>
  new AppError('validation_failed', `${field} ${message}.`, {
    fields: [{ path: `body.${field}`, message }],
  });
