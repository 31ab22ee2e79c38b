import { z } from 'zod';
import { singleLine } from '../../common/contracts/string-input.ts';
import { createFileStorage } from '../storage/file-storage.ts';
import { notFound } from '../errors.ts';
import type { App } from '../http/types.ts';
import { readLogoFile, type LogoDeps } from './logos.ts';

/** Logos never change under their URL (content-hash keys): cache them for a year. */
const logoHeaders = {
  'cache-control': 'public, max-age=31536000, immutable',
  'x-content-type-options': 'nosniff',
  'content-type': 'image/png',
};

/**
 * The public logo files (`/logos/<sha256>-<40|80>.png`, served only while they are a current logo).
 * The company logo's upload is customer-page-config/company-logo.ts (it writes that module's audit).
 */
export async function companyLogoRoutes(app: App): Promise<void> {
  const deps: LogoDeps = { db: app.db, storage: createFileStorage(app.config), log: app.log };

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
