import { useState, type FormEvent } from 'react';
import type { CaseView, TaskView } from '../../../common/contracts/case-api.ts';
import { useLanguage } from '../../shared/language.tsx';
import { api } from '../api.ts';
import { errorText, Notice, SaveCancel, SelectField } from '../components.tsx';
import { PhoneLink } from '../phone.tsx';
import { formatDateTime } from '../format.ts';
import { officeOptions, personsOfOffice, useCaseChange, usePartners } from './case-data.ts';
import { LogButton } from './CaseLog.tsx';
import { useMilestoneConfirm } from './MilestoneConfirm.tsx';
import { useInlineEditor } from './use-inline-editor.ts';

/** The main inspection: assign office and inspector, start, finish, with its log. */
export function MainInspection({ kase }: { kase: CaseView }) {
  const { t } = useLanguage();
  const task = kase.mainInspection;
  const partners = usePartners();
  const editor = useInlineEditor();
  const [officeId, setOfficeId] = useState('');
  const [inspectorId, setInspectorId] = useState('');
  const assign = useCaseChange(kase.id, () =>
    api.tasks.assignMainInspection(kase.id, {
      officeId,
      ...(inspectorId && { inspectorId }),
    }),
  );
  const progress = useCaseChange(kase.id, (step: 'start' | 'finish') =>
    api.tasks.progressMainInspection(kase.id, step),
  );
  // The first assignment reaches the main-inspection milestone: it may open parts of the customer
  // page and send links, so it is confirmed first when it does (MilestoneConfirm.tsx).
  const milestone = useMilestoneConfirm(kase.id);
  if (!task) return null;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (assign.isPending || milestone.busy) return;
    if (!kase.mainInspectionAssignedAt) {
      void milestone.confirmThen('assign_main_inspection', () => assign.mutateAsync().then(editor.close));
    } else assign.mutate(undefined, { onSuccess: editor.close });
  }
  const inspectors = personsOfOffice(partners.data, officeId);
  const step =
    task.office && task.status === 'not_started' ? 'start' : task.status === 'started' ? 'finish' : null;

  return (
    <section className="panel" aria-labelledby="inspection-title">
      <div className="panel-title">
        <h2 id="inspection-title">{t('inspection.title')}</h2>
        <LogButton caseId={kase.id} topic="inspection" title={t('inspection.logTitle')} />
      </div>
      <dl className="facts">
        <dt>{t('inspection.status')}</dt>
        <dd>
          <TaskStatus task={task} />
        </dd>
        <dt>{t('inspection.office')}</dt>
        <dd>{task.office?.name ?? <span className="muted">{t('inspection.notAssigned')}</span>}</dd>
        <dt>{t('inspection.inspector')}</dt>
        <dd>
          {task.responsible ? (
            <>
              {task.responsible.name}
              {task.responsible.phone && (
                <>
                  {' '}
                  · <PhoneLink number={task.responsible.phone} />
                </>
              )}
            </>
          ) : (
            <span className="muted">{t('inspection.noInspector')}</span>
          )}
        </dd>
      </dl>
      {editor.editing ? (
        <form
          ref={editor.form}
          className="inline-form"
          onSubmit={submit}
          aria-label={t('inspection.assignTitle')}
        >
          <SelectField
            label={t('inspection.office')}
            value={officeId}
            required
            onChange={(value) => {
              setOfficeId(value);
              setInspectorId('');
            }}
            options={[{ value: '', label: t('inspection.chooseOffice') }, ...officeOptions(partners.data)]}
          />
          <SelectField
            label={t('inspection.inspector')}
            value={inspectorId}
            disabled={!officeId}
            onChange={setInspectorId}
            options={[
              {
                value: '',
                label: officeId ? t('inspection.noInspector') : t('projectPlan.chooseOfficeFirst'),
              },
              ...inspectors,
            ]}
          />
          <SaveCancel pending={assign.isPending} onCancel={editor.close} />
          {milestone.status}
          {assign.isError && !milestone.dialog && (
            <Notice kind="error">{errorText(assign.error, t('common.errorGeneric'))}</Notice>
          )}
        </form>
      ) : (
        <div className="button-row">
          <button
            ref={editor.editButton}
            type="button"
            className="button-quiet"
            onClick={() => {
              setOfficeId(task.office?.id ?? '');
              setInspectorId(task.responsible?.id ?? '');
              assign.reset();
              editor.open();
            }}
          >
            {task.office ? t('inspection.changeAssignment') : t('inspection.assign')}
          </button>
          {step && (
            // One button whose label follows the step, so keyboard focus stays on it after starting.
            <button
              type="button"
              className="button-quiet"
              onClick={() => !progress.isPending && progress.mutate(step)}
            >
              {t(step === 'start' ? 'inspection.start' : 'inspection.finish')}
            </button>
          )}
        </div>
      )}
      {milestone.dialog}
      {assign.isSuccess && !editor.editing && <Notice kind="success">{t('inspection.saved')}</Notice>}
      {progress.isError && (
        <Notice kind="error">{errorText(progress.error, t('common.errorGeneric'))}</Notice>
      )}
    </section>
  );
}

/** A task's status with when it started and finished. */
export function TaskStatus({ task }: { task: TaskView }) {
  const { t } = useLanguage();
  return (
    <>
      <span className={`badge badge-task-${task.status}`}>{t(`taskStatus.${task.status}`)}</span>
      {task.startedAt && (
        <span className="muted">
          {' '}
          · {t('inspection.startedAt')} {formatDateTime(task.startedAt)}
        </span>
      )}
      {task.finishedAt && (
        <span className="muted">
          {' '}
          · {t('inspection.finishedAt')} {formatDateTime(task.finishedAt)}
        </span>
      )}
    </>
  );
}
