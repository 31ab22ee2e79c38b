import { requireSameCompany, type Actor } from '../security/actor.ts';
import type { Db } from '../db/database.ts';
import type { CasesTable } from '../db/schema.ts';
import { findCase } from './queries.ts';

/** The case row if it belongs to the actor's company; 404 otherwise (existence never leaks). */
export async function loadCase(db: Db, actor: Actor, caseId: string): Promise<CasesTable> {
  return requireSameCompany(actor, await findCase(db, caseId));
}
