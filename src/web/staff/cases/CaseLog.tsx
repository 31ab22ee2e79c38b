import { useState } from 'react';
import type { CaseEventViewT } from '../../../common/contracts/case-api.ts';
import type { CaseEventKind, LogTopic } from '../../../common/rules/case-events.ts';
import { useLanguage } from '../../shared/language.tsx';
import { errorText, Notice, ShowOlder } from '../components.tsx';
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

/** The log of one topic of a case, optionally narrowed to one kind of event: newest first, older on demand. */
export function CaseLog({ caseId, topic, kind }: { caseId: string; topic?: LogTopic; kind?: CaseEventKind }) {
  const { t } = useLanguage();
  const log = useCaseLog(caseId, topic, kind);
  if (log.isError) return <Notice kind="error">{errorText(log.error, t('common.errorGeneric'))}</Notice>;
  if (!log.first) return <p role="status">{t('common.loading')}</p>;
  return (
    <>
      <EventList events={log.items} />
      <ShowOlder list={log} />
    </>
  );
}

/** A "Logg" button that opens the log of one control in a dialog. */
export function LogButton({
  caseId,
  topic,
  kind,
  title,
}: {
  caseId: string;
  topic: LogTopic;
  kind?: CaseEventKind;
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
          <CaseLog caseId={caseId} topic={topic} kind={kind} />
        </Dialog>
      )}
    </>
  );
}
