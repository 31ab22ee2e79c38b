import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { InvoiceView, QuoteRequestView } from '../../../common/contracts/economy-api.ts';
import { api } from '../api.ts';
import { useOlderPages } from '../paging.ts';
import { caseKeys } from './case-data.ts';

// The data of a case's "Invoices and quotes" tab (issue 16, item 2) and the way other pages lead to
// it: the case's invoice banner and the dashboard's rows of quote requests and invoices.

/** The case tab of quote requests and invoices, as `?tab=` names it. */
export const INVOICES_TAB = 'invoices';

/** The location state of a link that opens the tab: the invoices' heading takes the focus. */
export const FOCUS_INVOICES = { focus: 'invoices' } as const;
/** The location state of a link that opens the tab on its quote requests. */
export const FOCUS_QUOTE_REQUESTS = { focus: 'quote-requests' } as const;

/** What a link asked the tab to focus: its invoices or its quote requests. */
export type EconomyFocus = (typeof FOCUS_INVOICES)['focus'] | (typeof FOCUS_QUOTE_REQUESTS)['focus'];

/** The part of the tab a location's state asks to focus, if any. */
export function economyFocusOf(state: unknown): EconomyFocus | null {
  const focus = (state as { focus?: unknown } | null)?.focus;
  return focus === FOCUS_INVOICES.focus || focus === FOCUS_QUOTE_REQUESTS.focus ? focus : null;
}

/** Where the tab of a case is, for a link from another page (with a `FOCUS_…` state). */
export function invoicesTabPath(caseId: string): string {
  return `/cases/${caseId}?${new URLSearchParams({ tab: INVOICES_TAB }).toString()}`;
}

/** Under the case's key, so a change to the case (and its live signal) fetches them again too. */
const quoteRequestsKey = (caseId: string) => [...caseKeys.one(caseId), 'quote-requests'] as const;
const invoicesKey = (caseId: string) => [...caseKeys.one(caseId), 'invoices'] as const;

/** The quote requests of a case, pending ones first (earliest deadline first); more on demand. */
export function useQuoteRequests(caseId: string) {
  return useOlderPages<QuoteRequestView>(quoteRequestsKey(caseId), (paging) =>
    api.quoteRequests.list(caseId, paging),
  );
}

/** The invoices of a case, those awaiting approval first (earliest due first); more on demand. */
export function useInvoices(caseId: string) {
  return useOlderPages<InvoiceView>(invoicesKey(caseId), (paging) => api.invoices.list(caseId, paging));
}

/**
 * A change of the case's economy: afterwards the case (its banner), its lists and its log are fetched
 * again, and the dashboard's numbers too.
 */
export function useEconomyChange<V, R>(caseId: string, change: (vars: V) => Promise<R>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: change,
    onSuccess: async () => {
      void queryClient.invalidateQueries({ queryKey: ['dashboard'] });
      await queryClient.invalidateQueries({ queryKey: caseKeys.one(caseId) });
    },
  });
}
