import { sql } from 'kysely';
import { preparedQuery, type Db } from '../db/database.ts';
import type {
  CustomerAccessTable,
  CustomerSessionsTable,
  PersonMessage,
  SmsCodesTable,
} from '../db/schema.ts';

// All SQL of customer access: grants, customer sessions, SMS codes.

export const listAccessOfCase = (db: Db, caseId: string) =>
  db.selectFrom('customer_access').selectAll().where('case_id', '=', caseId).execute();

export const findAccessOfContact = (db: Db, caseId: string, contactId: string) =>
  db
    .selectFrom('customer_access')
    .selectAll()
    .where('case_id', '=', caseId)
    .where('contact_id', '=', contactId)
    .executeTakeFirst();

/** Inserts a grant unless the person has one already (then returns false). */
export async function insertAccessIfAbsent(db: Db, row: CustomerAccessTable): Promise<boolean> {
  const inserted = await db
    .insertInto('customer_access')
    .values(row)
    .onConflict((oc) => oc.columns(['case_id', 'contact_id']).doNothing())
    .returning('id')
    .execute();
  return inserted.length > 0;
}

/** Grants a removed access again with a new token; false when it was not removed (any more). */
export function reactivateAccess(
  db: Db,
  id: string,
  values: Pick<
    CustomerAccessTable,
    'token_hash' | 'granted_by_kind' | 'granted_by_id' | 'granted_by_name' | 'granted_at'
  >,
): Promise<CustomerAccessTable | undefined> {
  return db
    .updateTable('customer_access')
    .set({
      ...values,
      state: 'active',
      removed_at: null,
      link_version: sql<number>`link_version + 1`,
      wrong_codes: 0,
      code_locked_at: null,
    })
    .where('id', '=', id)
    .where('state', '=', 'removed')
    .returningAll()
    .executeTakeFirst();
}

export const markAccessRemoved = (db: Db, id: string, at: string) =>
  db
    .updateTable('customer_access')
    .set({ state: 'removed', removed_at: at })
    .where('id', '=', id)
    .where('state', '=', 'active')
    .returning('id')
    .executeTakeFirst();

/** Notes on the grant who was identified last and how (the staff access dialog; never a national id). */
export const recordAccessIdentification = (
  db: Db,
  id: string,
  identity: { method: 'sms_code' | 'bankid'; name: string | null; birthDate: string | null },
  at: string,
) =>
  db
    .updateTable('customer_access')
    .set({
      identified_by: identity.method,
      identified_name: identity.name,
      identified_birth_date: identity.birthDate,
      identified_at: at,
    })
    .where('id', '=', id)
    .execute();

export const touchAccess = (db: Db, id: string, at: string) =>
  db.updateTable('customer_access').set({ last_used_at: at }).where('id', '=', id).execute();

/** A grant by the hash of its link token, with what opening it needs to know. */
/**
 * The grant a link token opens: the grant's own link, or a link sent with a message notice (valid
 * while the grant is at the link version it was sent for).
 */
export async function findAccessByTokenHash(db: Db, tokenHash: string) {
  const grant = () =>
    db
      .selectFrom('customer_access as a')
      .innerJoin('cases as c', 'c.id', 'a.case_id')
      .select([
        'a.id',
        'a.company_id',
        'a.case_id',
        'a.state',
        'c.status',
        'c.created_at',
        'c.main_inspection_assigned_at',
        'c.positive_decision_at',
        'c.closed_at',
      ]);
  return (
    (await grant().where('a.token_hash', '=', tokenHash).executeTakeFirst()) ??
    (await grant()
      .innerJoin('customer_link_tokens as t', (join) =>
        join.onRef('t.access_id', '=', 'a.id').onRef('t.link_version', '=', 'a.link_version'),
      )
      .where('t.token_hash', '=', tokenHash)
      .executeTakeFirst())
  );
}

/** How many messages of one kind on one channel the access list shows per person: the newest. */
export const DELIVERIES_SHOWN = 5;

/**
 * Messages (links, codes, notices) to the people of a case, newest first: of each person's messages
 * of one kind on one channel only the newest {@link DELIVERIES_SHOWN}, so the access list stays
 * bounded however many notices a long thread sent (the list itself is the case's contacts).
 */
export const listMessagesOfCase = (db: Db, caseId: string) =>
  db
    .selectFrom((eb) =>
      eb
        .selectFrom('outbox')
        .select([
          'id',
          'access_id',
          'kind',
          'channel',
          'recipient',
          'state',
          'attempts',
          'last_error',
          'delivered_via',
          'created_at',
          'sent_at',
          'provider_status',
          'provider_status_at',
          'provider_error',
          sql<number>`row_number() over (partition by access_id, kind, channel order by created_at desc, id desc)`.as(
            'nth',
          ),
        ])
        .where('case_id', '=', caseId)
        .where('access_id', 'is not', null)
        .as('o'),
    )
    .select([
      'o.id',
      'o.access_id',
      'o.kind',
      'o.channel',
      'o.recipient',
      'o.state',
      'o.attempts',
      'o.last_error',
      'o.delivered_via',
      'o.created_at',
      'o.sent_at',
      'o.provider_status',
      'o.provider_status_at',
      'o.provider_error',
    ])
    .where('o.nth', '<=', DELIVERIES_SHOWN)
    .where('o.channel', '!=', 'webhook')
    .$narrowType<PersonMessage>()
    .orderBy('o.created_at', 'desc')
    .orderBy('o.id', 'desc')
    .execute();

/** Queued link messages of a removed grant will not go out. */
export const failQueuedLinks = (db: Db, accessId: string, reason: string) =>
  db
    .updateTable('outbox')
    .set({ state: 'failed', last_error: reason, secret_sealed: null })
    .where('access_id', '=', accessId)
    .where('state', '=', 'queued')
    .returning(['id', 'channel', 'recipient'])
    .execute();

// Customer sessions ------------------------------------------------------------------------------

export const insertCustomerSession = (db: Db, row: CustomerSessionsTable) =>
  db.insertInto('customer_sessions').values(row).execute();

export const deleteCustomerSession = (db: Db, id: string) =>
  db.deleteFrom('customer_sessions').where('id', '=', id).execute();

export const deleteSessionsOfAccess = (db: Db, accessId: string) =>
  db.deleteFrom('customer_sessions').where('access_id', '=', accessId).execute();

/** Ends the sessions of a grant that have not passed the SMS code (they could guess again). */
export const deleteUnverifiedSessionsOfAccess = (db: Db, accessId: string) =>
  db
    .deleteFrom('customer_sessions')
    .where('access_id', '=', accessId)
    .where('code_verified', '=', 0)
    .where('identified_by', 'is', null)
    .execute();

export const touchCustomerSession = (db: Db, id: string, at: string) =>
  db.updateTable('customer_sessions').set({ last_seen_at: at }).where('id', '=', id).execute();

/** A session with its grant, case and person: everything a customer request is checked against. */
/** Every customer request reads its session: the query is compiled once (db/database.ts). */
const customerSessionQuery = preparedQuery(1, (db: Db, id: string) =>
  db
    .selectFrom('customer_sessions as s')
    .innerJoin('customer_access as a', 'a.id', 's.access_id')
    .innerJoin('cases as c', 'c.id', 's.case_id')
    .innerJoin('case_contacts as p', 'p.id', 'a.contact_id')
    .innerJoin('companies as co', 'co.id', 's.company_id')
    // The company's customer-page settings come with the session (none stored: the defaults).
    .leftJoin('customer_page_settings as cps', 'cps.company_id', 's.company_id')
    .select([
      's.id',
      's.access_id',
      's.company_id',
      's.case_id',
      's.created_at',
      's.last_seen_at',
      's.expires_at',
      's.code_verified',
      's.identified_by',
      's.verified_name',
      's.verified_birth_date',
      's.bankid_problem',
      'a.state as access_state',
      'a.code_locked_at',
      'a.contact_id',
      'a.last_used_at',
      'c.claim_number',
      'c.status',
      'c.created_at as case_created_at',
      'c.main_inspection_assigned_at',
      'c.positive_decision_at',
      'c.closed_at',
      // The stamps a stored customer page must carry (customer-page/read-model.ts), read before it.
      'c.version as case_version',
      'co.page_version as company_page_version',
      'p.name as contact_name',
      'p.phone as contact_phone',
      'co.name as company_name',
      'cps.settings as page_settings',
    ])
    .where('s.id', '=', id),
);

export const findCustomerSession = async (db: Db, id: string) => (await customerSessionQuery(db, id))[0];

export const deleteExpiredCustomerSessions = (db: Db, now: string, idleBefore: string) =>
  db
    .deleteFrom('customer_sessions')
    .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<=', idleBefore)]))
    .execute();

// SMS codes --------------------------------------------------------------------------------------

export const insertSmsCode = (db: Db, row: SmsCodesTable) => db.insertInto('sms_codes').values(row).execute();

/** Codes sent to an access since `since` (resend limits). */
export const listCodesSince = (db: Db, accessId: string, since: string) =>
  db
    .selectFrom('sms_codes')
    .select(['id', 'created_at'])
    .where('access_id', '=', accessId)
    .where('created_at', '>', since)
    .orderBy('created_at')
    .execute();

/** The newest code of an access that is neither used nor dead (it may have expired). */
export const findLiveCode = (db: Db, accessId: string) =>
  db
    .selectFrom('sms_codes')
    .selectAll()
    .where('access_id', '=', accessId)
    .where('used_at', 'is', null)
    .where('dead', '=', 0)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();

export const killLiveCodes = (db: Db, accessId: string) =>
  db
    .updateTable('sms_codes')
    .set({ dead: 1 })
    .where('access_id', '=', accessId)
    .where('used_at', 'is', null)
    .where('dead', '=', 0)
    .execute();

/** Forgets a grant's codes (a new link starts its code limits afresh). */
export const deleteCodesOfAccess = (db: Db, accessId: string) =>
  db.deleteFrom('sms_codes').where('access_id', '=', accessId).execute();

export const deleteOldCodes = (db: Db, before: string) =>
  db.deleteFrom('sms_codes').where('created_at', '<', before).execute();

/**
 * Takes the grant row's write lock for the rest of the transaction (a no-op update: a row lock on
 * PostgreSQL, the database write lock on SQLite), so code sends of one grant run one at a time.
 */
export const lockAccessRow = (db: Db, accessId: string) =>
  db
    .updateTable('customer_access')
    .set((eb) => ({ link_version: eb.ref('link_version') }))
    .where('id', '=', accessId)
    .execute();

/**
 * Counts one try against a live code in one statement, unless it already had `maxTries`: returns the
 * tries counted so far, or nothing when the code is used, dead or out of tries.
 */
export const takeCodeTry = (db: Db, codeId: string, maxTries: number) =>
  db
    .updateTable('sms_codes')
    .set((eb) => ({ wrong_attempts: eb('wrong_attempts', '+', 1) }))
    .where('id', '=', codeId)
    .where('dead', '=', 0)
    .where('used_at', 'is', null)
    .where('wrong_attempts', '<', maxTries)
    .returning('wrong_attempts')
    .executeTakeFirst();

/**
 * Counts one wrong-code try against an active, unlocked grant in one statement, unless it already
 * had `maxTries`: returns the tries counted so far, or nothing when the grant is locked or full.
 */
export const takeGrantCodeTry = (db: Db, accessId: string, maxTries: number) =>
  db
    .updateTable('customer_access')
    .set((eb) => ({ wrong_codes: eb('wrong_codes', '+', 1) }))
    .where('id', '=', accessId)
    .where('state', '=', 'active')
    .where('code_locked_at', 'is', null)
    .where('wrong_codes', '<', maxTries)
    .returning('wrong_codes')
    .executeTakeFirst();

/** A right code: the grant's wrong codes start from zero again. */
export const clearGrantCodeTries = (db: Db, accessId: string) =>
  db.updateTable('customer_access').set({ wrong_codes: 0 }).where('id', '=', accessId).execute();

/** Locks the grant's code checks (the first lock's time stays). */
export const lockGrantCodes = (db: Db, accessId: string, at: string) =>
  db
    .updateTable('customer_access')
    .set({ code_locked_at: at })
    .where('id', '=', accessId)
    .where('code_locked_at', 'is', null)
    .execute();

/** When the grant's code checks were locked, or null. */
export const findGrantCodeLock = async (db: Db, accessId: string) =>
  (
    await db
      .selectFrom('customer_access')
      .select('code_locked_at')
      .where('id', '=', accessId)
      .executeTakeFirst()
  )?.code_locked_at ?? null;

/**
 * Gives a grant a new link token (the links sent before stop working) and clears its code lock and
 * count; returns the new link version, or nothing when the grant is not active.
 */
export const reissueAccessToken = (db: Db, accessId: string, tokenHash: string) =>
  db
    .updateTable('customer_access')
    .set({
      token_hash: tokenHash,
      link_version: sql<number>`link_version + 1`,
      wrong_codes: 0,
      code_locked_at: null,
    })
    .where('id', '=', accessId)
    .where('state', '=', 'active')
    .returning(['id', 'link_version'])
    .executeTakeFirst();
