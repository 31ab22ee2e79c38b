import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { ApiKeyView } from '../../../common/contracts/api.ts';
import { authorizationLevels } from '../../../common/rules/enums.ts';
import { useLanguage } from '../../shared/language.tsx';
import { api } from '../api.ts';
import type { Page } from '../../../common/rules/pages.ts';
import { errorText, Field, Notice, Pager, SelectField } from '../components.tsx';
import { usePagedList } from '../paging.ts';

const KEYS = ['api-keys'] as const;
const dateTime = (iso: string) =>
  new Date(iso).toLocaleString('nb-NO', { dateStyle: 'short', timeStyle: 'short' });

/** API keys for integrations (level 6): create (shown once), list, revoke. */
export function ApiKeysPage() {
  const { t } = useLanguage();
  const queryClient = useQueryClient();
  const keys = usePagedList<Page<ApiKeyView>>(KEYS, (paging) => api.apiKeys.list(paging));
  const revoke = useMutation({
    mutationFn: (id: string) => api.apiKeys.revoke(id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: KEYS }),
  });
  return (
    <section>
      <h1>{t('apiKeys.title')}</h1>
      <p>{t('apiKeys.intro')}</p>
      {!keys.data ? (
        <p role="status">{t('common.loading')}</p>
      ) : keys.data.total === 0 ? (
        <p>{t('apiKeys.empty')}</p>
      ) : (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('apiKeys.name')}</th>
                <th scope="col">{t('apiKeys.level')}</th>
                <th scope="col">{t('apiKeys.createdAt')}</th>
                <th scope="col">{t('apiKeys.lastUsedAt')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('apiKeys.revoke')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.data.items.map((key) => (
                <tr key={key.id}>
                  <td>{key.name}</td>
                  <td>{key.level}</td>
                  <td>{dateTime(key.createdAt)}</td>
                  <td>{key.lastUsedAt ? dateTime(key.lastUsedAt) : t('apiKeys.never')}</td>
                  <td>
                    {key.revokedAt ? (
                      t('apiKeys.revoked')
                    ) : (
                      <button type="button" className="button-quiet" onClick={() => revoke.mutate(key.id)}>
                        {t('apiKeys.revoke')}
                        <span className="visually-hidden"> {key.name}</span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager page={keys.page} pages={keys.pages} onGo={keys.setPage} />
        </div>
      )}
      <NewKeyForm />
    </section>
  );
}

function NewKeyForm() {
  const { t } = useLanguage();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [level, setLevel] = useState('6');
  const create = useMutation({
    mutationFn: () => api.apiKeys.create({ name, level: Number(level) }),
    onSuccess: () => {
      setName('');
      void queryClient.invalidateQueries({ queryKey: KEYS });
    },
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate();
  }
  return (
    <form className="card" onSubmit={submit}>
      <h2>{t('apiKeys.add')}</h2>
      <Field
        label={t('apiKeys.name')}
        value={name}
        required
        onChange={(event) => setName(event.target.value)}
      />
      <SelectField
        label={t('apiKeys.level')}
        value={level}
        onChange={setLevel}
        options={authorizationLevels.map((value) => ({ value: String(value), label: String(value) }))}
      />
      {create.isError && <Notice kind="error">{errorText(create.error, t('common.errorGeneric'))}</Notice>}
      {create.isSuccess && (
        <div className="notice notice-success" role="status">
          <p>{t('apiKeys.showOnce')}</p>
          <code className="secret">{create.data.key}</code>
        </div>
      )}
      <button type="submit" className="button-primary" disabled={create.isPending}>
        {t('common.create')}
      </button>
    </form>
  );
}
