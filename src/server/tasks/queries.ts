import type { Db } from '../db/database.ts';
import type { TasksTable } from '../db/schema.ts';

export const findTask = (db: Db, id: string) =>
  db.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirst();

export const findMainInspectionOfCase = (db: Db, caseId: string) =>
  db
    .selectFrom('tasks')
    .selectAll()
    .where('case_id', '=', caseId)
    .where('kind', '=', 'main_inspection')
    .executeTakeFirst();

export const updateTaskRow = (db: Db, id: string, values: Partial<TasksTable>) =>
  db.updateTable('tasks').set(values).where('id', '=', id).execute();
