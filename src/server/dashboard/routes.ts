import {
  dashboardCaseListView,
  dashboardCasesQuery,
  dashboardView,
} from '../../common/contracts/economy-api.ts';
import { actorOf } from '../http/authenticate.ts';
import type { App } from '../http/types.ts';
import { getDashboard, listDashboardCases } from './dashboard.ts';

const tags = ['dashboard'];

/** The staff dashboard (spec §11) and the case list behind each of its numbers. */
export async function dashboardRoutes(app: App): Promise<void> {
  app.get(
    '/dashboard',
    {
      schema: {
        tags,
        summary: 'Today / Tomorrow / Later: number of cases per row (reminders, quotes, uploads, invoices)',
        response: { 200: dashboardView },
      },
    },
    async (request) => getDashboard(app.db, actorOf(request)),
  );
  app.get(
    '/dashboard/cases',
    {
      schema: {
        tags,
        summary:
          'The cases behind one number of the dashboard, most urgent first, in pages (page, pageSize ≤ 100) with that number as total',
        querystring: dashboardCasesQuery,
        response: { 200: dashboardCaseListView },
      },
    },
    async (request) => listDashboardCases(app.db, actorOf(request), request.query),
  );
}
