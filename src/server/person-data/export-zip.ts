import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { ZipArchive } from 'archiver';
import type { FileStorage } from '../storage/file-storage.ts';
import type { PersonExport } from './person-data.ts';

/**
 * The export as a zip, streamed: `person.json` first, then the person's files one at a time (each
 * opened only when the one before is written, so a large export holds one file open and never sits
 * in memory). A file missing from the storage is named in `missing-files.txt` instead of failing the
 * whole export; any other failure aborts the stream (the client sees a broken download, not a
 * complete-looking zip).
 */
export function personExportZip(
  storage: FileStorage,
  data: PersonExport,
  log?: { error: (details: object, message: string) => void },
): Readable {
  const zip = new ZipArchive({ zlib: { level: 6 } });
  const write = async () => {
    zip.append(`${JSON.stringify(data.json, null, 2)}\n`, { name: 'person.json' });
    await once(zip, 'entry');
    const missing: string[] = [];
    for (const file of data.files) {
      let source: Readable;
      try {
        source = await storage.get(file.storageKey);
      } catch {
        missing.push(file.pathInZip);
        continue;
      }
      zip.append(source, { name: file.pathInZip });
      await once(zip, 'entry');
    }
    if (missing.length) {
      zip.append(`Files no longer in the storage:\n${missing.join('\n')}\n`, { name: 'missing-files.txt' });
    }
    await zip.finalize();
  };
  write().catch((error: unknown) => {
    log?.error({ err: error }, 'person-data: the export zip failed');
    zip.destroy(error instanceof Error ? error : new Error(String(error)));
  });
  return zip;
}
