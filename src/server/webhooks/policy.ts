import { isCompanyAdmin } from '../security/actor.ts';

/** Webhooks send the company's case events to other systems, so only the company admin handles them. */
export const webhookPolicy = {
  manage: isCompanyAdmin,
};
