import { isCompanyAdmin, type Rule } from '../security/actor.ts';

/** The audit trail is the company administrator's (level 6), as the changes it records are. */
export const auditPolicy = {
  read: isCompanyAdmin,
} satisfies Record<string, Rule>;
