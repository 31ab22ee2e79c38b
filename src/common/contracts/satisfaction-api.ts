import { z } from 'zod';
import { isoDateTime } from './date-formats.ts';
import { MAX_SATISFACTION_COMMENT_CHARS } from '../rules/upload-limits.ts';
import { multiLine } from './string-input.ts';

// Satisfaction after closing (issue 19, item 4): the customer's question on the closed case's page,
// the answer staff see on the case, and the company's results per case handler.

// The comment's limit is written once, zod-free, in upload-limits.ts (the customer page checks it).
export { MAX_SATISFACTION_COMMENT_CHARS } from '../rules/upload-limits.ts';

/** The customer's answer: 1 (very dissatisfied) – 5 (very satisfied), an optional comment. */
export const satisfactionAnswerBody = z.strictObject({
  score: z.number().int('must be a whole number').min(1).max(5),
  comment: multiLine()
    .max(MAX_SATISFACTION_COMMENT_CHARS, `is longer than ${MAX_SATISFACTION_COMMENT_CHARS} characters`)
    .nullish(),
});
export type SatisfactionAnswerInput = z.infer<typeof satisfactionAnswerBody>;

export const satisfactionAnswerView = z.object({
  score: z.number().int(),
  comment: z.string().nullable(),
  answeredAt: isoDateTime,
});
export type SatisfactionAnswerView = z.infer<typeof satisfactionAnswerView>;

/**
 * The question on the customer page: `not_asked` while the case is open, `ask` once it is closed,
 * `answered` with the person's answer (asked once).
 */
export const customerSatisfactionView = z.object({
  state: z.enum(['not_asked', 'ask', 'answered']),
  answer: satisfactionAnswerView.nullable(),
});
export type CustomerSatisfactionView = z.infer<typeof customerSatisfactionView>;

/** The answers of a case as staff see them on the case page (who answered, by name). */
export const caseSatisfactionView = z.object({
  answers: z.array(satisfactionAnswerView.extend({ personName: z.string() })),
});
export type CaseSatisfactionView = z.infer<typeof caseSatisfactionView>;

const scoreSummary = z.object({
  answers: z.number().int(),
  /** Mean score with one decimal; null without answers. */
  average: z.number().nullable(),
  /** Answers per score, index 0 = score 1. */
  distribution: z.array(z.number().int()).length(5),
});

/** The company's results over a period, and per case handler (at the time of the answer). */
export const satisfactionResultsView = z.object({
  from: isoDateTime,
  to: isoDateTime,
  company: scoreSummary,
  handlers: z.array(
    scoreSummary.extend({ handlerId: z.string().nullable(), handlerName: z.string().nullable() }),
  ),
  /** The newest comments of the period (the case's claim number, for following up). */
  comments: z.array(
    z.object({
      caseId: z.string(),
      claimNumber: z.string(),
      handlerName: z.string().nullable(),
      score: z.number().int(),
      comment: z.string(),
      answeredAt: isoDateTime,
    }),
  ),
});
export type SatisfactionResultsView = z.infer<typeof satisfactionResultsView>;

export const satisfactionResultsQuery = z.strictObject({
  /** ISO timestamps; default: the last 365 days. */
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});
