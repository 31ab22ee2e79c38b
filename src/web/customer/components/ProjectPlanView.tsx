import { useId, useState } from 'react';
import { formatDate, formatDateTime } from '../../shared/format.ts';
import type { CustomerTask } from '../model.ts';
import { hasPreview, Thumbnails } from '../../shared/media.tsx';
import { customerImages, customerMediaLabels } from './customer-media.ts';
import type { Translate } from './text.ts';

/**
 * The project plan: the case's tasks with schedule, meeting time and status. Pressing a task shows
 * its description; three black dots beside the name mean photos or files were added to it (guide).
 */
export function ProjectPlanView({ tasks, t }: { tasks: CustomerTask[]; t: Translate }) {
  if (tasks.length === 0) return <p>{t('customer.projectPlan.empty')}</p>;
  return (
    <>
      <p>{t('customer.projectPlan.intro')}</p>
      <ul className="cp-list">
        {tasks.map((task) => (
          <TaskItem key={task.id} task={task} t={t} />
        ))}
      </ul>
    </>
  );
}

/** A task's photos as thumbnails that open the viewer, its other files (video, PDF) as downloads. */
function TaskMedia({ task, t }: { task: CustomerTask; t: Translate }) {
  const others = task.media.filter((file) => !hasPreview(file.name));
  return (
    <section className="cp-task-media" aria-label={t('customer.projectPlan.mediaOf', { name: task.name })}>
      <Thumbnails images={customerImages(task.media)} labels={customerMediaLabels(t)} />
      {others.length > 0 && (
        <ul className="cp-attachments">
          {others.map((file) => (
            <li key={file.id}>
              <a className="cp-link" href={file.url} download={file.name}>
                {file.name}
              </a>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function TaskItem({ task, t }: { task: CustomerTask; t: Translate }) {
  const [open, setOpen] = useState(false);
  const descriptionId = useId();
  const schedule =
    task.startsOn && task.endsOn
      ? `${formatDate(task.startsOn)} – ${formatDate(task.endsOn)}`
      : task.startsOn
        ? formatDate(task.startsOn)
        : t('customer.projectPlan.notScheduled');
  return (
    <li className="cp-item cp-task">
      <button
        type="button"
        className="cp-task-toggle"
        aria-expanded={open}
        aria-controls={descriptionId}
        onClick={() => setOpen(!open)}
      >
        <span className="cp-task-name">{task.name}</span>
        {task.hasMedia && !task.media?.length && (
          <span className="cp-media">
            <span className="cp-dots" aria-hidden="true">
              <span />
              <span />
              <span />
            </span>
            <span className="cp-visually-hidden">({t('customer.projectPlan.hasMedia')})</span>
          </span>
        )}
        <span className="cp-chevron" aria-hidden="true" />
      </button>
      <dl className="cp-facts">
        <div>
          <dt>{t('customer.projectPlan.status')}</dt>
          <dd>
            <span className={`cp-status cp-status-${task.status}`}>
              {t(`customer.taskStatus.${task.status}`)}
            </span>
          </dd>
        </div>
        <div>
          <dt>{t('customer.projectPlan.schedule')}</dt>
          <dd>{schedule}</dd>
        </div>
        {task.meetingAt && (
          <div>
            <dt>{t('customer.projectPlan.meetingAt')}</dt>
            <dd>
              <time dateTime={task.meetingAt}>{formatDateTime(task.meetingAt)}</time>
            </dd>
          </div>
        )}
      </dl>
      {/* `?.`: a page stored before task media were sent has none (it shows the dots). */}
      {task.media?.length > 0 && <TaskMedia task={task} t={t} />}
      <div id={descriptionId} className="cp-task-description" hidden={!open}>
        <p className="cp-pre-line">{task.description || t('customer.projectPlan.noDescription')}</p>
      </div>
    </li>
  );
}
