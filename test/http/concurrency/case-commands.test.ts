import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { CaseView } from '../../../src/common/contracts/case-api.ts';
import type { CaseEventKind } from '../../../src/common/rules/case-events.ts';
import { MAX_CASE_BYTES } from '../../../src/common/contracts/document-api.ts';
import type { DocumentView } from '../../../src/common/contracts/document-api.ts';
import type { BudgetView, InvoiceView } from '../../../src/common/contracts/economy-api.ts';
import type { LiveSignal } from '../../../src/server/live/live.ts';
import { outboxOf } from '../../../src/server/outbox/outbox.ts';
import { createPerson } from '../../../src/server/partners/partners.ts';
import { saveSettings, uniquePhone, uniqueSuffix } from '../../support/customer.ts';
import { bearer, makeActor, makeApiKey, makeCase, makePartnerWithOffice } from '../../support/factory.ts';
import { storedFiles } from '../../support/files.ts';
import { multipart, PDF, PNG, type Part } from '../../support/multipart.ts';
import { useTestApp } from '../../support/test-app.ts';

// Issue 12: every change of a case is one unit of work, so simultaneous requests on one case run one
// after the other and each guard sees what the others committed. Each test fires its requests truly
// at once (one Promise.all of injected requests, API keys: no CSRF origin needed) and then checks the
// case log: never a second event for the same change, never a change from a state it is not allowed
// from. Only outcomes are asserted, never timing; on both databases (vitest projects http-sqlite and
// http-postgres).

const t = useTestApp();

type Method = 'GET' | 'POST' | 'PUT';

/** A company with a level-6 staff actor (for the factories) and an API key of `level`. */
async function company(level = 6) {
  const admin = await makeActor(t.db, { level: 6 });
  const { key } = await makeApiKey(t.db, admin.companyId, level);
  const call = (method: Method, url: string, payload?: object) =>
    t.app.inject({ method, url, headers: bearer(key), ...(payload && { payload }) });
  return { admin, key, companyId: admin.companyId, call };
}

/** A company (API key of `level`) with one open case. */
async function caseWorld(level = 6) {
  const world = await company(level);
  const { id: caseId } = await makeCase(t.db, world.admin);
  return { ...world, caseId };
}

/** Sends `count` requests at once; their answers in the order they were made. */
const atOnce = <T>(count: number, request: (index: number) => Promise<T>) =>
  Promise.all(Array.from({ length: count }, (_, index) => request(index)));

const statusesOf = (responses: Array<{ statusCode: number }>) => responses.map((r) => r.statusCode);
const countOf = (statuses: number[], status: number) => statuses.filter((s) => s === status).length;

interface LoggedEvent {
  id: string;
  kind: string;
  occurredAt: string;
  data: Record<string, unknown>;
}

/**
 * The case's events of `kinds` in commit order. An event's id is made inside its command, after the
 * case lock (ids of this process strictly increase), so id order is the order the commands ran in.
 */
async function eventsOf(caseId: string, kinds: CaseEventKind[]): Promise<LoggedEvent[]> {
  const rows = await t.db
    .selectFrom('case_events')
    .select(['id', 'kind', 'occurred_at', 'data'])
    .where('case_id', '=', caseId)
    .where('kind', 'in', kinds)
    .execute();
  return rows
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((row) => ({
      id: row.id,
      kind: row.kind,
      occurredAt: row.occurred_at,
      data: JSON.parse(row.data) as Record<string, unknown>,
    }));
}

type Call = Awaited<ReturnType<typeof company>>['call'];

/** The case page as the API answers it. */
async function getCaseView(call: Call, caseId: string): Promise<CaseView> {
  const response = await call('GET', `/api/cases/${caseId}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as CaseView;
}

/** Shuffled copy (the order the requests are made in; every order must be safe). */
function shuffled<T>(items: T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

describe('simultaneous case commands', { timeout: 120_000 }, () => {
  it('hold, close and cancel at once (5 each): the successes form one valid path from open', async () => {
    const w = await caseWorld(3);
    const transitions = {
      hold: { event: 'case_put_on_hold', from: ['open'], to: 'on_hold' },
      close: { event: 'case_closed', from: ['open', 'on_hold'], to: 'closed' },
      cancel: { event: 'case_cancelled', from: ['open', 'on_hold'], to: 'cancelled' },
    } as const;
    type Action = keyof typeof transitions;
    const actions = shuffled<Action>(
      Array.from({ length: 15 }, (_, i) => (['hold', 'close', 'cancel'] as const)[i % 3]!),
    );
    const responses = await atOnce(actions.length, (i) =>
      w.call('POST', `/api/cases/${w.caseId}/${actions[i]}`, {}),
    );
    const statuses = statusesOf(responses);
    expect(
      statuses.every((s) => s === 200 || s === 409),
      statuses.join(','),
    ).toBe(true);

    const events = await eventsOf(w.caseId, ['case_put_on_hold', 'case_closed', 'case_cancelled']);
    const path = events.map((e) => e.kind).join(' → ');
    // One event per success, of that success's action.
    for (const action of Object.keys(transitions) as Action[]) {
      const succeeded = actions.filter((a, i) => a === action && statuses[i] === 200).length;
      expect(
        events.filter((e) => e.kind === transitions[action].event),
        `${action}: ${path}`,
      ).toHaveLength(succeeded);
    }
    // Replayed from open in commit order, every event is a transition allowed from where it found the case.
    let status: string = 'open';
    for (const event of events) {
      const [, transition] = Object.entries(transitions).find(([, each]) => each.event === event.kind)!;
      expect(transition.from as readonly string[], path).toContain(status);
      status = transition.to;
    }
    expect(events.length, path).toBeGreaterThanOrEqual(1);

    const view = await getCaseView(w.call, w.caseId);
    expect(view.status, path).toBe(status);
    if (view.status === 'closed') {
      expect(view.closedAt).toBe(events.find((e) => e.kind === 'case_closed')?.occurredAt);
    } else {
      expect(view.closedAt).toBeNull();
    }
  });

  it('reopens a closed case once for ten simultaneous reopens', async () => {
    const w = await caseWorld(3);
    expect((await w.call('POST', `/api/cases/${w.caseId}/close`, {})).statusCode).toBe(200);
    const statuses = statusesOf(
      await atOnce(10, () => w.call('POST', `/api/cases/${w.caseId}/reopen`, { reason: 'Ny skade' })),
    );
    expect(countOf(statuses, 200), statuses.join(',')).toBe(1);
    expect(countOf(statuses, 409), statuses.join(',')).toBe(9);
    expect(await eventsOf(w.caseId, ['case_reopened'])).toHaveLength(1);
    const view = await getCaseView(w.call, w.caseId);
    expect(view.status).toBe('open');
    expect(view.closedAt).toBeNull();
  });

  it('logs the same claim decision sent ten times at once once (a repeat is a no-op)', async () => {
    const w = await caseWorld(2);
    const statuses = statusesOf(
      await atOnce(10, () =>
        w.call('POST', `/api/cases/${w.caseId}/claim-decision`, { decision: 'accepted' }),
      ),
    );
    expect(statuses).toEqual(Array(10).fill(200));
    const events = await eventsOf(w.caseId, ['claim_decision']);
    expect(events.map((e) => e.data)).toEqual([{ internalDecision: 'accepted' }]);
    const view = await getCaseView(w.call, w.caseId);
    expect(view.claimDecision).toBe('accepted');
    expect(view.claimDecisionAt).toBe(events[0]!.occurredAt);
    expect(view.positiveDecisionAt).toBe(events[0]!.occurredAt);
  });

  it('logs exactly the real changes of mixed claim decisions sent at once', async () => {
    const w = await caseWorld(2);
    const decisions = shuffled(
      Array.from(
        { length: 10 },
        (_, i) => (i % 2 === 0 ? 'accepted' : 'rejected') as 'accepted' | 'rejected',
      ),
    );
    const statuses = statusesOf(
      await atOnce(10, (i) =>
        w.call('POST', `/api/cases/${w.caseId}/claim-decision`, { decision: decisions[i] }),
      ),
    );
    expect(statuses).toEqual(Array(10).fill(200));
    const events = await eventsOf(w.caseId, ['claim_decision']);
    const sequence = events.map((e) => e.data.internalDecision as string);
    // In commit order each event changes the decision the case had (null at first): one per real change.
    expect(sequence.length).toBeGreaterThanOrEqual(1);
    expect(sequence.length).toBeLessThanOrEqual(10);
    sequence.forEach((decision, i) => {
      expect(decision, sequence.join(' → ')).not.toBe(i === 0 ? null : sequence[i - 1]);
    });
    const view = await getCaseView(w.call, w.caseId);
    expect(view.claimDecision).toBe(sequence.at(-1));
    expect(view.claimDecisionAt).toBe(events.at(-1)!.occurredAt);
    // The positive-decision milestone is set by the first acceptance and never moves.
    const firstAcceptance = events.find((e) => e.data.internalDecision === 'accepted');
    expect(view.positiveDecisionAt).toBe(firstAcceptance?.occurredAt ?? null);
  });

  it('assigns the main inspection to one office once while ten inspectors are assigned at once', async () => {
    const w = await caseWorld(1);
    const { officeId, personId } = await makePartnerWithOffice(t.db, w.companyId);
    const inspectors = [personId];
    for (let i = 1; i < 10; i++) {
      inspectors.push((await createPerson(t.db, w.companyId, officeId, { name: `Takstmann ${i}` })).id);
    }
    const statuses = statusesOf(
      await atOnce(10, (i) =>
        w.call('POST', `/api/cases/${w.caseId}/main-inspection/assign`, {
          officeId,
          inspectorId: inspectors[i],
        }),
      ),
    );
    expect(statuses).toEqual(Array(10).fill(200));
    const assigned = await eventsOf(w.caseId, ['main_inspection_assigned']);
    expect(assigned.map((e) => (e.data.office as { id: string }).id)).toEqual([officeId]);
    const inspected = await eventsOf(w.caseId, ['inspector_assigned']);
    const inspectorIds = inspected.map((e) => (e.data.inspector as { id: string }).id);
    expect([...inspectorIds].sort()).toEqual([...inspectors].sort());
    const view = await getCaseView(w.call, w.caseId);
    expect(view.mainInspection?.office?.id).toBe(officeId);
    expect(view.mainInspection?.responsible?.id).toBe(inspectorIds.at(-1));
    expect(view.mainInspectionAssignedAt).toBe(assigned[0]!.occurredAt);
  });

  it('starts a task once for ten simultaneous starts, and finishes it once for ten finishes', async () => {
    const w = await caseWorld(1);
    const created = await w.call('POST', `/api/cases/${w.caseId}/tasks`, { name: 'Tørking av bad' });
    expect(created.statusCode, created.body).toBe(201);
    const taskId = (created.json() as { id: string }).id;
    for (const step of ['start', 'finish'] as const) {
      const statuses = statusesOf(await atOnce(10, () => w.call('POST', `/api/tasks/${taskId}/${step}`, {})));
      expect(countOf(statuses, 200), `${step}: ${statuses.join(',')}`).toBe(1);
      expect(countOf(statuses, 409), `${step}: ${statuses.join(',')}`).toBe(9);
    }
    const events = await eventsOf(w.caseId, ['task_started', 'task_finished']);
    expect(events.map((e) => [e.kind, e.data.taskId])).toEqual([
      ['task_started', taskId],
      ['task_finished', taskId],
    ]);
    const task = (await getCaseView(w.call, w.caseId)).tasks.find((x) => x.id === taskId);
    expect(task?.status).toBe('finished');
  });

  it('approves an invoice once for ten simultaneous approvals', async () => {
    const w = await caseWorld(4);
    const created = await w.call('POST', `/api/cases/${w.caseId}/invoices`, {
      description: 'Rørlegger',
      amountOre: 1_250_000,
      dueOn: '2030-01-31',
    });
    expect(created.statusCode, created.body).toBe(201);
    const invoiceId = (created.json() as InvoiceView).id;
    const statuses = statusesOf(
      await atOnce(10, () => w.call('POST', `/api/invoices/${invoiceId}/approve`, {})),
    );
    expect(countOf(statuses, 200), statuses.join(',')).toBe(1);
    expect(countOf(statuses, 409), statuses.join(',')).toBe(9);
    const events = await eventsOf(w.caseId, ['invoice_approved']);
    expect(events.map((e) => e.data)).toEqual([{ invoiceId }]);
    const invoices = await w.call('GET', `/api/cases/${w.caseId}/invoices`);
    expect((invoices.json() as { items: InvoiceView[] }).items.map((i) => i.status)).toEqual(['approved']);
  });

  it('shares a document once for ten simultaneous shares (a repeat is a no-op)', async () => {
    const w = await caseWorld(1);
    const { payload, contentType } = multipart([
      { name: 'kind', value: 'other' },
      { name: 'file', filename: 'rapport.pdf', content: PDF },
    ]);
    const uploaded = await t.app.inject({
      method: 'POST',
      url: `/api/cases/${w.caseId}/documents`,
      headers: { ...bearer(w.key), 'content-type': contentType },
      payload,
    });
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    const documentId = (uploaded.json() as DocumentView).id;
    const responses = await atOnce(10, () =>
      w.call('POST', `/api/cases/${w.caseId}/documents/share`, { documentIds: [documentId] }),
    );
    expect(statusesOf(responses)).toEqual(Array(10).fill(200));
    for (const response of responses) {
      expect(response.json()).toEqual([expect.objectContaining({ id: documentId, shared: true })]);
    }
    const events = await eventsOf(w.caseId, ['document_shared']);
    expect(events.map((e) => e.data)).toEqual([{ documentId, fileName: 'rapport.pdf' }]);
  });

  it('grants a person access once for ten simultaneous grants, with one link per channel', async () => {
    const w = await company(1);
    // Nothing is granted automatically: only the requests below grant.
    await saveSettings(t.db, w.companyId, { sendLink: 'manual', accessFor: 'customer' });
    const suffix = uniqueSuffix();
    const { id: caseId } = await makeCase(t.db, w.admin, {
      customer: { name: `Kari ${suffix}`, email: `kari-${suffix}@example.test`, phone: uniquePhone() },
    });
    const contactId = (await getCaseView(w.call, caseId)).customer!.id;
    const statuses = statusesOf(
      await atOnce(10, () => w.call('POST', `/api/cases/${caseId}/customer-access`, { contactId })),
    );
    expect(
      statuses.filter((s) => s === 200 || s === 201),
      statuses.join(','),
    ).toHaveLength(1);
    expect(countOf(statuses, 409), statuses.join(',')).toBe(9);

    const granted = await eventsOf(caseId, ['customer_access_granted']);
    expect(granted).toHaveLength(1);
    const accessId = granted[0]!.data.accessId as string;
    expect(granted[0]!.data).toMatchObject({ contactId, manual: true });
    const grants = await t.db
      .selectFrom('customer_access')
      .select('id')
      .where('case_id', '=', caseId)
      .execute();
    expect(grants.map((g) => g.id)).toEqual([accessId]);
    const links = await t.db
      .selectFrom('outbox')
      .select(['channel', 'access_id'])
      .where('case_id', '=', caseId)
      .where('kind', '=', 'customer_link')
      .execute();
    expect(links.map((l) => l.access_id)).toEqual([accessId, accessId]);
    expect(links.map((l) => l.channel).sort()).toEqual(['email', 'sms']);
    expect(await eventsOf(caseId, ['customer_link_queued'])).toHaveLength(2);
  });

  it('keeps the budget of the last of ten simultaneous replacements, one event each', async () => {
    const w = await caseWorld(2);
    const budgets = Array.from({ length: 10 }, (_, i) => ({
      lines: [
        { description: `Riving ${i}`, amountOre: 100_000 * (i + 1) },
        { description: `Tørking ${i}`, amountOre: 1_000 + i },
        { description: `Maling ${i}`, amountOre: 7 * (i + 1) },
      ],
    }));
    const totalOf = (budget: (typeof budgets)[number]) =>
      budget.lines.reduce((sum, line) => sum + line.amountOre, 0);
    const statuses = statusesOf(
      await atOnce(10, (i) => w.call('PUT', `/api/cases/${w.caseId}/budget`, budgets[i])),
    );
    expect(statuses).toEqual(Array(10).fill(200));
    const events = await eventsOf(w.caseId, ['budget_changed']);
    expect(events.map((e) => e.data.totalOre as number).sort((a, b) => a - b)).toEqual(
      budgets.map(totalOf).sort((a, b) => a - b),
    );
    const stored = (await w.call('GET', `/api/cases/${w.caseId}/budget`)).json() as BudgetView;
    const last = events.at(-1)!.data.totalOre;
    expect(stored.totalOre).toBe(last);
    // Exactly the lines of that one budget: no mix of two replacements.
    const expected = budgets.find((budget) => totalOf(budget) === last)!;
    expect(stored.lines.map(({ description, amountOre }) => ({ description, amountOre }))).toEqual(
      expected.lines,
    );
  });

  it('shows simultaneous changes in the case log in the order they were made', async () => {
    const w = await caseWorld(2);
    const statuses = statusesOf(
      await atOnce(10, (i) =>
        w.call('PUT', `/api/cases/${w.caseId}/budget`, {
          lines: [{ description: `Linje ${i}`, amountOre: 1_000 * (i + 1) }],
        }),
      ),
    );
    expect(statuses).toEqual(Array(10).fill(200));
    const committed = (await eventsOf(w.caseId, ['budget_changed'])).map((e) => e.data.totalOre);
    const log = await w.call('GET', `/api/cases/${w.caseId}/log?topic=economy`);
    expect(log.statusCode, log.body).toBe(200);
    const shown = (log.json() as { items: Array<{ kind: string; data: { totalOre: number } }> }).items
      .filter((e) => e.kind === 'budget_changed')
      .map((e) => e.data.totalOre)
      .reverse();
    // The newest entry of the log is the budget the case has; the log reads in the order of the changes.
    expect(shown).toEqual(committed);
    const stored = (await w.call('GET', `/api/cases/${w.caseId}/budget`)).json() as BudgetView;
    expect(shown.at(-1)).toBe(stored.totalOre);
  });
});

// A command that fails after its upload was staged must leave nothing: no file (kept or staged), no
// outbox row, no outbox wake, no live signal — its after-commit steps never run. Each test ends with a
// control: the same request succeeding does produce all of them, so the checks can fail.
describe('a case command failing after staging files', { timeout: 120_000 }, () => {
  /**
   * A company (level-1 key) whose cases give `accessFor` access when they open, and one such case: its
   * customer (and with `both` a contact person) can read staff messages, so a message queues notices.
   */
  async function messageWorld(accessFor: 'customer' | 'both') {
    const w = await company(1);
    await saveSettings(t.db, w.companyId, {
      sendLink: 'case_created',
      accessFor,
      communicationMethod: 'both_ways',
      showCommunication: 'case_created',
    });
    const s = uniqueSuffix();
    const { id: caseId } = await makeCase(t.db, w.admin, {
      customer: { name: `Kari ${s}`, email: `kari-${s}@example.test`, phone: uniquePhone() },
      contacts:
        accessFor === 'both'
          ? [{ name: `Per ${s}`, email: `per-${s}@example.test`, role: 'contact_person' }]
          : [],
    });
    const post = (url: string, parts: Part[]) => {
      const { payload, contentType } = multipart(parts);
      return t.app.inject({
        method: 'POST',
        url,
        headers: { ...bearer(w.key), 'content-type': contentType },
        payload,
      });
    };
    /** Every file of the company, kept or staged. */
    const files = () => storedFiles(t.config.dataDir, w.companyId).sort();
    const outboxIds = async () =>
      (await t.db.selectFrom('outbox').select('id').where('case_id', '=', caseId).execute())
        .map((row) => row.id)
        .sort();
    return { ...w, caseId, post, files, outboxIds };
  }

  const messageParts: Part[] = [
    { name: 'body', value: 'Her er bildet fra befaringen.' },
    { name: 'files', filename: 'bilde.png', content: PNG },
  ];
  const uploadParts: Part[] = [
    { name: 'kind', value: 'other' },
    { name: 'file', filename: 'rapport.pdf', content: PDF },
  ];

  /** Records the live signals of a case and the outbox wakes from now on. */
  async function observe(caseId: string) {
    await t.app.live.ready();
    const signals: LiveSignal[] = [];
    const sentinelId = randomUUID();
    let sentinels = 0;
    let wakes = 0;
    const stops = [
      t.app.live.subscribe(caseId, (signal) => signals.push(signal)),
      t.app.live.subscribe(sentinelId, () => sentinels++),
      outboxOf(t.db).onNotified(() => wakes++),
    ];
    return {
      signals,
      wakes: () => wakes,
      /**
       * Waits until a signal published now arrives: signals are delivered in the order they were
       * sent, so every signal of a request answered before has arrived by then (PostgreSQL delivers
       * them asynchronously, through LISTEN).
       */
      drain: async () => {
        const expected = sentinels + 1;
        await t.app.live.publish({ caseId: sentinelId, topic: 'case' });
        for (let waited = 0; sentinels < expected; waited += 10) {
          if (waited > 15_000) throw new Error('the sentinel signal never arrived');
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      },
      stop: () => stops.forEach((stop) => stop()),
    };
  }

  it('leaves nothing when the case is too full for the staged upload (413 inside the command)', async () => {
    const w = await messageWorld('customer');
    const first = await w.post(`/api/cases/${w.caseId}/documents`, uploadParts);
    expect(first.statusCode, first.body).toBe(201);
    const firstId = (first.json() as DocumentView).id;
    // All but 10 bytes of what the case may hold: the check before reading an upload passes, the one
    // inside the command (with the upload's size, under the case lock) refuses it.
    const fill = (sizeBytes: number) =>
      t.db.updateTable('documents').set({ size_bytes: sizeBytes }).where('id', '=', firstId).execute();
    await fill(MAX_CASE_BYTES - 10);
    const filesBefore = w.files();
    const outboxBefore = await w.outboxIds();
    const eventsBefore = await eventsOf(w.caseId, ['document_uploaded', 'message_to_customer']);
    expect(filesBefore).toHaveLength(1);

    const seen = await observe(w.caseId);
    try {
      const message = await w.post(`/api/cases/${w.caseId}/messages`, messageParts);
      expect(message.statusCode, message.body).toBe(413);
      const upload = await w.post(`/api/cases/${w.caseId}/documents`, uploadParts);
      expect(upload.statusCode, upload.body).toBe(413);
      await seen.drain();
      expect(w.files()).toEqual(filesBefore);
      expect(await w.outboxIds()).toEqual(outboxBefore);
      expect(await eventsOf(w.caseId, ['document_uploaded', 'message_to_customer'])).toEqual(eventsBefore);
      expect(
        await t.db.selectFrom('case_messages').select('id').where('case_id', '=', w.caseId).execute(),
      ).toEqual([]);
      expect(seen.signals).toEqual([]);
      expect(seen.wakes()).toBe(0);

      // Control: with room in the case the same message goes through.
      await fill(PDF.length);
      const sent = await w.post(`/api/cases/${w.caseId}/messages`, messageParts);
      expect(sent.statusCode, sent.body).toBe(201);
      await seen.drain();
      expect(w.files().filter((file) => !filesBefore.includes(file))).toHaveLength(1);
      expect((await w.outboxIds()).filter((id) => !outboxBefore.includes(id))).toHaveLength(1);
      expect(seen.wakes()).toBeGreaterThanOrEqual(1);
      expect(seen.signals.map((signal) => signal.topic)).toContain('messages');
    } finally {
      seen.stop();
    }
  });

  it('leaves nothing when the command fails after it queued a notice and asked for a signal', async () => {
    const w = await messageWorld('both');
    // Fault injected in the database: the second notice of this case cannot be queued, so the staff
    // message (to the customer and the contact person) fails after its file was staged, its rows
    // written, the first notice queued (an outbox wake asked for) and its signals asked for.
    const trigger = 'ks_test_refuse_second_notice';
    const refused = `new.kind = 'message_notice' and new.case_id = '${w.caseId}' and exists (select 1 from outbox where case_id = new.case_id and kind = 'message_notice')`;
    if (t.config.database.kind === 'postgres') {
      await sql
        .raw(
          `create function ${trigger}() returns trigger language plpgsql as $$ begin ` +
            `if ${refused} then raise exception 'refused by the test'; end if; return new; end $$`,
        )
        .execute(t.db);
      await sql
        .raw(`create trigger ${trigger} before insert on outbox for each row execute function ${trigger}()`)
        .execute(t.db);
    } else {
      await sql
        .raw(
          `create trigger ${trigger} before insert on outbox when ${refused} ` +
            `begin select raise(abort, 'refused by the test'); end`,
        )
        .execute(t.db);
    }
    const dropTrigger = async () => {
      if (t.config.database.kind === 'postgres') {
        await sql.raw(`drop trigger if exists ${trigger} on outbox`).execute(t.db);
        await sql.raw(`drop function if exists ${trigger}()`).execute(t.db);
      } else {
        await sql.raw(`drop trigger if exists ${trigger}`).execute(t.db);
      }
    };
    const access = await t.db
      .selectFrom('customer_access')
      .select('id')
      .where('case_id', '=', w.caseId)
      .where('state', '=', 'active')
      .execute();
    expect(access).toHaveLength(2);
    const filesBefore = w.files();
    const outboxBefore = await w.outboxIds();
    const eventsBefore = await eventsOf(w.caseId, ['document_uploaded', 'message_to_customer']);

    const seen = await observe(w.caseId);
    try {
      const message = await w.post(`/api/cases/${w.caseId}/messages`, messageParts);
      expect(message.statusCode, message.body).toBe(500);
      await seen.drain();
      expect(w.files()).toEqual(filesBefore);
      expect(await w.outboxIds()).toEqual(outboxBefore);
      expect(await eventsOf(w.caseId, ['document_uploaded', 'message_to_customer'])).toEqual(eventsBefore);
      expect(
        await t.db.selectFrom('case_messages').select('id').where('case_id', '=', w.caseId).execute(),
      ).toEqual([]);
      expect(seen.signals).toEqual([]);
      expect(seen.wakes()).toBe(0);

      // Control: without the fault the same message goes through, with a notice to each person.
      await dropTrigger();
      const sent = await w.post(`/api/cases/${w.caseId}/messages`, messageParts);
      expect(sent.statusCode, sent.body).toBe(201);
      await seen.drain();
      expect(w.files().filter((file) => !filesBefore.includes(file))).toHaveLength(1);
      expect((await w.outboxIds()).filter((id) => !outboxBefore.includes(id))).toHaveLength(2);
      expect(seen.wakes()).toBeGreaterThanOrEqual(1);
      expect(seen.signals.map((signal) => signal.topic)).toContain('messages');
    } finally {
      seen.stop();
      await dropTrigger();
    }
  });
});
