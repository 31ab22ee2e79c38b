import { anyStaff, isCompanyAdmin } from '../security/actor.ts';

/** Who may do what with staff users. Everyone sees colleagues (case handler pick lists). */
export const userPolicy = {
  list: anyStaff,
  create: isCompanyAdmin,
  update: isCompanyAdmin,
};
