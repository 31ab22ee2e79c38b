import { z } from 'zod';
import { caseEventView, caseListView, caseView } from '../../common/contracts/case-api.ts';
import {
  caseLogQuery,
  claimDecisionSchema,
  closeCaseSchema,
  createCaseSchema,
  emptyBodySchema,
  listCasesQuery,
  reopenCaseSchema,
  updateCaseSchema,
} from '../../common/contracts/case-schemas.ts';
import { pageView } from '../../common/contracts/paging.ts';
import { idSchema } from '../../common/contracts/schemas.ts';
import { listCaseLog } from '../case-events/case-events.ts';
import { actorOf } from '../http/authenticate.ts';
import type { App } from '../http/types.ts';
import { authorize } from '../security/actor.ts';
import { loadCase } from './access.ts';
import {
  changeCaseStatus,
  createCase,
  decideClaim,
  getCase,
  listCases,
  updateCase,
  type CaseAction,
} from './cases.ts';
import { casePolicy } from './policy.ts';

const params = z.object({ id: idSchema });
const tags = ['cases'];

/** Cases: create, list, the case page, people, status actions, claim decision and the log. */
export async function caseRoutes(app: App): Promise<void> {
  app.post(
    '/cases',
    { schema: { tags, summary: 'Open a case', body: createCaseSchema, response: { 201: caseView } } },
    async (request, reply) => {
      const actor = actorOf(request);
      const { id } = await createCase(app.db, actor, request.body);
      return reply.status(201).send(await getCase(app.db, actor, id));
    },
  );
  app.get(
    '/cases',
    {
      schema: {
        tags,
        summary: "The company's cases, newest first, paged; q searches claim number, address and customer",
        querystring: listCasesQuery,
        response: { 200: caseListView },
      },
    },
    async (request) => listCases(app.db, actorOf(request), request.query),
  );
  app.get(
    '/cases/:id',
    {
      schema: {
        tags,
        summary: 'The case page: status, milestones, people, tasks',
        params,
        response: { 200: caseView },
      },
    },
    async (request) => getCase(app.db, actorOf(request), request.params.id),
  );
  app.patch(
    '/cases/:id',
    {
      schema: {
        tags,
        summary: 'Change the people on a case or its description',
        params,
        body: updateCaseSchema,
        response: { 200: caseView },
      },
    },
    async (request) => updateCase(app.db, actorOf(request), request.params.id, request.body),
  );

  const actions: Array<{ action: CaseAction; summary: string; body: z.ZodType }> = [
    { action: 'hold', summary: 'Put the case on hold', body: emptyBodySchema },
    { action: 'resume', summary: 'Resume a case on hold', body: emptyBodySchema },
    { action: 'close', summary: 'Close the case, with an internal comment', body: closeCaseSchema.nullish() },
    { action: 'cancel', summary: 'Cancel the case (level 3)', body: emptyBodySchema },
    {
      action: 'reopen',
      summary: 'Reopen a closed or cancelled case, with an internal reason (level 3)',
      body: reopenCaseSchema.nullish(),
    },
  ];
  for (const { action, summary, body } of actions) {
    app.post(
      `/cases/:id/${action}`,
      { schema: { tags, summary, params, body, response: { 200: caseView } } },
      async (request) => changeCaseStatus(app.db, actorOf(request), request.params.id, action, request.body),
    );
  }

  app.post(
    '/cases/:id/claim-decision',
    {
      schema: {
        tags,
        summary: 'Decide the claim (contractor portal: approve the job) (level 2)',
        params,
        body: claimDecisionSchema,
        response: { 200: caseView },
      },
    },
    async (request) => decideClaim(app.db, actorOf(request), request.params.id, request.body),
  );

  app.get(
    '/cases/:id/log',
    {
      schema: {
        tags,
        summary:
          "The case's event log, newest first, in pages (page 1: the newest); topic narrows it to one Log button, kind to one kind of event",
        params,
        querystring: caseLogQuery,
        response: { 200: pageView(caseEventView) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      authorize(actor, casePolicy.read);
      const row = await loadCase(app.db, actor, request.params.id);
      return listCaseLog(app.db, row.id, request.query);
    },
  );
}
