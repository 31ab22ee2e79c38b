import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { UserView } from '../../../common/contracts/api.ts';
import { authorizationLevels } from '../../../common/rules/enums.ts';
import { useLanguage } from '../../shared/language.tsx';
import { api } from '../api.ts';
import type { Page } from '../../../common/rules/pages.ts';
import { errorText, Field, Notice, Pager, SelectField } from '../components.tsx';
import { usePagedList } from '../paging.ts';

const USERS = ['users'] as const;

/** Staff of the company; level 6 adds users and (de)activates them. */
export function UsersPage({ canManage, selfId }: { canManage: boolean; selfId: string | undefined }) {
  const { t } = useLanguage();
  const queryClient = useQueryClient();
  const users = usePagedList<Page<UserView>>(USERS, (paging) => api.users.list(paging));
  const toggle = useMutation({
    mutationFn: (user: UserView) => api.users.update(user.id, { active: !user.active }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: USERS }),
  });

  return (
    <section>
      <h1>{t('users.title')}</h1>
      {!users.data ? (
        <p role="status">{t('common.loading')}</p>
      ) : (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('users.name')}</th>
                <th scope="col">{t('users.email')}</th>
                <th scope="col">{t('users.phone')}</th>
                <th scope="col">{t('users.level')}</th>
                <th scope="col">{t('users.active')}</th>
                {canManage && (
                  <th scope="col">
                    <span className="visually-hidden">{t('users.deactivate')}</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {users.data.items.map((user) => (
                <tr key={user.id}>
                  <td>{user.name}</td>
                  <td>{user.email}</td>
                  <td>{user.phone ?? ''}</td>
                  <td>{user.level}</td>
                  <td>{user.active ? t('common.yes') : t('common.no')}</td>
                  {canManage && (
                    <td>
                      {user.id !== selfId && (
                        <button type="button" className="button-quiet" onClick={() => toggle.mutate(user)}>
                          {user.active ? t('users.deactivate') : t('users.activate')}
                          <span className="visually-hidden"> {user.name}</span>
                        </button>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
          <Pager page={users.page} pages={users.pages} onGo={users.setPage} />
        </div>
      )}
      {toggle.isError && <Notice kind="error">{errorText(toggle.error, t('common.errorGeneric'))}</Notice>}
      {canManage && <NewUserForm />}
    </section>
  );
}

function NewUserForm() {
  const { t } = useLanguage();
  const queryClient = useQueryClient();
  const empty = { name: '', email: '', phone: '', password: '', level: '1' };
  const [form, setForm] = useState(empty);
  const create = useMutation({
    mutationFn: () =>
      api.users.create({
        name: form.name,
        email: form.email,
        password: form.password,
        level: Number(form.level),
        ...(form.phone.trim() && { phone: form.phone }),
      }),
    onSuccess: () => {
      setForm(empty);
      void queryClient.invalidateQueries({ queryKey: USERS });
    },
  });
  const set = (key: keyof typeof empty) => (value: string) =>
    setForm((current) => ({ ...current, [key]: value }));
  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate();
  }
  return (
    <form className="card" onSubmit={submit}>
      <h2>{t('users.add')}</h2>
      <Field
        label={t('users.name')}
        value={form.name}
        required
        onChange={(e) => set('name')(e.target.value)}
      />
      <Field
        label={t('users.email')}
        type="email"
        value={form.email}
        required
        onChange={(e) => set('email')(e.target.value)}
      />
      <Field
        label={t('users.phone')}
        type="tel"
        value={form.phone}
        onChange={(e) => set('phone')(e.target.value)}
      />
      <SelectField
        label={t('users.level')}
        value={form.level}
        onChange={set('level')}
        options={authorizationLevels.map((level) => ({ value: String(level), label: String(level) }))}
      />
      <Field
        label={t('users.password')}
        type="password"
        autoComplete="new-password"
        value={form.password}
        required
        onChange={(e) => set('password')(e.target.value)}
      />
      {create.isError && <Notice kind="error">{errorText(create.error, t('common.errorGeneric'))}</Notice>}
      {create.isSuccess && <Notice kind="success">{t('users.created', { name: create.data.name })}</Notice>}
      <button type="submit" className="button-primary" disabled={create.isPending}>
        {t('common.create')}
      </button>
    </form>
  );
}
