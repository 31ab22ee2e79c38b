import type { z } from 'zod';
import type {
  apiKeyListQuery,
  apiKeyView,
  companyView,
  idView,
  meView,
  partnerListQuery,
  partnerView,
  userListQuery,
  userView,
} from '../../common/contracts/api.ts';
import type {
  callView,
  caseEventView,
  caseListView,
  CaseStatusAction,
  caseView,
} from '../../common/contracts/case-api.ts';
import type {
  caseSatisfactionView,
  satisfactionResultsQuery,
  satisfactionResultsView,
} from '../../common/contracts/satisfaction-api.ts';
import type { saveSsoConfigSchema, ssoConfigView } from '../../common/contracts/sso-api.ts';
import type { erasePersonBody, erasePersonView } from '../../common/contracts/person-data-api.ts';
import type { auditLogQuery, auditLogView } from '../../common/contracts/audit-api.ts';
import type {
  createWebhookSchema,
  updateWebhookSchema,
  webhookDeliveryListQuery,
  webhookDeliveryView,
  webhookListQuery,
  webhookView,
  webhookWithSecretView,
} from '../../common/contracts/webhook-api.ts';
import type {
  assignMainInspectionSchema,
  caseLogQuery,
  claimDecisionSchema,
  closeCaseSchema,
  createCaseSchema,
  createTaskSchema,
  listCasesQuery,
  recordCallSchema,
  reopenCaseSchema,
  updateCaseSchema,
  updateTaskSchema,
} from '../../common/contracts/case-schemas.ts';
import type {
  caseSendLinkSchema,
  caseSendLinkView,
  customerAccessListView,
  devMailboxQuery,
  devMailboxView,
  grantCustomerAccessSchema,
  newCustomerLinkSchema,
} from '../../common/contracts/customer-access-api.ts';
import type {
  milestonePreviewQuery,
  milestonePreviewView,
} from '../../common/contracts/milestone-preview-api.ts';
import type { SettingName } from '../../common/rules/customer-page-settings.ts';
import type {
  customerPageAuditEntryView,
  customerPageAuditQuery,
  customerPageConfigView,
} from '../../common/contracts/customer-page-settings.ts';
import type {
  documentIdsSchema,
  documentListView,
  documentPageView,
  documentView,
  listDocumentsQuery,
  UploadDocumentFields,
} from '../../common/contracts/document-api.ts';
import type {
  answerQuoteRequestSchema,
  budgetView,
  createInvoiceSchema,
  createQuoteRequestSchema,
  createReminderSchema,
  dashboardCaseListView,
  dashboardCasesQuery,
  dashboardView,
  invoiceView,
  quoteRequestView,
  reminderView,
  replaceBudgetSchema,
} from '../../common/contracts/economy-api.ts';
import type {
  markAllReadView,
  messageThreadQuery,
  messageThreadView,
  postedMessageView,
  notificationListQuery,
  notificationListView,
  postMessageBody,
} from '../../common/contracts/message-api.ts';
import type { Page } from '../../common/rules/pages.ts';
import type {
  createApiKeySchema,
  createPartnerSchema,
  createUserSchema,
  loginSchema,
  updateCompanySchema,
  updateUserSchema,
} from '../../common/contracts/schemas.ts';
import { formOf, routeCaller, routeUrl, type QueryOf } from '../shared/api-client.ts';
import type { bankIdBrokerInput, bankIdBrokerView } from '../../common/contracts/bankid-api.ts';
import type {
  approveSettlementSchema,
  costControlView,
  saveSettlementSchema,
  settlementView,
} from '../../common/contracts/settlement-api.ts';

export { ApiError } from '../shared/api-client.ts';

// The staff app's API client (issue 14): the routes it calls, each typed by the zod schemas its server
// route declares (types only: the first load stays without zod), and the functions components call.
// A new call is a line in `StaffRoutes` and a function in `api`; test/http/web-client-routes.test.ts
// fails when a route here is not in the server's OpenAPI document.

/** What a route answers / takes, by the schema the server serialises / validates with. */
type Out<S extends z.ZodType> = z.infer<S>;
type In<S extends z.ZodType> = z.input<S>;
type Id = { id: string };
type PersonOfCase = { id: string; contactId: string };
type Paging = QueryOf<{ page: number; pageSize: number }>;

/** Every route the staff app calls: 'METHOD /api/path/{param}' → params, query, body, answer. */
/** The table of routes (exported for the clients of lazily loaded screens, e.g. cases/settlement-data.ts). */
export interface StaffRoutes {
  'POST /api/auth/login': { body: In<typeof loginSchema>; response: Out<typeof meView> };
  'POST /api/auth/logout': { response: void };
  'GET /api/me': { response: Out<typeof meView> };

  'GET /api/company': { response: Out<typeof companyView> };
  'PATCH /api/company': { body: In<typeof updateCompanySchema>; response: Out<typeof companyView> };
  'POST /api/company/logo': { body: FormData; response: { logoUrl: string; logoUrl2x: string } };
  'GET /api/users': { query: QueryOf<In<typeof userListQuery>>; response: Page<Out<typeof userView>> };
  'POST /api/users': { body: In<typeof createUserSchema>; response: Out<typeof userView> };
  'PATCH /api/users/{id}': { params: Id; body: In<typeof updateUserSchema>; response: Out<typeof userView> };
  'GET /api/partners': {
    query: QueryOf<In<typeof partnerListQuery>>;
    response: Page<Out<typeof partnerView>>;
  };
  'POST /api/partners': { body: In<typeof createPartnerSchema>; response: Out<typeof idView> };
  'GET /api/admin/api-keys': {
    query: QueryOf<In<typeof apiKeyListQuery>>;
    response: Page<Out<typeof apiKeyView>>;
  };
  'POST /api/admin/api-keys': {
    body: In<typeof createApiKeySchema>;
    response: { id: string; key: string; name: string; level: number };
  };
  'DELETE /api/admin/api-keys/{id}': { params: Id; response: void };
  'GET /api/webhooks': {
    query: QueryOf<In<typeof webhookListQuery>>;
    response: Page<Out<typeof webhookView>>;
  };
  'POST /api/webhooks': { body: In<typeof createWebhookSchema>; response: Out<typeof webhookWithSecretView> };
  'PATCH /api/webhooks/{id}': {
    params: Id;
    body: In<typeof updateWebhookSchema>;
    response: Out<typeof webhookView>;
  };
  'DELETE /api/webhooks/{id}': { params: Id; response: void };
  'GET /api/webhooks/{id}/deliveries': {
    params: Id;
    query: QueryOf<In<typeof webhookDeliveryListQuery>>;
    response: Page<Out<typeof webhookDeliveryView>>;
  };
  'POST /api/webhooks/{id}/deliveries/{deliveryId}/replay': {
    params: { id: string; deliveryId: string };
    response: Out<typeof webhookDeliveryView>;
  };
  'GET /api/admin/sso': { response: Out<typeof ssoConfigView> };
  'PUT /api/admin/sso': { body: In<typeof saveSsoConfigSchema>; response: Out<typeof ssoConfigView> };
  'DELETE /api/admin/sso': { response: void };
  'GET /api/auth/sso/{companyId}/start': { params: { companyId: string }; response: never }; // a redirect

  'GET /api/cases': { query: QueryOf<In<typeof listCasesQuery>>; response: Out<typeof caseListView> };
  'POST /api/cases': { body: In<typeof createCaseSchema>; response: Out<typeof caseView> };
  'GET /api/cases/{id}': { params: Id; response: Out<typeof caseView> };
  'GET /api/cases/{id}/satisfaction': { params: Id; response: Out<typeof caseSatisfactionView> };
  'GET /api/cases/{id}/people/{contactId}/export': { params: PersonOfCase; response: never }; // a zip (a link)
  'POST /api/cases/{id}/people/{contactId}/erase': {
    params: PersonOfCase;
    body: In<typeof erasePersonBody>;
    response: Out<typeof erasePersonView>;
  };
  'GET /api/satisfaction': {
    query: QueryOf<In<typeof satisfactionResultsQuery>>;
    response: Out<typeof satisfactionResultsView>;
  };
  'GET /api/audit-log': { query: QueryOf<In<typeof auditLogQuery>>; response: Out<typeof auditLogView> };
  'PATCH /api/cases/{id}': { params: Id; body: In<typeof updateCaseSchema>; response: Out<typeof caseView> };
  'POST /api/cases/{id}/hold': { params: Id; response: Out<typeof caseView> };
  'POST /api/cases/{id}/resume': { params: Id; response: Out<typeof caseView> };
  'POST /api/cases/{id}/close': {
    params: Id;
    body: In<typeof closeCaseSchema>;
    response: Out<typeof caseView>;
  };
  'POST /api/cases/{id}/cancel': { params: Id; response: Out<typeof caseView> };
  'POST /api/cases/{id}/reopen': {
    params: Id;
    body: In<typeof reopenCaseSchema>;
    response: Out<typeof caseView>;
  };
  'POST /api/cases/{id}/claim-decision': {
    params: Id;
    body: In<typeof claimDecisionSchema>;
    response: Out<typeof caseView>;
  };
  'GET /api/cases/{id}/log': {
    params: Id;
    query: QueryOf<In<typeof caseLogQuery>>;
    response: Page<Out<typeof caseEventView>>;
  };
  'GET /api/cases/{id}/calls': { params: Id; query: Paging; response: Page<Out<typeof callView>> };
  'POST /api/cases/{id}/calls': {
    params: Id;
    body: In<typeof recordCallSchema>;
    response: Out<typeof callView>;
  };
  'GET /api/cases/{id}/live': { params: Id; response: never }; // an event stream (EventSource)

  'POST /api/cases/{id}/main-inspection/assign': {
    params: Id;
    body: In<typeof assignMainInspectionSchema>;
    response: Out<typeof caseView>;
  };
  'POST /api/cases/{id}/main-inspection/start': { params: Id; response: Out<typeof caseView> };
  'POST /api/cases/{id}/main-inspection/finish': { params: Id; response: Out<typeof caseView> };
  'POST /api/cases/{id}/tasks': {
    params: Id;
    body: In<typeof createTaskSchema>;
    response: Out<typeof idView>;
  };
  'PATCH /api/tasks/{id}': { params: Id; body: In<typeof updateTaskSchema>; response: Out<typeof caseView> };
  'POST /api/tasks/{id}/start': { params: Id; response: Out<typeof caseView> };
  'POST /api/tasks/{id}/finish': { params: Id; response: Out<typeof caseView> };

  'GET /api/cases/{id}/reminders': { params: Id; query: Paging; response: Page<Out<typeof reminderView>> };
  'POST /api/cases/{id}/reminders': {
    params: Id;
    body: In<typeof createReminderSchema>;
    response: Out<typeof reminderView>;
  };
  'POST /api/reminders/{id}/done': { params: Id; response: Out<typeof reminderView> };
  'GET /api/cases/{id}/quote-requests': {
    params: Id;
    query: Paging;
    response: Page<Out<typeof quoteRequestView>>;
  };
  'POST /api/cases/{id}/quote-requests': {
    params: Id;
    body: In<typeof createQuoteRequestSchema>;
    response: Out<typeof quoteRequestView>;
  };
  'POST /api/quote-requests/{id}/answered': {
    params: Id;
    body: In<typeof answerQuoteRequestSchema>;
    response: Out<typeof quoteRequestView>;
  };
  'GET /api/cases/{id}/invoices': { params: Id; query: Paging; response: Page<Out<typeof invoiceView>> };
  'POST /api/cases/{id}/invoices': {
    params: Id;
    body: In<typeof createInvoiceSchema>;
    response: Out<typeof invoiceView>;
  };
  'POST /api/invoices/{id}/approve': { params: Id; response: Out<typeof invoiceView> };
  'GET /api/cases/{id}/budget': { params: Id; response: Out<typeof budgetView> };
  'PUT /api/cases/{id}/budget': {
    params: Id;
    body: In<typeof replaceBudgetSchema>;
    response: Out<typeof budgetView>;
  };
  'GET /api/cases/{id}/cost-control': { params: Id; response: Out<typeof costControlView> };
  'GET /api/cases/{id}/settlement': { params: Id; response: Out<typeof settlementView> };
  'PUT /api/cases/{id}/settlement': {
    params: Id;
    body: In<typeof saveSettlementSchema>;
    response: Out<typeof settlementView>;
  };
  'POST /api/cases/{id}/settlement/approve': {
    params: Id;
    body: In<typeof approveSettlementSchema>;
    response: Out<typeof settlementView>;
  };
  'POST /api/cases/{id}/settlement/new-version': {
    params: Id;
    body: Record<string, never>;
    response: Out<typeof settlementView>;
  };

  'GET /api/cases/{id}/documents': {
    params: Id;
    query: QueryOf<In<typeof listDocumentsQuery>>;
    response: Out<typeof documentPageView>;
  };
  'POST /api/cases/{id}/documents': { params: Id; body: FormData; response: Out<typeof documentView> };
  'POST /api/tasks/{id}/media': { params: Id; body: FormData; response: Out<typeof documentView> };
  'POST /api/cases/{id}/documents/share': {
    params: Id;
    body: In<typeof documentIdsSchema>;
    response: Out<typeof documentListView>;
  };
  'POST /api/cases/{id}/documents/unshare': {
    params: Id;
    body: In<typeof documentIdsSchema>;
    response: Out<typeof documentListView>;
  };
  'DELETE /api/cases/{id}/documents/{documentId}': { params: Id & { documentId: string }; response: void };
  'POST /api/documents/{id}/seen': { params: Id; response: Out<typeof documentView> };
  'GET /api/documents/{id}/download': { params: Id; response: never }; // a file (a download link)

  'GET /api/cases/{id}/messages': {
    params: Id;
    query: QueryOf<In<typeof messageThreadQuery>>;
    response: Out<typeof messageThreadView>;
  };
  'POST /api/cases/{id}/messages': {
    params: Id;
    body: In<typeof postMessageBody> | FormData;
    response: Out<typeof postedMessageView>;
  };
  'POST /api/cases/{id}/messages/mark-all-read': { params: Id; response: Out<typeof markAllReadView> };

  'GET /api/cases/{id}/customer-access': { params: Id; response: Out<typeof customerAccessListView> };
  'POST /api/cases/{id}/customer-access': {
    params: Id;
    body: In<typeof grantCustomerAccessSchema>;
    response: Out<typeof customerAccessListView>;
  };
  'DELETE /api/cases/{id}/customer-access/{contactId}': {
    params: Id & { contactId: string };
    response: Out<typeof customerAccessListView>;
  };
  'POST /api/cases/{id}/customer-access/{contactId}/new-link': {
    params: Id & { contactId: string };
    body: In<typeof newCustomerLinkSchema>;
    response: Out<typeof customerAccessListView>;
  };
  'GET /api/cases/{id}/milestone-preview': {
    params: Id;
    query: QueryOf<In<typeof milestonePreviewQuery>>;
    response: Out<typeof milestonePreviewView>;
  };
  'PUT /api/cases/{id}/customer-page-link': {
    params: Id;
    body: In<typeof caseSendLinkSchema>;
    response: Out<typeof caseSendLinkView>;
  };

  'GET /api/notifications': {
    query?: QueryOf<In<typeof notificationListQuery>>;
    response: Out<typeof notificationListView>;
  };
  'POST /api/notifications/{id}/read': { params: Id; response: Out<typeof notificationListView> };
  'GET /api/live': { response: never }; // the staff app's event stream (EventSource)
  'POST /api/notifications/read-all': { response: Out<typeof notificationListView> };
  'GET /api/dashboard': { response: Out<typeof dashboardView> };
  'GET /api/dashboard/cases': {
    query: QueryOf<In<typeof dashboardCasesQuery>>;
    response: Out<typeof dashboardCaseListView>;
  };

  'GET /api/admin/customer-page': { response: Out<typeof customerPageConfigView> };
  // The form sends every setting back as edited (numbers as typed): the server's schema checks them.
  'PUT /api/admin/customer-page': {
    body: Record<SettingName, unknown>;
    response: Out<typeof customerPageConfigView>;
  };
  'GET /api/admin/customer-page/audit': {
    query: QueryOf<In<typeof customerPageAuditQuery>>;
    response: Page<Out<typeof customerPageAuditEntryView>>;
  };
  'POST /api/admin/customer-page/logo': { body: FormData; response: Out<typeof customerPageConfigView> };
  'GET /api/admin/dev-mailbox': {
    query: QueryOf<In<typeof devMailboxQuery>>;
    response: Out<typeof devMailboxView>;
  };
  'GET /api/admin/bankid-broker': { response: Out<typeof bankIdBrokerView> };
  'PUT /api/admin/bankid-broker': {
    body: In<typeof bankIdBrokerInput>;
    response: Out<typeof bankIdBrokerView>;
  };
  'DELETE /api/admin/bankid-broker': { response: Out<typeof bankIdBrokerView> };
}

const call = routeCaller<StaffRoutes>();
const params = (id: string) => ({ params: { id } });
/** A one-file upload: its text fields first, then the file as `file`. */
const fileForm = (file: File, fields: Record<string, string | undefined> = {}) =>
  formOf(fields, [['file', file]]);

/** A page of a list: `page` (1-based) and optionally `pageSize` (the list's default otherwise). */
export interface PageQuery {
  page: number;
  pageSize?: number;
}

/** The staff API, by what it does: components call these, never a URL. */
export const api = {
  auth: {
    login: (body: In<typeof loginSchema>) => call('POST /api/auth/login', { body }),
    logout: () => call('POST /api/auth/logout'),
    me: () => call('GET /api/me'),
  },
  company: {
    get: () => call('GET /api/company'),
    update: (body: In<typeof updateCompanySchema>) => call('PATCH /api/company', { body }),
    uploadLogo: (file: File) => call('POST /api/company/logo', { body: fileForm(file) }),
  },
  users: {
    list: (query: PageQuery) => call('GET /api/users', { query }),
    create: (body: In<typeof createUserSchema>) => call('POST /api/users', { body }),
    update: (id: string, body: In<typeof updateUserSchema>) =>
      call('PATCH /api/users/{id}', { ...params(id), body }),
  },
  partners: {
    list: (query: PageQuery) => call('GET /api/partners', { query }),
    create: (body: In<typeof createPartnerSchema>) => call('POST /api/partners', { body }),
  },
  apiKeys: {
    list: (query: PageQuery) => call('GET /api/admin/api-keys', { query }),
    create: (body: In<typeof createApiKeySchema>) => call('POST /api/admin/api-keys', { body }),
    revoke: (id: string) => call('DELETE /api/admin/api-keys/{id}', params(id)),
  },
  webhooks: {
    list: (query: PageQuery) => call('GET /api/webhooks', { query }),
    create: (body: In<typeof createWebhookSchema>) => call('POST /api/webhooks', { body }),
    update: (id: string, body: In<typeof updateWebhookSchema>) =>
      call('PATCH /api/webhooks/{id}', { ...params(id), body }),
    remove: (id: string) => call('DELETE /api/webhooks/{id}', params(id)),
    deliveries: (id: string, query: PageQuery) =>
      call('GET /api/webhooks/{id}/deliveries', { ...params(id), query }),
    replay: (id: string, deliveryId: string) =>
      call('POST /api/webhooks/{id}/deliveries/{deliveryId}/replay', { params: { id, deliveryId } }),
  },
  personData: {
    /** The zip of everything the case holds about one person (level 6; a download link). */
    exportUrl: (caseId: string, contactId: string) =>
      routeUrl('GET /api/cases/{id}/people/{contactId}/export', { params: { id: caseId, contactId } }),
    /** Erases one person's data from the case (level 6; cannot be undone). */
    erase: (caseId: string, contactId: string) =>
      call('POST /api/cases/{id}/people/{contactId}/erase', {
        params: { id: caseId, contactId },
        body: { confirm: true },
      }),
  },
  satisfaction: {
    /** The company's results in a period (level 4). */
    results: (query: QueryOf<In<typeof satisfactionResultsQuery>>) =>
      call('GET /api/satisfaction', { query }),
  },
  audit: {
    /** One page of the company's audit trail, newest first, optionally of one kind (level 6). */
    list: (query: QueryOf<In<typeof auditLogQuery>>) => call('GET /api/audit-log', { query }),
  },
  sso: {
    get: () => call('GET /api/admin/sso'),
    save: (body: In<typeof saveSsoConfigSchema>) => call('PUT /api/admin/sso', { body }),
    remove: () => call('DELETE /api/admin/sso'),
    /** Where the company-account button leads: the server redirects to the company's provider. */
    startUrl: (companyId: string) =>
      routeUrl('GET /api/auth/sso/{companyId}/start', { params: { companyId } }),
  },
  cases: {
    list: (query: QueryOf<In<typeof listCasesQuery>>) => call('GET /api/cases', { query }),
    create: (body: In<typeof createCaseSchema>) => call('POST /api/cases', { body }),
    get: (id: string) => call('GET /api/cases/{id}', params(id)),
    update: (id: string, body: In<typeof updateCaseSchema>) =>
      call('PATCH /api/cases/{id}', { ...params(id), body }),
    /** Hold, resume, close (optional internal comment), cancel, reopen (optional internal reason). */
    changeStatus: (
      id: string,
      action: CaseStatusAction,
      note: { comment?: string; reason?: string } = {},
    ) => {
      switch (action) {
        case 'hold':
          return call('POST /api/cases/{id}/hold', params(id));
        case 'resume':
          return call('POST /api/cases/{id}/resume', params(id));
        case 'close':
          return call('POST /api/cases/{id}/close', { ...params(id), body: { comment: note.comment } });
        case 'cancel':
          return call('POST /api/cases/{id}/cancel', params(id));
        case 'reopen':
          return call('POST /api/cases/{id}/reopen', { ...params(id), body: { reason: note.reason } });
      }
    },
    decideClaim: (id: string, decision: In<typeof claimDecisionSchema>['decision']) =>
      call('POST /api/cases/{id}/claim-decision', { ...params(id), body: { decision } }),
    log: (id: string, filter: Pick<QueryOf<In<typeof caseLogQuery>>, 'topic' | 'kind'>, paging: PageQuery) =>
      call('GET /api/cases/{id}/log', { ...params(id), query: { ...filter, ...paging } }),
    calls: (id: string, paging: PageQuery) =>
      call('GET /api/cases/{id}/calls', { ...params(id), query: paging }),
    recordCall: (id: string, body: In<typeof recordCallSchema>) =>
      call('POST /api/cases/{id}/calls', { ...params(id), body }),
    /** The customers' answers to the satisfaction question of the case. */
    satisfaction: (id: string) => call('GET /api/cases/{id}/satisfaction', params(id)),
    /** The address of the case's live signals (server-sent events), for an EventSource. */
    liveUrl: (id: string) => routeUrl('GET /api/cases/{id}/live', params(id)),
  },
  tasks: {
    assignMainInspection: (caseId: string, body: In<typeof assignMainInspectionSchema>) =>
      call('POST /api/cases/{id}/main-inspection/assign', { ...params(caseId), body }),
    progressMainInspection: (caseId: string, step: 'start' | 'finish') =>
      step === 'start'
        ? call('POST /api/cases/{id}/main-inspection/start', params(caseId))
        : call('POST /api/cases/{id}/main-inspection/finish', params(caseId)),
    create: (caseId: string, body: In<typeof createTaskSchema>) =>
      call('POST /api/cases/{id}/tasks', { ...params(caseId), body }),
    update: (taskId: string, body: In<typeof updateTaskSchema>) =>
      call('PATCH /api/tasks/{id}', { ...params(taskId), body }),
    progress: (taskId: string, step: 'start' | 'finish') =>
      step === 'start'
        ? call('POST /api/tasks/{id}/start', params(taskId))
        : call('POST /api/tasks/{id}/finish', params(taskId)),
  },
  reminders: {
    list: (caseId: string, paging: PageQuery) =>
      call('GET /api/cases/{id}/reminders', { ...params(caseId), query: paging }),
    create: (caseId: string, body: In<typeof createReminderSchema>) =>
      call('POST /api/cases/{id}/reminders', { ...params(caseId), body }),
    done: (id: string) => call('POST /api/reminders/{id}/done', params(id)),
  },
  quoteRequests: {
    list: (caseId: string, paging: PageQuery) =>
      call('GET /api/cases/{id}/quote-requests', { ...params(caseId), query: paging }),
    create: (caseId: string, body: In<typeof createQuoteRequestSchema>) =>
      call('POST /api/cases/{id}/quote-requests', { ...params(caseId), body }),
    markAnswered: (id: string, amountOre: number | null) =>
      call('POST /api/quote-requests/{id}/answered', {
        ...params(id),
        body: amountOre === null ? {} : { amountOre },
      }),
  },
  invoices: {
    list: (caseId: string, paging: PageQuery) =>
      call('GET /api/cases/{id}/invoices', { ...params(caseId), query: paging }),
    create: (caseId: string, body: In<typeof createInvoiceSchema>) =>
      call('POST /api/cases/{id}/invoices', { ...params(caseId), body }),
    approve: (id: string) => call('POST /api/invoices/{id}/approve', params(id)),
  },
  budget: {
    get: (caseId: string) => call('GET /api/cases/{id}/budget', params(caseId)),
    replace: (caseId: string, body: In<typeof replaceBudgetSchema>) =>
      call('PUT /api/cases/{id}/budget', { ...params(caseId), body }),
  },
  documents: {
    list: (caseId: string, paging: PageQuery) =>
      call('GET /api/cases/{id}/documents', { ...params(caseId), query: paging }),
    /** Uploads a file to the case's library with its kind (and the partner office it came from). */
    upload: (caseId: string, file: File, fields: { [K in keyof UploadDocumentFields]?: string }) =>
      call('POST /api/cases/{id}/documents', { ...params(caseId), body: fileForm(file, { ...fields }) }),
    /** Shares the documents with the customer (true) or withdraws the sharing (false). */
    share: (caseId: string, share: boolean, documentIds: string[]) =>
      share
        ? call('POST /api/cases/{id}/documents/share', { ...params(caseId), body: { documentIds } })
        : call('POST /api/cases/{id}/documents/unshare', { ...params(caseId), body: { documentIds } }),
    remove: (caseId: string, documentId: string) =>
      call('DELETE /api/cases/{id}/documents/{documentId}', { params: { id: caseId, documentId } }),
    markSeen: (id: string) => call('POST /api/documents/{id}/seen', params(id)),
    /** The address a document downloads from (as an attachment), for a link. */
    downloadUrl: (id: string) => routeUrl('GET /api/documents/{id}/download', params(id)),
    /** An image document's thumbnail, or its display image for the viewer (HEIC as JPEG). */
    previewUrl: (id: string, kind: 'thumbnail' | 'display') =>
      kind === 'thumbnail'
        ? routeUrl('GET /api/documents/{id}/thumbnail', params(id))
        : routeUrl('GET /api/documents/{id}/display', params(id)),
    /** Adds a photo, video or PDF to a task. */
    uploadTaskMedia: (taskId: string, file: File) =>
      call('POST /api/tasks/{id}/media', { ...params(taskId), body: fileForm(file, {}) }),
    /** The media of one task, newest first. */
    taskMedia: (caseId: string, taskId: string) =>
      call('GET /api/cases/{id}/documents', { ...params(caseId), query: { taskId, pageSize: 100 } }),
  },
  messages: {
    thread: (caseId: string, paging: PageQuery) =>
      call('GET /api/cases/{id}/messages', { ...params(caseId), query: paging }),
    /** Writes to the customer: JSON without files, multipart (`body`, then the `files`) with them. */
    post: (caseId: string, body: string, files: readonly File[]) =>
      call('POST /api/cases/{id}/messages', {
        ...params(caseId),
        body:
          files.length === 0
            ? { body }
            : formOf(
                { body },
                files.map((file) => ['files', file] as const),
              ),
      }),
    markAllRead: (caseId: string) => call('POST /api/cases/{id}/messages/mark-all-read', params(caseId)),
  },
  customerAccess: {
    list: (caseId: string) => call('GET /api/cases/{id}/customer-access', params(caseId)),
    /** `phone`: a mobile number saved on the person first (the SMS security code needs one). */
    grant: (caseId: string, contactId: string, phone?: string) =>
      call('POST /api/cases/{id}/customer-access', {
        ...params(caseId),
        body: phone ? { contactId, phone } : { contactId },
      }),
    remove: (caseId: string, contactId: string) =>
      call('DELETE /api/cases/{id}/customer-access/{contactId}', { params: { id: caseId, contactId } }),
    newLink: (caseId: string, contactId: string, phone?: string) =>
      call('POST /api/cases/{id}/customer-access/{contactId}/new-link', {
        params: { id: caseId, contactId },
        body: phone ? { phone } : {},
      }),
    setSendLink: (caseId: string, sendLink: In<typeof caseSendLinkSchema>['sendLink']) =>
      call('PUT /api/cases/{id}/customer-page-link', { ...params(caseId), body: { sendLink } }),
    /** What a milestone step would change for the customer (asked before the step, nothing written). */
    milestonePreview: (caseId: string, step: In<typeof milestonePreviewQuery>['step']) =>
      call('GET /api/cases/{id}/milestone-preview', { ...params(caseId), query: { step } }),
  },
  notifications: {
    /** The first page with the unread count (the shell's count), or the page asked for. */
    list: (paging?: PageQuery) => call('GET /api/notifications', paging && { query: paging }),
    /** Marks one notification read, or all of them (null). */
    markRead: (id: string | null) =>
      id ? call('POST /api/notifications/{id}/read', params(id)) : call('POST /api/notifications/read-all'),
    /** The address of the staff app's live signals (company cases, own notifications), for an EventSource. */
    liveUrl: () => routeUrl('GET /api/live'),
  },
  dashboard: {
    get: () => call('GET /api/dashboard'),
    cases: (query: QueryOf<In<typeof dashboardCasesQuery>>) => call('GET /api/dashboard/cases', { query }),
  },
  customerPageConfig: {
    get: () => call('GET /api/admin/customer-page'),
    save: (body: Record<SettingName, unknown>) => call('PUT /api/admin/customer-page', { body }),
    audit: (paging: PageQuery) => call('GET /api/admin/customer-page/audit', { query: paging }),
    uploadLogo: (file: File) => call('POST /api/admin/customer-page/logo', { body: fileForm(file) }),
  },
  bankIdBroker: {
    get: () => call('GET /api/admin/bankid-broker'),
    save: (body: In<typeof bankIdBrokerInput>) => call('PUT /api/admin/bankid-broker', { body }),
    remove: () => call('DELETE /api/admin/bankid-broker'),
  },
  devMailbox: (paging: PageQuery) => call('GET /api/admin/dev-mailbox', { query: paging }),
};
