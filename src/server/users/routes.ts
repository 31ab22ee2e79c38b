import { z } from 'zod';
import { userListQuery, userView } from '../../common/contracts/api.ts';
import { pageView } from '../../common/contracts/paging.ts';
import { createUserSchema, idSchema, updateUserSchema } from '../../common/contracts/schemas.ts';
import { actorOf } from '../http/authenticate.ts';
import type { App } from '../http/types.ts';
import { createUserAs, getUser, listUsers, presentUser, updateUser } from './users.ts';

const params = z.object({ id: idSchema });

/** Staff users of the actor's company. */
export async function userRoutes(app: App): Promise<void> {
  app.get(
    '/users',
    {
      schema: {
        tags: ['users'],
        summary: 'Staff of your company, by name, in pages (default 100 a page)',
        querystring: userListQuery,
        response: { 200: pageView(userView) },
      },
    },
    async (request) => listUsers(app.db, actorOf(request), request.query),
  );
  app.post(
    '/users',
    {
      schema: {
        tags: ['users'],
        summary: 'Add a staff user (level 6)',
        body: createUserSchema,
        response: { 201: userView },
      },
    },
    async (request, reply) =>
      reply.status(201).send(presentUser(await createUserAs(app.db, actorOf(request), request.body))),
  );
  app.get(
    '/users/:id',
    { schema: { tags: ['users'], summary: 'One staff user', params, response: { 200: userView } } },
    async (request) => presentUser(await getUser(app.db, actorOf(request), request.params.id)),
  );
  app.patch(
    '/users/:id',
    {
      schema: {
        tags: ['users'],
        summary: 'Change a staff user (level 6)',
        params,
        body: updateUserSchema,
        response: { 200: userView },
      },
    },
    async (request) =>
      presentUser(await updateUser(app.db, actorOf(request), request.params.id, request.body)),
  );
}
