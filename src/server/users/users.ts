import type { z } from 'zod';
import type { UserView } from '../../common/contracts/api.ts';
import type { Page, PageRequest } from '../../common/contracts/paging.ts';
import { createUserSchema, updateUserSchema, type CreateUserInput } from '../../common/contracts/schemas.ts';
import { type Actor, authorize, requireSameCompany } from '../security/actor.ts';
import { hashPassword } from '../security/passwords.ts';
import type { Db } from '../db/database.ts';
import { isUniqueViolation, inTransaction, nowIso } from '../db/database.ts';
import { fetchPage } from '../db/paging.ts';
import { AppError } from '../errors.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { newId } from '../security/tokens.ts';
import { userPolicy } from './policy.ts';
import {
  deleteSessionsOfUser,
  emailExists,
  findUser,
  insertUser,
  lockUserRow,
  usersOfCompany,
  updateUserRow,
  type UserRow,
} from './queries.ts';

/**
 * Creates a staff user in a company. E-mail addresses are unique across companies (sign-in is by e-mail).
 * With an actor (an admin, not the command line) the audit line is written in the same transaction.
 */
export async function createUser(
  db: Db,
  companyId: string,
  input: CreateUserInput,
  actor?: Actor,
): Promise<{ id: string }> {
  const values = createUserSchema.parse(input);
  if (await emailExists(db, values.email)) throw new AppError('email_taken');
  const id = newId();
  const now = nowIso();
  const passwordHash = await hashPassword(values.password);
  try {
    await inTransaction(db, async (trx) => {
      await insertUser(trx, {
        id,
        company_id: companyId,
        name: values.name,
        email: values.email,
        phone: values.phone ?? null,
        level: values.level,
        active: 1,
        password_hash: passwordHash,
        created_at: now,
        updated_at: now,
      });
      if (actor) {
        await recordAudit(trx, actor, {
          action: 'user.created',
          subjectType: 'user',
          subjectId: id,
          detail: { name: values.name, level: values.level },
        });
      }
    });
  } catch (error) {
    // Two creates with the same address at once both pass the check above; the unique index decides.
    if (isUniqueViolation(error)) throw new AppError('email_taken');
    throw error;
  }
  return { id };
}

/** Creates a user in the actor's company (company admin only). */
export async function createUserAs(db: Db, actor: Actor, input: CreateUserInput): Promise<UserRow> {
  authorize(actor, userPolicy.create);
  const { id } = await createUser(db, actor.companyId, input, actor);
  return getUser(db, actor, id);
}

/** A user of the actor's company; 404 for anyone else's. */
export async function getUser(db: Db, actor: Actor, id: string): Promise<UserRow> {
  authorize(actor, userPolicy.list);
  return requireSameCompany(actor, await findUser(db, id));
}

/** One page of the users of the actor's company, by name. */
export async function listUsers(db: Db, actor: Actor, paging: PageRequest): Promise<Page<UserView>> {
  authorize(actor, userPolicy.list);
  return fetchPage(usersOfCompany(db, actor.companyId), paging, presentUser);
}

/**
 * Changes a user's name, phone, level or active flag (company admin only). Deactivating ends the
 * user's sessions at once. An admin cannot lower or deactivate themself, so a company keeps an admin.
 */
export async function updateUser(
  db: Db,
  actor: Actor,
  id: string,
  input: z.input<typeof updateUserSchema>,
): Promise<UserRow> {
  authorize(actor, userPolicy.update);
  requireSameCompany(actor, await findUser(db, id));
  const values = updateUserSchema.parse(input);
  const isSelf = actor.kind === 'staff' && actor.userId === id;
  if (isSelf && (values.active === false || (values.level !== undefined && values.level < actor.level))) {
    throw new AppError('conflict', 'You cannot lower your own level or deactivate yourself.', {
      reason: 'own_level',
    });
  }
  await inTransaction(db, async (trx) => {
    // Read again under the row's lock: of two admins changing the same thing at once, the second
    // sees the first's change, and the audit names only what each really changed.
    await lockUserRow(trx, id);
    const before = requireSameCompany(actor, await findUser(trx, id));
    await updateUserRow(trx, id, {
      ...(values.name !== undefined && { name: values.name }),
      ...(values.phone !== undefined && { phone: values.phone }),
      ...(values.level !== undefined && { level: values.level }),
      ...(values.active !== undefined && { active: values.active ? 1 : 0 }),
      updated_at: nowIso(),
    });
    if (values.active === false) await deleteSessionsOfUser(trx, id);
    await auditUserUpdate(trx, actor, before, values);
  });
  return getUser(db, actor, id);
}

/**
 * The audit lines of a user change, in the change's transaction: the level and the active flag each get
 * their own kind (what an auditor looks for); a name or phone change is `user.updated`. Unchanged: none.
 */
async function auditUserUpdate(
  trx: Db,
  actor: Actor,
  before: UserRow,
  values: z.output<typeof updateUserSchema>,
): Promise<void> {
  const subject = { subjectType: 'user', subjectId: before.id } as const;
  if (values.level !== undefined && values.level !== before.level) {
    await recordAudit(trx, actor, {
      action: 'user.level_changed',
      ...subject,
      detail: { name: before.name, from: before.level, to: values.level },
    });
  }
  if (values.active !== undefined && values.active !== (before.active === 1)) {
    await recordAudit(trx, actor, {
      action: values.active ? 'user.reactivated' : 'user.deactivated',
      ...subject,
      detail: { name: before.name },
    });
  }
  const fields = [
    ...(values.name !== undefined && values.name !== before.name ? ['name'] : []),
    ...(values.phone !== undefined && values.phone !== before.phone ? ['phone'] : []),
  ];
  if (fields.length > 0) {
    await recordAudit(trx, actor, {
      action: 'user.updated',
      ...subject,
      detail: { name: before.name, fields },
    });
  }
}

/** The fields of a staff user that colleagues see (never the password hash). */
export function presentUser(row: UserRow): UserView {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    phone: row.phone,
    level: row.level,
    active: row.active === 1,
    createdAt: row.created_at,
  };
}
