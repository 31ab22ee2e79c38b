import { sql } from 'kysely';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import { createFileStorage } from '../storage/file-storage.ts';
import type { App } from './types.ts';

/**
 * Liveness and readiness probes for operators (integration contract §1): ready when the database
 * answers and files can be stored (the folder is writable, the bucket answers).
 */
export async function healthRoutes(app: App): Promise<void> {
  const status = z.object({ status: z.literal('ok') });
  app.get('/healthz', { schema: { tags: ['health'], response: { 200: status } } }, async () => ({
    status: 'ok' as const,
  }));
  app.get('/readyz', { schema: { tags: ['health'], response: { 200: status } } }, async (request) => {
    try {
      await sql`select 1`.execute(app.db);
    } catch (error) {
      request.log.error({ err: error }, 'database not answering');
      throw new AppError('not_ready', 'The database does not answer.');
    }
    try {
      await createFileStorage(app.config).checkReady();
    } catch (error) {
      request.log.error({ err: error }, 'file storage not answering');
      throw new AppError('not_ready', 'The file storage does not answer.');
    }
    return { status: 'ok' as const };
  });
}
