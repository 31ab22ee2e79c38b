import { isCompanyAdmin } from '../security/actor.ts';

/** Who may do what with the company's single sign-on. */
export const ssoPolicy = {
  /** Read and change the provider, the client and "SSO only": level 6 of the company. */
  configure: isCompanyAdmin,
};
