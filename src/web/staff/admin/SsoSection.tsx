import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import type { z } from 'zod';
import type { ssoConfigView } from '../../../common/contracts/sso-api.ts';
import { useLanguage } from '../../shared/language.tsx';
import { api } from '../api.ts';
import { errorText, Field, Notice } from '../components.tsx';
import { CheckField } from './fields.tsx';

type SsoConfig = z.output<typeof ssoConfigView>;

const SSO_QUERY = ['admin-sso'] as const;

/**
 * Company → sign-in with company accounts (level 6): the company's OpenID Provider, the redirect URI
 * to register there, the sign-in link to give staff, and "SSO only". The client secret is write-only.
 */
export function SsoSection() {
  const { t } = useLanguage();
  const config = useQuery({ queryKey: SSO_QUERY, queryFn: () => api.sso.get() });
  if (config.isError)
    return <Notice kind="error">{errorText(config.error, t('common.errorGeneric'))}</Notice>;
  if (!config.data) return <p role="status">{t('common.loading')}</p>;
  return <SsoForm config={config.data} />;
}

function SsoForm({ config }: { config: SsoConfig }) {
  const { t } = useLanguage();
  const queryClient = useQueryClient();
  const id = useId();
  const [issuer, setIssuer] = useState(config.issuer ?? '');
  const [clientId, setClientId] = useState(config.clientId ?? '');
  const [clientSecret, setClientSecret] = useState('');
  const [enabled, setEnabled] = useState(config.configured ? config.enabled : true);
  const [ssoOnly, setSsoOnly] = useState(config.ssoOnly);
  const save = useMutation({
    mutationFn: () =>
      api.sso.save({
        issuer,
        clientId,
        ...(clientSecret !== '' && { clientSecret }),
        enabled,
        ssoOnly,
      }),
    onSuccess: (data) => {
      // The secret is write-only: the field empties, and the hint says one is stored.
      setClientSecret('');
      remove.reset();
      queryClient.setQueryData(SSO_QUERY, data);
    },
  });
  const remove = useMutation({
    mutationFn: () => api.sso.remove(),
    onSuccess: () => {
      save.reset();
      setIssuer('');
      setClientId('');
      setSsoOnly(false);
      void queryClient.invalidateQueries({ queryKey: SSO_QUERY });
    },
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate();
  }
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('sso.admin.title')}</h2>
      <p>{t('sso.admin.intro')}</p>
      <CopyField label={t('sso.admin.redirectUri')} value={config.redirectUri} />
      <CopyField label={t('sso.admin.signInUrl')} value={config.signInUrl} />
      <form onSubmit={submit} noValidate>
        <Field
          label={t('sso.admin.issuer')}
          type="url"
          required
          value={issuer}
          aria-describedby={`${id}-issuer-hint`}
          onChange={(event) => setIssuer(event.target.value)}
        />
        <p id={`${id}-issuer-hint`} className="field-hint">
          {t('sso.admin.issuerHint')}
        </p>
        <Field
          label={t('sso.admin.clientId')}
          required
          value={clientId}
          onChange={(event) => setClientId(event.target.value)}
        />
        <Field
          label={t('sso.admin.clientSecret')}
          type="password"
          autoComplete="off"
          value={clientSecret}
          aria-describedby={`${id}-secret-hint`}
          onChange={(event) => setClientSecret(event.target.value)}
        />
        <p id={`${id}-secret-hint`} className="field-hint">
          {config.hasClientSecret ? t('sso.admin.secretStored') : t('sso.admin.secretMissing')}
        </p>
        <CheckField label={t('sso.admin.enabled')} checked={enabled} onChange={setEnabled} />
        <CheckField
          label={t('sso.admin.ssoOnly')}
          help={t('sso.admin.ssoOnlyHint')}
          checked={ssoOnly}
          onChange={setSsoOnly}
        />
        {save.isError && <Notice kind="error">{errorText(save.error, t('common.errorGeneric'))}</Notice>}
        {save.isSuccess && <Notice kind="success">{t('sso.admin.saved')}</Notice>}
        {remove.isSuccess && <Notice kind="success">{t('sso.admin.removed')}</Notice>}
        <div className="row-actions">
          <button type="submit" className="button-primary" disabled={save.isPending}>
            {t('common.save')}
          </button>
          {config.configured && (
            <button
              type="button"
              className="button-quiet"
              disabled={remove.isPending}
              onClick={() => remove.mutate()}
            >
              {t('sso.admin.remove')}
            </button>
          )}
        </div>
      </form>
    </section>
  );
}

/** A read-only value to register or hand out, with a copy button. */
function CopyField({ label, value }: { label: string; value: string }) {
  const { t } = useLanguage();
  const [copied, setCopied] = useState(false);
  return (
    <div className="copy-field">
      <Field label={label} value={value} readOnly onFocus={(event) => event.target.select()} />
      <button
        type="button"
        className="button-quiet"
        onClick={() =>
          void navigator.clipboard?.writeText(value).then(
            () => setCopied(true),
            () => setCopied(false),
          )
        }
      >
        {copied ? t('sso.admin.copied') : t('sso.admin.copy')}
      </button>
    </div>
  );
}
