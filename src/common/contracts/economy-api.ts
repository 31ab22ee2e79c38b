import { z } from 'zod';
import { isoDate, isoDateTime } from './date-formats.ts';
import { dateSchema } from './case-schemas.ts';
import { dashboardColumns } from '../rules/oslo-date.ts';
import { pageParams, pageView } from './paging.ts';
import { idSchema } from './schemas.ts';
import { multiLine, singleLine } from './string-input.ts';

// Economy (reminders, quote requests, invoices, case budget) and the staff dashboard (spec §11):
// input schemas and response shapes. Money is an integer number of øre (1/100 NOK).

/** A text with lines: reminders, descriptions of quote requests and invoices. */
const text = (max: number) => multiLine().trim().max(max);
/** One line: a budget line's description is one row of a table. */
const line = (max: number) => singleLine().trim().max(max);

/**
 * The largest amount of one invoice or budget line: 100 billion NOK. With at most
 * `MAX_BUDGET_LINES` lines a budget total stays far below Number.MAX_SAFE_INTEGER.
 */
export const MAX_AMOUNT_ORE = 10_000_000_000_000;
export const MAX_BUDGET_LINES = 200;

// ---- Input ----

export const createReminderSchema = z.strictObject({
  dueOn: dateSchema,
  text: text(2000).min(1, 'is required'),
});

export const createQuoteRequestSchema = z.strictObject({
  officeId: idSchema.optional(),
  description: text(5000).min(1, 'is required'),
  deadlineOn: dateSchema,
});

export const createInvoiceSchema = z.strictObject({
  officeId: idSchema.optional(),
  description: text(2000).min(1, 'is required'),
  amountOre: z
    .number()
    .int('must be a whole number of øre')
    .positive('must be more than 0')
    .max(MAX_AMOUNT_ORE),
  dueOn: dateSchema,
});

export const budgetLineInputSchema = z.strictObject({
  description: line(500).min(1, 'is required'),
  amountOre: z
    .number()
    .int('must be a whole number of øre')
    .min(0, 'must not be negative')
    .max(MAX_AMOUNT_ORE),
});

/** Recording that a quote came in: what it came to, when known (cost control's "quoted"). */
export const answerQuoteRequestSchema = z
  .strictObject({
    amountOre: z
      .number()
      .int('must be a whole number of øre')
      .min(0, 'must not be negative')
      .max(MAX_AMOUNT_ORE)
      .optional(),
  })
  .nullish();

/** The whole budget of a case: replaces every line (an empty list clears it). */
export const replaceBudgetSchema = z.strictObject({
  lines: z.array(budgetLineInputSchema).max(MAX_BUDGET_LINES),
});

// ---- Responses ----

/** The partner office a quote request went to or an invoice came from, with its partner's name. */
const officeRef = z.object({ id: z.string(), name: z.string(), partnerName: z.string() }).nullable();

export const reminderView = z.object({
  id: z.string(),
  caseId: z.string(),
  dueOn: isoDate,
  text: z.string(),
  done: z.boolean(),
  doneAt: isoDateTime.nullable(),
  createdAt: isoDateTime,
});

export const quoteRequestView = z.object({
  id: z.string(),
  caseId: z.string(),
  office: officeRef,
  description: z.string(),
  deadlineOn: isoDate,
  status: z.enum(['pending', 'answered']),
  answeredAt: isoDateTime.nullable(),
  /** What the quote came to, in øre; null when not recorded. */
  amountOre: z.number().int().nullable(),
  createdAt: isoDateTime,
});

export const invoiceView = z.object({
  id: z.string(),
  caseId: z.string(),
  office: officeRef,
  description: z.string(),
  amountOre: z.number().int(),
  dueOn: isoDate,
  status: z.enum(['awaiting_approval', 'approved']),
  approvedAt: isoDateTime.nullable(),
  /** Who approved it, as the case log names them (null: awaiting approval, or approved before it was kept). */
  approvedBy: z.string().nullable(),
  createdAt: isoDateTime,
});

export const budgetView = z.object({
  lines: z.array(z.object({ id: z.string(), description: z.string(), amountOre: z.number().int() })),
  totalOre: z.number().int(),
});

export type CreateReminderInput = z.input<typeof createReminderSchema>;
export type CreateQuoteRequestInput = z.input<typeof createQuoteRequestSchema>;
export type CreateInvoiceInput = z.input<typeof createInvoiceSchema>;
export type ReplaceBudgetInput = z.input<typeof replaceBudgetSchema>;
export type ReminderView = z.infer<typeof reminderView>;
export type QuoteRequestView = z.infer<typeof quoteRequestView>;
export type InvoiceView = z.infer<typeof invoiceView>;
export type BudgetView = z.infer<typeof budgetView>;

// ---- Staff dashboard (spec §11) ----

/** The rows of the dashboard table, in the guide's order. */
export const dashboardRows = [
  'reminders',
  'quoteRequests',
  'customerUploads',
  'partnerUploads',
  'invoicesAwaitingApproval',
] as const;
export type DashboardRow = (typeof dashboardRows)[number];

export const dashboardView = z.object({
  /** The Oslo dates the columns were counted against. */
  today: isoDate,
  tomorrow: isoDate,
  /** Number of distinct cases per row and column; each case counts once per row. */
  rows: z.array(
    z.object({
      row: z.enum(dashboardRows),
      today: z.number().int(),
      tomorrow: z.number().int(),
      later: z.number().int(),
    }),
  ),
});

/** The cases behind one number of the dashboard, in pages as the case list (`page`, `pageSize`). */
export const dashboardCasesQuery = z.strictObject({
  row: z.enum(dashboardRows),
  column: z.enum(dashboardColumns),
  ...pageParams(25),
});

export const dashboardCaseView = z.object({
  id: z.string(),
  claimNumber: z.string(),
  address: z.object({ street: z.string(), postalCode: z.string(), city: z.string() }),
  customerName: z.string().nullable(),
  /** The earliest due date of the case's items in the row (null: only undated items). */
  earliestDueOn: isoDate.nullable(),
});

/** One page of them, with the number the dashboard shows as `total`. */
export const dashboardCaseListView = pageView(dashboardCaseView);

export type DashboardView = z.infer<typeof dashboardView>;
export type DashboardCaseListView = z.infer<typeof dashboardCaseListView>;
export type DashboardCaseView = z.infer<typeof dashboardCaseView>;
export type DashboardCasesQuery = z.input<typeof dashboardCasesQuery>;
