import type { Db } from '../db/database.ts';
import type { StaffSessionsTable } from '../db/schema.ts';

/** The active user with this e-mail address, with their password hash, for sign-in. */
export const findActiveUserByEmail = (db: Db, email: string) =>
  db
    .selectFrom('users')
    .select(['id', 'company_id', 'level', 'password_hash'])
    .where('email', '=', email.toLowerCase())
    .where('active', '=', 1)
    .executeTakeFirst();

/**
 * Whether the company refuses password sign-in ("SSO only", staff_sso of sso/: read here because
 * the password sign-in is auth's, and sso/ imports auth, not the other way round).
 */
export const isPasswordSignInRefused = async (db: Db, companyId: string) =>
  Boolean(
    await db
      .selectFrom('staff_sso')
      .select('company_id')
      .where('company_id', '=', companyId)
      .where('enabled', '=', 1)
      .where('sso_only', '=', 1)
      .executeTakeFirst(),
  );

export const insertSession = (db: Db, row: StaffSessionsTable) =>
  db.insertInto('staff_sessions').values(row).execute();

/** The session with its user's current level and active flag (a level change applies at once). */
export const findSessionWithUser = (db: Db, id: string) =>
  db
    .selectFrom('staff_sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['s.id', 's.user_id', 's.company_id', 's.expires_at', 's.last_seen_at', 'u.level', 'u.active'])
    .where('s.id', '=', id)
    .executeTakeFirst();

export const touchSession = (db: Db, id: string, lastSeenAt: string) =>
  db.updateTable('staff_sessions').set({ last_seen_at: lastSeenAt }).where('id', '=', id).execute();

export const deleteSession = (db: Db, id: string) =>
  db.deleteFrom('staff_sessions').where('id', '=', id).execute();

export const deleteExpiredSessions = (db: Db, nowIso: string, idleCutoffIso: string) =>
  db
    .deleteFrom('staff_sessions')
    .where((eb) => eb.or([eb('expires_at', '<=', nowIso), eb('last_seen_at', '<=', idleCutoffIso)]))
    .execute();
