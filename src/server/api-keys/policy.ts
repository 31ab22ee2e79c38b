import { isCompanyAdmin } from '../auth/actor.ts';

/** API keys act with company rights, so only the company admin handles them. */
export const apiKeyPolicy = {
  manage: isCompanyAdmin,
};
