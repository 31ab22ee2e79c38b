import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type FormEvent } from 'react';
import type { CaseView } from '../../../common/contracts/case-api.ts';
import type { BudgetView, ReplaceBudgetInput } from '../../../common/contracts/economy-api.ts';
import { useLanguage } from '../../shared/language.tsx';
import { api } from '../api.ts';
import { errorText, Field, Notice, SaveCancel } from '../components.tsx';
import { formatAmount, kronerInput, parseKroner } from '../format.ts';
import { caseKeys } from './case-data.ts';
import { LogButton } from './CaseLog.tsx';

interface LineForm {
  key: number;
  description: string;
  amount: string;
}

/** The case budget: its lines and total in kroner; edited where the server allows (`editBudget`). */
export function BudgetTab({ kase }: { kase: CaseView }) {
  const { t } = useLanguage();
  const queryClient = useQueryClient();
  const key = [...caseKeys.one(kase.id), 'budget'] as const;
  const budget = useQuery({
    queryKey: key,
    queryFn: () => api.budget.get(kase.id),
  });
  const [lines, setLines] = useState<LineForm[] | null>(null);
  const [invalid, setInvalid] = useState<number | null>(null);
  const nextKey = useRef(1);
  const editButton = useRef<HTMLButtonElement>(null);
  const save = useMutation({
    mutationFn: (body: ReplaceBudgetInput) => api.budget.replace(kase.id, body),
    onSuccess: async (saved) => {
      queryClient.setQueryData(key, saved);
      setLines(null);
      requestAnimationFrame(() => editButton.current?.focus());
      await queryClient.invalidateQueries({ queryKey: caseKeys.log(kase.id) });
    },
  });
  const line = (description = '', amount = ''): LineForm => ({ key: nextKey.current++, description, amount });
  function startEditing(data: BudgetView) {
    save.reset();
    setInvalid(null);
    setLines(
      data.lines.length ? data.lines.map((l) => line(l.description, kronerInput(l.amountOre))) : [line()],
    );
  }
  function submit(event: FormEvent) {
    event.preventDefault();
    if (!lines) return;
    const parsed = lines.map((l) => ({ description: l.description, amountOre: parseKroner(l.amount) }));
    const bad = parsed.findIndex((l) => l.amountOre === null);
    setInvalid(bad >= 0 ? bad + 1 : null);
    if (bad >= 0) return;
    save.mutate({ lines: parsed.map((l) => ({ description: l.description, amountOre: l.amountOre ?? 0 })) });
  }
  const setLine = (k: number, change: Partial<LineForm>) =>
    setLines((list) => list && list.map((l) => (l.key === k ? { ...l, ...change } : l)));

  return (
    <>
      <div className="panel-title">
        <h3>{t('budget.title')}</h3>
        <LogButton caseId={kase.id} topic="economy" title={t('budget.logTitle')} />
      </div>
      {!budget.data ? (
        <p role="status">{t('common.loading')}</p>
      ) : lines ? (
        <form className="card form-wide" onSubmit={submit} aria-label={t('budget.edit')}>
          {lines.map((l, index) => (
            <fieldset key={l.key} className="sub-fieldset budget-line">
              <legend>{t('budget.lineN', { n: index + 1 })}</legend>
              <Field
                label={t('budget.description')}
                value={l.description}
                required
                maxLength={500}
                onChange={(e) => setLine(l.key, { description: e.target.value })}
              />
              <Field
                label={t('budget.amount')}
                value={l.amount}
                required
                inputMode="decimal"
                placeholder={t('budget.amountHint')}
                error={invalid === index + 1 ? t('budget.invalidAmount', { n: index + 1 }) : undefined}
                onChange={(e) => setLine(l.key, { amount: e.target.value })}
              />
              <button
                type="button"
                className="button-quiet button-small"
                onClick={() => setLines((list) => list && list.filter((other) => other.key !== l.key))}
              >
                {t('budget.removeLine', { n: index + 1 })}
              </button>
            </fieldset>
          ))}
          <button
            type="button"
            className="button-quiet"
            onClick={() => setLines((list) => [...(list ?? []), line()])}
          >
            {t('budget.addLine')}
          </button>
          {save.isError && <Notice kind="error">{errorText(save.error, t('common.errorGeneric'))}</Notice>}
          <SaveCancel pending={save.isPending} onCancel={() => setLines(null)} />
        </form>
      ) : (
        <>
          {budget.data.lines.length === 0 ? (
            <p>{t('budget.empty')}</p>
          ) : (
            <div className="table-scroll">
              <table className="budget-table">
                <thead>
                  <tr>
                    <th scope="col">{t('budget.description')}</th>
                    <th scope="col" className="amount">
                      {t('budget.amount')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {budget.data.lines.map((l) => (
                    <tr key={l.id}>
                      <td>{l.description}</td>
                      <td className="amount">{formatAmount(l.amountOre)}</td>
                    </tr>
                  ))}
                </tbody>
                <tfoot>
                  <tr>
                    <th scope="row">{t('budget.total')}</th>
                    <td className="amount">
                      <strong>{formatAmount(budget.data.totalOre)}</strong>
                    </td>
                  </tr>
                </tfoot>
              </table>
            </div>
          )}
          {save.isSuccess && <Notice kind="success">{t('budget.saved')}</Notice>}
          {kase.allowedActions.editBudget === 'allowed' ? (
            <button
              ref={editButton}
              type="button"
              className="button-quiet"
              onClick={() => budget.data && startEditing(budget.data)}
            >
              {t('budget.edit')}
            </button>
          ) : (
            <p className="muted">{t('budget.needsLevel')}</p>
          )}
        </>
      )}
    </>
  );
}
