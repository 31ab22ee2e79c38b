import { z } from 'zod';
import { caseView } from '../../common/contracts/case-api.ts';
import {
  assignMainInspectionSchema,
  createTaskSchema,
  emptyBodySchema,
  updateTaskSchema,
} from '../../common/contracts/case-schemas.ts';
import { idSchema } from '../../common/contracts/schemas.ts';
import { idView } from '../../common/contracts/api.ts';
import { actorOf } from '../http/authenticate.ts';
import type { App } from '../http/types.ts';
import {
  assignMainInspection,
  createTask,
  progressMainInspection,
  progressTaskById,
  updateTask,
} from './tasks.ts';

const params = z.object({ id: idSchema });
const tags = ['tasks'];

/** The main inspection of a case and its repair tasks. */
export async function taskRoutes(app: App): Promise<void> {
  app.post(
    '/cases/:id/main-inspection/assign',
    {
      schema: {
        tags,
        summary: 'Assign the main inspection to a partner office and optionally an inspector of it',
        params,
        body: assignMainInspectionSchema,
        response: { 200: caseView },
      },
    },
    async (request) => assignMainInspection(app.db, actorOf(request), request.params.id, request.body),
  );
  for (const step of ['start', 'finish'] as const) {
    app.post(
      `/cases/:id/main-inspection/${step}`,
      {
        schema: {
          tags,
          summary: `${step === 'start' ? 'Start' : 'Finish'} the main inspection`,
          params,
          body: emptyBodySchema,
          response: { 200: caseView },
        },
      },
      async (request) => progressMainInspection(app.db, actorOf(request), request.params.id, step),
    );
    app.post(
      `/tasks/:id/${step}`,
      {
        schema: {
          tags,
          summary: `${step === 'start' ? 'Start' : 'Finish'} a task`,
          params,
          body: emptyBodySchema,
          response: { 200: caseView },
        },
      },
      async (request) => progressTaskById(app.db, actorOf(request), request.params.id, step),
    );
  }
  app.post(
    '/cases/:id/tasks',
    {
      schema: {
        tags,
        summary: 'Add a repair task',
        params,
        body: createTaskSchema,
        response: { 201: idView },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createTask(app.db, actorOf(request), request.params.id, request.body)),
  );
  app.patch(
    '/tasks/:id',
    {
      schema: {
        tags,
        summary: 'Change a task: office, responsible person, schedule, meeting time, name, description',
        params,
        body: updateTaskSchema,
        response: { 200: caseView },
      },
    },
    async (request) => updateTask(app.db, actorOf(request), request.params.id, request.body),
  );
}
