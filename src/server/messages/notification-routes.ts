import { z } from 'zod';
import { emptyBodySchema } from '../../common/contracts/case-schemas.ts';
import { notificationListQuery, notificationListView } from '../../common/contracts/message-api.ts';
import { idSchema } from '../../common/contracts/schemas.ts';
import { actorOf } from '../http/authenticate.ts';
import type { App } from '../http/types.ts';
import { listNotifications, markAllNotificationsRead, markNotificationRead } from './notifications.ts';

const tags = ['notifications'];

/** The signed-in user's notification list. */
export async function notificationRoutes(app: App): Promise<void> {
  app.get(
    '/notifications',
    {
      schema: {
        tags,
        summary:
          'Your notifications, newest first, in pages (a customer wrote on a case you handle), with the unread count of all',
        querystring: notificationListQuery,
        response: { 200: notificationListView },
      },
    },
    async (request) => listNotifications(app.db, actorOf(request), request.query),
  );

  app.post(
    '/notifications/:id/read',
    {
      schema: {
        tags,
        summary: 'Mark one of your notifications read; answers the first page of the list',
        params: z.object({ id: idSchema }),
        body: emptyBodySchema,
        response: { 200: notificationListView },
      },
    },
    async (request) => markNotificationRead(app.db, actorOf(request), request.params.id),
  );

  app.post(
    '/notifications/read-all',
    {
      schema: {
        tags,
        summary: 'Mark all your notifications read; answers the first page of the list',
        body: emptyBodySchema,
        response: { 200: notificationListView },
      },
    },
    async (request) => markAllNotificationsRead(app.db, actorOf(request)),
  );
}
