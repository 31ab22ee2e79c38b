import { anyStaff, isCompanyAdmin } from '../security/actor.ts';

/** Who may do what with partners, their offices and persons. */
export const partnerPolicy = {
  list: anyStaff,
  manage: isCompanyAdmin,
};
