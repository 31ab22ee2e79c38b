import { errorBody } from '../../common/contracts/api.ts';
import { auditLogQuery, auditLogView } from '../../common/contracts/audit-api.ts';
import { actorOf } from '../http/authenticate.ts';
import type { App } from '../http/types.ts';
import { listAudit } from './list-audit.ts';

/** The company's audit trail (level 6). */
export async function auditRoutes(app: App): Promise<void> {
  app.get(
    '/audit-log',
    {
      schema: {
        tags: ['audit'],
        summary:
          'The company’s audit trail, newest first, in pages: admin changes (users, levels, API keys, settings, ' +
          'sign-in and webhook configuration), document downloads by staff, exports, erasures and retention runs. Level 6',
        querystring: auditLogQuery,
        response: { 200: auditLogView, 400: errorBody, 403: errorBody },
      },
    },
    async (request) => listAudit(app.db, actorOf(request), request.query),
  );
}
