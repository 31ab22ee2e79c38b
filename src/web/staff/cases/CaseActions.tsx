import { useState, type FormEvent } from 'react';
import type { CaseStatusAction, CaseView } from '../../../common/contracts/case-api.ts';
import { useLanguage } from '../../shared/language.tsx';
import { api } from '../api.ts';
import { errorText, Notice, TextAreaField } from '../components.tsx';
import { ConfirmDialog, Dialog } from '../dialog.tsx';
import { useCaseChange } from './case-data.ts';
import { LogButton } from './CaseLog.tsx';

type Action = CaseStatusAction;
/** What the close and reopen dialogs send: an internal comment or reason. */
type Note = { comment?: string; reason?: string };

/**
 * "Sakstiltak": put on hold, resume, close (with a comment), cancel, reopen (with a reason), log.
 * The buttons are the status changes the server offers this user now (`allowedActions`, from its
 * transitions and level table), in the guide's order.
 */
export function CaseActions({ kase }: { kase: CaseView }) {
  const { t } = useLanguage();
  const [dialog, setDialog] = useState<'close' | 'cancel' | 'reopen' | null>(null);
  const [note, setNote] = useState('');
  const change = useCaseChange(kase.id, ({ action, body }: { action: Action; body?: Note }) =>
    api.cases.changeStatus(kase.id, action, body),
  );
  function run(action: Action, body?: Note) {
    change.mutate(
      { action, body },
      {
        onSuccess: () => {
          setDialog(null);
          setNote('');
        },
      },
    );
  }
  function closeDialog() {
    setDialog(null);
    setNote('');
    change.reset();
  }
  function submitNote(event: FormEvent) {
    event.preventDefault();
    if (dialog === 'close') run('close', note.trim() ? { comment: note } : {});
    if (dialog === 'reopen') run('reopen', note.trim() ? { reason: note } : {});
  }
  const error = change.isError && (
    <Notice kind="error">{errorText(change.error, t('common.errorGeneric'))}</Notice>
  );

  return (
    <section className="panel" aria-labelledby="case-actions-title">
      <div className="panel-title">
        <h2 id="case-actions-title">{t('caseActions.title')}</h2>
        <LogButton caseId={kase.id} topic="case" title={t('caseActions.logTitle')} />
      </div>
      <div className="button-row">
        {kase.allowedActions.changeStatus.map((action, index) => (
          <button
            // Keyed by position: "Put on hold" turns into "Resume" in place and keeps the focus.
            key={index}
            type="button"
            className="button-quiet"
            onClick={() => {
              // Not disabled while busy: a disabled button would drop the keyboard focus.
              if (change.isPending) return;
              if (action === 'hold' || action === 'resume') run(action);
              else {
                change.reset();
                setDialog(action);
              }
            }}
          >
            {t(`caseActions.${action}`)}
          </button>
        ))}
      </div>
      {!dialog && error}
      {change.isSuccess && !dialog && (
        <Notice kind="success">{t('caseActions.done', { status: t(`caseStatus.${kase.status}`) })}</Notice>
      )}
      {(dialog === 'close' || dialog === 'reopen') && (
        <Dialog
          title={t(dialog === 'close' ? 'caseActions.closeTitle' : 'caseActions.reopenTitle')}
          onClose={closeDialog}
        >
          <form onSubmit={submitNote}>
            <TextAreaField
              label={t(dialog === 'close' ? 'caseActions.closeComment' : 'caseActions.reopenReason')}
              value={note}
              maxLength={5000}
              onChange={(event) => setNote(event.target.value)}
            />
            {error}
            <div className="button-row">
              <button type="submit" className="button-primary" disabled={change.isPending}>
                {t(dialog === 'close' ? 'caseActions.closeConfirm' : 'caseActions.reopenConfirm')}
              </button>
              <button type="button" className="button-quiet" onClick={closeDialog}>
                {t('common.cancel')}
              </button>
            </div>
          </form>
        </Dialog>
      )}
      {dialog === 'cancel' && (
        <ConfirmDialog
          title={t('caseActions.cancelTitle')}
          message={<p>{t('caseActions.cancelMessage')}</p>}
          confirmLabel={t('caseActions.cancelConfirm')}
          dismissLabel={t('caseActions.keepCase')}
          busy={change.isPending}
          error={error}
          onConfirm={() => run('cancel')}
          onClose={closeDialog}
        />
      )}
    </section>
  );
}
