import type { Abilities } from '../../common/contracts/api.ts';
import { apiKeyPolicy } from '../api-keys/policy.ts';
import { companyPolicy } from '../companies/policy.ts';
import { partnerPolicy } from '../partners/policy.ts';
import { userPolicy } from '../users/policy.ts';
import { isCompanyAdmin, isManager, type Actor } from '../security/actor.ts';

/**
 * What the actor may do, from the same policies the server enforces; sent to the web app so it
 * shows only what the server would allow.
 */
export function abilitiesOf(actor: Actor): Abilities {
  return {
    manageCompany: companyPolicy.update(actor),
    manageUsers: userPolicy.create(actor),
    manageApiKeys: apiKeyPolicy.manage(actor),
    managePartners: partnerPolicy.manage(actor),
    configureCustomerPage: isCompanyAdmin(actor),
    // The rule of webhooks/policy.ts (a layer above this one, so it is not imported): the company admin.
    manageWebhooks: isCompanyAdmin(actor),
    // satisfaction/policy.ts's rule (a layer above this one), written once in security/actor.ts.
    viewSatisfaction: isManager(actor),
    // person-data/policy.ts's rule (a layer above this one): the company admin, level 6.
    managePersonData: isCompanyAdmin(actor),
  };
}
