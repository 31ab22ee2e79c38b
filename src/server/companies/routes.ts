import { companyView } from '../../common/contracts/api.ts';
import { updateCompanySchema } from '../../common/contracts/schemas.ts';
import { actorOf } from '../http/authenticate.ts';
import type { App } from '../http/types.ts';
import { getOwnCompany, presentCompany, updateOwnCompany } from './companies.ts';

/** The actor's own company (Company → Overview). */
export async function companyRoutes(app: App): Promise<void> {
  app.get(
    '/company',
    { schema: { tags: ['company'], summary: 'Your company', response: { 200: companyView } } },
    async (request) => presentCompany(await getOwnCompany(app.db, actorOf(request))),
  );
  app.patch(
    '/company',
    {
      schema: {
        tags: ['company'],
        summary: 'Change your company (level 6)',
        body: updateCompanySchema,
        response: { 200: companyView },
      },
    },
    async (request) => presentCompany(await updateOwnCompany(app.db, actorOf(request), request.body)),
  );
  // The public logo files (the logo's upload: customer-page-config/company-logo.ts).
}
