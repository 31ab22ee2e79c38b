import { randomBytes } from 'node:crypto';
import type { CaseEventData, CaseEventKind } from '../../src/common/rules/case-events.ts';
import { defaultCustomerPageSettings } from '../../src/common/rules/customer-page-settings.ts';
import { addDays } from '../../src/common/rules/oslo-date.ts';
import { hashPassword } from '../../src/server/security/passwords.ts';
import { NO_HANDLER } from '../../src/server/cases/case-counts.ts';
import { caseSearchText } from '../../src/server/cases/search-text.ts';
import type { CaseStatus, Database } from '../../src/server/db/schema.ts';
import { hashToken, newId, randomToken } from '../../src/server/security/tokens.ts';
import type { BulkWriter, RowBatch, TableName } from './bulk-insert.ts';
import { companySizes, type BenchOptions } from './options.ts';
import {
  damageDescriptions,
  firstNames,
  lastNames,
  messageTexts,
  partnerNames,
  places,
  Random,
  reminderTexts,
  repairTaskNames,
  streets,
} from './random.ts';

/**
 * The benchmark's data set: companies with staff, partners, and cases in every state with the rows a
 * real case accumulates — contacts, customer-access grants and their link messages, main inspection
 * and repair tasks, the case-event log (typed data of src/common/rules/case-events.ts), calls, document
 * metadata (no files), reminders, quote requests, invoices, budget lines, the message thread and the
 * staff notifications of unread customer messages. Open items fall around today so the staff
 * dashboard has numbers in every column. Rows are consistent (every id points at a row of the same
 * company) and written straight to the database in batches (see bulk-insert.ts).
 */

/** The one password of every generated staff user (hashed once with the app's argon2id). */
export const STAFF_PASSWORD = 'benk-passord-2026';

export interface GeneratedCompany {
  id: string;
  name: string;
  cases: number;
  /** A case handler (level 4) whose dashboard and search are measured. */
  benchUser: { id: string; email: string };
}

/** A customer-access link whose token we know, for opening a real customer session. */
export interface SampleLink {
  token: string;
  caseId: string;
  companyId: string;
}

export interface GeneratedSet {
  companies: GeneratedCompany[];
  links: SampleLink[];
  /** Words the case search is measured with (streets, cities, surnames of the data set). */
  searchTerms: string[];
  rowCounts: Partial<Record<TableName, number>>;
  seconds: number;
}

type EventActor = Pick<Database['case_events'], 'actor_kind' | 'actor_id' | 'actor_name'>;

type Rows = { [K in TableName]?: Array<Database[K]> };

/** Parents before children, so foreign keys hold at every insert. */
const insertOrder: TableName[] = [
  'companies',
  'customer_page_settings',
  'users',
  'partners',
  'offices',
  'persons',
  'cases',
  'case_contacts',
  'case_search',
  'case_counts',
  'customer_access',
  'outbox',
  'tasks',
  'case_events',
  'calls',
  'documents',
  'reminders',
  'quote_requests',
  'invoices',
  'budget_lines',
  'case_messages',
  'message_attachments',
  'staff_notifications',
];

const CASES_PER_BATCH = 1_000;
const DAY = 86_400_000;

type CaseState =
  | 'new'
  | 'inspection_assigned'
  | 'inspection_started'
  | 'decided'
  | 'rejected'
  | 'repairs'
  | 'on_hold'
  | 'closed_recently'
  | 'closed_long_ago'
  | 'cancelled';

/** Share of each state; about half the cases are still being worked on. */
const stateWeights: Record<CaseState, number> = {
  new: 7,
  inspection_assigned: 7,
  inspection_started: 4,
  decided: 8,
  rejected: 2,
  repairs: 18,
  on_hold: 4,
  closed_recently: 4,
  closed_long_ago: 43,
  cancelled: 3,
};

/** Age of a case in each state, in days before now. */
const ageDays: Record<CaseState, [number, number]> = {
  new: [0, 14],
  inspection_assigned: [2, 40],
  inspection_started: [5, 60],
  decided: [10, 120],
  rejected: [10, 120],
  repairs: [20, 300],
  on_hold: [20, 400],
  closed_recently: [40, 300],
  closed_long_ago: [70, 1100],
  cancelled: [5, 600],
};

const rank: Record<CaseState, number> = {
  new: 0,
  cancelled: 0,
  inspection_assigned: 1,
  inspection_started: 2,
  decided: 3,
  rejected: 3,
  repairs: 4,
  on_hold: 4,
  closed_recently: 5,
  closed_long_ago: 5,
};

const ascii = (text: string) =>
  text
    .toLowerCase()
    .replace(/æ/g, 'ae')
    .replace(/ø/g, 'o')
    .replace(/å/g, 'a')
    .replace(/[^a-z0-9]/g, '');

const iso = (ms: number) => new Date(ms).toISOString();
/** The calendar date in Norway at an instant, near enough for test data (CET; Intl is too slow here). */
const dateOf = (ms: number) => new Date(ms + 3_600_000).toISOString().slice(0, 10);
const companyNames = [
  'Fjordtrygd Forsikring AS',
  'Nordlys Skadeforsikring AS',
  'Vestland Bygg og Skade AS',
  'Trygg Hjem Forsikring AS',
  'Midtnorsk Takst AS',
  'Sørlandet Skadeservice AS',
];

interface Staff {
  id: string;
  name: string;
  phone: string;
}
interface Office {
  id: string;
  name: string;
  persons: Staff[];
}

/** Everything of one company the case generator picks from. */
interface CompanyContext {
  id: string;
  name: string;
  handlers: Staff[];
  offices: Office[];
}

/**
 * Generates the data set once and writes every batch to each writer (SQLite and PostgreSQL get the
 * same rows, ids included); logs progress.
 */
export async function generateDataSet(
  writers: BulkWriter[],
  options: BenchOptions,
  log: (line: string) => void,
): Promise<GeneratedSet> {
  const started = performance.now();
  const random = new Random(options.seed);
  const passwordHash = await hashPassword(STAFF_PASSWORD);
  const sizes = companySizes(options);
  const rowCounts: Partial<Record<TableName, number>> = {};
  const flush = async (rows: Rows) => {
    const batch: RowBatch = [];
    for (const table of insertOrder) {
      const list = rows[table];
      if (!list?.length) continue;
      rowCounts[table] = (rowCounts[table] ?? 0) + list.length;
      batch.push([table, list as unknown as Array<Record<string, unknown>>]);
    }
    // One batch in flight per writer: PostgreSQL inserts batch N in its own process while this one
    // generates batch N+1 (and SQLite, synchronous, writes it).
    await inFlight;
    inFlight = Promise.all(writers.map((writer) => writer.write(batch))).then(() => undefined);
    // Awaited at the next flush; until then a failed write must not count as an unhandled rejection
    // (Node would exit at once, skipping the cleanup that drops the bench databases).
    inFlight.catch(() => {});
  };
  let inFlight: Promise<void> = Promise.resolve();

  const companies: GeneratedCompany[] = [];
  const candidates: SampleLink[] = [];
  // Keep about three candidates per wanted session, spread over every company and state.
  const linkChance = Math.min(1, (options.sessions * 3) / Math.max(1, options.cases * 0.55));
  const nowMs = Date.now();
  let done = 0;
  let lastLog = performance.now();

  for (const [index, size] of sizes.entries()) {
    const company = await createCompany(flush, random, index, size, passwordHash, nowMs);
    companies.push(company.generated);
    // The case list's totals, as the app's on-change step (cases/case-counts.ts) keeps them.
    const counts = new Map<string, Database['case_counts']>();
    for (let first = 0; first < size; first += CASES_PER_BATCH) {
      const rows: Rows = {};
      const count = Math.min(CASES_PER_BATCH, size - first);
      for (let n = 0; n < count; n += 1) {
        const link = generateCase(rows, random, company.context, first + n + 1, nowMs, options.eventsPerCase);
        if (link && random.chance(linkChance)) candidates.push(link);
        // Let the PostgreSQL writer send its next statement now and then.
        if (n % 50 === 49) await new Promise((resolve) => setImmediate(resolve));
      }
      for (const row of rows.cases ?? []) {
        const handlerKey = row.case_handler_id ?? NO_HANDLER;
        const key = `${row.status}\n${handlerKey}`;
        const entry = counts.get(key);
        if (entry) entry.cases += 1;
        else
          counts.set(key, {
            company_id: company.context.id,
            status: row.status,
            handler_key: handlerKey,
            cases: 1,
          });
      }
      await flush(rows);
      done += count;
      if (performance.now() - lastLog > 5_000) {
        lastLog = performance.now();
        const rate = done / ((performance.now() - started) / 1000);
        log(
          `  ${done} / ${options.cases} cases, ${rowCounts.case_events ?? 0} events (${rate.toFixed(0)} cases/s)`,
        );
      }
    }
    await flush({ case_counts: [...counts.values()] });
  }

  await inFlight;

  // A random sample of the candidates, one session each.
  for (let i = candidates.length - 1; i > 0; i -= 1) {
    const j = random.int(0, i);
    [candidates[i], candidates[j]] = [candidates[j]!, candidates[i]!];
  }
  return {
    companies,
    links: candidates.slice(0, options.sessions),
    searchTerms: ['Storgata', 'bergen', 'Hansen', 'ødegård', 'Fjellveien 1', '5003', 'kari', 'SK-2026-0001'],
    rowCounts,
    seconds: (performance.now() - started) / 1000,
  };
}

async function createCompany(
  flush: (rows: Rows) => Promise<void>,
  random: Random,
  index: number,
  size: number,
  passwordHash: string,
  nowMs: number,
): Promise<{ generated: GeneratedCompany; context: CompanyContext }> {
  const id = newId();
  const name = companyNames[index % companyNames.length]! + (index >= companyNames.length ? ` ${index}` : '');
  const domain = `selskap${index + 1}.benk.no`;
  const created = iso(nowMs - 1200 * DAY);
  const rows: Rows = {
    companies: [
      {
        id,
        name,
        org_number: String(910_000_000 + index * 1_111),
        portal_type: index % 3 === 2 ? 'contractor' : 'insurance',
        logo_key: null,
        page_version: 0,
        created_at: created,
      },
    ],
    users: [],
    partners: [],
    offices: [],
    persons: [],
  };
  // The biggest company shows more of the page (budget, plan, partner contacts), so its customer page
  // runs every query; the others keep the defaults (no settings row).
  if (index === 0) {
    rows.customer_page_settings = [
      {
        company_id: id,
        settings: JSON.stringify({
          ...defaultCustomerPageSettings,
          showBudget: 'positive_decision',
          showPlanOnDashboard: true,
          showCaseHandlerPhone: true,
          showPartnerContact: true,
          newsFilter: [...defaultCustomerPageSettings.newsFilter, 'call_history'],
        }),
        logo_key: null,
        updated_at: created,
        updated_by: 'bench',
      },
    ];
  }
  const person = (): Staff => ({
    id: newId(),
    name: `${random.pick(firstNames)} ${random.pick(lastNames)}`,
    phone: `+479${String(random.int(0, 9_999_999)).padStart(7, '0')}`,
  });
  const user = (staff: Staff, email: string, level: number) => ({
    id: staff.id,
    company_id: id,
    name: staff.name,
    email,
    phone: staff.phone,
    level,
    active: 1,
    password_hash: passwordHash,
    created_at: created,
    updated_at: created,
  });
  rows.users!.push(user(person(), `admin@${domain}`, 6));
  // About one case handler per 2 000 cases, as a large claims department would have.
  const handlers = Array.from({ length: Math.max(3, Math.ceil(size / 2_000)) }, person);
  handlers.forEach((staff, i) =>
    rows.users!.push(user(staff, `saksbehandler${i + 1}@${domain}`, i === 0 ? 4 : 1 + (i % 3))),
  );

  const offices: Office[] = [];
  for (let p = 0; p < 8; p += 1) {
    const partnerId = newId();
    const partnerName = partnerNames[(p + index) % partnerNames.length]!;
    rows.partners!.push({
      id: partnerId,
      company_id: id,
      name: partnerName,
      org_number: null,
      created_at: created,
    });
    for (let o = 0; o < 2; o += 1) {
      const [, city] = random.pick(places);
      const office: Office = { id: newId(), name: `${partnerName} ${city}`, persons: [] };
      rows.offices!.push({
        id: office.id,
        company_id: id,
        partner_id: partnerId,
        name: office.name,
        phone: `+4722${String(random.int(0, 999_999)).padStart(6, '0')}`,
        email: `post.${o}@${ascii(partnerName)}.no`,
        created_at: created,
      });
      for (let s = 0; s < 3; s += 1) {
        const member = person();
        office.persons.push(member);
        rows.persons!.push({
          id: member.id,
          company_id: id,
          office_id: office.id,
          name: member.name,
          email: `${ascii(member.name)}@${ascii(partnerName)}.no`,
          phone: member.phone,
          created_at: created,
        });
      }
      offices.push(office);
    }
  }
  await flush(rows);
  const bench = handlers[0]!;
  return {
    generated: { id, name, cases: size, benchUser: { id: bench.id, email: `saksbehandler1@${domain}` } },
    context: { id, name, handlers, offices },
  };
}

/** Appends one case and everything it owns to `rows`; returns its customer link when one may open. */
function generateCase(
  rows: Rows,
  random: Random,
  company: CompanyContext,
  sequence: number,
  nowMs: number,
  eventsPerCase: number,
): SampleLink | null {
  const push = <K extends TableName>(table: K, row: Database[K]) => {
    const list = (rows[table] ??= []) as Array<Database[K]>;
    list.push(row);
  };
  const state = random.weighted(stateWeights);
  const [minAge, maxAge] = ageDays[state];
  const createdMs = nowMs - random.int(minAge * 24, maxAge * 24) * 3_600_000 - random.int(0, 3_599_999);
  // Closed cases: closed 31+ days ago (past the default window) or within the last 29 days.
  const closedMs =
    state === 'closed_long_ago'
      ? random.int(createdMs + 10 * DAY, nowMs - 31 * DAY)
      : state === 'closed_recently'
        ? nowMs - random.int(1, 29 * 24) * 3_600_000
        : null;
  const endMs = closedMs ?? nowMs;
  // A clock that moves forward through the case's life.
  let clock = createdMs;
  const step = (share = 0.08) => {
    const next = clock + random.int(60_000, Math.max(120_000, Math.floor((endMs - clock) * share)));
    clock = Math.max(clock, Math.min(endMs - 1000, next));
    return iso(clock);
  };
  const today = dateOf(nowMs);
  const dueAround = () => addDays(today, random.int(-6, 21));

  const handler = random.pick(company.handlers);
  const handlerRef = { id: handler.id, name: handler.name };
  const actor: EventActor = { actor_kind: 'user', actor_id: handler.id, actor_name: handler.name };
  const caseId = newId();
  const year = new Date(createdMs).getUTCFullYear();
  const claimNumber = `SK-${year}-${String(sequence).padStart(6, '0')}`;
  const [postalCode, city] = random.pick(places);
  const active = rank[state] < 5 && state !== 'cancelled';
  const status: CaseStatus =
    state === 'cancelled'
      ? 'cancelled'
      : state === 'on_hold'
        ? 'on_hold'
        : rank[state] === 5
          ? 'closed'
          : 'open';

  let events = 0;
  const event = <K extends CaseEventKind>(kind: K, at: string, data: CaseEventData[K], by = actor) => {
    events += 1;
    push('case_events', {
      id: newId(),
      company_id: company.id,
      case_id: caseId,
      kind,
      occurred_at: at,
      ...by,
      data: JSON.stringify(data),
    });
  };
  const system: EventActor = { actor_kind: 'system', actor_id: null, actor_name: null };

  // The case and its people.
  const createdAt = iso(createdMs);
  const caseRow: Database['cases'] = {
    id: caseId,
    company_id: company.id,
    claim_number: claimNumber,
    street: `${random.pick(streets)} ${random.int(1, 120)}${random.chance(0.15) ? random.pick(['A', 'B', 'C']) : ''}`,
    postal_code: postalCode,
    city,
    description: random.pick(damageDescriptions),
    status,
    claim_decision: null,
    claim_decision_at: null,
    case_handler_id: handler.id,
    external_case_handler_id: null,
    technical_advisor_id: random.chance(0.3) ? random.pick(company.handlers).id : null,
    project_manager_id: null,
    project_management_office_id: null,
    quality_control: random.chance(0.1) ? 1 : 0,
    created_at: createdAt,
    main_inspection_assigned_at: null,
    positive_decision_at: null,
    closed_at: closedMs === null ? null : iso(closedMs),
    updated_at: createdAt,
    send_link: null,
    version: 0,
  };
  push('cases', caseRow);
  event('case_created', createdAt, { claimNumber });
  event('case_handler_changed', createdAt, { from: null, to: handlerRef });

  const contact = (role: 'customer' | 'contact_person' | 'other') => {
    const first = random.pick(firstNames);
    const last = random.pick(lastNames);
    const row: Database['case_contacts'] = {
      id: newId(),
      company_id: company.id,
      case_id: caseId,
      role,
      name: `${first} ${last}`,
      email: random.chance(0.9) ? `${ascii(first)}.${ascii(last)}${random.int(1, 999)}@eksempel.no` : null,
      phone: `+47${random.pick(['4', '9'])}${String(random.int(0, 9_999_999)).padStart(7, '0')}`,
      created_at: createdAt,
    };
    push('case_contacts', row);
    event('contact_added', createdAt, { contactId: row.id, role, name: row.name });
    return row;
  };
  const customer = contact('customer');
  // What the app's on-change step (cases/search-text.ts) keeps for every case: without it the bench
  // would search an empty index.
  push('case_search', {
    case_id: caseId,
    company_id: company.id,
    created_at: createdAt,
    search_text: caseSearchText(caseRow, [customer]),
  });
  if (random.chance(0.3)) contact('contact_person');
  if (random.chance(0.1)) contact('other');

  // Access for the customer at case creation (the default sendLink), with its link messages.
  const accessId = newId();
  const removed = random.chance(0.03);
  const knownToken = !removed && (active || state === 'closed_recently') ? randomToken() : null;
  push('customer_access', {
    id: accessId,
    company_id: company.id,
    case_id: caseId,
    contact_id: customer.id,
    token_hash: knownToken ? hashToken(knownToken) : randomBytes(32).toString('base64url'),
    link_version: 1,
    state: removed ? 'removed' : 'active',
    granted_by_kind: 'system',
    granted_by_id: null,
    granted_by_name: null,
    granted_at: createdAt,
    removed_at: removed ? step() : null,
    last_used_at: random.chance(0.6) ? step(0.5) : null,
    wrong_codes: 0,
    code_locked_at: null,
    identified_by: null,
    identified_name: null,
    identified_birth_date: null,
    identified_at: null,
  });
  event('customer_access_granted', createdAt, {
    accessId,
    contactId: customer.id,
    name: customer.name,
    manual: false,
  });
  const channels: Array<['email' | 'sms', string]> = [];
  if (customer.email) channels.push(['email', customer.email]);
  if (customer.phone) channels.push(['sms', customer.phone]);
  for (const [channel, recipient] of channels) {
    const messageId = newId();
    const sentAt = iso(createdMs + random.int(1_000, 60_000));
    push('outbox', {
      id: messageId,
      company_id: company.id,
      case_id: caseId,
      access_id: accessId,
      kind: 'customer_link',
      channel,
      recipient,
      sender_name: company.name,
      subject: channel === 'email' ? `Din skadesak ${claimNumber}` : null,
      body_text: `Følg skadesaken din hos ${company.name}: {{secret}}`,
      body_html: null,
      secret_sealed: null,
      idempotency_key: `link:${accessId}:1:${channel}`,
      state: 'sent',
      attempts: 1,
      next_attempt_at: createdAt,
      last_error: null,
      locked_by: null,
      locked_until: null,
      delivered_via: channel === 'email' ? 'smtp' : 'sms-webhook',
      created_at: createdAt,
      sent_at: sentAt,
      provider_status: null,
      provider_status_at: null,
      provider_error: null,
    });
    const message = { messageId, accessId, name: customer.name, channel, recipient };
    event('customer_link_queued', createdAt, message, system);
    event('customer_link_sent', sentAt, { ...message, attempts: 1 }, system);
  }

  // Main inspection.
  let inspectionReportId: string | null = null;
  if (rank[state] >= 1) {
    const office = random.pick(company.offices);
    const inspector = random.pick(office.persons);
    const taskId = newId();
    const assignedAt = step();
    caseRow.main_inspection_assigned_at = assignedAt;
    const started = rank[state] >= 2;
    const finished = rank[state] >= 3;
    const startedAt = started ? step() : null;
    const finishedAt = finished ? step() : null;
    push('tasks', {
      id: taskId,
      company_id: company.id,
      case_id: caseId,
      kind: 'main_inspection',
      name: 'Hovedbefaring',
      description: null,
      office_id: office.id,
      responsible_id: inspector.id,
      starts_on: null,
      ends_on: null,
      meeting_at: null,
      status: finished ? 'finished' : started ? 'started' : 'not_started',
      started_at: startedAt,
      finished_at: finishedAt,
      created_at: assignedAt,
    });
    event('main_inspection_assigned', assignedAt, { taskId, office: { id: office.id, name: office.name } });
    event('inspector_assigned', assignedAt, {
      taskId,
      inspector: { id: inspector.id, name: inspector.name },
    });
    if (startedAt) event('main_inspection_started', startedAt, { taskId });
    if (finishedAt) {
      event('main_inspection_finished', finishedAt, { taskId });
      inspectionReportId = newId();
      const fileName = `Takstrapport ${claimNumber}.pdf`;
      push('documents', {
        id: inspectionReportId,
        company_id: company.id,
        case_id: caseId,
        task_id: null,
        kind: 'inspection_report',
        file_name: fileName,
        content_type: 'application/pdf',
        size_bytes: random.int(80_000, 4_000_000),
        storage_key: `bench/${inspectionReportId}`,
        uploaded_by_kind: 'partner',
        uploaded_by_id: inspector.id,
        uploaded_by_name: inspector.name,
        seen_at: finishedAt,
        shared_at: null,
        created_at: finishedAt,
      });
      event('document_uploaded', finishedAt, {
        documentId: inspectionReportId,
        fileName,
        kind: 'inspection_report',
      });
    }
  }

  // Claim decision.
  if (rank[state] >= 3) {
    const decision =
      state === 'rejected' ? 'rejected' : random.chance(0.95) ? 'accepted' : 'needs_more_information';
    const at = step();
    caseRow.claim_decision = decision;
    caseRow.claim_decision_at = at;
    if (decision === 'accepted') caseRow.positive_decision_at = at;
    event('claim_decision', at, { internalDecision: decision });
  }

  // Repairs: project management, tasks with schedules, budget, quotes, invoices.
  if (rank[state] >= 4 || (state === 'decided' && random.chance(0.5))) {
    const management = random.pick(company.offices);
    const manager = random.pick(management.persons);
    caseRow.project_management_office_id = management.id;
    caseRow.project_manager_id = manager.id;
    event('project_management_assigned', step(), { office: { id: management.id, name: management.name } });
    event('project_manager_assigned', step(), { person: { id: manager.id, name: manager.name } });
    const taskCount = random.int(1, 3);
    for (let t = 0; t < taskCount; t += 1) {
      const office = random.pick(company.offices);
      const responsible = random.pick(office.persons);
      const taskId = newId();
      const name = random.pick(repairTaskNames);
      const addedAt = step();
      const startsOn = addDays(dateOf(clock), random.int(0, 30));
      const endsOn = addDays(startsOn, random.int(1, 20));
      const meetingAt = iso(Date.parse(`${startsOn}T08:00:00Z`) + random.int(0, 8) * 3_600_000);
      const progress = rank[state] === 5 ? 2 : random.int(0, 2);
      push('tasks', {
        id: taskId,
        company_id: company.id,
        case_id: caseId,
        kind: 'repair',
        name,
        description: random.chance(0.5) ? `${name} etter ${caseRow.description?.toLowerCase()}` : null,
        office_id: office.id,
        responsible_id: responsible.id,
        starts_on: startsOn,
        ends_on: endsOn,
        meeting_at: meetingAt,
        status: progress === 2 ? 'finished' : progress === 1 ? 'started' : 'not_started',
        started_at: progress >= 1 ? step() : null,
        finished_at: progress === 2 ? step() : null,
        created_at: addedAt,
      });
      event('task_added', addedAt, { taskId, name });
      event('task_office_assigned', addedAt, { taskId, name, office: { id: office.id, name: office.name } });
      event('repair_responsible_chosen', addedAt, {
        taskId,
        name,
        person: { id: responsible.id, name: responsible.name },
      });
      event('repair_schedule_changed', step(), { taskId, name, startsOn, endsOn });
      event('meeting_time_changed', step(), { taskId, name, meetingAt });
      if (progress >= 1) event('task_started', step(), { taskId, name });
      if (progress === 2) event('task_finished', step(), { taskId, name });
      if (random.chance(0.3)) {
        const mediaId = newId();
        push('documents', {
          id: mediaId,
          company_id: company.id,
          case_id: caseId,
          task_id: taskId,
          kind: 'task_media',
          file_name: `bilde-${t + 1}.jpg`,
          content_type: 'image/jpeg',
          size_bytes: random.int(200_000, 6_000_000),
          storage_key: `bench/${mediaId}`,
          uploaded_by_kind: 'partner',
          uploaded_by_id: responsible.id,
          uploaded_by_name: responsible.name,
          seen_at: active && random.chance(0.1) ? null : step(),
          shared_at: null,
          created_at: step(),
        });
      }
    }
    let total = 0;
    for (let b = random.int(2, 5); b > 0; b -= 1) {
      const amount = random.int(5_000, 150_000) * 100;
      total += amount;
      push('budget_lines', {
        id: newId(),
        company_id: company.id,
        case_id: caseId,
        description: random.pick(repairTaskNames),
        amount_ore: amount,
        created_at: step(),
      });
    }
    event('budget_changed', step(), { totalOre: total });
    if (random.chance(0.4)) {
      const quoteId = newId();
      const pending = active && random.chance(0.35);
      const deadline = pending ? dueAround() : addDays(dateOf(clock), 14);
      push('quote_requests', {
        id: quoteId,
        company_id: company.id,
        case_id: caseId,
        office_id: random.pick(company.offices).id,
        description: `Tilbud på ${random.pick(repairTaskNames).toLowerCase()}`,
        deadline_on: deadline,
        status: pending ? 'pending' : 'answered',
        answered_at: pending ? null : step(),
        created_at: step(),
      });
      event('quote_request_created', step(), { quoteRequestId: quoteId, deadlineOn: deadline });
      if (!pending) event('quote_request_answered', step(), { quoteRequestId: quoteId });
    }
    for (let v = random.int(0, 2); v > 0; v -= 1) {
      const invoiceId = newId();
      const waiting = active && random.chance(0.25);
      const dueOn = waiting ? dueAround() : addDays(dateOf(clock), 30);
      const amount = random.int(3_000, 90_000) * 100;
      push('invoices', {
        id: invoiceId,
        company_id: company.id,
        case_id: caseId,
        office_id: random.pick(company.offices).id,
        description: `Faktura ${random.pick(repairTaskNames).toLowerCase()}`,
        amount_ore: amount,
        due_on: dueOn,
        status: waiting ? 'awaiting_approval' : 'approved',
        approved_at: waiting ? null : step(),
        approved_by_name: waiting ? null : actor.actor_name,
        created_at: step(),
      });
      event('invoice_received', step(), { invoiceId, amountOre: amount, dueOn });
      if (!waiting) event('invoice_approved', step(), { invoiceId });
    }
  }

  // Documents shared by hand, and uploads staff have not seen yet (the dashboard's rows).
  for (let d = random.int(0, 2); d > 0; d -= 1) {
    const id = newId();
    const fileName = random.pick([
      'Skadeskjema.pdf',
      'Oppgjørsbrev.pdf',
      'Bilder fra befaring.pdf',
      'Tilbud.pdf',
    ]);
    const at = step();
    push('documents', {
      id,
      company_id: company.id,
      case_id: caseId,
      task_id: null,
      kind: 'other',
      file_name: fileName,
      content_type: 'application/pdf',
      size_bytes: random.int(30_000, 2_000_000),
      storage_key: `bench/${id}`,
      uploaded_by_kind: 'staff',
      uploaded_by_id: handler.id,
      uploaded_by_name: handler.name,
      seen_at: at,
      shared_at: at,
      created_at: at,
    });
    event('document_uploaded', at, { documentId: id, fileName, kind: 'other' });
    event('document_shared', at, { documentId: id, fileName });
  }
  const unseenUpload = (by: 'partner' | 'customer') => {
    const id = newId();
    const who =
      by === 'customer'
        ? { id: accessId, name: customer.name }
        : random.pick(random.pick(company.offices).persons);
    const fileName = by === 'customer' ? `IMG_${random.int(1000, 9999)}.jpg` : 'Dokumentasjon.pdf';
    const at = step();
    push('documents', {
      id,
      company_id: company.id,
      case_id: caseId,
      task_id: null,
      kind: 'other',
      file_name: fileName,
      content_type: by === 'customer' ? 'image/jpeg' : 'application/pdf',
      size_bytes: random.int(100_000, 5_000_000),
      storage_key: `bench/${id}`,
      uploaded_by_kind: by,
      uploaded_by_id: who.id,
      uploaded_by_name: who.name,
      seen_at: null,
      shared_at: null,
      created_at: at,
    });
    event('document_uploaded', at, { documentId: id, fileName, kind: 'other' });
  };
  if (active && random.chance(0.05)) unseenUpload('partner');
  if (active && random.chance(0.03)) unseenUpload('customer');

  // The message thread; some customer messages are still unread, each with the handler's notification.
  if (rank[state] >= 1 || random.chance(0.3)) {
    for (let m = random.int(0, 5); m > 0; m -= 1) {
      const id = newId();
      const at = step();
      const fromCustomer = random.chance(0.45);
      const unread = fromCustomer && active && random.chance(0.15);
      push('case_messages', {
        id,
        company_id: company.id,
        case_id: caseId,
        direction: fromCustomer ? 'from_customer' : 'to_customer',
        sender_kind: fromCustomer ? 'customer' : 'user',
        sender_id: fromCustomer ? accessId : handler.id,
        sender_name: fromCustomer ? customer.name : handler.name,
        sender_email: fromCustomer ? customer.email : null,
        body: random.pick(messageTexts),
        created_at: at,
        read_at: fromCustomer && !unread ? step() : null,
      });
      if (!fromCustomer) event('message_to_customer', at, { messageId: id });
      else {
        // The communication issue's event of a customer's message (written raw: its kind is new).
        events += 1;
        push('case_events', {
          id: newId(),
          company_id: company.id,
          case_id: caseId,
          kind: 'message_from_customer',
          occurred_at: at,
          actor_kind: 'customer',
          actor_id: accessId,
          actor_name: customer.name,
          data: JSON.stringify({ messageId: id, name: customer.name, files: 0 }),
        });
      }
      if (unread) {
        push('staff_notifications', {
          id: newId(),
          company_id: company.id,
          user_id: handler.id,
          case_id: caseId,
          message_id: id,
          kind: 'customer_message',
          created_at: at,
          read_at: null,
        });
      }
    }
  }

  // Open reminders of the case handler on active cases.
  if (active && random.chance(0.35)) {
    for (let r = random.int(1, 2); r > 0; r -= 1) {
      const id = newId();
      const dueOn = dueAround();
      const internalText = random.pick(reminderTexts);
      push('reminders', {
        id,
        company_id: company.id,
        case_id: caseId,
        due_on: dueOn,
        text: internalText,
        done_at: null,
        created_at: step(),
      });
      event('reminder_set', step(), { reminderId: id, dueOn, internalText });
    }
  }

  // How the case ended.
  if (state === 'on_hold') event('case_put_on_hold', step(), {});
  if (state === 'cancelled') event('case_cancelled', step(), {});

  // Everyday events up to this case's share of the log: calls, edits, done reminders, staff uploads.
  const target = Math.round(eventsPerCase * (0.6 + random.next() * 0.8));
  while (events < target - (closedMs === null ? 0 : 1)) {
    const kind = random.weighted({ call: 40, edit: 30, reminder: 15, upload: 15 });
    const at = step(0.05);
    if (kind === 'call') {
      const callId = newId();
      const reached = random.chance(0.7);
      // Half the calls the handler makes to the customer, half the customer makes to us.
      const direction = random.chance(0.5) ? 'outgoing' : 'incoming';
      const callerName = direction === 'outgoing' ? handler.name : customer.name;
      const partyName = customer.name;
      const number = customer.phone ?? '+4722000000';
      const durationSeconds = reached ? random.int(30, 900) : 0;
      push('calls', {
        id: callId,
        company_id: company.id,
        case_id: caseId,
        direction,
        caller_name: callerName,
        party_name: partyName,
        number,
        reached: reached ? 1 : 0,
        duration_seconds: durationSeconds,
        called_at: at,
      });
      event('call_recorded', at, {
        callId,
        direction,
        callerName,
        partyName,
        number,
        reached,
        durationSeconds,
      });
    } else if (kind === 'edit') {
      event('case_updated', at, { fields: [random.pick(['description', 'street', 'postalCode', 'city'])] });
    } else if (kind === 'reminder') {
      const id = newId();
      const dueOn = dateOf(clock + 3 * DAY);
      const internalText = random.pick(reminderTexts);
      push('reminders', {
        id,
        company_id: company.id,
        case_id: caseId,
        due_on: dueOn,
        text: internalText,
        done_at: step(0.05),
        created_at: at,
      });
      event('reminder_set', at, { reminderId: id, dueOn, internalText });
      event('reminder_done', step(0.05), { reminderId: id });
    } else {
      const id = newId();
      const fileName = `Notat ${random.int(1, 99)}.pdf`;
      push('documents', {
        id,
        company_id: company.id,
        case_id: caseId,
        task_id: null,
        kind: 'other',
        file_name: fileName,
        content_type: 'application/pdf',
        size_bytes: random.int(10_000, 500_000),
        storage_key: `bench/${id}`,
        uploaded_by_kind: 'staff',
        uploaded_by_id: handler.id,
        uploaded_by_name: handler.name,
        seen_at: at,
        shared_at: null,
        created_at: at,
      });
      event('document_uploaded', at, { documentId: id, fileName, kind: 'other' });
    }
  }
  if (closedMs !== null)
    event('case_closed', iso(closedMs), { internalComment: random.chance(0.5) ? 'Ferdig utbedret' : null });
  caseRow.updated_at = iso(Math.max(clock, closedMs ?? 0));

  return knownToken ? { token: knownToken, caseId, companyId: company.id } : null;
}
