import { z } from 'zod';
import { isoDate, isoDateTime } from '../../common/contracts/date-formats.ts';
import { newsKinds } from '../../common/rules/case-events.ts';
import { customerSessionView } from '../../common/contracts/customer-access-api.ts';
import { colorsSchema } from '../../common/contracts/customer-page-settings.ts';
import { CUSTOMER_LIST_PAGE_SIZE, type CustomerPageModel } from '../../common/rules/customer-page-model.ts';
import { portalTypes } from '../../common/rules/enums.ts';
import { pageParams, pageView } from '../../common/contracts/paging.ts';
import { idSchema } from '../../common/contracts/schemas.ts';
import { customerMessageSchema } from '../messages/customer-presenter.ts';
import { languages } from '../../common/rules/languages.ts';
import { nextStepKeys, nextStepParties } from '../../common/rules/next-step.ts';
import type { Assert, SameType } from '../../common/rules/same-type.ts';
import type { CustomerVisibility } from '../../common/rules/visibility.ts';

/**
 * Response shapes of the customer page's API (server only: the customer bundle carries no zod and
 * types its data with common/rules/customer-page-model.ts). The serializer keeps only the fields named
 * here, so a field a presenter adds by mistake never reaches a customer.
 */

const customerDocument = z.object({
  id: z.string(),
  name: z.string(),
  url: z.string(),
  sizeBytes: z.number(),
  sharedAt: isoDateTime,
});

/** One entry of the news feed (CustomerNewsItem): redacted, in the language asked for. */
export const customerNewsItemSchema = z.object({
  id: z.string(),
  kind: z.enum(newsKinds),
  occurredAt: isoDateTime,
  text: z.string(),
});

/** A page of the news feed, newest first (the page answer holds page 1). */
export const customerNewsPage = pageView(customerNewsItemSchema);
/** A page of the message thread, newest first (the page answer holds page 1). */
export const customerMessagesPage = pageView(customerMessageSchema);

export const customerPageModelSchema = z.object({
  company: z.object({
    name: z.string(),
    logo: z.object({ url: z.string(), url2x: z.string() }).nullable(),
    portalType: z.enum(portalTypes),
  }),
  colors: colorsSchema,
  case: z.object({
    address: z.object({ street: z.string(), postalCode: z.string(), city: z.string() }),
    claimNumber: z.string(),
    caseHandler: z.object({ name: z.string(), phone: z.string().nullable() }).nullable(),
    partnerContacts: z.array(
      z.object({
        office: z.string(),
        person: z.string().nullable(),
        phone: z.string().nullable(),
        taskName: z.string().nullable(),
      }),
    ),
  }),
  news: customerNewsPage,
  plan: z.array(
    z.object({
      id: z.string(),
      taskName: z.string(),
      meetingAt: isoDateTime,
      partner: z.string().nullable(),
      responsible: z.string().nullable(),
    }),
  ),
  tasks: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      description: z.string().nullable(),
      startsOn: isoDate.nullable(),
      endsOn: isoDate.nullable(),
      meetingAt: isoDateTime.nullable(),
      status: z.enum(['not_started', 'started', 'finished']),
      hasMedia: z.boolean(),
      media: z.array(z.object({ id: z.string(), name: z.string(), url: z.string() })),
    }),
  ),
  documents: z.object({
    inspectionReport: customerDocument.nullable(),
    settlementReport: customerDocument.nullable(),
    shared: z.array(customerDocument),
  }),
  budget: z.object({
    lines: z.array(z.object({ id: z.string(), description: z.string(), amountOre: z.number() })),
  }),
  messages: customerMessagesPage,
  nextStep: z.object({
    key: z.enum(nextStepKeys),
    waitingFor: z.enum(nextStepParties).nullable(),
    text: z.string(),
  }),
  rejection: z.object({ decidedAt: isoDateTime, text: z.string() }).nullable(),
});
// The model is written by hand (zod-free) for the customer bundle; this schema must produce exactly it.
type _ModelTied = Assert<SameType<z.infer<typeof customerPageModelSchema>, CustomerPageModel>>;

export const customerVisibilitySchema = z.object({
  reachable: z.boolean(),
  reason: z.enum(['cancelled', 'closed_too_long']).optional(),
  dashboard: z.literal(true),
  news: z.boolean(),
  newsKinds: z.array(z.enum(newsKinds)),
  planOnDashboard: z.boolean(),
  tabs: z.object({
    projectPlan: z.boolean(),
    communication: z.boolean(),
    documents: z.boolean(),
    budget: z.boolean(),
  }),
  reports: z.object({ inspectionReport: z.boolean(), settlementReport: z.boolean() }),
  communication: z.object({
    customerCanRead: z.boolean(),
    customerCanPost: z.boolean(),
    onlyOwnMessages: z.boolean(),
  }),
  caseInfo: z.object({
    caseHandlerName: z.boolean(),
    caseHandlerPhone: z.boolean(),
    partnerContact: z.boolean(),
    contactForMoreInfo: z.string().nullable(),
  }),
});
type _VisibilityTied = Assert<SameType<z.infer<typeof customerVisibilitySchema>, CustomerVisibility>>;

/**
 * GET /api/customer/page: `ok` with the visibility and the model; `unavailable` (closed past its
 * window, cancelled, access removed) with only the session view (reason, company name, contact text).
 */
export const customerPageResponse = z.object({
  state: z.enum(['ok', 'unavailable']),
  visibility: customerVisibilitySchema.nullable(),
  model: customerPageModelSchema.nullable(),
  session: customerSessionView,
});

export const customerPageQuery = z.object({ lang: z.enum(languages).default('nb') });

const language = z.enum(languages).default('nb');

/**
 * The anchor of a newest-first customer list: the paging convention's `page`/`pageSize` counted from
 * this entry downwards. Entries newer than the anchor (arrived after the first page was shown) are
 * left out, so page N stays the same N-th slice however many arrive meanwhile: nothing is skipped or
 * shown twice. The page sends the id of the newest entry of the first page it shows.
 */
const anchor = idSchema
  .optional()
  .describe(
    'Id of the newest entry the pages are counted from (the first entry of page 1 as shown); newer ' +
      'entries are left out so pages do not shift while new ones arrive. Unknown: 404',
  );

export const customerNewsQuery = z.strictObject({
  lang: language,
  ...pageParams(CUSTOMER_LIST_PAGE_SIZE),
  anchor,
});

export const customerMessagesQuery = z.strictObject({ ...pageParams(CUSTOMER_LIST_PAGE_SIZE), anchor });
