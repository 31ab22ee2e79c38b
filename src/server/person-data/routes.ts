import { errorBody } from '../../common/contracts/api.ts';
import {
  erasePersonBody,
  erasePersonView,
  personOfCaseParams,
} from '../../common/contracts/person-data-api.ts';
import { actorOf } from '../http/authenticate.ts';
import { downloadHeaders } from '../http/download-headers.ts';
import type { App } from '../http/types.ts';
import { createFileStorage } from '../storage/file-storage.ts';
import { attachmentDisposition } from '../documents/content-disposition.ts';
import { personExportZip } from './export-zip.ts';
import { erasePerson, exportPerson, type PersonDataDeps } from './person-data.ts';

const tags = ['people'];

/** As every download (http/download-headers.ts), as a zip. */
const zipDownloadHeaders = { ...downloadHeaders, 'content-type': 'application/zip' };

/** Export and erasure of one person's data from a case (issue 19, item 6), level 6. */
export async function personDataRoutes(app: App): Promise<void> {
  const deps: PersonDataDeps = { db: app.db, storage: createFileStorage(app.config), log: app.log };

  app.get(
    '/cases/:id/people/:contactId/export',
    {
      schema: {
        tags,
        summary:
          'Everything the case holds about one person, as a zip streamed as an attachment: person.json (their ' +
          'details, access, sessions, codes, messages, messages sent to them, answers, calls, log entries; ISO ' +
          'dates) and the files they uploaded. Level 6; recorded in the audit trail (person.exported). 409 ' +
          'person_erased after an erasure',
        params: personOfCaseParams,
      },
    },
    async (request, reply) => {
      const data = await exportPerson(app.db, actorOf(request), request.params.id, request.params.contactId);
      return reply
        .headers(zipDownloadHeaders)
        .header('content-disposition', attachmentDisposition(data.fileName))
        .send(personExportZip(deps.storage, data, app.log));
    },
  );

  app.post(
    '/cases/:id/people/:contactId/erase',
    {
      schema: {
        tags,
        summary:
          'Erase one person’s data from the case: {confirm: true}. In one change of the case their access and ' +
          'sessions end, their messages lose text and author, their files are deleted, messages to them are ' +
          'cleared (queued ones cancelled) and their name, e-mail and phone are replaced everywhere on the case; ' +
          'the answer and the log entry carry counts only. Level 6; audited (person.erased). 409 person_erased ' +
          'when already erased',
        params: personOfCaseParams,
        body: erasePersonBody,
        response: { 200: erasePersonView, 400: errorBody, 403: errorBody, 404: errorBody, 409: errorBody },
      },
    },
    async (request) => erasePerson(deps, actorOf(request), request.params.id, request.params.contactId),
  );
}
