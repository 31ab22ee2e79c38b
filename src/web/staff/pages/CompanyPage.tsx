import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { CompanyView } from '../../../common/api.ts';
import { useLanguage } from '../../shared/language.tsx';
import { api } from '../api.ts';
import { errorText, Field, Notice } from '../components.tsx';

/** Company → Overview: what the company is; level 6 may change name and organisation number. */
export function CompanyPage({ canEdit }: { canEdit: boolean }) {
  const { t } = useLanguage();
  const company = useQuery({ queryKey: ['company'], queryFn: () => api<CompanyView>('GET', '/api/company') });
  if (!company.data) return <p role="status">{t('common.loading')}</p>;
  return (
    <section>
      <h1>{t('company.title')}</h1>
      <dl className="facts">
        <dt>{t('company.name')}</dt>
        <dd>{company.data.name}</dd>
        <dt>{t('company.orgNumber')}</dt>
        <dd>{company.data.orgNumber ?? t('common.none')}</dd>
        <dt>{t('company.portalType')}</dt>
        <dd>{t(`portalType.${company.data.portalType}`)}</dd>
      </dl>
      {canEdit && <CompanyForm company={company.data} />}
    </section>
  );
}

function CompanyForm({ company }: { company: CompanyView }) {
  const { t } = useLanguage();
  const queryClient = useQueryClient();
  const [name, setName] = useState(company.name);
  const [orgNumber, setOrgNumber] = useState(company.orgNumber ?? '');
  const save = useMutation({
    mutationFn: () =>
      api<CompanyView>('PATCH', '/api/company', { name, orgNumber: orgNumber.trim() || null }),
    onSuccess: (data) => {
      queryClient.setQueryData(['company'], data);
      void queryClient.invalidateQueries({ queryKey: ['me'] });
    },
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate();
  }
  return (
    <form className="card" onSubmit={submit}>
      <h2>{t('company.edit')}</h2>
      <Field
        label={t('company.name')}
        value={name}
        required
        onChange={(event) => setName(event.target.value)}
      />
      <Field
        label={t('company.orgNumber')}
        value={orgNumber}
        inputMode="numeric"
        onChange={(event) => setOrgNumber(event.target.value)}
      />
      {save.isError && <Notice kind="error">{errorText(save.error, t('common.errorGeneric'))}</Notice>}
      {save.isSuccess && <Notice kind="success">{t('company.saved')}</Notice>}
      <button type="submit" className="button-primary" disabled={save.isPending}>
        {t('common.save')}
      </button>
    </form>
  );
}
