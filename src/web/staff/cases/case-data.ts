import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { PartnerView, UserView } from '../../../common/contracts/api.ts';
import type { CallView, CaseEventViewT, CaseView } from '../../../common/contracts/case-api.ts';
import type { CaseEventKind, LogTopic } from '../../../common/rules/case-events.ts';
import type { SelectOption } from '../components.tsx';
import { api } from '../api.ts';
import { fetchAllPages, useOlderPages } from '../paging.ts';

/** Query keys of case data; everything about one case starts with ['case', id]. */
export const caseKeys = {
  list: ['cases'] as const,
  one: (id: string) => ['case', id] as const,
  log: (id: string, topic?: LogTopic, kind?: CaseEventKind) =>
    ['case', id, 'log', topic ?? 'all', kind ?? 'all'] as const,
  calls: (id: string) => ['case', id, 'calls'] as const,
};

/** One case, as the case page shows it. */
export function useCase(id: string) {
  return useQuery({ queryKey: caseKeys.one(id), queryFn: () => api.cases.get(id) });
}

/** The case log, newest first, optionally of one topic and/or one kind; older pages on demand. */
export function useCaseLog(id: string, topic?: LogTopic, kind?: CaseEventKind) {
  return useOlderPages<CaseEventViewT>(caseKeys.log(id, topic, kind), (paging) =>
    api.cases.log(id, { topic, kind }, paging),
  );
}

/** The call history of a case, newest first; older pages on demand. */
export function useCalls(id: string) {
  return useOlderPages<CallView>(caseKeys.calls(id), (paging) => api.cases.calls(id, paging));
}

/**
 * A change to a case that answers with the whole case: the page shows the answer at once and the
 * logs and lists are fetched again, as the change wrote an event.
 */
export function useCaseChange<V = void>(id: string, change: (vars: V) => Promise<CaseView | unknown>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: change,
    onSuccess: async (result) => {
      if (result && typeof result === 'object' && 'claimNumber' in result && (result as CaseView).id === id) {
        queryClient.setQueryData(caseKeys.one(id), result as CaseView);
        // Not awaited: the case on screen is already the answer, and a change is "done" (its
        // buttons take the next key press) at once, not after the log and lists have reloaded.
        void queryClient.invalidateQueries({
          queryKey: caseKeys.one(id),
          predicate: (query) => query.queryKey.length > 2,
        });
      } else {
        await queryClient.invalidateQueries({ queryKey: caseKeys.one(id) });
      }
      void queryClient.invalidateQueries({ queryKey: caseKeys.list });
    },
  });
}

/** Every staff user of the company, all pages (pick lists of case handler and technical advisor). */
export function useUsers() {
  return useQuery({
    queryKey: ['users', 'all'],
    queryFn: () => fetchAllPages((paging) => api.users.list(paging)),
  });
}

/** Every partner with offices and persons, all pages (pick lists of offices, inspectors, persons). */
export function usePartners() {
  return useQuery({
    queryKey: ['partners', 'all'],
    queryFn: () => fetchAllPages((paging) => api.partners.list(paging)),
  });
}

/** Active users as options. */
export function userOptions(users: UserView[] | undefined): SelectOption[] {
  return (users ?? []).filter((user) => user.active).map((user) => ({ value: user.id, label: user.name }));
}

/** Every office, grouped by partner. */
export function officeOptions(partners: PartnerView[] | undefined): SelectOption[] {
  return (partners ?? []).flatMap((partner) =>
    partner.offices.map((office) => ({ value: office.id, label: office.name, group: partner.name })),
  );
}

/** Every person of every partner, grouped by office. */
export function personOptions(partners: PartnerView[] | undefined): SelectOption[] {
  return (partners ?? []).flatMap((partner) =>
    partner.offices.flatMap((office) =>
      office.persons.map((person) => ({ value: person.id, label: person.name, group: office.name })),
    ),
  );
}

/** The persons of one office. */
export function personsOfOffice(partners: PartnerView[] | undefined, officeId: string): SelectOption[] {
  for (const partner of partners ?? []) {
    const office = partner.offices.find((o) => o.id === officeId);
    if (office) return office.persons.map((person) => ({ value: person.id, label: person.name }));
  }
  return [];
}
