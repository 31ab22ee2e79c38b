import { z } from 'zod';
import { isoDate, isoDateTime } from './date-formats.ts';
import { callDirections } from '../rules/calls.ts';
import { pageView } from './paging.ts';

// Response shapes of case management (staff side).

const ref = z.object({ id: z.string(), name: z.string() }).nullable();
const personRef = z.object({ id: z.string(), name: z.string(), phone: z.string().nullable() }).nullable();

export const contactView = z.object({
  id: z.string(),
  role: z.enum(['customer', 'contact_person', 'other']),
  name: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  /** Present only when the person's data was erased (person-data/): then name is "Slettet". */
  erasedAt: isoDateTime.optional(),
});

export const taskView = z.object({
  id: z.string(),
  kind: z.enum(['main_inspection', 'repair']),
  name: z.string(),
  description: z.string().nullable(),
  status: z.enum(['not_started', 'started', 'finished']),
  office: ref,
  responsible: personRef,
  startsOn: isoDate.nullable(),
  endsOn: isoDate.nullable(),
  meetingAt: isoDateTime.nullable(),
  startedAt: isoDateTime.nullable(),
  finishedAt: isoDateTime.nullable(),
  mediaCount: z.number().int(),
  createdAt: isoDateTime,
});

export const caseSummaryView = z.object({
  id: z.string(),
  claimNumber: z.string(),
  address: z.object({ street: z.string(), postalCode: z.string(), city: z.string() }),
  customerName: z.string().nullable(),
  status: z.enum(['open', 'on_hold', 'closed', 'cancelled']),
  caseHandler: ref,
  createdAt: isoDateTime,
});

export const caseListView = pageView(caseSummaryView);

const milestones = {
  createdAt: isoDateTime,
  mainInspectionAssignedAt: isoDateTime.nullable(),
  positiveDecisionAt: isoDateTime.nullable(),
  closedAt: isoDateTime.nullable(),
};

/** The status changes of a case, in the guide's order (`POST /api/cases/:id/<action>`). */
export const caseStatusActions = ['hold', 'resume', 'close', 'cancel', 'reopen'] as const;

/**
 * What the signed-in user may do on this case now, from the server's level table and status rules
 * (cases/policy.ts, the transitions in cases/cases.ts): the web app shows what this says and never
 * re-types a level or a transition. An action that is not allowed names why (the UI says so).
 */
export const caseAllowedActions = z.object({
  changeStatus: z
    .array(z.enum(caseStatusActions))
    .describe("The status changes the case's status and the user's level allow, in the guide's order"),
  decideClaim: z.enum(['allowed', 'needs_level', 'reopen_first']),
  editBudget: z.enum(['allowed', 'needs_level']),
  approveInvoices: z.enum(['allowed', 'needs_level']),
});

export const caseView = z.object({
  id: z.string(),
  claimNumber: z.string(),
  address: z.object({ street: z.string(), postalCode: z.string(), city: z.string() }),
  description: z.string().nullable(),
  status: z.enum(['open', 'on_hold', 'closed', 'cancelled']),
  claimDecision: z.enum(['accepted', 'rejected', 'needs_more_information']).nullable(),
  claimDecisionAt: isoDateTime.nullable(),
  ...milestones,
  milestones: z.object(milestones),
  customer: contactView.nullable(),
  contacts: z.array(contactView),
  caseHandler: personRef,
  externalCaseHandler: personRef,
  technicalAdvisor: personRef,
  projectManager: personRef,
  projectManagement: ref,
  qualityControl: z.boolean(),
  mainInspection: taskView.nullable(),
  tasks: z.array(taskView),
  banners: z.object({
    invoicesAwaitingApproval: z.number().int(),
    unreadCustomerMessages: z.number().int(),
  }),
  allowedActions: caseAllowedActions,
});

export const caseEventView = z.object({
  id: z.string(),
  kind: z.string(),
  topic: z.string(),
  occurredAt: isoDateTime,
  actor: z.object({ kind: z.string(), name: z.string().nullable() }),
  data: z.record(z.string(), z.unknown()),
});

/** A call: `partyName` and `number` are the other party's, `callerName` placed the call. */
export const callView = z.object({
  id: z.string(),
  direction: z.enum(callDirections),
  callerName: z.string(),
  partyName: z.string().nullable(),
  number: z.string(),
  reached: z.boolean(),
  durationSeconds: z.number().int(),
  calledAt: isoDateTime,
});

export type CaseView = z.infer<typeof caseView>;
export type CaseAllowedActions = z.infer<typeof caseAllowedActions>;
export type CaseStatusAction = (typeof caseStatusActions)[number];
export type CaseSummaryView = z.infer<typeof caseSummaryView>;
export type CaseListView = z.infer<typeof caseListView>;
export type TaskView = z.infer<typeof taskView>;
export type ContactView = z.infer<typeof contactView>;
export type CaseEventViewT = z.infer<typeof caseEventView>;
export type CallView = z.infer<typeof callView>;
