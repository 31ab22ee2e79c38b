import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { CaseView } from '../../../common/contracts/case-api.ts';
import type { ReminderView } from '../../../common/contracts/economy-api.ts';
import { useLanguage } from '../../shared/language.tsx';
import { api } from '../api.ts';
import { errorText, Field, Notice, ShowOlder } from '../components.tsx';
import { useOlderPages } from '../paging.ts';
import { formatDate } from '../format.ts';
import { caseKeys } from './case-data.ts';

/** Reminders for the case handler: the open ones, add one, mark one done (they feed the dashboard). */
export function Reminders({ kase }: { kase: CaseView }) {
  const { t } = useLanguage();
  const queryClient = useQueryClient();
  const key = [...caseKeys.one(kase.id), 'reminders'] as const;
  // Open reminders come first (earliest due first), so page 1 holds what is due now.
  const reminders = useOlderPages<ReminderView>(key, (paging) => api.reminders.list(kase.id, paging));
  const [dueOn, setDueOn] = useState('');
  const [text, setText] = useState('');
  const refresh = () => queryClient.invalidateQueries({ queryKey: caseKeys.one(kase.id) });
  const add = useMutation({
    mutationFn: () => api.reminders.create(kase.id, { dueOn, text }),
    onSuccess: async () => {
      setDueOn('');
      setText('');
      await refresh();
    },
  });
  const done = useMutation({
    mutationFn: (id: string) => api.reminders.done(id),
    onSuccess: refresh,
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    add.mutate();
  }
  const open = reminders.items.filter((reminder) => !reminder.done);
  // Done ones follow the open ones: once a page ends on a done reminder, no open one is left.
  const moreOpen = reminders.hasOlder && reminders.items[reminders.items.length - 1]?.done === false;
  return (
    <section className="panel" aria-labelledby="reminders-title">
      <h2 id="reminders-title">{t('reminders.title')}</h2>
      {reminders.isError ? (
        <Notice kind="error">{errorText(reminders.error, t('common.errorGeneric'))}</Notice>
      ) : !reminders.first ? (
        <p role="status">{t('common.loading')}</p>
      ) : open.length === 0 ? (
        <p className="muted">{t('reminders.empty')}</p>
      ) : (
        <ul className="reminder-list">
          {open.map((reminder) => (
            <li key={reminder.id}>
              <span>
                <strong>{formatDate(reminder.dueOn)}</strong> {reminder.text}
              </span>
              <button
                type="button"
                className="button-quiet button-small"
                aria-label={t('reminders.markDoneLabel', { text: reminder.text })}
                onClick={() => !done.isPending && done.mutate(reminder.id)}
              >
                {t('reminders.markDone')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <ShowOlder list={reminders} hasOlder={moreOpen} showCount={false} label={t('paging.showMore')} />
      {done.isError && <Notice kind="error">{errorText(done.error, t('common.errorGeneric'))}</Notice>}
      <form className="inline-form" onSubmit={submit} aria-label={t('reminders.add')}>
        <div className="field-row">
          <Field
            label={t('reminders.dueOn')}
            type="date"
            value={dueOn}
            required
            onChange={(e) => setDueOn(e.target.value)}
          />
          <Field
            label={t('reminders.text')}
            value={text}
            required
            maxLength={2000}
            onChange={(e) => setText(e.target.value)}
          />
        </div>
        {add.isError && <Notice kind="error">{errorText(add.error, t('common.errorGeneric'))}</Notice>}
        {add.isSuccess && <Notice kind="success">{t('reminders.saved')}</Notice>}
        <button type="submit" className="button-quiet">
          {t('reminders.add')}
        </button>
      </form>
    </section>
  );
}
