import type { z } from 'zod';
import type { CaseView } from '../../common/contracts/case-api.ts';
import {
  assignMainInspectionSchema,
  createTaskSchema,
  updateTaskSchema,
  type UpdateTaskInput,
} from '../../common/contracts/case-schemas.ts';
import { authorize, requireSameCompany, type Actor } from '../security/actor.ts';
import { caseCommand, type CaseCommandContext } from '../case-commands/case-command.ts';
import { loadCase } from '../cases/access.ts';
import { getCase, invalidReference, newTaskRow } from '../cases/cases.ts';
import { casePolicy } from '../cases/policy.ts';
import { findOfficesByIds, findPersonsByIds, insertTask, updateCaseRow } from '../cases/queries.ts';
import type { Db } from '../db/database.ts';
import { nowIso } from '../db/database.ts';
import type { CasesTable, TasksTable } from '../db/schema.ts';
import { AppError, notFound } from '../errors.ts';
import { findMainInspectionOfCase, findTask, updateTaskRow } from './queries.ts';

/** A task of the actor's company and its case; 404 for anyone else's. */
async function loadTask(db: Db, actor: Actor, taskId: string): Promise<{ task: TasksTable }> {
  return { task: requireSameCompany(actor, await findTask(db, taskId)) };
}

/** An office of the company (400 naming the field otherwise). */
async function requireOffice(db: Db, companyId: string, officeId: string, field: string) {
  const [office] = await findOfficesByIds(db, companyId, [officeId]);
  if (!office) throw invalidReference(field, 'is not an office of your partners');
  return office;
}

/** A person working in the given office (400 naming the field otherwise). */
async function requirePersonOfOffice(
  db: Db,
  companyId: string,
  personId: string,
  officeId: string | null,
  field: string,
) {
  const [person] = await findPersonsByIds(db, companyId, [personId]);
  if (!person) throw invalidReference(field, 'is not a person of your partners');
  if (officeId && person.office_id !== officeId)
    throw invalidReference(field, 'does not work in the chosen office', 'not_in_office');
  return person;
}

/**
 * Assigns the main inspection to a partner office and optionally an inspector of that office. The
 * first assignment sets the case's main-inspection milestone, which never moves back; a change of
 * office or inspector writes its event again.
 */
export async function assignMainInspection(
  db: Db,
  actor: Actor,
  caseId: string,
  input: z.input<typeof assignMainInspectionSchema>,
): Promise<CaseView> {
  authorize(actor, casePolicy.work);
  const values = assignMainInspectionSchema.parse(input);
  const row = await loadCase(db, actor, caseId);
  const office = await requireOffice(db, row.company_id, values.officeId, 'officeId');
  const inspector = values.inspectorId
    ? await requirePersonOfOffice(db, row.company_id, values.inspectorId, office.id, 'inspectorId')
    : null;
  await caseCommand(db, actor, caseId, casePolicy.work, async ({ trx, row, event, now }) => {
    const task = await findMainInspectionOfCase(trx, row.id);
    if (!task)
      throw new AppError('conflict', 'This case has no main inspection.', { reason: 'no_main_inspection' });
    await updateTaskRow(trx, task.id, { office_id: office.id, responsible_id: inspector?.id ?? null });
    if (task.office_id !== office.id) {
      await event('main_inspection_assigned', {
        taskId: task.id,
        office: { id: office.id, name: office.name },
      });
    }
    if (inspector && task.responsible_id !== inspector.id) {
      await event('inspector_assigned', {
        taskId: task.id,
        inspector: { id: inspector.id, name: inspector.name },
      });
    }
    if (!row.main_inspection_assigned_at) {
      await updateCaseRow(trx, row.id, { main_inspection_assigned_at: nowIso(now), updated_at: nowIso(now) });
    }
  });
  return getCase(db, actor, caseId);
}

/** Starts or finishes the main inspection of a case. */
export async function progressMainInspection(
  db: Db,
  actor: Actor,
  caseId: string,
  step: 'start' | 'finish',
): Promise<CaseView> {
  await caseCommand(db, actor, caseId, casePolicy.work, async (command) => {
    const task = await findMainInspectionOfCase(command.trx, command.row.id);
    if (!task)
      throw new AppError('conflict', 'This case has no main inspection.', { reason: 'no_main_inspection' });
    await progressTask(command, task, step);
  });
  return getCase(db, actor, caseId);
}

/**
 * Starts (not started → started) or finishes (started → finished) a task, with its event; the task
 * is read inside the case's command, so of simultaneous starts exactly one passes.
 */
async function progressTask(
  { trx, event, now }: CaseCommandContext,
  task: TasksTable,
  step: 'start' | 'finish',
): Promise<void> {
  if (task.kind === 'main_inspection' && !task.office_id) {
    throw new AppError('conflict', 'Assign the main inspection to an office first.', {
      reason: 'assign_main_inspection_first',
    });
  }
  const expected = step === 'start' ? 'not_started' : 'started';
  if (task.status !== expected) {
    throw new AppError(
      'conflict',
      `The task is ${task.status.replace('_', ' ')}; it cannot be ${step}ed now.`,
      { reason: 'task_status', params: { status: task.status } },
    );
  }
  const main = task.kind === 'main_inspection';
  if (step === 'start') {
    await updateTaskRow(trx, task.id, { status: 'started', started_at: nowIso(now) });
    if (main) await event('main_inspection_started', { taskId: task.id });
    else await event('task_started', { taskId: task.id, name: task.name });
  } else {
    await updateTaskRow(trx, task.id, { status: 'finished', finished_at: nowIso(now) });
    if (main) await event('main_inspection_finished', { taskId: task.id });
    else await event('task_finished', { taskId: task.id, name: task.name });
  }
}

/** Adds a repair task to a case (event: tasks added). */
export async function createTask(
  db: Db,
  actor: Actor,
  caseId: string,
  input: z.input<typeof createTaskSchema>,
): Promise<{ id: string }> {
  authorize(actor, casePolicy.work);
  const values = createTaskSchema.parse(input);
  return caseCommand(db, actor, caseId, casePolicy.work, async ({ trx, row, event, now }) => {
    const task = newTaskRow(row.company_id, row.id, 'repair', values.name, values.description ?? null, now);
    await insertTask(trx, task);
    await event('task_added', { taskId: task.id, name: task.name });
    return { id: task.id };
  });
}

/**
 * Changes a task: name and description, office, responsible person, schedule, meeting time. Each
 * change of office, responsible, schedule or meeting time writes its own event. The main
 * inspection's office and inspector change only through its assignment.
 */
export async function updateTask(
  db: Db,
  actor: Actor,
  taskId: string,
  input: UpdateTaskInput,
): Promise<CaseView> {
  authorize(actor, casePolicy.work);
  const values = updateTaskSchema.parse(input);
  const { task: known } = await loadTask(db, actor, taskId);
  await caseCommand(db, actor, known.case_id, casePolicy.work, async ({ trx, row, event, now }) => {
    const task = await taskOfCase(trx, row, taskId);
    if (
      task.kind === 'main_inspection' &&
      (values.officeId !== undefined || values.responsibleId !== undefined)
    ) {
      throw new AppError(
        'conflict',
        'Change the office or inspector of the main inspection through its assignment.',
        { reason: 'main_inspection_by_assignment' },
      );
    }
    const officeId = values.officeId !== undefined ? values.officeId : task.office_id;
    const office = values.officeId
      ? await requireOffice(trx, row.company_id, values.officeId, 'officeId')
      : null;
    let responsibleId = values.responsibleId !== undefined ? values.responsibleId : task.responsible_id;
    if (values.responsibleId === undefined && responsibleId && officeId !== task.office_id) {
      // A new office without a new responsible person: keep the old one only if they work there.
      const [current] = await findPersonsByIds(trx, row.company_id, [responsibleId]);
      if (officeId && current?.office_id !== officeId) responsibleId = null;
    }
    const responsible = responsibleId
      ? await requirePersonOfOffice(trx, row.company_id, responsibleId, officeId, 'responsibleId')
      : null;
    const startsOn = values.startsOn !== undefined ? values.startsOn : task.starts_on;
    const endsOn = values.endsOn !== undefined ? values.endsOn : task.ends_on;
    if (startsOn && endsOn && endsOn < startsOn) {
      throw invalidReference('endsOn', 'must not be before startsOn', 'before_start');
    }

    const changes: Partial<TasksTable> = {};
    const name = values.name ?? task.name;
    if (values.name !== undefined) changes.name = values.name;
    if (values.description !== undefined) changes.description = values.description;
    if (officeId !== task.office_id) {
      changes.office_id = officeId;
      await event('task_office_assigned', {
        taskId: task.id,
        name,
        office: office ? { id: office.id, name: office.name } : null,
      });
    }
    if (responsibleId !== task.responsible_id) {
      changes.responsible_id = responsibleId;
      await event('repair_responsible_chosen', {
        taskId: task.id,
        name,
        person: responsible ? { id: responsible.id, name: responsible.name } : null,
      });
    }
    if (startsOn !== task.starts_on || endsOn !== task.ends_on) {
      changes.starts_on = startsOn;
      changes.ends_on = endsOn;
      await event('repair_schedule_changed', { taskId: task.id, name, startsOn, endsOn });
    }
    if (values.meetingAt !== undefined && values.meetingAt !== task.meeting_at) {
      changes.meeting_at = values.meetingAt;
      await event('meeting_time_changed', { taskId: task.id, name, meetingAt: values.meetingAt });
    }
    if (Object.keys(changes).length) {
      await updateTaskRow(trx, task.id, changes);
      await updateCaseRow(trx, row.id, { updated_at: nowIso(now) });
    }
  });
  return getCase(db, actor, known.case_id);
}

/** The task read again inside the case's command (it belongs to the locked case). */
async function taskOfCase(trx: Db, row: CasesTable, taskId: string): Promise<TasksTable> {
  const task = await findTask(trx, taskId);
  if (!task || task.case_id !== row.id) throw notFound();
  return task;
}

/** Starts or finishes a task by id (repair tasks and the main inspection alike). */
export async function progressTaskById(
  db: Db,
  actor: Actor,
  taskId: string,
  step: 'start' | 'finish',
): Promise<CaseView> {
  authorize(actor, casePolicy.work);
  const { task: known } = await loadTask(db, actor, taskId);
  await caseCommand(db, actor, known.case_id, casePolicy.work, async (command) =>
    progressTask(command, await taskOfCase(command.trx, command.row, taskId), step),
  );
  return getCase(db, actor, known.case_id);
}
