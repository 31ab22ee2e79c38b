import { anyStaff, isCompanyAdmin } from '../security/actor.ts';

/** Who may do what with the company itself. */
export const companyPolicy = {
  read: anyStaff,
  update: isCompanyAdmin,
};
