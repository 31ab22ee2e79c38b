import { anyStaff, type Actor, type Rule } from '../security/actor.ts';

const atLeast =
  (level: number): Rule =>
  (actor: Actor) =>
    actor.level >= level;

/**
 * Who may do what with cost control and the customer settlement (issue 20): any staff member reads;
 * saving a draft and making a new version need level 2 (as the budget); approving needs level 4
 * (as an invoice).
 */
export const settlementPolicy = {
  read: anyStaff,
  save: atLeast(2),
  approve: atLeast(4),
};
