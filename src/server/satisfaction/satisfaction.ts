import type {
  CaseSatisfactionView,
  CustomerSatisfactionView,
  SatisfactionAnswerInput,
  SatisfactionResultsView,
} from '../../common/contracts/satisfaction-api.ts';
import { loadCase } from '../cases/access.ts';
import type { CustomerSession } from '../customer-access/customer-sessions.ts';
import { isUniqueViolation, nowIso, type Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { authorize, type Actor } from '../security/actor.ts';
import { newId } from '../security/tokens.ts';
import { satisfactionPolicy } from './policy.ts';
import { answersOfCase, findAnswer, insertAnswer, recentComments, scoreCounts } from './queries.ts';

/**
 * Satisfaction after closing (issue 19, item 4): once a case is closed its customer page asks each
 * person with access one question (1–5, an optional comment), once. Staff see the answers on the
 * case (the handler reads the comment there) and, from level 4, the company's results per handler.
 */

/** Our number: the comments listed with the results. */
const RESULT_COMMENTS = 20;

/** The question as the customer page shows it for a session. */
export async function customerSatisfaction(
  db: Db,
  session: CustomerSession,
): Promise<CustomerSatisfactionView> {
  const answer = await findAnswer(db, session.case_id, session.access_id);
  if (answer) return { state: 'answered', answer: presentAnswer(answer) };
  return { state: session.status === 'closed' ? 'ask' : 'not_asked', answer: null };
}

/** Records the customer's answer: only on a closed case, once per person (409 otherwise). */
export async function answerSatisfaction(
  db: Db,
  session: CustomerSession,
  input: SatisfactionAnswerInput,
  now = new Date(),
): Promise<CustomerSatisfactionView> {
  // The case as it is now, not as the session's lookup saw it: it may have been reopened since.
  const current = await db
    .selectFrom('cases')
    .select(['status', 'case_handler_id'])
    .where('id', '=', session.case_id)
    .executeTakeFirstOrThrow();
  if (current.status !== 'closed') throw new AppError('satisfaction_not_open');
  const comment = input.comment?.trim() || null;
  const row = {
    id: newId(),
    company_id: session.company_id,
    case_id: session.case_id,
    access_id: session.access_id,
    score: input.score,
    comment,
    case_handler_id: current.case_handler_id,
    answered_at: nowIso(now),
  };
  try {
    await insertAnswer(db, row);
  } catch (error) {
    // Two tabs sending at once: the unique index lets one in.
    if (isUniqueViolation(error)) throw new AppError('satisfaction_answered');
    throw error;
  }
  return { state: 'answered', answer: presentAnswer(row) };
}

/** The answers given on a case (any staff member who may read the case). */
export async function caseSatisfaction(db: Db, actor: Actor, caseId: string): Promise<CaseSatisfactionView> {
  authorize(actor, satisfactionPolicy.readCase);
  await loadCase(db, actor, caseId);
  const rows = await answersOfCase(db, caseId);
  return { answers: rows.map((row) => ({ ...presentAnswer(row), personName: row.person_name })) };
}

/** The company's results in [from, to): overall, per handler at the time of the answer, newest comments. */
export async function satisfactionResults(
  db: Db,
  actor: Actor,
  period: { from?: string | undefined; to?: string | undefined },
  now = new Date(),
): Promise<SatisfactionResultsView> {
  authorize(actor, satisfactionPolicy.readResults);
  const to = period.to ? new Date(period.to) : now;
  const from = period.from ? new Date(period.from) : new Date(to.getTime() - 365 * 86_400_000);
  if (from >= to) throw new AppError('validation_failed', '`from` must be before `to`.');
  const [counts, comments] = await Promise.all([
    scoreCounts(db, actor.companyId, nowIso(from), nowIso(to)),
    recentComments(db, actor.companyId, nowIso(from), nowIso(to), RESULT_COMMENTS),
  ]);
  const handlers = new Map<
    string,
    { handlerId: string | null; handlerName: string | null; counts: number[] }
  >();
  const company = [0, 0, 0, 0, 0];
  for (const row of counts) {
    const key = row.case_handler_id ?? '';
    const entry = handlers.get(key) ?? {
      handlerId: row.case_handler_id,
      handlerName: row.handler_name,
      counts: [0, 0, 0, 0, 0],
    };
    handlers.set(key, entry);
    const index = Number(row.score) - 1;
    entry.counts[index] = (entry.counts[index] ?? 0) + Number(row.count);
    company[index] = (company[index] ?? 0) + Number(row.count);
  }
  return {
    from: nowIso(from),
    to: nowIso(to),
    company: summaryOf(company),
    handlers: [...handlers.values()]
      .map(({ handlerId, handlerName, counts: distribution }) => ({
        handlerId,
        handlerName,
        ...summaryOf(distribution),
      }))
      .sort((a, b) => (a.handlerName ?? '\uffff').localeCompare(b.handlerName ?? '\uffff', 'nb')),
    comments: comments.map((row) => ({
      caseId: row.case_id,
      claimNumber: row.claim_number,
      handlerName: row.handler_name,
      score: Number(row.score),
      comment: row.comment ?? '',
      answeredAt: row.answered_at,
    })),
  };
}

/** Count, mean (one decimal) and distribution of scores 1–5. */
export function summaryOf(distribution: number[]): {
  answers: number;
  average: number | null;
  distribution: number[];
} {
  const answers = distribution.reduce((sum, count) => sum + count, 0);
  const total = distribution.reduce((sum, count, index) => sum + count * (index + 1), 0);
  return { answers, average: answers === 0 ? null : Math.round((total / answers) * 10) / 10, distribution };
}

const presentAnswer = (row: { score: number; comment: string | null; answered_at: string }) => ({
  score: Number(row.score),
  comment: row.comment,
  answeredAt: row.answered_at,
});
