import { z } from 'zod';
import { deliveryChannels } from './customer-access-api.ts';

/**
 * The milestone preview (issue 16 item 3): before staff take a step that moves a milestone the
 * customer-page settings refer to, what the customer will newly see, which reports become shared
 * and who gets a link — computed by the server with the rules the step itself runs.
 */

/** The staff steps that can move a milestone: the claim first accepted, the main inspection first assigned. */
export const milestoneSteps = ['accept_claim', 'assign_main_inspection'] as const;
export type MilestoneStep = (typeof milestoneSteps)[number];

/** GET /api/cases/:id/milestone-preview?step=… */
export const milestonePreviewQuery = z.strictObject({
  step: z.enum(milestoneSteps, { error: () => `must be one of ${milestoneSteps.join(', ')}` }),
});

/** The parts of the customer page a step can open, in the order the page shows them. */
export const customerPageParts = [
  'news',
  'projectPlan',
  'communication',
  'documents',
  'budget',
  'inspectionReport',
  'settlementReport',
] as const;
export type CustomerPagePart = (typeof customerPageParts)[number];

export const milestonePreviewView = z.object({
  step: z.enum(milestoneSteps),
  /** False when the milestone is already reached: the step changes nothing for the customer. */
  movesMilestone: z.boolean(),
  /** The parts of the customer page the customer sees after the step and not before. */
  newlyVisible: z.array(z.enum(customerPageParts)),
  /** Reports of the library the step shares with the customer (the rule's newest of each kind). */
  reportsShared: z.array(
    z.object({
      id: z.string(),
      fileName: z.string(),
      report: z.enum(['inspectionReport', 'settlementReport']),
    }),
  ),
  /** The people who get access and the link, each by every channel they have. */
  notified: z.array(
    z.object({
      contactId: z.string(),
      name: z.string(),
      channels: z.array(z.object({ channel: z.enum(deliveryChannels), recipient: z.string() })),
    }),
  ),
});
export type MilestonePreviewView = z.infer<typeof milestonePreviewView>;
