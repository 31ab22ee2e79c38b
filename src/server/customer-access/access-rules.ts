import type { DeliveryChannel } from '../../common/contracts/customer-access-api.ts';
import type { AccessFor } from '../../common/rules/customer-page-settings.ts';
import type { CaseVisibilityState } from '../../common/rules/visibility.ts';
import type { CaseContactsTable, CasesTable } from '../db/schema.ts';

/**
 * The rules of customer access that both sides read: a case row's visibility facts (for the shared
 * visibility rules), who `accessFor` gives access, and the channels a person can be reached by.
 * Pure functions, no presenter: the customer-facing files build on them (grants in
 * customer-access.ts, sessions, the customer page, messages).
 */

/** The visibility facts of a case row. */
export function visibilityStateOf(row: {
  status: CasesTable['status'];
  created_at: string;
  main_inspection_assigned_at: string | null;
  positive_decision_at: string | null;
  closed_at: string | null;
}): CaseVisibilityState {
  return {
    status: row.status,
    createdAt: row.created_at,
    mainInspectionAssignedAt: row.main_inspection_assigned_at,
    positiveDecisionAt: row.positive_decision_at,
    closedAt: row.closed_at,
  };
}

/** Whether `accessFor` gives a person of this role access. */
export function eligibleFor(accessFor: AccessFor, role: CaseContactsTable['role']): boolean {
  switch (accessFor) {
    case 'customer':
      return role === 'customer';
    case 'contact_person':
      return role === 'contact_person';
    case 'both':
      return role === 'customer' || role === 'contact_person';
    case 'all_contacts':
      return true;
  }
}

/** The channels a link reaches a person by. */
export function channelsOf(contact: Pick<CaseContactsTable, 'email' | 'phone'>): DeliveryChannel[] {
  return [...(contact.email ? (['email'] as const) : []), ...(contact.phone ? (['sms'] as const) : [])];
}
