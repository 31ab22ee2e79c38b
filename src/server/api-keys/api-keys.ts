import { createApiKeySchema, type CreateApiKeyInput } from '../../common/contracts/schemas.ts';
import type { AuthorizationLevel } from '../../common/rules/enums.ts';
import type { Actor } from '../security/actor.ts';
import type { Db } from '../db/database.ts';
import { inTransaction, nowIso } from '../db/database.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { fetchPage } from '../db/paging.ts';
import { hashToken, newId, randomToken } from '../security/tokens.ts';
import type { ApiKeyView } from '../../common/contracts/api.ts';
import type { Page, PageRequest } from '../../common/contracts/paging.ts';
import {
  findActiveApiKeyByHash,
  findApiKey,
  insertApiKey,
  apiKeysOfCompany,
  revokeApiKeyRow,
  touchApiKey,
} from './queries.ts';
import { authorize, requireSameCompany } from '../security/actor.ts';
import { apiKeyPolicy } from './policy.ts';

const KEY_PREFIX = 'ks_';

/**
 * Creates an API key for a company; the secret is returned once and only its hash is kept. With an
 * actor (an admin, not the command line) the audit line is written in the same transaction.
 */
export async function createApiKey(
  db: Db,
  companyId: string,
  input: CreateApiKeyInput,
  actor?: Actor,
): Promise<{ id: string; key: string; name: string; level: number }> {
  const { name, level } = createApiKeySchema.parse(input);
  const key = `${KEY_PREFIX}${randomToken()}`;
  const id = newId();
  await inTransaction(db, async (trx) => {
    await insertApiKey(trx, {
      id,
      company_id: companyId,
      name,
      level,
      key_hash: hashToken(key),
      created_at: nowIso(),
      last_used_at: null,
      revoked_at: null,
    });
    if (actor) {
      await recordAudit(trx, actor, {
        action: 'api_key.created',
        subjectType: 'api_key',
        subjectId: id,
        detail: { name, level },
      });
    }
  });
  return { id, key, name, level };
}

/** The actor of a bearer key, or null when it is unknown or revoked. */
export async function resolveApiKey(db: Db, key: string, now = new Date()): Promise<Actor | null> {
  if (!key.startsWith(KEY_PREFIX)) return null;
  const row = await findActiveApiKeyByHash(db, hashToken(key));
  if (!row) return null;
  // Record use at most once a minute.
  if (!row.last_used_at || now.getTime() - new Date(row.last_used_at).getTime() > 60_000) {
    await touchApiKey(db, row.id, nowIso(now));
  }
  return {
    kind: 'api_key',
    apiKeyId: row.id,
    companyId: row.company_id,
    level: row.level as AuthorizationLevel,
  };
}

/** Revokes a key of the actor's company; it stops working at once. */
export async function revokeApiKey(db: Db, actor: Actor, id: string): Promise<void> {
  authorize(actor, apiKeyPolicy.manage);
  const key = requireSameCompany(actor, await findApiKey(db, id));
  if (key.revoked_at) return;
  await inTransaction(db, async (trx) => {
    // Guarded in the update itself: of two revokes at once, one revokes and is audited.
    const result = await revokeApiKeyRow(trx, id, nowIso());
    if (Number(result.numUpdatedRows) === 0) return;
    await recordAudit(trx, actor, {
      action: 'api_key.revoked',
      subjectType: 'api_key',
      subjectId: id,
      detail: { name: key.name, level: key.level },
    });
  });
}

/** Creates a key in the actor's company (company admin). */
export async function createApiKeyAs(db: Db, actor: Actor, input: CreateApiKeyInput) {
  authorize(actor, apiKeyPolicy.manage);
  return createApiKey(db, actor.companyId, input, actor);
}

/** One page of the keys of the actor's company, newest first, without secrets (company admin). */
export async function listApiKeysAs(db: Db, actor: Actor, paging: PageRequest): Promise<Page<ApiKeyView>> {
  authorize(actor, apiKeyPolicy.manage);
  return fetchPage(apiKeysOfCompany(db, actor.companyId), paging, (row) => ({
    id: row.id,
    name: row.name,
    level: row.level,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  }));
}
