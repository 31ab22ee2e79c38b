import { z } from 'zod';
import { FULL_BASIS_POINTS, settlementLineKinds } from '../rules/settlement.ts';
import { isoDateTime } from './date-formats.ts';
import { MAX_AMOUNT_ORE } from './economy-api.ts';
import { singleLine } from './string-input.ts';

/*
 * Cost control and the customer settlement of a case (issue 20): request and response shapes.
 * Money is an integer number of øre; percentages are basis points (1 % = 100, 12,5 % = 1 250).
 *
 * Routes (staff API, prefix /api; `:id` is the case id):
 *   GET  /api/cases/:id/cost-control                  any staff     → CostControlView
 *   GET  /api/cases/:id/settlement                    any staff     → SettlementView
 *   PUT  /api/cases/:id/settlement                    level 2       SaveSettlementInput → SettlementView
 *        saves the draft (creates version 1 when the case has none); 409 `settlement_approved` when the
 *        current version is approved (make a new version first); 409 `settlement_changed` when
 *        `revision` is given and is not the current version's.
 *   POST /api/cases/:id/settlement/approve            level 4       ApproveSettlementInput → SettlementView
 *        approves the current draft (≥ 1 line, else 409 `settlement_empty`; already approved: 409
 *        `settlement_approved`; `revision` not the current one: 409 `settlement_changed`; no
 *        settlement: 404 `settlement_not_found`). Stores decidedAt, writes `settlement_approved`;
 *        the version it supersedes (if any) becomes `superseded` in the same change; the report
 *        is generated after the commit.
 *   POST /api/cases/:id/settlement/new-version        level 2       {} → SettlementView
 *        copies the approved current version into a new draft N+1 (409 `settlement_not_approved`
 *        when the current one is still a draft; 404 `settlement_not_found` when there is none).
 *        The approved version stays approved — and stays what the customer sees — until the new one
 *        is approved; only then does it become `superseded`. Approved rows never change otherwise.
 *
 * Errors besides the usual 400/401/403/404: see the codes above.
 * Company setting: `cashSettlementIncludesVat` (boolean, default false) on GET/PATCH /api/company;
 * it decides the default `vatIncluded` of a new cash-settlement line (`defaultVatIncluded` in
 * rules/settlement.ts); a line saved without `vatIncluded` gets that default.
 *
 * CHANGES: (none yet)
 */

/** At most this many lines in one settlement. */
export const MAX_SETTLEMENT_LINES = 100;

export const settlementStatuses = ['draft', 'approved', 'superseded'] as const;
export type SettlementStatus = (typeof settlementStatuses)[number];

const ore = () =>
  z.number().int('must be a whole number of øre').min(0, 'must not be negative').max(MAX_AMOUNT_ORE);
const line = (max: number) => singleLine().trim().max(max);

// ---- Input ----

export const settlementLineInputSchema = z
  .strictObject({
    kind: z.enum(settlementLineKinds),
    description: line(500).min(1, 'is required'),
    claimedOre: ore(),
    /** 0–10 000 (0–100 %); 0 when left out. */
    depreciationBasisPoints: z
      .number()
      .int('must be a whole number of basis points')
      .min(0, 'must not be negative')
      .max(FULL_BASIS_POINTS, 'must be at most 10 000 (100 %)')
      .optional(),
    /** Why the line is depreciated; required when depreciationBasisPoints > 0. */
    depreciationReason: line(500).nullish(),
    /** Left out: the default of the kind (cash settlement: the company's setting; others: true). */
    vatIncluded: z.boolean().optional(),
  })
  .superRefine((value, ctx) => {
    if ((value.depreciationBasisPoints ?? 0) > 0 && !value.depreciationReason) {
      ctx.addIssue({
        code: 'custom',
        path: ['depreciationReason'],
        message: 'is required when the line is depreciated',
      });
    }
  });

/** The whole draft: replaces every line and the deductible. */
export const saveSettlementSchema = z.strictObject({
  /** The revision the editor started from (optional; a different current revision is 409 `settlement_changed`). */
  revision: z.number().int().min(1).optional(),
  /** The deductible (egenandel), taken once per case. */
  deductibleOre: ore(),
  lines: z.array(settlementLineInputSchema).max(MAX_SETTLEMENT_LINES),
});

/** Approve what the approver saw: `revision` of the current draft (else 409 `settlement_changed`). */
export const approveSettlementSchema = z.strictObject({
  revision: z.number().int().min(1),
});

// ---- Responses ----

export const settlementLineView = z.object({
  id: z.string(),
  /** 0-based order of the line. */
  position: z.number().int(),
  kind: z.enum(settlementLineKinds),
  description: z.string(),
  claimedOre: z.number().int(),
  depreciationBasisPoints: z.number().int(),
  depreciationReason: z.string().nullable(),
  vatIncluded: z.boolean(),
  /** Computed by settle(): the VAT taken out (when not included), the depreciation, what the line pays. */
  vatRemovedOre: z.number().int(),
  depreciationOre: z.number().int(),
  payableOre: z.number().int(),
});

export const settlementTotalsView = z.object({
  claimedOre: z.number().int(),
  vatRemovedOre: z.number().int(),
  depreciationOre: z.number().int(),
  /** Sum of the lines' payable amounts, before the deductible. */
  payableOre: z.number().int(),
  deductibleOre: z.number().int(),
  /** The part of the deductible taken (never more than payableOre). */
  deductibleAppliedOre: z.number().int(),
  /** What the customer is paid. */
  payoutOre: z.number().int(),
});

export const settlementVersionView = z.object({
  id: z.string(),
  caseId: z.string(),
  /** 1, 2, … per case. */
  version: z.number().int(),
  /** Moves on with every save and the approval: send it back as `revision`. */
  revision: z.number().int(),
  status: z.enum(settlementStatuses),
  deductibleOre: z.number().int(),
  lines: z.array(settlementLineView),
  totals: settlementTotalsView,
  /** When it was approved (the decision date of the report); null for a draft. */
  decidedAt: isoDateTime.nullable(),
  /** Who approved it, as the case log names them. */
  approvedBy: z.string().nullable(),
  /** The version this one replaces (null for version 1). */
  supersedesId: z.string().nullable(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});

/** An earlier version, briefly. */
export const settlementHistoryItemView = z.object({
  id: z.string(),
  version: z.number().int(),
  status: z.enum(settlementStatuses),
  payoutOre: z.number().int(),
  decidedAt: isoDateTime.nullable(),
  approvedBy: z.string().nullable(),
  createdAt: isoDateTime,
});

export const settlementView = z.object({
  caseId: z.string(),
  /** The newest version (a draft being edited, or the approved one); null: no settlement yet. */
  current: settlementVersionView.nullable(),
  /** The version the customer's report is of: the newest approved one (may be older than current). */
  approvedVersionId: z.string().nullable(),
  /** Every earlier version, newest first. */
  history: z.array(settlementHistoryItemView),
  /** The company's setting: the default vatIncluded of a new cash-settlement line. */
  cashSettlementIncludesVat: z.boolean(),
  /** What the actor may do now (the UI shows exactly these). */
  allowed: z.object({
    save: z.boolean(),
    approve: z.boolean(),
    newVersion: z.boolean(),
  }),
});

// ---- Cost control ----

/** A partner office's figures (office null: quote requests and invoices without an office). */
export const costControlRowView = z.object({
  office: z.object({ id: z.string(), name: z.string(), partnerName: z.string() }).nullable(),
  /** Sum of the amounts of its answered quote requests that carry one. */
  quotedOre: z.number().int(),
  /** Sum of all its invoices. */
  invoicedOre: z.number().int(),
  /** Sum of its approved invoices. */
  approvedOre: z.number().int(),
  /** Sum of its invoices awaiting approval. */
  awaitingApprovalOre: z.number().int(),
  quoteRequests: z.number().int(),
  invoices: z.number().int(),
});

export const costControlView = z.object({
  caseId: z.string(),
  /**
   * One row per partner office with quote requests or invoices, by partner then office name; the
   * row without an office last. The budget is the case's (budget lines carry no office), so it is
   * in the totals only.
   */
  offices: z.array(costControlRowView),
  totals: z.object({
    /** Sum of the budget lines. */
    budgetedOre: z.number().int(),
    quotedOre: z.number().int(),
    invoicedOre: z.number().int(),
    approvedOre: z.number().int(),
    awaitingApprovalOre: z.number().int(),
    /** budgeted − approved (negative: more approved than budgeted). */
    remainingOre: z.number().int(),
    /** invoiced − budgeted (positive: invoiced over budget). */
    varianceOre: z.number().int(),
    /** invoiced > budgeted. */
    overBudget: z.boolean(),
  }),
});

export type SettlementLineInput = z.input<typeof settlementLineInputSchema>;
export type SaveSettlementInput = z.input<typeof saveSettlementSchema>;
export type ApproveSettlementInput = z.input<typeof approveSettlementSchema>;
export type SettlementLineView = z.infer<typeof settlementLineView>;
export type SettlementTotalsView = z.infer<typeof settlementTotalsView>;
export type SettlementVersionView = z.infer<typeof settlementVersionView>;
export type SettlementHistoryItemView = z.infer<typeof settlementHistoryItemView>;
export type SettlementView = z.infer<typeof settlementView>;
export type CostControlRowView = z.infer<typeof costControlRowView>;
export type CostControlView = z.infer<typeof costControlView>;
