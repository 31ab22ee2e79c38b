import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState, type FormEvent } from 'react';
import type { CaseView, TaskView } from '../../../common/contracts/case-api.ts';
import type { UpdateTaskInput } from '../../../common/contracts/case-schemas.ts';
import { useLanguage } from '../../shared/language.tsx';
import { api } from '../api.ts';
import { errorText, Field, Notice, SaveCancel, SelectField, TextAreaField } from '../components.tsx';
import { formatDate, formatDateTime, isoToOsloLocal, osloLocalToIso } from '../format.ts';
import { hasPreview, Thumbnails } from '../../shared/media.tsx';
import { caseKeys, officeOptions, personsOfOffice, useCaseChange, usePartners } from './case-data.ts';
import { staffImages, useMediaLabels } from './staff-media.ts';
import { LogButton } from './CaseLog.tsx';
import { TaskStatus } from './MainInspection.tsx';

/** "Prosjektplan": the repair tasks with office, responsible, schedule and meeting time; add a task. */
export function ProjectPlanTab({ kase }: { kase: CaseView }) {
  const { t } = useLanguage();
  return (
    <>
      <div className="panel-title">
        <h3>{t('projectPlan.title')}</h3>
        <LogButton caseId={kase.id} topic="tasks" title={t('projectPlan.logTitle')} />
      </div>
      {kase.tasks.length === 0 ? (
        <p>{t('projectPlan.empty')}</p>
      ) : (
        <ul className="task-list">
          {kase.tasks.map((task) => (
            <TaskCard key={task.id} kase={kase} task={task} />
          ))}
        </ul>
      )}
      <NewTaskForm kase={kase} />
    </>
  );
}

function TaskCard({ kase, task }: { kase: CaseView; task: TaskView }) {
  const { t } = useLanguage();
  const [editing, setEditing] = useState(false);
  const editButton = useRef<HTMLButtonElement>(null);
  const progress = useCaseChange(kase.id, (step: 'start' | 'finish') => api.tasks.progress(task.id, step));
  const step = task.status === 'not_started' ? 'start' : task.status === 'started' ? 'finish' : null;
  const titleId = `task-${task.id}-title`;
  const notSet = <span className="muted">{t('projectPlan.notSet')}</span>;
  function stopEditing() {
    setEditing(false);
    requestAnimationFrame(() => editButton.current?.focus());
  }
  return (
    <li className="task-card">
      <h4 id={titleId}>{task.name}</h4>
      {task.description && <p className="pre-line">{task.description}</p>}
      <dl className="facts">
        <dt>{t('projectPlan.status')}</dt>
        <dd>
          <TaskStatus task={task} />
        </dd>
        <dt>{t('projectPlan.office')}</dt>
        <dd>{task.office?.name ?? notSet}</dd>
        <dt>{t('projectPlan.responsible')}</dt>
        <dd>{task.responsible?.name ?? notSet}</dd>
        <dt>{t('projectPlan.schedule')}</dt>
        <dd>
          {task.startsOn || task.endsOn ? (
            <>
              {task.startsOn ? formatDate(task.startsOn) : t('events.notSet')} –{' '}
              {task.endsOn ? formatDate(task.endsOn) : t('events.notSet')}
            </>
          ) : (
            notSet
          )}
        </dd>
        <dt>{t('projectPlan.meetingAt')}</dt>
        <dd>{task.meetingAt ? formatDateTime(task.meetingAt) : notSet}</dd>
        <dt>{t('projectPlan.media')}</dt>
        <dd>{task.mediaCount}</dd>
      </dl>
      <TaskMedia kase={kase} task={task} />
      {editing ? (
        <TaskForm kase={kase} task={task} onDone={stopEditing} />
      ) : (
        <div className="button-row">
          <button
            ref={editButton}
            type="button"
            className="button-quiet"
            aria-label={`${t('projectPlan.edit')}: ${task.name}`}
            onClick={() => setEditing(true)}
          >
            {t('projectPlan.edit')}
          </button>
          {step && (
            <button
              type="button"
              className="button-quiet"
              aria-label={`${t(step === 'start' ? 'projectPlan.start' : 'projectPlan.finish')}: ${task.name}`}
              onClick={() => !progress.isPending && progress.mutate(step)}
            >
              {t(step === 'start' ? 'projectPlan.start' : 'projectPlan.finish')}
            </button>
          )}
        </div>
      )}
      {progress.isError && (
        <Notice kind="error">{errorText(progress.error, t('common.errorGeneric'))}</Notice>
      )}
    </li>
  );
}

/** Task media types (the server's allow-list for task media: images, video, PDF). */
const mediaAccept = '.jpg,.jpeg,.png,.heic,.heif,.webp,.gif,.mp4,.mov,.pdf';

/**
 * The photos, videos and PDFs of a task: images as thumbnails that open the viewer, other files as
 * download links, and a file field that adds one (the upload starts when a file is chosen).
 */
function TaskMedia({ kase, task }: { kase: CaseView; task: TaskView }) {
  const { t } = useLanguage();
  const labels = useMediaLabels();
  const queryClient = useQueryClient();
  const inputId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [added, setAdded] = useState('');
  const media = useQuery({
    queryKey: [...caseKeys.one(kase.id), 'documents', 'task', task.id, task.mediaCount],
    queryFn: () => api.documents.taskMedia(kase.id, task.id),
    enabled: task.mediaCount > 0,
    // A new count is a new key: keep showing the thumbnails already there while the list reloads.
    placeholderData: (previous) => previous,
  });
  const upload = useMutation({
    mutationFn: (file: File) => api.documents.uploadTaskMedia(task.id, file),
    onSuccess: async (doc) => {
      setAdded(doc.fileName);
      if (input.current) input.current.value = '';
      // The case (its media count) and its documents, this task's list among them.
      await queryClient.invalidateQueries({ queryKey: caseKeys.one(kase.id) });
    },
  });
  const items = [...(media.data?.items ?? [])].reverse();
  const others = items.filter((doc) => !hasPreview(doc.fileName));
  return (
    <section className="task-media" aria-label={t('projectPlan.mediaFiles', { name: task.name })}>
      <Thumbnails images={staffImages(items)} labels={labels} />
      {others.length > 0 && (
        <ul className="task-media-files">
          {others.map((doc) => (
            <li key={doc.id}>
              <a href={api.documents.downloadUrl(doc.id)} download={doc.fileName} className="break">
                {doc.fileName}
              </a>
            </li>
          ))}
        </ul>
      )}
      <div className="field task-media-add">
        <label htmlFor={inputId}>{t('projectPlan.addMedia')}</label>
        <input
          ref={input}
          id={inputId}
          type="file"
          accept={mediaAccept}
          aria-label={t('projectPlan.addMediaTo', { name: task.name })}
          disabled={upload.isPending}
          onChange={(event) => {
            const file = event.target.files?.[0];
            if (file) upload.mutate(file);
          }}
        />
      </div>
      {upload.isError && <Notice kind="error">{errorText(upload.error, t('common.errorGeneric'))}</Notice>}
      {upload.isSuccess && added && (
        <Notice kind="success">{t('projectPlan.mediaAdded', { name: added })}</Notice>
      )}
    </section>
  );
}

function TaskForm({ kase, task, onDone }: { kase: CaseView; task: TaskView; onDone: () => void }) {
  const { t } = useLanguage();
  const partners = usePartners();
  const initial = {
    officeId: task.office?.id ?? '',
    responsibleId: task.responsible?.id ?? '',
    startsOn: task.startsOn ?? '',
    endsOn: task.endsOn ?? '',
    meetingAt: task.meetingAt ? isoToOsloLocal(task.meetingAt) : '',
  };
  const [form, setForm] = useState(initial);
  const save = useCaseChange(kase.id, () => {
    // Only what changed, so each change writes exactly its own event.
    const body: UpdateTaskInput = {};
    if (form.officeId !== initial.officeId) body.officeId = form.officeId || null;
    if (form.responsibleId !== initial.responsibleId || form.officeId !== initial.officeId)
      body.responsibleId = form.responsibleId || null;
    if (form.startsOn !== initial.startsOn) body.startsOn = form.startsOn || null;
    if (form.endsOn !== initial.endsOn) body.endsOn = form.endsOn || null;
    if (form.meetingAt !== initial.meetingAt)
      body.meetingAt = form.meetingAt ? osloLocalToIso(form.meetingAt) : null;
    return api.tasks.update(task.id, body);
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate(undefined, { onSuccess: onDone });
  }
  const responsibleOptions = personsOfOffice(partners.data, form.officeId);
  return (
    <form
      className="inline-form"
      onSubmit={submit}
      aria-label={t('projectPlan.editTitle', { name: task.name })}
    >
      <SelectField
        label={t('projectPlan.office')}
        value={form.officeId}
        onChange={(officeId) => setForm({ ...form, officeId, responsibleId: '' })}
        options={[{ value: '', label: t('people.notChosen') }, ...officeOptions(partners.data)]}
      />
      <SelectField
        label={t('projectPlan.responsible')}
        value={form.responsibleId}
        disabled={!form.officeId}
        onChange={(responsibleId) => setForm({ ...form, responsibleId })}
        options={[
          {
            value: '',
            label: form.officeId ? t('projectPlan.noResponsible') : t('projectPlan.chooseOfficeFirst'),
          },
          ...responsibleOptions,
        ]}
      />
      <div className="field-row">
        <Field
          label={t('projectPlan.startsOn')}
          type="date"
          value={form.startsOn}
          onChange={(e) => setForm({ ...form, startsOn: e.target.value })}
        />
        <Field
          label={t('projectPlan.endsOn')}
          type="date"
          value={form.endsOn}
          min={form.startsOn || undefined}
          onChange={(e) => setForm({ ...form, endsOn: e.target.value })}
        />
      </div>
      <Field
        label={t('projectPlan.meetingAt')}
        type="datetime-local"
        value={form.meetingAt}
        onChange={(e) => setForm({ ...form, meetingAt: e.target.value })}
      />
      {save.isError && <Notice kind="error">{errorText(save.error, t('common.errorGeneric'))}</Notice>}
      <SaveCancel pending={save.isPending} onCancel={onDone} />
    </form>
  );
}

function NewTaskForm({ kase }: { kase: CaseView }) {
  const { t } = useLanguage();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const add = useCaseChange(kase.id, () =>
    api.tasks.create(kase.id, {
      name,
      ...(description.trim() && { description }),
    }),
  );
  const [added, setAdded] = useState('');
  function submit(event: FormEvent) {
    event.preventDefault();
    add.mutate(undefined, {
      onSuccess: () => {
        setAdded(name);
        setName('');
        setDescription('');
      },
    });
  }
  return (
    <form className="card" onSubmit={submit}>
      <h4>{t('projectPlan.addTask')}</h4>
      <Field
        label={t('projectPlan.taskName')}
        value={name}
        required
        maxLength={200}
        onChange={(e) => setName(e.target.value)}
      />
      <TextAreaField
        label={t('projectPlan.taskDescription')}
        value={description}
        maxLength={5000}
        rows={2}
        onChange={(e) => setDescription(e.target.value)}
      />
      {add.isError && <Notice kind="error">{errorText(add.error, t('common.errorGeneric'))}</Notice>}
      {add.isSuccess && added && <Notice kind="success">{t('projectPlan.added', { name: added })}</Notice>}
      <button type="submit" className="button-primary" disabled={add.isPending}>
        {t('projectPlan.addTask')}
      </button>
    </form>
  );
}
