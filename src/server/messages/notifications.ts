import { notificationListQuery, type NotificationListView } from '../../common/contracts/message-api.ts';
import type { PageRequest } from '../../common/contracts/paging.ts';
import type { Actor } from '../security/actor.ts';
import type { Db } from '../db/database.ts';
import { nowIso } from '../db/database.ts';
import { fetchPage } from '../db/paging.ts';
import { AppError, notFound } from '../errors.ts';
import { signalAfterCommit } from '../live/live.ts';
import {
  countUnreadNotifications,
  findNotification,
  markNotificationsRead,
  notificationsOfUser,
} from './queries.ts';

/**
 * The staff app's notification list: a signed-in user's own notifications (today: a customer wrote
 * on a case they handle), newest first, in pages. API keys have no list.
 */

/** The page a change answers with: the first, as the list opens. */
const FIRST_PAGE = notificationListQuery.parse({});

function userIdOf(actor: Actor): string {
  if (actor.kind !== 'staff') throw new AppError('forbidden', 'Notifications belong to signed-in users.');
  return actor.userId;
}

/** GET /api/notifications: one page, newest first, and the unread count of them all. */
export async function listNotifications(
  db: Db,
  actor: Actor,
  paging: PageRequest = FIRST_PAGE,
): Promise<NotificationListView> {
  const userId = userIdOf(actor);
  const [page, unread] = await Promise.all([
    fetchPage(notificationsOfUser(db, userId), paging, (row) => ({
      id: row.id,
      kind: row.kind,
      caseId: row.case_id,
      claimNumber: row.claim_number,
      address: `${row.street}, ${row.postal_code} ${row.city}`,
      from: row.sender_name ?? '',
      createdAt: row.created_at,
      readAt: row.read_at,
    })),
    countUnreadNotifications(db, userId),
  ]);
  return { ...page, unread };
}

/** POST /api/notifications/:id/read: one of the user's own (another's is 404). */
export async function markNotificationRead(db: Db, actor: Actor, id: string): Promise<NotificationListView> {
  const userId = userIdOf(actor);
  const row = await findNotification(db, id);
  if (!row || row.user_id !== userId) throw notFound();
  await markNotificationsRead(db, userId, nowIso(), id);
  // The user's other tabs update their count.
  await signalAfterCommit(db, { scope: 'user', id: userId, topic: 'notifications' });
  return listNotifications(db, actor);
}

/** POST /api/notifications/read-all. */
export async function markAllNotificationsRead(db: Db, actor: Actor): Promise<NotificationListView> {
  const userId = userIdOf(actor);
  await markNotificationsRead(db, userId, nowIso());
  await signalAfterCommit(db, { scope: 'user', id: userId, topic: 'notifications' });
  return listNotifications(db, actor);
}
