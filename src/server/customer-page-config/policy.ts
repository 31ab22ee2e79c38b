import { isCompanyAdmin } from '../security/actor.ts';

/** Level 6 alone opens or changes the customer-page configuration (spec §3), API keys included. */
export const customerPagePolicy = {
  configure: isCompanyAdmin,
};
