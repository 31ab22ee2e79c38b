import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import type { BankIdBrokerView } from '../../../common/contracts/bankid-api.ts';
import { useLanguage } from '../../shared/language.tsx';
import { api, ApiError } from '../api.ts';
import { errorText, Notice } from '../components.tsx';

export const BANKID_BROKER_QUERY = ['bankid-broker'] as const;

/**
 * Company admin → the BankID service (issue 18, level 6): the redirect URI to register at the broker,
 * then issuer, client id and client secret. The secret is write-only: the form shows whether one is
 * stored and sends a new one only when typed. Its own form and save, beside the settings.
 */
export function BankIdBrokerSection() {
  const { t } = useLanguage();
  const id = useId();
  const broker = useQuery({ queryKey: BANKID_BROKER_QUERY, queryFn: () => api.bankIdBroker.get() });
  return (
    <section className="card admin-card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('customerPageAdmin.bankIdBroker.title')}</h2>
      <p>{t('customerPageAdmin.bankIdBroker.intro')}</p>
      {broker.isError && <Notice kind="error">{errorText(broker.error, t('common.errorGeneric'))}</Notice>}
      {broker.data ? (
        <BrokerForm saved={broker.data} />
      ) : (
        !broker.isError && <p role="status">{t('common.loading')}</p>
      )}
    </section>
  );
}

function BrokerForm({ saved }: { saved: BankIdBrokerView }) {
  const { t } = useLanguage();
  const id = useId();
  const queryClient = useQueryClient();
  const [issuer, setIssuer] = useState(saved.issuer ?? '');
  const [clientId, setClientId] = useState(saved.clientId ?? '');
  const [clientSecret, setClientSecret] = useState('');
  const [done, setDone] = useState<'saved' | 'removed' | null>(null);
  const onSaved = (view: BankIdBrokerView, what: 'saved' | 'removed') => {
    queryClient.setQueryData(BANKID_BROKER_QUERY, view);
    setIssuer(view.issuer ?? '');
    setClientId(view.clientId ?? '');
    setClientSecret('');
    setDone(what);
  };
  const save = useMutation({
    mutationFn: () => api.bankIdBroker.save({ issuer, clientId, ...(clientSecret ? { clientSecret } : {}) }),
    onSuccess: (view) => onSaved(view, 'saved'),
  });
  const remove = useMutation({
    mutationFn: () => api.bankIdBroker.remove(),
    onSuccess: (view) => onSaved(view, 'removed'),
  });
  const fieldError = (name: string) =>
    save.error instanceof ApiError
      ? save.error.fields.find((field) => field.path === `body.${name}`)?.message
      : undefined;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setDone(null);
    save.mutate();
  };
  const field = (name: 'issuer' | 'clientId' | 'clientSecret', value: string, set: (v: string) => void) => {
    const error = fieldError(name);
    const help =
      name === 'issuer'
        ? t('customerPageAdmin.bankIdBroker.issuerHelp')
        : name === 'clientSecret'
          ? saved.hasClientSecret
            ? t('customerPageAdmin.bankIdBroker.secretStored')
            : t('customerPageAdmin.bankIdBroker.secretMissing')
          : null;
    const describedBy = [help ? `${id}-${name}-help` : '', error ? `${id}-${name}-error` : '']
      .filter(Boolean)
      .join(' ');
    return (
      <div className="field">
        <label htmlFor={`${id}-${name}`}>{t(`customerPageAdmin.bankIdBroker.${name}`)}</label>
        <input
          id={`${id}-${name}`}
          type={name === 'clientSecret' ? 'password' : name === 'issuer' ? 'url' : 'text'}
          autoComplete={name === 'clientSecret' ? 'new-password' : 'off'}
          value={value}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy || undefined}
          onChange={(event) => set(event.target.value)}
        />
        {help && (
          <p id={`${id}-${name}-help`} className="field-hint">
            {help}
          </p>
        )}
        {error && (
          <p id={`${id}-${name}-error`} className="field-error">
            {error}
          </p>
        )}
      </div>
    );
  };
  return (
    <form className="admin-form" onSubmit={submit} noValidate>
      <dl className="read-only-setting">
        <dt>{t('customerPageAdmin.bankIdBroker.redirectUri')}</dt>
        <dd>
          <code>{saved.redirectUri}</code>
        </dd>
        <dt>{t('customerPageAdmin.bankIdBroker.scope')}</dt>
        <dd>
          <code>{saved.scope}</code>
        </dd>
      </dl>
      {field('issuer', issuer, setIssuer)}
      {field('clientId', clientId, setClientId)}
      {field('clientSecret', clientSecret, setClientSecret)}
      {save.isError && <Notice kind="error">{errorText(save.error, t('common.errorGeneric'))}</Notice>}
      {remove.isError && <Notice kind="error">{errorText(remove.error, t('common.errorGeneric'))}</Notice>}
      {done && (
        <Notice kind="success">
          {done === 'saved'
            ? t('customerPageAdmin.bankIdBroker.saved')
            : t('customerPageAdmin.bankIdBroker.removed')}
        </Notice>
      )}
      <div className="save-row">
        <button type="submit" className="button-primary" disabled={save.isPending}>
          {save.isPending
            ? t('customerPageAdmin.bankIdBroker.saving')
            : t('customerPageAdmin.bankIdBroker.save')}
        </button>
        {saved.configured && (
          <button
            type="button"
            className="button"
            disabled={remove.isPending}
            onClick={() => {
              setDone(null);
              remove.mutate();
            }}
          >
            {t('customerPageAdmin.bankIdBroker.remove')}
          </button>
        )}
      </div>
    </form>
  );
}
