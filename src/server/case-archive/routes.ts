import { errorBody } from '../../common/contracts/api.ts';
import { caseArchiveQuery, caseArchiveView } from '../../common/contracts/case-archive-api.ts';
import { requireCustomerCase } from '../customer-access/customer-auth.ts';
import { attachmentDisposition } from '../documents/content-disposition.ts';
import { downloadHeaders } from '../http/download-headers.ts';
import type { App } from '../http/types.ts';
import { createFileStorage } from '../storage/file-storage.ts';
import { caseArchiveState, openCaseArchive } from './case-archive.ts';

const tags = ['customer'];

/** Customer: whether the case archive can be downloaded, and the download itself (a streamed zip). */
export async function customerCaseArchiveRoutes(app: App): Promise<void> {
  const storage = createFileStorage(app.config);

  app.get(
    '/archive',
    {
      schema: {
        tags,
        summary:
          'Whether the case archive can be downloaded (available once the case is closed) and the last day the customer page is open. 403 when the page is not available',
        response: { 200: caseArchiveView, 401: errorBody, 403: errorBody },
      },
    },
    async (request) => {
      const { session } = await requireCustomerCase(app, request);
      return caseArchiveState(app.db, session);
    },
  );

  app.get(
    '/archive/download',
    {
      schema: {
        tags,
        summary:
          'The case archive as a zip, streamed: every document the page shows this person, the message thread (HTML) and a summary of the case (HTML), in nb or en. 409 archive_not_available while the case is open; 403 when the page is not available',
        querystring: caseArchiveQuery,
      },
    },
    async (request, reply) => {
      const { session } = await requireCustomerCase(app, request);
      const archive = await openCaseArchive(
        { db: app.db, storage, log: request.log },
        session,
        request.query.lang,
      );
      return reply
        .headers(downloadHeaders)
        .header('content-type', 'application/zip')
        .header('content-disposition', attachmentDisposition(archive.fileName))
        .send(archive.stream);
    },
  );
}
