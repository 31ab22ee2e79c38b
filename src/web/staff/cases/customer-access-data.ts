import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CustomerAccessListView } from '../../../common/contracts/customer-access-api.ts';
import type { SendLink } from '../../../common/rules/customer-page-settings.ts';
import { api } from '../api.ts';
import { caseKeys } from './case-data.ts';

/** Under the case's key, so a change to the case fetches it again. */
export const accessKey = (caseId: string) => [...caseKeys.one(caseId), 'customer-access'] as const;

/** Whether a message is still on its way (the list is fetched again until it is not). */
function anyPending(data: CustomerAccessListView | undefined): boolean {
  return Boolean(
    data?.people.some((person) =>
      person.messages.some((message) => message.state === 'queued' || message.state === 'sending'),
    ),
  );
}

/** How long after sending an SMS the list looks for the provider's delivery report (our number). */
const REPORT_WAIT_MS = 10 * 60_000;

/** Whether an SMS the provider took in the last minutes has no delivery report yet. */
function awaitingReport(data: CustomerAccessListView | undefined, now = Date.now()): boolean {
  return Boolean(
    data?.people.some((person) =>
      person.messages.some(
        (message) =>
          message.deliveredVia === 'sms-webhook' &&
          message.providerStatus === null &&
          message.sentAt !== null &&
          now - Date.parse(message.sentAt) < REPORT_WAIT_MS,
      ),
    ),
  );
}

/** The people of a case with their customer-page access, channels and message delivery states. */
export function useCustomerAccess(caseId: string) {
  return useQuery({
    queryKey: accessKey(caseId),
    queryFn: () => api.customerAccess.list(caseId),
    // Delivery happens in the background: follow a queued message until it is sent or failed.
    // Then, more slowly, for the SMS provider's delivery report ("delivered to the phone").
    refetchInterval: (query) =>
      anyPending(query.state.data) ? 1000 : awaitingReport(query.state.data) ? 15_000 : false,
  });
}

/**
 * Grant (sends the link at once; `phone`: a mobile number saved on the person first) or remove a
 * person's access; the answer is the new list.
 */
export function useAccessChange(caseId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ contactId, grant, phone }: { contactId: string; grant: boolean; phone?: string }) =>
      grant
        ? api.customerAccess.grant(caseId, contactId, phone)
        : api.customerAccess.remove(caseId, contactId),
    onSuccess: async (list) => {
      queryClient.setQueryData(accessKey(caseId), list);
      await queryClient.invalidateQueries({ queryKey: caseKeys.log(caseId).slice(0, 3) });
    },
  });
}

/**
 * Sends a person a new link (earlier links stop working), which also lifts a wrong-code lock;
 * `phone`: a mobile number saved on the person first.
 */
export function useNewLink(caseId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ contactId, phone }: { contactId: string; phone?: string }) =>
      api.customerAccess.newLink(caseId, contactId, phone),
    onSuccess: async (list) => {
      queryClient.setQueryData(accessKey(caseId), list);
      await queryClient.invalidateQueries({ queryKey: caseKeys.log(caseId).slice(0, 3) });
    },
  });
}

/** Sets the case's own "send link" value, or null for the company's setting. */
export function useSendLinkChange(caseId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (sendLink: SendLink | null) => api.customerAccess.setSendLink(caseId, sendLink),
    onSuccess: async (view) => {
      queryClient.setQueryData<CustomerAccessListView>(accessKey(caseId), (list) =>
        list ? { ...list, sendLink: view } : list,
      );
      // A milestone already reached sends the links now: the list and the log change too.
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: accessKey(caseId) }),
        queryClient.invalidateQueries({ queryKey: caseKeys.log(caseId).slice(0, 3) }),
      ]);
    },
  });
}
