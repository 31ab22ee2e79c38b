import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { emptyBodySchema } from '../../common/contracts/case-schemas.ts';
import {
  MAX_FILE_BYTES,
  documentIdsSchema,
  documentListView,
  documentPageView,
  documentOfCaseParams,
  documentView,
  listDocumentsQuery,
} from '../../common/contracts/document-api.ts';
import { idSchema } from '../../common/contracts/schemas.ts';
import { AppError } from '../errors.ts';
import { actorOf } from '../http/authenticate.ts';
import { downloadHeaders } from '../http/download-headers.ts';
import type { App } from '../http/types.ts';
import { attachmentDisposition } from './content-disposition.ts';
import {
  deleteDocument,
  listDocuments,
  markDocumentSeen,
  openDownload,
  openStaffPreview,
  setDocumentsShared,
  uploadCaseDocument,
  uploadTaskMedia,
} from './documents.ts';
import { recoverStagedUploads, type DocumentDeps } from './intake.ts';
import { previewHeaders } from './previews.ts';
import { createFileStorage } from '../storage/file-storage.ts';

const params = z.object({ id: idSchema });
const tags = ['documents'];

/**
 * The case document library: upload (case documents, task media), list, download, seen, share,
 * delete.
 * Limits and accepted types: see documents.ts. @fastify/multipart is registered in this plugin's
 * scope only; its own limits back ours up (one file, a few short fields).
 */
export async function documentRoutes(app: App): Promise<void> {
  await app.register(multipart, {
    throwFileSizeLimit: false, // we check `truncated` and answer 413 ourselves
    limits: {
      fileSize: MAX_FILE_BYTES,
      files: 1,
      fields: 5,
      fieldSize: 1024,
      fieldNameSize: 100,
      parts: 8,
      headerPairs: 20,
    },
  });
  const storage = createFileStorage(app.config);
  const deps: DocumentDeps = { db: app.db, storage, log: app.log };
  // Uploads a crash interrupted: committed ones are moved onto their keys, abandoned ones removed.
  await recoverStagedUploads(deps).then(
    (done) => (done.moved || done.removed) && app.log.info(done, 'documents: staged uploads recovered'),
    (error: unknown) => app.log.error({ err: error }, 'documents: recovery of staged uploads failed'),
  );

  const partsOf = (request: FastifyRequest, fields: string) => {
    if (!request.isMultipart()) {
      throw new AppError('unsupported_media_type', `Send the upload as multipart/form-data with ${fields}.`);
    }
    return request.parts();
  };

  app.post(
    '/cases/:id/documents',
    {
      schema: {
        tags,
        summary:
          'Upload a document (multipart: file; kind = inspection_report | customer_settlement_report | other; ' +
          'optional partnerOfficeId for an upload on behalf of a partner office). At most 25 MB per file and ' +
          '500 MB per case (413); PDF, JPEG, PNG, HEIC/HEIF, WebP, GIF, DOCX, XLSX, ODT, MP4, MOV or UTF-8 .txt, ' +
          'sniffed from the bytes, extension matching (415)',
        consumes: ['multipart/form-data'],
        params,
        response: { 201: documentView },
      },
    },
    async (request, reply) => {
      const parts = partsOf(request, 'the fields "file" and "kind"');
      const view = await uploadCaseDocument(deps, actorOf(request), request.params.id, parts);
      return reply.status(201).send(view);
    },
  );

  app.post(
    '/tasks/:id/media',
    {
      schema: {
        tags,
        summary:
          'Upload a photo, video or PDF to a task (multipart: file). JPEG, PNG, HEIC/HEIF, WebP, GIF, MP4, MOV, PDF; ' +
          'at most 25 MB per file and 500 MB per case',
        consumes: ['multipart/form-data'],
        params,
        response: { 201: documentView },
      },
    },
    async (request, reply) => {
      const parts = partsOf(request, 'the field "file"');
      const view = await uploadTaskMedia(deps, actorOf(request), request.params.id, parts);
      return reply.status(201).send(view);
    },
  );

  app.get(
    '/cases/:id/documents',
    {
      schema: {
        tags,
        summary:
          'Documents and task media of a case, newest first, in pages; taskId narrows it to one task. ' +
          'customerSharing says whether and why the customer sees each (by hand, by the report rule at its ' +
          'milestone, withheld …)',
        params,
        querystring: listDocumentsQuery,
        response: { 200: documentPageView },
      },
    },
    async (request) => listDocuments(app.db, actorOf(request), request.params.id, request.query),
  );

  app.get(
    '/documents/:id/download',
    {
      schema: {
        tags,
        summary:
          'The bytes of a document, as an attachment (RFC 6266 file name, nosniff, sandboxing CSP, not cached)',
        params,
      },
    },
    async (request, reply) => {
      const { document, stream } = await openDownload(deps, actorOf(request), request.params.id);
      return reply
        .headers(downloadHeaders)
        .header('content-type', document.contentType)
        .header('content-length', document.sizeBytes)
        .header('content-disposition', attachmentDisposition(document.fileName))
        .send(stream);
    },
  );

  for (const kind of ['thumbnail', 'display'] as const) {
    app.get(
      `/documents/:id/${kind}`,
      {
        schema: {
          tags,
          summary:
            kind === 'thumbnail'
              ? 'A thumbnail of an image document (WebP, 320 px wide, orientation applied, no metadata); ' +
                '404 when the document has none (not an image, or one that cannot be decoded)'
              : 'The display image of an image document for the viewer (JPEG, at most 1600 px; a HEIC photo ' +
                'converted, its original still downloads unchanged); 404 when the document has none',
          params,
        },
      },
      async (request, reply) => {
        const stream = await openStaffPreview(deps, actorOf(request), request.params.id, kind);
        return reply.headers(previewHeaders(kind)).send(stream);
      },
    );
  }

  app.post(
    '/documents/:id/seen',
    {
      schema: {
        tags,
        summary: "Mark a partner's or customer's upload as seen",
        params,
        body: emptyBodySchema,
        response: { 200: documentView },
      },
    },
    async (request) => markDocumentSeen(app.db, actorOf(request), request.params.id),
  );

  for (const action of ['share', 'unshare'] as const) {
    app.post(
      `/cases/:id/documents/${action}`,
      {
        schema: {
          tags,
          summary:
            action === 'share'
              ? 'Share documents of the case with the customer (a withheld report is released)'
              : 'Stop sharing documents of the case with the customer: shared by hand or by the report rule ' +
                '(the report a milestone rule shares is withheld from it, also before its milestone)',
          params,
          body: documentIdsSchema,
          response: { 200: documentListView },
        },
      },
      // The command tells open customer pages of the case after its commit.
      async (request) =>
        setDocumentsShared(app.db, actorOf(request), request.params.id, request.body, action === 'share'),
    );
  }

  // Registered last: the security suite's "lowest level goes through" pass deletes the shared
  // document of its fixture, and the routes above still need it.
  app.delete(
    '/cases/:id/documents/:documentId',
    {
      schema: {
        tags,
        summary:
          'Delete a document of the case (level 2+; level 1 only their own upload while not shared). It leaves ' +
          'the library and the customer page at once, its stored file is removed; 404 when it is not (or no ' +
          'longer) a document of this case',
        params: documentOfCaseParams,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await deleteDocument(deps, actorOf(request), request.params.id, request.params.documentId);
      return reply.status(204).send(null);
    },
  );
}
