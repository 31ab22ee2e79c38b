import { loadConfig } from '../config.ts';
import { createDb } from './database.ts';
import { migrateDown, migrateToLatest } from './migrate.ts';

// `npm run migrate` applies pending migrations; `npm run migrate -- down` reverts the newest one.
const direction = process.argv[2] ?? 'latest';
if (direction !== 'latest' && direction !== 'down') {
  console.error(`Unknown direction "${direction}": use "latest" (default) or "down".`);
  process.exit(2);
}
const config = loadConfig();
const db = createDb(config.database);
try {
  const ran = direction === 'down' ? await migrateDown(db) : await migrateToLatest(db);
  console.log(ran.length ? ran.join('\n') : 'Nothing to migrate.');
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await db.destroy();
}
