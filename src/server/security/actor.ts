import type { AuthorizationLevel } from '../../common/rules/enums.ts';
import { COMPANY_ADMIN_LEVEL } from '../../common/rules/enums.ts';
import { AppError, notFound } from '../errors.ts';

/** Who is making a request: a signed-in staff user, or an integration using an API key. */
export type Actor =
  | { kind: 'staff'; userId: string; companyId: string; level: AuthorizationLevel; sessionId: string }
  | { kind: 'api_key'; apiKeyId: string; companyId: string; level: AuthorizationLevel };

/** A rule of a policy: may this actor do the action? Each entity's policy.ts is a set of these. */
export type Rule = (actor: Actor) => boolean;

/** Any signed-in staff member or API key of the company. */
export const anyStaff: Rule = () => true;

/** Level 6 alone administers the company (spec §3). */
export const isCompanyAdmin: Rule = (actor) => actor.level >= COMPANY_ADMIN_LEVEL;

/** Level 4 and up reads the company's results side by side: satisfaction per handler (Decision). */
export const isManager: Rule = (actor) => actor.level >= 4;

/** Refuses with 403 unless the rule allows the actor. */
export function authorize(actor: Actor, rule: Rule): void {
  if (!rule(actor)) throw new AppError('forbidden');
}

/**
 * Refuses with 404 when a row belongs to another company (or does not exist): existence of another
 * tenant's objects never leaks.
 */
export function requireSameCompany<T extends { company_id: string }>(actor: Actor, row: T | undefined): T {
  if (!row || row.company_id !== actor.companyId) throw notFound();
  return row;
}
