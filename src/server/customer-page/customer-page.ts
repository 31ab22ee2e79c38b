import type { NewsLanguage } from '../../common/rules/customer-news.ts';
import {
  automaticReports,
  automaticShareTime,
  customerVisibility,
  reportKeyOfKind,
  reportTrigger,
  triggerReachedAt,
  type CustomerVisibility,
} from '../../common/rules/visibility.ts';
import {
  CUSTOMER_LIST_PAGE_SIZE,
  type CustomerDocument,
  type CustomerPageModel,
} from '../../common/rules/customer-page-model.ts';
import { nextStepOf, nextStepText, reconsiderationText } from '../../common/rules/next-step.ts';
import { addDays, osloDate } from '../../common/rules/oslo-date.ts';
import { loadCustomerPageLook } from '../customer-page-config/settings.ts';
import { visibilityStateOf } from '../customer-access/access-rules.ts';
import type { Db } from '../db/database.ts';
import { notFound } from '../errors.ts';
import { customerNewsPage, customerThreadPage } from './customer-lists.ts';
import { customerDocumentUrl } from '../documents/urls.ts';
import {
  findCaseForCustomer,
  findCompanyForCustomer,
  findHandlerForCustomer,
  findMessageOfAttachment,
  listBudgetForCustomer,
  listDocumentsForCustomer,
  listTasksForCustomer,
  listTasksWithMedia,
} from './queries.ts';

/** Whose customer page: one case of one company (from the customer's session). */
export interface CustomerScope {
  companyId: string;
  caseId: string;
  /** The grant of the session: decides "own" messages (without it the thread is not sent). */
  accessId?: string;
}

export interface CustomerPageView {
  visibility: CustomerVisibility;
  /** Null when the case is not reachable (closed past its window, cancelled): nothing of it is sent. */
  model: CustomerPageModel | null;
  /**
   * When the page may read differently by the clock alone besides the plan's meetings: the next Oslo
   * midnight while the next step names a date (a start date passing moves it on). Null: never.
   */
  changesAt?: string | null;
}

export { customerDocumentUrl };

/**
 * The customer page of a case, as the shared visibility rules allow it at `now`: every section the
 * rules hide is empty in the model, so hidden data is in no response; the news feed is filtered by
 * the news filter and redacted (customerNewsItem reads only public event facts). The news feed and
 * the thread hold their first page (the newest entries) and their totals (customer-lists.ts).
 */
export async function buildCustomerPage(
  db: Db,
  scope: CustomerScope,
  language: NewsLanguage,
  now: Date = new Date(),
): Promise<CustomerPageView> {
  const row = await findCaseForCustomer(db, scope.companyId, scope.caseId);
  const company = await findCompanyForCustomer(db, scope.companyId);
  if (!row || !company) throw notFound();
  const { settings, logo } = await loadCustomerPageLook(db, scope.companyId);
  const state = visibilityStateOf(row);
  const visibility = customerVisibility(settings, state, now);
  if (!visibility.reachable) return { visibility, model: null };

  const firstPage = { page: 1, pageSize: CUSTOMER_LIST_PAGE_SIZE };
  const [handler, tasks, media, documents, budget, news, messages] = await Promise.all([
    visibility.caseInfo.caseHandlerName && row.case_handler_id
      ? findHandlerForCustomer(db, scope.companyId, row.case_handler_id)
      : undefined,
    // Every page reads the tasks: "Hva skjer nå?" follows the main inspection and the repair tasks.
    listTasksForCustomer(db, row.id),
    visibility.tabs.projectPlan ? listTasksWithMedia(db, row.id) : [],
    visibility.tabs.documents ? listDocumentsForCustomer(db, row.id) : [],
    visibility.tabs.budget ? listBudgetForCustomer(db, row.id) : [],
    customerNewsPage(db, row.id, visibility, language, firstPage),
    scope.accessId
      ? customerThreadPage(db, row.id, scope.accessId, visibility.communication, firstPage)
      : { ...firstPage, items: [], total: 0 },
  ]);

  const repairTasks = tasks.filter((task) => task.kind === 'repair');
  const withMedia = new Set(media.map((m) => m.task_id));
  const presentDocument = (doc: (typeof documents)[number], sharedAt: string): CustomerDocument => ({
    id: doc.id,
    name: doc.file_name,
    url: customerDocumentUrl(doc.id),
    sizeBytes: Number(doc.size_bytes),
    sharedAt,
  });
  // The reports of the automatic rule (the newest of each kind, unless staff withheld it) and the
  // documents shared by hand: the staff library reads the same rule (documents/report-sharing.ts).
  const reports = automaticReports(
    visibility.reports,
    documents.map((doc) => ({
      id: doc.id,
      kind: doc.kind,
      taskId: doc.task_id,
      createdAt: doc.created_at,
      withheld: Boolean(doc.withheld_at),
      doc,
    })),
  );
  const presentReport = (report: (typeof reports)['inspectionReport']) => {
    if (!report) return null;
    const { doc } = report;
    const key = reportKeyOfKind[doc.kind];
    const reachedAt = key ? triggerReachedAt(reportTrigger(settings, key), state) : null;
    const automatic = automaticShareTime(
      { createdAt: doc.created_at, announcedAt: doc.auto_shared_at ?? null },
      reachedAt,
    );
    // Shared by hand (before its milestone, or again after staff withheld it): the date staff see.
    return presentDocument(doc, doc.shared_at ?? automatic);
  };
  const reportIds = new Set([reports.inspectionReport?.id, reports.settlementReport?.id]);

  // "Hva skjer nå?" (issue 19): derived from the case, in the company's wording. The plan's dates are
  // named only while the customer may see the project plan.
  const today = osloDate(now);
  const inspection = tasks.find((task) => task.kind === 'main_inspection');
  const step = nextStepOf(
    {
      status: row.status,
      claimDecision: row.claim_decision,
      claimDecisionAt: row.claim_decision_at,
      mainInspectionAssignedAt: row.main_inspection_assigned_at,
      positiveDecisionAt: row.positive_decision_at,
      mainInspection: inspection ? { status: inspection.status, meetingAt: inspection.meeting_at } : null,
      repairTasks: repairTasks.map((task) => ({
        status: task.status,
        startsOn: visibility.tabs.projectPlan ? task.starts_on : null,
        endsOn: visibility.tabs.projectPlan ? task.ends_on : null,
      })),
    },
    today,
    settings.showDecisionOutcome,
  );
  const rejection =
    step.key === 'rejected' && row.claim_decision_at
      ? {
          decidedAt: row.claim_decision_at,
          text: reconsiderationText(language, settings.reconsiderationText),
        }
      : null;

  const model: CustomerPageModel = {
    company: {
      name: company.name,
      logo: logo.logoUrl && logo.logoUrl2x ? { url: logo.logoUrl, url2x: logo.logoUrl2x } : null,
      portalType: company.portal_type,
    },
    colors: settings.colors,
    case: {
      address: { street: row.street, postalCode: row.postal_code, city: row.city },
      claimNumber: row.claim_number,
      caseHandler: handler
        ? { name: handler.name, phone: visibility.caseInfo.caseHandlerPhone ? handler.phone : null }
        : null,
      partnerContacts: visibility.caseInfo.partnerContact ? partnerContactsOf(tasks) : [],
    },
    news,
    plan: visibility.planOnDashboard
      ? repairTasks
          .filter((task) => task.meeting_at && task.meeting_at >= now.toISOString())
          .sort((a, b) => (a.meeting_at ?? '').localeCompare(b.meeting_at ?? ''))
          .map((task) => ({
            id: task.id,
            taskName: task.name,
            meetingAt: task.meeting_at ?? '',
            partner: task.office_name,
            responsible: task.person_name,
          }))
      : [],
    tasks: visibility.tabs.projectPlan
      ? repairTasks.map((task) => ({
          id: task.id,
          name: task.name,
          description: task.description,
          startsOn: task.starts_on,
          endsOn: task.ends_on,
          meetingAt: task.meeting_at,
          status: task.status,
          hasMedia: withMedia.has(task.id),
          media: media
            .filter((file) => file.task_id === task.id)
            .map((file) => ({ id: file.id, name: file.file_name, url: customerDocumentUrl(file.id) })),
        }))
      : [],
    documents: {
      inspectionReport: presentReport(reports.inspectionReport),
      settlementReport: presentReport(reports.settlementReport),
      shared: documents
        .filter((doc) => doc.shared_at !== null && !reportIds.has(doc.id))
        .map((doc) => presentDocument(doc, doc.shared_at ?? doc.created_at)),
    },
    budget: {
      lines: budget.map((line) => ({
        id: line.id,
        description: line.description,
        amountOre: Number(line.amount_ore),
      })),
    },
    messages,
    nextStep: {
      key: step.key,
      waitingFor: step.waitingFor,
      text: nextStepText(step, language, today, settings.nextStepTexts),
    },
    rejection,
  };
  return { visibility, model, changesAt: step.when ? nextOsloMidnight(today) : null };
}

/** The instant the Oslo calendar day after `today` begins (CET or CEST). */
function nextOsloMidnight(today: string): string {
  const tomorrow = addDays(today, 1);
  for (const offsetHours of [1, 2]) {
    const at = new Date(Date.parse(`${tomorrow}T00:00:00.000Z`) - offsetHours * 3_600_000);
    if (osloDate(at) === tomorrow && osloDate(new Date(at.getTime() - 1)) === today) return at.toISOString();
  }
  return `${today}T22:00:00.000Z`;
}

/**
 * Whether a customer of `scope` may download a document now: it must be one the page shows (a
 * report past its trigger, or shared by hand, while the Documents tab is visible; a file of a task
 * while the project plan is visible; or a file of a
 * message the thread shows this person, on any of its pages).
 */
export async function customerMayDownload(
  db: Db,
  scope: CustomerScope,
  documentId: string,
  now: Date = new Date(),
): Promise<boolean> {
  const { model, visibility } = await buildCustomerPage(db, scope, 'nb', now);
  if (!model) return false;
  const { inspectionReport, settlementReport, shared } = model.documents;
  if ([inspectionReport, settlementReport, ...shared].some((doc) => doc?.id === documentId)) return true;
  // Task media, while the project plan is shown (tasks is empty otherwise).
  if (model.tasks.some((task) => task.media.some((file) => file.id === documentId))) return true;
  // The thread's rule of customerThreadPage, for the one message the file belongs to.
  const { customerCanRead, onlyOwnMessages } = visibility.communication;
  if (!scope.accessId || (!customerCanRead && !onlyOwnMessages)) return false;
  const message = await findMessageOfAttachment(db, scope.caseId, documentId);
  if (!message) return false;
  return !onlyOwnMessages || (message.sender_kind === 'customer' && message.sender_id === scope.accessId);
}

/**
 * The partners a customer may call, each person once (issue 16: a contractor with two repair tasks
 * was listed twice): the same office, person and phone are one entry naming all their repair tasks
 * ("Riving av baderom, Nytt baderom"), in the tasks' order.
 */
function partnerContactsOf(
  tasks: Awaited<ReturnType<typeof listTasksForCustomer>>,
): CustomerPageModel['case']['partnerContacts'] {
  const contacts = new Map<
    string,
    { office: string; person: string | null; phone: string | null; tasks: string[] }
  >();
  for (const task of tasks) {
    if (!task.office_name) continue;
    const phone = task.person_phone ?? task.office_phone;
    const key = JSON.stringify([task.office_name, task.person_name, phone]);
    const contact = contacts.get(key) ?? {
      office: task.office_name,
      person: task.person_name,
      phone,
      tasks: [],
    };
    if (task.kind === 'repair' && !contact.tasks.includes(task.name)) contact.tasks.push(task.name);
    contacts.set(key, contact);
  }
  return [...contacts.values()].map(({ tasks: names, ...contact }) => ({
    ...contact,
    taskName: names.length > 0 ? names.join(', ') : null,
  }));
}
