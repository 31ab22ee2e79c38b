import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { NotificationListView, NotificationView } from '../../../common/contracts/message-api.ts';
import { api } from '../api.ts';
import { useOlderPages } from '../paging.ts';

/** The signed-in user's notifications (the shell's count and the Notifications page share it). */
export const NOTIFICATIONS_QUERY = ['notifications'] as const;

/**
 * How often the list is fetched again while the staff app's live stream is down (our number: every
 * 45 s); while it is open, its `notifications` signal fetches it (live-updates.ts).
 */
const FALLBACK_POLL_MS = 45_000;

/** Under the shell's key, so whatever refreshes the count refreshes the page's list too. */
const NOTIFICATION_PAGES = [...NOTIFICATIONS_QUERY, 'pages'] as const;

/**
 * The first page of the user's notifications (newest first) with the unread count: the shell's
 * count. Fetched again on the live stream's signal; polled (while the tab is visible) only while
 * `live` is false.
 */
export function useNotifications(enabled = true, live = false) {
  return useQuery({
    enabled,
    queryKey: NOTIFICATIONS_QUERY,
    queryFn: () => api.notifications.list(),
    refetchInterval: live ? false : FALLBACK_POLL_MS,
  });
}

/** The Notifications page's list: page 1, older pages appended by "Show older". */
export function useNotificationPages() {
  return useOlderPages<NotificationView, NotificationListView>(NOTIFICATION_PAGES, (paging) =>
    api.notifications.list(paging),
  );
}

/** Marks one notification read (an id) or all of them (null); the answer is the new first page. */
export function useMarkNotificationsRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string | null) => api.notifications.markRead(id),
    onSuccess: async (list) => {
      queryClient.setQueryData(NOTIFICATIONS_QUERY, list);
      await queryClient.invalidateQueries({ queryKey: NOTIFICATION_PAGES });
    },
  });
}
