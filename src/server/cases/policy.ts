import { anyStaff, type Actor, type Rule } from '../security/actor.ts';

const atLeast =
  (level: number): Rule =>
  (actor: Actor) =>
    actor.level >= level;

/**
 * Which authorization level may do what with cases (Decision; the guide only fixes level 6 for the
 * customer-page configuration). Level 1 is a case handler's daily work; deciding claims and the
 * budget need 2; cancelling and reopening need 3; approving invoices needs 4.
 */
export const casePolicy = {
  read: anyStaff,
  create: anyStaff,
  work: anyStaff, // people, contacts, inspection, tasks, calls, documents, reminders, quotes, hold, close
  decide: atLeast(2),
  budget: atLeast(2),
  cancel: atLeast(3),
  reopen: atLeast(3),
  approveInvoice: atLeast(4),
};
