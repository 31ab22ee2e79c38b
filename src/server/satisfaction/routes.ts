import { z } from 'zod';
import { errorBody } from '../../common/contracts/api.ts';
import {
  caseSatisfactionView,
  customerSatisfactionView,
  satisfactionAnswerBody,
  satisfactionResultsQuery,
  satisfactionResultsView,
} from '../../common/contracts/satisfaction-api.ts';
import { idSchema } from '../../common/contracts/schemas.ts';
import { requireCustomerCase } from '../customer-access/customer-auth.ts';
import { actorOf } from '../http/authenticate.ts';
import type { App } from '../http/types.ts';
import {
  answerSatisfaction,
  caseSatisfaction,
  customerSatisfaction,
  satisfactionResults,
} from './satisfaction.ts';

const tags = ['satisfaction'];

/** Staff: the answers on a case, and the company's results (level 4). */
export async function satisfactionRoutes(app: App): Promise<void> {
  app.get(
    '/cases/:id/satisfaction',
    {
      schema: {
        tags,
        summary: 'The customers’ answers to the satisfaction question of a closed case, with their comments',
        params: z.object({ id: idSchema }),
        response: { 200: caseSatisfactionView, 404: errorBody },
      },
    },
    async (request) => caseSatisfaction(app.db, actorOf(request), request.params.id),
  );

  app.get(
    '/satisfaction',
    {
      schema: {
        tags,
        summary:
          'The company’s satisfaction results in a period (default the last 365 days): count, mean and distribution of ' +
          'scores 1–5 overall and per case handler at the time of the answer, and the newest comments. Level 4',
        querystring: satisfactionResultsQuery,
        response: { 200: satisfactionResultsView, 400: errorBody, 403: errorBody },
      },
    },
    async (request) => satisfactionResults(app.db, actorOf(request), request.query),
  );
}

/** Customer: the question on the closed case's page, and the answer (once). */
export async function customerSatisfactionRoutes(app: App): Promise<void> {
  app.get(
    '/satisfaction',
    {
      schema: {
        tags: ['customer'],
        summary:
          'The satisfaction question: not_asked while the case is open, ask once it is closed, answered',
        response: { 200: customerSatisfactionView, 401: errorBody, 403: errorBody },
      },
    },
    async (request) => {
      const { session } = await requireCustomerCase(app, request);
      return customerSatisfaction(app.db, session);
    },
  );

  app.post(
    '/satisfaction',
    {
      schema: {
        tags: ['customer'],
        summary:
          'Answer the satisfaction question of a closed case: {score 1–5, comment?}. 409 satisfaction_not_open while ' +
          'the case is open, 409 satisfaction_answered when this person has answered',
        body: satisfactionAnswerBody,
        response: {
          201: customerSatisfactionView,
          400: errorBody,
          401: errorBody,
          403: errorBody,
          409: errorBody,
        },
      },
    },
    async (request, reply) => {
      const { session } = await requireCustomerCase(app, request);
      return reply.status(201).send(await answerSatisfaction(app.db, session, request.body));
    },
  );
}
