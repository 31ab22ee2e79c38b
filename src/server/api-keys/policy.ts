import { isCompanyAdmin } from '../security/actor.ts';

/** API keys act with company rights, so only the company admin handles them. */
export const apiKeyPolicy = {
  manage: isCompanyAdmin,
};
