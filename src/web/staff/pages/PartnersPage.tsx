import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { PartnerView } from '../../../common/contracts/api.ts';
import { useLanguage } from '../../shared/language.tsx';
import { api } from '../api.ts';
import type { Page } from '../../../common/rules/pages.ts';
import { errorText, Field, Notice, Pager } from '../components.tsx';
import { usePagedList } from '../paging.ts';

const PARTNERS = ['partners'] as const;

/** Partners with their offices and the persons working in them. */
export function PartnersPage({ canManage }: { canManage: boolean }) {
  const { t } = useLanguage();
  const partners = usePagedList<Page<PartnerView>>(PARTNERS, (paging) => api.partners.list(paging));
  return (
    <section>
      <h1>{t('partners.title')}</h1>
      {!partners.data ? (
        <p role="status">{t('common.loading')}</p>
      ) : partners.data.total === 0 ? (
        <p>{t('partners.empty')}</p>
      ) : (
        <ul className="partner-list">
          {partners.data.items.map((partner) => (
            <li key={partner.id} className="card">
              <h2>{partner.name}</h2>
              <h3>{t('partners.offices')}</h3>
              <ul>
                {partner.offices.map((office) => (
                  <li key={office.id}>
                    <strong>{office.name}</strong>
                    {office.phone && (
                      <>
                        {' '}
                        · <a href={`tel:${office.phone}`}>{office.phone}</a>
                      </>
                    )}
                    {office.persons.length > 0 && (
                      <ul aria-label={t('partners.persons')}>
                        {office.persons.map((person) => (
                          <li key={person.id}>
                            {person.name}
                            {person.phone && (
                              <>
                                {' '}
                                · <a href={`tel:${person.phone}`}>{person.phone}</a>
                              </>
                            )}
                          </li>
                        ))}
                      </ul>
                    )}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
      {partners.data && <Pager page={partners.page} pages={partners.pages} onGo={partners.setPage} />}
      {canManage && <NewPartnerForm />}
    </section>
  );
}

function NewPartnerForm() {
  const { t } = useLanguage();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const create = useMutation({
    mutationFn: () => api.partners.create({ name }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: PARTNERS }),
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate(undefined, { onSuccess: () => setName('') });
  }
  return (
    <form className="card" onSubmit={submit}>
      <h2>{t('partners.add')}</h2>
      <Field
        label={t('partners.name')}
        value={name}
        required
        onChange={(event) => setName(event.target.value)}
      />
      {create.isError && <Notice kind="error">{errorText(create.error, t('common.errorGeneric'))}</Notice>}
      <button type="submit" className="button-primary" disabled={create.isPending}>
        {t('common.create')}
      </button>
    </form>
  );
}
