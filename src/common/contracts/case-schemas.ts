import { z } from 'zod';
import { caseEventKinds, logTopics } from '../rules/case-events.ts';
import { callDirections } from '../rules/calls.ts';
import { pageParams } from './paging.ts';
import { emailSchema, idSchema, nameSchema, phoneSchema } from './schemas.ts';
import { multiLine, singleLine } from './string-input.ts';

// Input schemas of case management (integration contract §3 names).

/** One line: claim numbers, addresses, task names, search words. */
const line = (max: number) => singleLine().trim().max(max);
/** A text with lines: descriptions, closing comments, reopening reasons. */
const text = (max: number) => multiLine().trim().max(max);

/** A calendar date 'YYYY-MM-DD' that exists. */
export const dateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine(
    (value) =>
      !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) &&
      new Date(`${value}T00:00:00Z`).toISOString().startsWith(value),
    'is not a real date',
  )
  .meta({ format: 'date' });

/** A moment with a time zone, stored as UTC. */
export const dateTimeSchema = z.iso
  .datetime({ offset: true })
  .transform((value) => new Date(value).toISOString());

export const caseStatuses = ['open', 'on_hold', 'closed', 'cancelled'] as const;
export const claimDecisions = ['accepted', 'rejected', 'needs_more_information'] as const;
export const contactRoles = ['contact_person', 'other'] as const;

export const addressSchema = z.strictObject({
  street: line(200).min(1, 'is required'),
  postalCode: z
    .string()
    .trim()
    .regex(/^\d{4}$/, 'must be a Norwegian postal code of 4 digits'),
  city: line(100).min(1, 'is required'),
});

export const personInputSchema = z.strictObject({
  name: nameSchema,
  email: emailSchema.optional(),
  phone: phoneSchema.optional(),
});

export const contactInputSchema = personInputSchema.extend({ role: z.enum(contactRoles) });

export const createCaseSchema = z.strictObject({
  claimNumber: line(64).min(1, 'is required'),
  address: addressSchema,
  description: text(5000).optional(),
  customer: personInputSchema,
  contacts: z.array(contactInputSchema).max(20).optional(),
  caseHandlerId: idSchema.optional(),
});

/** Changes to a case's people and description; null removes a person. */
export const updateCaseSchema = z.strictObject({
  description: text(5000).nullable().optional(),
  caseHandlerId: idSchema.nullable().optional(),
  externalCaseHandlerId: idSchema.nullable().optional(),
  technicalAdvisorId: idSchema.nullable().optional(),
  projectManagerId: idSchema.nullable().optional(),
  projectManagementOfficeId: idSchema.nullable().optional(),
  qualityControl: z.boolean().optional(),
});

export const listCasesQuery = z.strictObject({
  q: line(100).optional(),
  status: z.enum(caseStatuses).optional(),
  handlerId: idSchema.optional(),
  ...pageParams(25),
});

export const closeCaseSchema = z.strictObject({ comment: text(5000).optional() });
export const reopenCaseSchema = z.strictObject({ reason: text(5000).optional() });
/** The body of an action that takes none: absent, `{}` or null (Fastify validates a missing body as null). */
export const emptyBodySchema = z.strictObject({}).nullish();

export const claimDecisionSchema = z.strictObject({ decision: z.enum(claimDecisions) });

export const assignMainInspectionSchema = z.strictObject({
  officeId: idSchema,
  inspectorId: idSchema.optional(),
});

export const createTaskSchema = z.strictObject({
  name: line(200).min(1, 'is required'),
  description: text(5000).optional(),
});

export const updateTaskSchema = z.strictObject({
  name: line(200).min(1).optional(),
  description: text(5000).nullable().optional(),
  officeId: idSchema.nullable().optional(),
  responsibleId: idSchema.nullable().optional(),
  startsOn: dateSchema.nullable().optional(),
  endsOn: dateSchema.nullable().optional(),
  meetingAt: dateTimeSchema.nullable().optional(),
});

/**
 * A call of the call history. `direction` (default `outgoing`: the integration contract's calls were
 * calls made through the app), `partyName` and `number`: the other party, whichever way the call went;
 * `callerName`: who placed the call — on an outgoing call the signed-in user when left out, on an
 * incoming call the other party (give either name; they must agree).
 */
export const recordCallSchema = z
  .strictObject({
    direction: z.enum(callDirections).optional(),
    callerName: nameSchema.optional(),
    partyName: nameSchema.optional(),
    number: phoneSchema,
    reached: z.boolean(),
    durationSeconds: z
      .number()
      .int()
      .min(0)
      .max(24 * 3600),
  })
  .superRefine((call, ctx) => {
    if (call.direction !== 'incoming') return;
    if (!call.partyName && !call.callerName) {
      ctx.addIssue({ code: 'custom', path: ['partyName'], message: 'is required' });
    } else if (call.partyName && call.callerName && call.partyName !== call.callerName) {
      ctx.addIssue({
        code: 'custom',
        path: ['callerName'],
        message: 'must be the other party (partyName) on an incoming call',
      });
    }
  });

/** The case log, newest first, in pages: all, one topic (a "Log" button) and/or one kind of event. */
export const caseLogQuery = z.strictObject({
  topic: z.enum(logTopics).optional(),
  kind: z.enum(caseEventKinds).optional(),
  ...pageParams(),
});

export type CreateCaseInput = z.input<typeof createCaseSchema>;
export type UpdateCaseInput = z.input<typeof updateCaseSchema>;
export type UpdateTaskInput = z.input<typeof updateTaskSchema>;
