import multipart from '@fastify/multipart';
import { z } from 'zod';
import { singleLine } from '../../common/string-input.ts';
import { createFileStorage } from '../documents/storage.ts';
import { notFound } from '../errors.ts';
import { actorOf } from '../http/authenticate.ts';
import type { App } from '../http/types.ts';
import { uploadCompanyLogo } from './company-logo.ts';
import { logoMultipartOptions, readLogoFile, type LogoDeps } from './logos.ts';

/** Logos never change under their URL (content-hash keys): cache them for a year. */
const logoHeaders = {
  'cache-control': 'public, max-age=31536000, immutable',
  'x-content-type-options': 'nosniff',
  'content-type': 'image/png',
};

/**
 * The company's logo upload (level 6) and the public logo files (`/logos/<sha256>-<40|80>.png`,
 * served only while they are a current logo). Multipart is registered in this scope only.
 */
export async function companyLogoRoutes(app: App): Promise<void> {
  await app.register(multipart, logoMultipartOptions);
  const deps: LogoDeps = { db: app.db, storage: createFileStorage(app.config), log: app.log };

  app.post(
    '/api/company/logo',
    {
      schema: {
        tags: ['company'],
        summary:
          'Upload the company logo (level 6; multipart: file). PNG or JPEG of at most 2 MB, sniffed from the ' +
          'bytes, extension matching (else 415; SVG is refused); stored scaled to 40 px and 80 px height',
        consumes: ['multipart/form-data'],
        response: { 200: z.object({ logoUrl: z.string(), logoUrl2x: z.string() }) },
      },
    },
    async (request) =>
      uploadCompanyLogo(deps, actorOf(request), [request.isMultipart(), () => request.parts()]),
  );

  app.get(
    '/logos/:file',
    {
      config: { public: true },
      schema: {
        tags: ['company'],
        summary: 'A logo rendition (PNG), cached for a year; 404 unless it is a current logo',
        params: z.object({ file: singleLine().max(100) }),
      },
    },
    async (request, reply) => {
      const bytes = await readLogoFile(deps, request.params.file);
      if (!bytes) throw notFound('No such logo.');
      return reply.headers(logoHeaders).header('content-length', bytes.length).send(bytes);
    },
  );
}
