import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { NotificationListView } from '../../../common/message-api.ts';
import { api } from '../api.ts';

/** The signed-in user's notifications (the shell's count and the Notifications page share it). */
export const NOTIFICATIONS_QUERY = ['notifications'] as const;

/** How often the list is fetched again while the app is open (our number: every 45 s). */
const POLL_MS = 45_000;

/** The user's notifications, newest first, with the unread count; polled while the tab is visible. */
export function useNotifications(enabled = true) {
  return useQuery({
    enabled,
    queryKey: NOTIFICATIONS_QUERY,
    queryFn: () => api<NotificationListView>('GET', '/api/notifications'),
    refetchInterval: POLL_MS,
  });
}

/** Marks one notification read (an id) or all of them (null); the answer is the new list. */
export function useMarkNotificationsRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string | null) =>
      api<NotificationListView>(
        'POST',
        id ? `/api/notifications/${encodeURIComponent(id)}/read` : '/api/notifications/read-all',
        {},
      ),
    onSuccess: (list) => queryClient.setQueryData(NOTIFICATIONS_QUERY, list),
  });
}
