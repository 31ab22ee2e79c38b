import { useState } from 'react';
import type { AuditEntryView, AuditLogView } from '../../../common/contracts/audit-api.ts';
import { auditActions, type AuditAction } from '../../../common/rules/audit-actions.ts';
import { useLanguage } from '../../shared/language.tsx';
import { api } from '../api.ts';
import { errorText, Notice, Pager, SelectField } from '../components.tsx';
import { usePagedList } from '../paging.ts';
import { actionLabel, auditTrailTexts } from './audit-trail-text.ts';

const dateTime = (iso: string) =>
  new Date(iso).toLocaleString('nb-NO', { dateStyle: 'short', timeStyle: 'medium' });

/**
 * The company's audit trail (level 6): admin changes, document downloads, exports, erasures and the
 * retention job, newest first in pages, filtered by kind. A list of entries (not a table) so a phone
 * shows each line whole.
 */
export function AuditTrailPage() {
  const { t, language } = useLanguage();
  const text = auditTrailTexts[language];
  const [action, setAction] = useState<AuditAction | ''>('');
  const lines = usePagedList<AuditLogView>(['audit-log', action], (paging) =>
    api.audit.list({ ...paging, ...(action && { action }) }),
  );
  return (
    <section>
      <h1>{text.title}</h1>
      <p>{text.intro}</p>
      <SelectField
        label={text.filter}
        value={action}
        onChange={(value) => {
          setAction(value as AuditAction | '');
          lines.setPage(1);
        }}
        options={[
          { value: '', label: text.all },
          ...auditActions.map((kind) => ({ value: kind, label: actionLabel(text, kind) })),
        ]}
      />
      {lines.isError ? (
        <Notice kind="error">{errorText(lines.error, t('common.errorGeneric'))}</Notice>
      ) : !lines.data ? (
        <p role="status">{t('common.loading')}</p>
      ) : lines.data.total === 0 ? (
        <p>{text.empty}</p>
      ) : (
        <>
          <ol className="audit-list" aria-label={text.title}>
            {lines.data.items.map((line) => (
              <AuditLine key={line.id} line={line} />
            ))}
          </ol>
          <Pager page={lines.page} pages={lines.pages} onGo={lines.setPage} />
        </>
      )}
    </section>
  );
}

function AuditLine({ line }: { line: AuditEntryView }) {
  const { language } = useLanguage();
  const text = auditTrailTexts[language];
  const actor = line.actor.kind === 'system' ? text.system : (line.actor.name ?? text.unknownActor);
  const details = Object.entries(line.detail).map(([key, value]) => `${key}: ${describeValue(value)}`);
  return (
    <li>
      <p className="audit-head">
        <time dateTime={line.at}>{dateTime(line.at)}</time> · {actor}
      </p>
      <p>
        <strong>{actionLabel(text, line.action)}</strong>
      </p>
      {line.subject.id && (
        <p className="field-hint">
          {text.subject}: {line.subject.type} {line.subject.id}
        </p>
      )}
      {details.length > 0 && (
        <ul className="field-hint">
          {details.map((detail) => (
            <li key={detail}>{detail}</li>
          ))}
        </ul>
      )}
    </li>
  );
}

/** A detail value as short text: `from → to` for a change, lists joined, anything else as JSON. */
function describeValue(value: unknown): string {
  if (value && typeof value === 'object' && 'from' in value && 'to' in value) {
    return `${describeValue(value.from)} → ${describeValue(value.to)}`;
  }
  if (Array.isArray(value)) return value.map(describeValue).join(', ');
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}
