import { isCompanyAdmin, type Rule } from '../security/actor.ts';

/**
 * Who may export or erase one person's data from a case (issue 19, item 6): the company admin,
 * level 6 — an export hands over everything about a person, an erasure cannot be undone.
 * auth/abilities.ts sends the same rule to the staff app (`managePersonData`).
 */
export const personDataPolicy = {
  export: isCompanyAdmin,
  erase: isCompanyAdmin,
} satisfies Record<string, Rule>;
