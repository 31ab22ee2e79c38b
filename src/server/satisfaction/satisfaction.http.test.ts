import { describe, expect, it } from 'vitest';
import type {
  CaseSatisfactionView,
  CustomerSatisfactionView,
  SatisfactionResultsView,
} from '../../common/contracts/satisfaction-api.ts';
import {
  customerGet,
  customerPost,
  openCustomerLink,
  saveSettings,
  uniqueSuffix,
} from '../../../test/support/customer.ts';
import {
  browserHeaders,
  makeCase,
  makeUser,
  signedInUser,
  staffActor,
} from '../../../test/support/factory.ts';
import { TEST_ORIGIN, useTestApp } from '../../../test/support/test-app.ts';
import { reissueCustomerLinkToken } from '../customer-access/reissue-link.ts';

const t = useTestApp({ CUSTOMER_WRITE_LIMITS: 'off' });

/** A case of a new company whose customer has opened the page; `handler` is its case handler. */
async function world() {
  const admin = await signedInUser(t.app, t.db, { level: 6 });
  const handler = await signedInUser(t.app, t.db, { companyId: admin.companyId, level: 1 });
  await saveSettings(t.db, admin.companyId, { sendLink: 'case_created', accessFor: 'customer' });
  const s = uniqueSuffix();
  const { id: caseId } = await makeCase(t.db, staffActor(admin, 6), {
    customer: { name: `Kari ${s}`, email: `kari-${s}@example.test` },
    caseHandlerId: handler.id,
  });
  const token = await reissueCustomerLinkToken(t.db, admin.companyId, caseId);
  if (!token) throw new Error('the customer has no access');
  const opened = await openCustomerLink(t.app, `${TEST_ORIGIN}/k/${token}`);
  if (!opened.cookie) throw new Error('no customer session');
  return { admin, handler, caseId, customer: opened.cookie, customerName: `Kari ${s}` };
}

const closeCase = async (cookie: string, caseId: string) => {
  const response = await t.app.inject({
    method: 'POST',
    url: `/api/cases/${caseId}/close`,
    headers: browserHeaders(cookie),
    payload: {},
  });
  expect(response.statusCode, response.body).toBe(200);
};

const question = async (cookie: string) =>
  (await customerGet(t.app, '/api/customer/satisfaction', cookie)).json() as CustomerSatisfactionView;

describe('satisfaction after closing: the customer', () => {
  it('needs the customer session', async () => {
    expect((await customerGet(t.app, '/api/customer/satisfaction', null)).statusCode).toBe(401);
    const anonymous = await customerPost(t.app, '/api/customer/satisfaction', null, { score: 5 });
    expect(anonymous.statusCode).toBe(401);
  });

  it('is not asked while the case is open, and an answer then is refused', async () => {
    const w = await world();
    expect(await question(w.customer)).toEqual({ state: 'not_asked', answer: null });
    const early = await customerPost(t.app, '/api/customer/satisfaction', w.customer, { score: 4 });
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({ error: { code: 'satisfaction_not_open' } });
  });

  it('is asked once the case is closed, takes one answer with a comment, and shows it back', async () => {
    const w = await world();
    await closeCase(w.admin.cookie, w.caseId);
    expect(await question(w.customer)).toEqual({ state: 'ask', answer: null });

    const answered = await customerPost(t.app, '/api/customer/satisfaction', w.customer, {
      score: 4,
      comment: '  Rask hjelp, men lang ventetid på håndverker.  ',
    });
    expect(answered.statusCode, answered.body).toBe(201);
    const view = answered.json() as CustomerSatisfactionView;
    expect(view).toMatchObject({
      state: 'answered',
      answer: { score: 4, comment: 'Rask hjelp, men lang ventetid på håndverker.' },
    });
    expect(await question(w.customer)).toEqual(view);

    const again = await customerPost(t.app, '/api/customer/satisfaction', w.customer, { score: 1 });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: { code: 'satisfaction_answered' } });
    expect((await question(w.customer)).answer?.score).toBe(4);
  });

  it('refuses scores outside 1–5, fractions and too long comments, and stores nothing', async () => {
    const w = await world();
    await closeCase(w.admin.cookie, w.caseId);
    for (const payload of [
      { score: 0 },
      { score: 6 },
      { score: 3.5 },
      { score: 3, comment: 'x'.repeat(1001) },
      {},
    ]) {
      const response = await customerPost(t.app, '/api/customer/satisfaction', w.customer, payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json()).toMatchObject({ error: { code: 'validation_failed' } });
    }
    expect(await question(w.customer)).toEqual({ state: 'ask', answer: null });
  });

  it('lets exactly one of two answers sent at the same moment in', async () => {
    const w = await world();
    await closeCase(w.admin.cookie, w.caseId);
    const responses = await Promise.all(
      [5, 1, 3, 2].map((score) => customerPost(t.app, '/api/customer/satisfaction', w.customer, { score })),
    );
    expect(responses.map((r) => r.statusCode).sort()).toEqual([201, 409, 409, 409]);
    const stored = await t.db
      .selectFrom('satisfaction_answers')
      .selectAll()
      .where('case_id', '=', w.caseId)
      .execute();
    expect(stored).toHaveLength(1);
    const winner = responses.find((r) => r.statusCode === 201)!.json() as CustomerSatisfactionView;
    expect(Number(stored[0]!.score)).toBe(winner.answer?.score);
  });
});

describe('satisfaction after closing: staff', () => {
  it('shows the answer and comment on the case, to staff of the company only', async () => {
    const w = await world();
    await closeCase(w.admin.cookie, w.caseId);
    await customerPost(t.app, '/api/customer/satisfaction', w.customer, {
      score: 2,
      comment: 'Ingen ringte tilbake.',
    });

    const onCase = await t.app.inject({
      method: 'GET',
      url: `/api/cases/${w.caseId}/satisfaction`,
      headers: { cookie: w.handler.cookie },
    });
    expect(onCase.statusCode).toBe(200);
    expect((onCase.json() as CaseSatisfactionView).answers).toEqual([
      {
        score: 2,
        comment: 'Ingen ringte tilbake.',
        answeredAt: expect.any(String),
        personName: w.customerName,
      },
    ]);

    const stranger = await signedInUser(t.app, t.db, { level: 6 });
    const other = await t.app.inject({
      method: 'GET',
      url: `/api/cases/${w.caseId}/satisfaction`,
      headers: { cookie: stranger.cookie },
    });
    expect(other.statusCode).toBe(404);
  });

  it('gives level 4 the company’s results per handler at the time of the answer; level 3 is refused', async () => {
    const first = await world();
    const companyId = first.admin.companyId;
    // A second case of the same company with another handler and a comment-less answer.
    const otherHandler = await makeUser(t.db, { companyId, level: 1 });
    await t.db.updateTable('users').set({ name: 'Åse Andersen' }).where('id', '=', otherHandler.id).execute();
    const s = uniqueSuffix();
    const { id: secondCase } = await makeCase(t.db, staffActor(first.admin, 6), {
      customer: { name: `Per ${s}`, email: `per-${s}@example.test` },
      caseHandlerId: otherHandler.id,
    });
    const token = await reissueCustomerLinkToken(t.db, companyId, secondCase);
    const second = (await openCustomerLink(t.app, `${TEST_ORIGIN}/k/${token}`)).cookie!;
    await closeCase(first.admin.cookie, first.caseId);
    await closeCase(first.admin.cookie, secondCase);
    await customerPost(t.app, '/api/customer/satisfaction', first.customer, {
      score: 5,
      comment: 'Veldig fornøyd!',
    });
    await customerPost(t.app, '/api/customer/satisfaction', second, { score: 2 });

    const level3 = await signedInUser(t.app, t.db, { companyId, level: 3 });
    const refused = await t.app.inject({
      method: 'GET',
      url: '/api/satisfaction',
      headers: { cookie: level3.cookie },
    });
    expect(refused.statusCode).toBe(403);

    const manager = await signedInUser(t.app, t.db, { companyId, level: 4 });
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/satisfaction',
      headers: { cookie: manager.cookie },
    });
    expect(response.statusCode, response.body).toBe(200);
    const results = response.json() as SatisfactionResultsView;
    expect(results.company).toEqual({ answers: 2, average: 3.5, distribution: [0, 1, 0, 0, 1] });
    // Sorted by name in Norwegian order: Å after T.
    expect(results.handlers).toEqual([
      expect.objectContaining({ handlerId: first.handler.id, answers: 1, average: 5 }),
      expect.objectContaining({
        handlerId: otherHandler.id,
        handlerName: 'Åse Andersen',
        answers: 1,
        average: 2,
      }),
    ]);
    expect(results.comments).toEqual([
      expect.objectContaining({ caseId: first.caseId, score: 5, comment: 'Veldig fornøyd!' }),
    ]);

    // Another company's manager sees none of it.
    const stranger = await signedInUser(t.app, t.db, { level: 6 });
    const theirs = (
      await t.app.inject({ method: 'GET', url: '/api/satisfaction', headers: { cookie: stranger.cookie } })
    ).json() as SatisfactionResultsView;
    expect(theirs.company.answers).toBe(0);

    // A period before the answers holds none.
    const past = await t.app.inject({
      method: 'GET',
      url: '/api/satisfaction?from=2020-01-01T00:00:00Z&to=2021-01-01T00:00:00Z',
      headers: { cookie: manager.cookie },
    });
    expect((past.json() as SatisfactionResultsView).company).toEqual({
      answers: 0,
      average: null,
      distribution: [0, 0, 0, 0, 0],
    });
  });
});
