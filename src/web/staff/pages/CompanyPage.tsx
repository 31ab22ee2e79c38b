import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState, type ChangeEvent, type FormEvent } from 'react';
import type { CompanyView } from '../../../common/contracts/api.ts';
import { Link } from 'react-router';
import { useLanguage } from '../../shared/language.tsx';
import { api, ApiError } from '../api.ts';
import { SsoSection } from '../admin/SsoSection.tsx';
import { errorText, Field, Notice } from '../components.tsx';
import { retentionTexts } from './retention-text.ts';

/** Company → Overview: what the company is; level 6 may change name and organisation number. */
export function CompanyPage({ canEdit }: { canEdit: boolean }) {
  const { t } = useLanguage();
  const company = useQuery({ queryKey: ['company'], queryFn: () => api.company.get() });
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
      {canEdit && <CompanyLogoForm hasLogo={company.data.hasLogo} />}
      {canEdit && <RetentionForm company={company.data} />}
      {canEdit && <SsoSection />}
    </section>
  );
}

function CompanyForm({ company }: { company: CompanyView }) {
  const { t } = useLanguage();
  const queryClient = useQueryClient();
  const [name, setName] = useState(company.name);
  const [orgNumber, setOrgNumber] = useState(company.orgNumber ?? '');
  const [cashVat, setCashVat] = useState(company.cashSettlementIncludesVat);
  const save = useMutation({
    mutationFn: () =>
      api.company.update({
        name,
        orgNumber: orgNumber.trim() || null,
        cashSettlementIncludesVat: cashVat,
      }),
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
      <div className="check-field">
        <input
          id="company-cash-settlement-vat"
          type="checkbox"
          checked={cashVat}
          aria-describedby="company-cash-settlement-vat-hint"
          onChange={(event) => setCashVat(event.target.checked)}
        />
        <label htmlFor="company-cash-settlement-vat">{t('company.cashSettlementIncludesVat')}</label>
      </div>
      <p id="company-cash-settlement-vat-hint" className="field-hint">
        {t('company.cashSettlementHint')}
      </p>
      {save.isError && <Notice kind="error">{errorText(save.error, t('common.errorGeneric'))}</Notice>}
      {save.isSuccess && <Notice kind="success">{t('company.saved')}</Notice>}
      <button type="submit" className="button-primary" disabled={save.isPending}>
        {t('common.save')}
      </button>
    </form>
  );
}

/**
 * How long closed cases keep personal data (level 6), a setting of its own beside the customer
 * page's visibility: the daily retention job reads it (data-lifecycle/ on the server).
 */
function RetentionForm({ company }: { company: CompanyView }) {
  const { t, language } = useLanguage();
  const text = retentionTexts[language];
  const queryClient = useQueryClient();
  const id = useId();
  const [years, setYears] = useState(String(company.personalDataRetentionYears));
  const save = useMutation({
    mutationFn: () => api.company.update({ personalDataRetentionYears: Number(years) }),
    onSuccess: (data) => queryClient.setQueryData(['company'], data),
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate();
  }
  return (
    <form className="card" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{text.title}</h2>
      <div className="field">
        <label htmlFor={`${id}-years`}>{text.years}</label>
        <input
          id={`${id}-years`}
          type="number"
          inputMode="numeric"
          min={1}
          max={30}
          step={1}
          required
          value={years}
          aria-describedby={`${id}-hint`}
          onChange={(event) => setYears(event.target.value)}
        />
        <p id={`${id}-hint`} className="field-hint">
          {text.hint}
        </p>
      </div>
      {save.isError && <Notice kind="error">{errorText(save.error, t('common.errorGeneric'))}</Notice>}
      {save.isSuccess && <Notice kind="success">{text.saved}</Notice>}
      <button type="submit" className="button-primary" disabled={save.isPending}>
        {t('common.save')}
      </button>
      <p>
        <Link to="/audit-log">{text.auditLink}</Link>
      </p>
    </form>
  );
}

/**
 * The company's default logo (level 6), which the customer page shows while "Bruk bedriftens
 * standard" is on: PNG or JPEG, scaled by the server to 40 px height (and 80 px for sharp screens).
 */
function CompanyLogoForm({ hasLogo }: { hasLogo: boolean }) {
  const { t } = useLanguage();
  const queryClient = useQueryClient();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const send = useMutation({
    mutationFn: (file: File) => api.company.uploadLogo(file),
    onSuccess: () => {
      if (input.current) input.current.value = '';
      void queryClient.invalidateQueries({ queryKey: ['company'] });
      void queryClient.invalidateQueries({ queryKey: ['customer-page-config'] });
    },
  });
  function choose(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    if (file) send.mutate(file);
  }
  const error =
    send.error instanceof ApiError && send.error.status === 415
      ? t('company.logoWrongType')
      : send.error instanceof ApiError && send.error.status === 413
        ? t('company.logoTooLarge')
        : send.isError
          ? errorText(send.error, t('common.errorGeneric'))
          : null;
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('company.logoTitle')}</h2>
      <p>{hasLogo || send.isSuccess ? t('company.hasLogo') : t('company.noLogo')}</p>
      {send.data && (
        <p>
          <img
            src={send.data.logoUrl}
            srcSet={`${send.data.logoUrl} 1x, ${send.data.logoUrl2x} 2x`}
            height={40}
            alt={t('company.logoAlt')}
          />
        </p>
      )}
      <div className="field">
        <label htmlFor={id}>{t('company.logoUpload')}</label>
        <input
          ref={input}
          id={id}
          type="file"
          accept=".png,.jpg,.jpeg,image/png,image/jpeg"
          aria-describedby={`${id}-hint`}
          disabled={send.isPending}
          onChange={choose}
        />
        <p id={`${id}-hint`} className="field-hint">
          {t('company.logoHint')}
        </p>
      </div>
      {send.isPending && <p role="status">{t('common.loading')}</p>}
      {send.isSuccess && <Notice kind="success">{t('company.logoUploaded')}</Notice>}
      {error && <Notice kind="error">{error}</Notice>}
    </section>
  );
}
