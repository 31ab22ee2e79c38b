import { randomBytes } from 'node:crypto';
import { createApiKey } from '../../src/server/api-keys/api-keys.ts';
import { createCase } from '../../src/server/cases/cases.ts';
import { createCompany } from '../../src/server/companies/companies.ts';
import { noQuietHours } from '../../src/common/rules/quiet-hours.ts';
import type { Db } from '../../src/server/db/database.ts';
import { createOffice, createPartner, createPerson } from '../../src/server/partners/partners.ts';
import { createUser } from '../../src/server/users/users.ts';
import type { AuthorizationLevel, PortalType } from '../../src/common/rules/enums.ts';
import type { CreateCaseInput } from '../../src/common/contracts/case-schemas.ts';
import type { Actor } from '../../src/server/security/actor.ts';
import type { App } from '../../src/server/http/types.ts';
import { TEST_ORIGIN } from './test-app.ts';

// Factories create their own tenant when none is given, so tests never clean tables and never
// depend on each other's rows.

const unique = () => randomBytes(5).toString('hex');

export async function makeCompany(db: Db, portalType: PortalType = 'insurance') {
  // No quiet hours: notices must reach the sink whatever the wall clock (quiet-hours.http.test.ts sets its own).
  const { id } = await createCompany(
    db,
    { name: `Test Forsikring ${unique()}`, portalType },
    { quietHours: noQuietHours },
  );
  return { id };
}

export async function makeUser(db: Db, options: { companyId?: string; level?: number } = {}) {
  const companyId = options.companyId ?? (await makeCompany(db)).id;
  const email = `user-${unique()}@example.test`;
  const password = `pw-${unique()}-secret`;
  const { id } = await createUser(db, companyId, {
    name: `Test User ${unique()}`,
    email,
    password,
    level: options.level ?? 1,
  });
  return { id, companyId, email, password };
}

export async function makePartnerWithOffice(db: Db, companyId: string) {
  const partner = await createPartner(db, companyId, { name: `Partner ${unique()}` });
  const office = await createOffice(db, companyId, partner.id, {
    name: `Office ${unique()}`,
    phone: '+4722000000',
  });
  const person = await createPerson(db, companyId, office.id, { name: `Person ${unique()}` });
  return { partnerId: partner.id, officeId: office.id, personId: person.id };
}

export async function makeApiKey(db: Db, companyId: string, level = 6) {
  return createApiKey(db, companyId, { name: `key ${unique()}`, level });
}

/** Headers of a browser request from our own origin with the given session cookie. */
export const browserHeaders = (cookie: string) => ({ cookie, origin: TEST_ORIGIN });

/** Signs in through the API and returns the Cookie header value of the session. */
export async function signIn(app: App, user: { email: string; password: string }): Promise<string> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    headers: { origin: TEST_ORIGIN },
    payload: { email: user.email, password: user.password },
  });
  if (response.statusCode !== 200) throw new Error(`sign-in failed: ${response.statusCode} ${response.body}`);
  const cookie = response.cookies[0];
  if (!cookie) throw new Error('sign-in set no cookie');
  return `${cookie.name}=${cookie.value}`;
}

/** A signed-in user of a new company (or of `companyId`) at `level`, with its cookie. */
export async function signedInUser(app: App, db: Db, options: { companyId?: string; level?: number } = {}) {
  const user = await makeUser(db, options);
  return { ...user, cookie: await signIn(app, user) };
}

/** A case in the actor's company through the real service (customer with e-mail and phone). */
export async function makeCase(db: Db, actor: Actor, overrides: Partial<CreateCaseInput> = {}) {
  return createCase(db, actor, {
    claimNumber: `SK-${unique()}`,
    address: { street: 'Tollbugata 22', postalCode: '0152', city: 'Oslo' },
    customer: { name: 'Ola Nordmann', email: `ola-${unique()}@example.test`, phone: '+4791234567' },
    ...overrides,
  });
}

/** A staff actor (as the services take it) for a new user of `companyId` at `level`. */
export async function makeActor(
  db: Db,
  options: { companyId?: string; level?: number } = {},
): Promise<Actor & { kind: 'staff' }> {
  const user = await makeUser(db, options);
  return {
    kind: 'staff',
    userId: user.id,
    companyId: user.companyId,
    level: (options.level ?? 1) as AuthorizationLevel,
    sessionId: 'test',
  };
}

/** An ISO 8601 UTC instant as the API returns times. */
export const ISO_INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

/** The Authorization header of an API key. */
export const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

/** Memoises an expensive fixture (argon2 sign-in) for a describe block or file, created on first use. */
export function shared<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => (made ??= make());
}

/** The service-level actor of a staff user at `level`. */
export const staffActor = (user: { id: string; companyId: string }, level: number): Actor => ({
  kind: 'staff',
  userId: user.id,
  companyId: user.companyId,
  level: level as AuthorizationLevel,
  sessionId: 'test',
});
