import { useState } from 'react';
import type { CaseEventViewT } from '../../../common/case-api.ts';
import type { LogTopic } from '../../../common/case-events.ts';
import { useLanguage } from '../../shared/language.tsx';
import { Dialog } from '../dialog.tsx';
import { formatDateTime } from '../format.ts';
import { useCaseLog } from './case-data.ts';
import { describeEvent } from './describe-event.ts';
import { useContractor } from './portal.ts';

/** Events as a list of readable sentences, newest first, each with its time and who did it. */
export function EventList({ events }: { events: CaseEventViewT[] }) {
  const { t } = useLanguage();
  const contractor = useContractor();
  if (events.length === 0) return <p>{t('log.empty')}</p>;
  return (
    <ol className="event-list">
      {events.map((event) => (
        <li key={event.id}>
          <span className="event-text">{describeEvent(event, t, { contractor })}</span>
          <span className="event-meta">
            <time dateTime={event.occurredAt}>{formatDateTime(event.occurredAt)}</time>
            {event.actor.name && <> · {t('log.by', { name: event.actor.name })}</>}
          </span>
        </li>
      ))}
    </ol>
  );
}

/** The log of one topic of a case, optionally narrowed to some event kinds. */
export function CaseLog({ caseId, topic, kinds }: { caseId: string; topic?: LogTopic; kinds?: string[] }) {
  const { t } = useLanguage();
  const log = useCaseLog(caseId, topic);
  if (!log.data) return <p role="status">{t('common.loading')}</p>;
  const events = kinds ? log.data.filter((event) => kinds.includes(event.kind)) : log.data;
  return <EventList events={events} />;
}

/** A "Logg" button that opens the log of one control in a dialog. */
export function LogButton({
  caseId,
  topic,
  kinds,
  title,
}: {
  caseId: string;
  topic: LogTopic;
  kinds?: string[];
  title: string;
}) {
  const { t } = useLanguage();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        className="button-quiet button-small"
        onClick={() => setOpen(true)}
        aria-label={title}
      >
        {t('log.show')}
      </button>
      {open && (
        <Dialog title={title} onClose={() => setOpen(false)} wide>
          <CaseLog caseId={caseId} topic={topic} kinds={kinds} />
        </Dialog>
      )}
    </>
  );
}
