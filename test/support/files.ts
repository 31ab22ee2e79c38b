import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

/** Every file stored under DATA_DIR/files for a company, plus unfinished writes in the temp area. */
export function storedFiles(dataDir: string, companyId: string): string[] {
  const root = path.join(dataDir, 'files');
  const list = (dir: string): string[] =>
    existsSync(dir)
      ? readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
          entry.isDirectory() ? list(path.join(dir, entry.name)) : [path.join(dir, entry.name)],
        )
      : [];
  return [...list(path.join(root, companyId)), ...list(path.join(root, '.tmp'))];
}
