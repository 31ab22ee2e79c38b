import type { z } from 'zod';
import type { CaseListView, CaseView, TaskView } from '../../common/contracts/case-api.ts';
import {
  claimDecisionSchema,
  closeCaseSchema,
  createCaseSchema,
  listCasesQuery,
  reopenCaseSchema,
  updateCaseSchema,
  type CreateCaseInput,
  type UpdateCaseInput,
} from '../../common/contracts/case-schemas.ts';
import { limitOffset } from '../../common/contracts/paging.ts';
import { authorize, type Actor, type Rule } from '../security/actor.ts';
import { caseCommand, createCaseCommand } from '../case-commands/case-command.ts';
import { findCompany } from '../companies/queries.ts';
import type { Db } from '../db/database.ts';
import { isUniqueViolation, nowIso } from '../db/database.ts';
import type { CasesTable, CaseStatus, TasksTable } from '../db/schema.ts';
import type { FieldIssueCode } from '../../common/rules/api-errors.ts';
import { AppError } from '../errors.ts';
import { newId } from '../security/tokens.ts';
import { loadCase } from './access.ts';
import { casePolicy } from './policy.ts';
import {
  claimNumberTaken,
  countInvoicesAwaitingApproval,
  countMediaOfTasks,
  countUnreadFromCustomer,
  findOfficesByIds,
  findPersonsByIds,
  findUsersByIds,
  insertCase,
  insertContact,
  insertTask,
  listContactsOfCase,
  listTasksOfCase,
  searchCases,
  updateCaseRow,
} from './queries.ts';

/** Name of the main-inspection task every case gets; the UI shows it translated by kind. */
export const MAIN_INSPECTION_NAME = 'Main inspection';

/**
 * Opens a case: the customer and further contacts, the (not yet assigned) main inspection, and the
 * `case_created` event, in one transaction. The claim number is unique within the company.
 */
export async function createCase(db: Db, actor: Actor, input: CreateCaseInput): Promise<{ id: string }> {
  authorize(actor, casePolicy.create);
  const values = createCaseSchema.parse(input);
  const handlerId = values.caseHandlerId ?? (actor.kind === 'staff' ? actor.userId : null);
  if (handlerId) await requireUsers(db, actor, [handlerId], 'caseHandlerId');
  if (await claimNumberTaken(db, actor.companyId, values.claimNumber)) {
    throw claimNumberTakenError(values.claimNumber);
  }
  const now = new Date();
  const id = newId();
  try {
    await createCaseCommand(
      db,
      actor,
      casePolicy.create,
      async (trx) => {
        await insertCase(trx, {
          id,
          company_id: actor.companyId,
          claim_number: values.claimNumber,
          street: values.address.street,
          postal_code: values.address.postalCode,
          city: values.address.city,
          description: values.description ?? null,
          status: 'open',
          claim_decision: null,
          claim_decision_at: null,
          case_handler_id: handlerId,
          external_case_handler_id: null,
          technical_advisor_id: null,
          project_manager_id: null,
          project_management_office_id: null,
          quality_control: 0,
          created_at: nowIso(now),
          main_inspection_assigned_at: null,
          positive_decision_at: null,
          closed_at: null,
          updated_at: nowIso(now),
          send_link: null,
          version: 0,
        });
        return id;
      },
      async ({ trx, event }) => {
        const people = [{ ...values.customer, role: 'customer' as const }, ...(values.contacts ?? [])];
        for (const person of people) {
          await insertContact(trx, {
            id: newId(),
            company_id: actor.companyId,
            case_id: id,
            role: person.role,
            name: person.name,
            email: person.email ?? null,
            phone: person.phone ?? null,
            created_at: nowIso(now),
          });
        }
        await insertTask(
          trx,
          newTaskRow(actor.companyId, id, 'main_inspection', MAIN_INSPECTION_NAME, null, now),
        );
        await event('case_created', { claimNumber: values.claimNumber });
      },
      now,
    );
  } catch (error) {
    // Two requests with the same claim number at once: the unique index decides.
    if (isUniqueViolation(error)) {
      throw claimNumberTakenError(values.claimNumber);
    }
    throw error;
  }
  return { id };
}

/** A new task row (not started, nothing assigned). */
export function newTaskRow(
  companyId: string,
  caseId: string,
  kind: TasksTable['kind'],
  name: string,
  description: string | null,
  now: Date,
): TasksTable {
  return {
    id: newId(),
    company_id: companyId,
    case_id: caseId,
    kind,
    name,
    description,
    office_id: null,
    responsible_id: null,
    starts_on: null,
    ends_on: null,
    meeting_at: null,
    status: 'not_started',
    started_at: null,
    finished_at: null,
    created_at: nowIso(now),
  };
}

/** The company's cases, newest first, with search (claim number, address, customer) and filters. */
export async function listCases(
  db: Db,
  actor: Actor,
  query: z.input<typeof listCasesQuery>,
): Promise<CaseListView> {
  authorize(actor, casePolicy.read);
  const filter = listCasesQuery.parse(query);
  const { total, rows } = await searchCases(db, {
    companyId: actor.companyId,
    q: filter.q,
    status: filter.status,
    handlerId: filter.handlerId,
    ...limitOffset(filter),
  });
  return {
    total,
    page: filter.page,
    pageSize: filter.pageSize,
    items: rows.map((row) => ({
      id: row.id,
      claimNumber: row.claim_number,
      address: { street: row.street, postalCode: row.postal_code, city: row.city },
      customerName: row.customer_name,
      status: row.status,
      caseHandler: row.case_handler_id
        ? { id: row.case_handler_id, name: row.case_handler_name ?? '' }
        : null,
      createdAt: row.created_at,
    })),
  };
}

/** Everything the case page shows about one case. */
export async function getCase(db: Db, actor: Actor, caseId: string): Promise<CaseView> {
  authorize(actor, casePolicy.read);
  const row = await loadCase(db, actor, caseId);
  return presentCase(db, row, actor);
}

/** The staff view of a case for `actor` (what they may do on it), read in a fixed number of queries. */
export async function presentCase(db: Db, row: CasesTable, actor: Actor): Promise<CaseView> {
  const [contacts, tasks, media, invoicesAwaiting, unreadMessages] = await Promise.all([
    listContactsOfCase(db, row.id),
    listTasksOfCase(db, row.id),
    countMediaOfTasks(db, row.id),
    countInvoicesAwaitingApproval(db, row.id),
    countUnreadFromCustomer(db, row.company_id, row.id),
  ]);
  const userIds = [row.case_handler_id, row.technical_advisor_id].filter((id): id is string => id !== null);
  const personIds = [
    row.external_case_handler_id,
    row.project_manager_id,
    ...tasks.map((task) => task.responsible_id),
  ].filter((id): id is string => id !== null);
  const officeIds = [row.project_management_office_id, ...tasks.map((task) => task.office_id)].filter(
    (id): id is string => id !== null,
  );
  const [users, persons, offices] = await Promise.all([
    findUsersByIds(db, row.company_id, [...new Set(userIds)]),
    findPersonsByIds(db, row.company_id, [...new Set(personIds)]),
    findOfficesByIds(db, row.company_id, [...new Set(officeIds)]),
  ]);
  const user = (id: string | null) => users.find((u) => u.id === id) ?? null;
  const person = (id: string | null) => persons.find((p) => p.id === id) ?? null;
  const office = (id: string | null) => offices.find((o) => o.id === id) ?? null;
  const personRef = (p: { id: string; name: string; phone: string | null } | null) =>
    p ? { id: p.id, name: p.name, phone: p.phone } : null;
  const officeRef = (o: { id: string; name: string } | null) => (o ? { id: o.id, name: o.name } : null);
  const mediaCount = new Map(media.map((m) => [m.task_id, Number(m.n)]));

  const taskViews: TaskView[] = tasks.map((task) => ({
    id: task.id,
    kind: task.kind,
    name: task.name,
    description: task.description,
    status: task.status,
    office: officeRef(office(task.office_id)),
    responsible: personRef(person(task.responsible_id)),
    startsOn: task.starts_on,
    endsOn: task.ends_on,
    meetingAt: task.meeting_at,
    startedAt: task.started_at,
    finishedAt: task.finished_at,
    mediaCount: mediaCount.get(task.id) ?? 0,
    createdAt: task.created_at,
  }));
  const contactViews = contacts.map((c) => ({
    id: c.id,
    role: c.role,
    name: c.name,
    email: c.email,
    phone: c.phone,
    ...(c.erased_at ? { erasedAt: c.erased_at } : {}),
  }));
  const milestones = {
    createdAt: row.created_at,
    mainInspectionAssignedAt: row.main_inspection_assigned_at,
    positiveDecisionAt: row.positive_decision_at,
    closedAt: row.closed_at,
  };
  return {
    id: row.id,
    claimNumber: row.claim_number,
    address: { street: row.street, postalCode: row.postal_code, city: row.city },
    description: row.description,
    status: row.status,
    claimDecision: row.claim_decision,
    claimDecisionAt: row.claim_decision_at,
    ...milestones,
    milestones,
    customer: contactViews.find((c) => c.role === 'customer') ?? null,
    contacts: contactViews.filter((c) => c.role !== 'customer'),
    caseHandler: personRef(user(row.case_handler_id)),
    externalCaseHandler: personRef(person(row.external_case_handler_id)),
    technicalAdvisor: personRef(user(row.technical_advisor_id)),
    projectManager: personRef(person(row.project_manager_id)),
    projectManagement: officeRef(office(row.project_management_office_id)),
    qualityControl: row.quality_control === 1,
    mainInspection: taskViews.find((t) => t.kind === 'main_inspection') ?? null,
    tasks: taskViews.filter((t) => t.kind === 'repair'),
    banners: { invoicesAwaitingApproval: invoicesAwaiting, unreadCustomerMessages: unreadMessages },
    allowedActions: allowedCaseActions(actor, row.status),
  };
}

/** Refuses with 400 unless every id is a staff user of the actor's company. */
async function requireUsers(db: Db, actor: Actor, ids: string[], field: string) {
  const found = await findUsersByIds(db, actor.companyId, ids);
  if (found.length !== new Set(ids).size) throw invalidReference(field, 'is not a user of your company');
  return found;
}

/** A 400 naming the field whose reference does not exist in the company (or does not fit, by `code`). */
export function invalidReference(
  field: string,
  message: string,
  code: FieldIssueCode = 'unknown_reference',
): AppError {
  return new AppError('validation_failed', `${field} ${message}.`, {
    fields: [{ path: `body.${field}`, message, code }],
  });
}

/** 409 for a claim number the company already has (the reason and number let clients say so). */
function claimNumberTakenError(claimNumber: string): AppError {
  return new AppError('conflict', `A case with claim number ${claimNumber} already exists.`, {
    reason: 'claim_number_taken',
    params: { claimNumber },
  });
}

/**
 * Changes the people on a case (case handler, external case handler, technical advisor, project
 * manager, project management) and its description; each change writes its own event.
 */
export async function updateCase(
  db: Db,
  actor: Actor,
  caseId: string,
  input: UpdateCaseInput,
): Promise<CaseView> {
  authorize(actor, casePolicy.work);
  const values = updateCaseSchema.parse(input);
  // Existence (404) before the references are checked (400).
  await loadCase(db, actor, caseId);
  const userChange = async (
    field: 'caseHandlerId' | 'technicalAdvisorId',
    next: string | null | undefined,
  ) => (next ? (await requireUsers(db, actor, [next], field))[0] : null);
  const personChange = async (field: string, next: string | null | undefined) => {
    if (!next) return null;
    const [found] = await findPersonsByIds(db, actor.companyId, [next]);
    if (!found) throw invalidReference(field, 'is not a person of your partners');
    return found;
  };
  const handler = await userChange('caseHandlerId', values.caseHandlerId);
  const advisor = await userChange('technicalAdvisorId', values.technicalAdvisorId);
  const external = await personChange('externalCaseHandlerId', values.externalCaseHandlerId);
  const manager = await personChange('projectManagerId', values.projectManagerId);
  let management: { id: string; name: string } | null = null;
  if (values.projectManagementOfficeId) {
    const [found] = await findOfficesByIds(db, actor.companyId, [values.projectManagementOfficeId]);
    if (!found) throw invalidReference('projectManagementOfficeId', 'is not an office of your partners');
    management = found;
  }

  await caseCommand(db, actor, caseId, casePolicy.work, async ({ trx, row, event, now }) => {
    const [oldUsers, oldPersons] = await Promise.all([
      findUsersByIds(
        trx,
        actor.companyId,
        [row.case_handler_id, row.technical_advisor_id].filter((id): id is string => id !== null),
      ),
      findPersonsByIds(
        trx,
        actor.companyId,
        [row.external_case_handler_id].filter((id): id is string => id !== null),
      ),
    ]);
    const ref = (list: Array<{ id: string; name: string }>, id: string | null) => {
      const found = list.find((item) => item.id === id);
      return found ? { id: found.id, name: found.name } : null;
    };
    const refOf = (item: { id: string; name: string } | null | undefined) =>
      item ? { id: item.id, name: item.name } : null;

    const changes: Partial<CasesTable> = {};
    if (values.caseHandlerId !== undefined && values.caseHandlerId !== row.case_handler_id) {
      changes.case_handler_id = values.caseHandlerId;
      await event('case_handler_changed', { from: ref(oldUsers, row.case_handler_id), to: refOf(handler) });
    }
    if (values.technicalAdvisorId !== undefined && values.technicalAdvisorId !== row.technical_advisor_id) {
      changes.technical_advisor_id = values.technicalAdvisorId;
      await event('technical_advisor_changed', {
        from: ref(oldUsers, row.technical_advisor_id),
        to: refOf(advisor),
      });
    }
    if (
      values.externalCaseHandlerId !== undefined &&
      values.externalCaseHandlerId !== row.external_case_handler_id
    ) {
      changes.external_case_handler_id = values.externalCaseHandlerId;
      await event('external_case_handler_changed', {
        from: ref(oldPersons, row.external_case_handler_id),
        to: refOf(external),
      });
    }
    if (values.projectManagerId !== undefined && values.projectManagerId !== row.project_manager_id) {
      changes.project_manager_id = values.projectManagerId;
      await event('project_manager_assigned', { person: refOf(manager) });
    }
    if (
      values.projectManagementOfficeId !== undefined &&
      values.projectManagementOfficeId !== row.project_management_office_id
    ) {
      changes.project_management_office_id = values.projectManagementOfficeId;
      await event('project_management_assigned', { office: refOf(management) });
    }
    const plain: string[] = [];
    if (values.description !== undefined && values.description !== row.description) {
      changes.description = values.description;
      plain.push('description');
    }
    if (values.qualityControl !== undefined && (values.qualityControl ? 1 : 0) !== row.quality_control) {
      changes.quality_control = values.qualityControl ? 1 : 0;
      plain.push('qualityControl');
    }
    if (plain.length) await event('case_updated', { fields: plain });
    if (Object.keys(changes).length)
      await updateCaseRow(trx, row.id, { ...changes, updated_at: nowIso(now) });
  });
  return getCase(db, actor, caseId);
}

interface Transition {
  rule: Rule;
  from: CaseStatus[];
  to: CaseStatus;
}

const transitions = {
  hold: { rule: casePolicy.work, from: ['open'], to: 'on_hold' },
  resume: { rule: casePolicy.work, from: ['on_hold'], to: 'open' },
  close: { rule: casePolicy.work, from: ['open', 'on_hold'], to: 'closed' },
  cancel: { rule: casePolicy.cancel, from: ['open', 'on_hold'], to: 'cancelled' },
  reopen: { rule: casePolicy.reopen, from: ['closed', 'cancelled'], to: 'open' },
} satisfies Record<string, Transition>;

export type CaseAction = keyof typeof transitions;

/** A claim is decided only on a case that is open or on hold (reopen a closed or cancelled one). */
const claimDecidable = (status: CaseStatus) => status !== 'closed' && status !== 'cancelled';

/**
 * What `actor` may do on a case in `status` now, from the level table (casePolicy) and the
 * transitions above: the case page shows exactly these, so the browser re-types no rule.
 */
export function allowedCaseActions(actor: Actor, status: CaseStatus): CaseView['allowedActions'] {
  const byLevel = (rule: Rule): 'allowed' | 'needs_level' => (rule(actor) ? 'allowed' : 'needs_level');
  return {
    changeStatus: (Object.keys(transitions) as CaseAction[]).filter((action) => {
      const transition: Transition = transitions[action];
      return transition.rule(actor) && transition.from.includes(status);
    }),
    decideClaim: !casePolicy.decide(actor)
      ? 'needs_level'
      : claimDecidable(status)
        ? 'allowed'
        : 'reopen_first',
    editBudget: byLevel(casePolicy.budget),
    approveInvoices: byLevel(casePolicy.approveInvoice),
  };
}

/**
 * Moves a case through its statuses: hold, resume, close (with an internal comment; stores
 * closedAt), cancel, reopen (with an internal reason; the case is visible to customers again).
 */
export async function changeCaseStatus(
  db: Db,
  actor: Actor,
  caseId: string,
  action: CaseAction,
  body: unknown = {},
): Promise<CaseView> {
  const transition: Transition = transitions[action];
  authorize(actor, transition.rule);
  const input =
    action === 'close'
      ? closeCaseSchema.parse(body ?? {})
      : action === 'reopen'
        ? reopenCaseSchema.parse(body ?? {})
        : {};
  await caseCommand(db, actor, caseId, transition.rule, async ({ trx, row, event, now }) => {
    // The guard reads the locked row: of two simultaneous actions only those valid in turn pass.
    if (!transition.from.includes(row.status)) {
      throw new AppError(
        'conflict',
        `A case that is ${row.status.replace('_', ' ')} cannot be changed this way (${action}).`,
        { reason: 'case_status', params: { status: row.status } },
      );
    }
    const changes: Partial<CasesTable> = { status: transition.to, updated_at: nowIso(now) };
    switch (action) {
      case 'hold':
        await event('case_put_on_hold', {});
        break;
      case 'resume':
        await event('case_resumed', {});
        break;
      case 'close':
        changes.closed_at = nowIso(now);
        await event('case_closed', { internalComment: ('comment' in input && input.comment) || null });
        break;
      case 'cancel':
        await event('case_cancelled', {});
        break;
      case 'reopen': {
        const company = await findCompany(trx, row.company_id);
        changes.closed_at = null;
        await event('case_reopened', {
          internalReason: ('reason' in input && input.reason) || null,
          companyName: company?.name ?? '',
        });
        break;
      }
    }
    await updateCaseRow(trx, row.id, changes);
  });
  return getCase(db, actor, caseId);
}

/**
 * Records the claim decision (in a contractor portal: the job approval). The first acceptance sets
 * the positive-decision milestone, which never moves back.
 */
export async function decideClaim(
  db: Db,
  actor: Actor,
  caseId: string,
  input: z.input<typeof claimDecisionSchema>,
): Promise<CaseView> {
  const { decision } = claimDecisionSchema.parse(input);
  await caseCommand(db, actor, caseId, casePolicy.decide, async ({ trx, row, event, now }) => {
    if (!claimDecidable(row.status)) {
      throw new AppError('conflict', 'Reopen the case before deciding the claim.', {
        reason: 'reopen_first',
      });
    }
    // A double submit (or two handlers at once) is a no-op: the same decision is never logged twice.
    if (row.claim_decision === decision) return;
    await updateCaseRow(trx, row.id, {
      claim_decision: decision,
      claim_decision_at: nowIso(now),
      ...(decision === 'accepted' && !row.positive_decision_at && { positive_decision_at: nowIso(now) }),
      updated_at: nowIso(now),
    });
    await event('claim_decision', { internalDecision: decision });
  });
  return getCase(db, actor, caseId);
}
