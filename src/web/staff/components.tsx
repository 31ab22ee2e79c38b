import {
  Fragment,
  useId,
  type InputHTMLAttributes,
  type ReactNode,
  type TextareaHTMLAttributes,
} from 'react';
import { useLanguage } from '../shared/language.tsx';
import { ErrorText } from './error-text.tsx';
import type { OlderPagesState } from './paging.ts';

/** A labelled input with its error message tied to it for screen readers. */
export function Field({
  label,
  error,
  ...input
}: { label: string; error?: string | undefined } & InputHTMLAttributes<HTMLInputElement>) {
  const id = useId();
  const errorId = `${id}-error`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        {...input}
      />
      {error && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

/** One choice of a select; options sharing a `group` are shown under that heading (optgroup). */
export interface SelectOption {
  value: string;
  label: string;
  group?: string;
}

/** A labelled select; options with a group are grouped, in the order the groups first appear. */
export function SelectField({
  label,
  value,
  onChange,
  options,
  required,
  disabled,
  hideLabel,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  options: SelectOption[];
  required?: boolean;
  disabled?: boolean;
  /** Only for screen readers, when the same words stand visibly right above. */
  hideLabel?: boolean;
}) {
  const id = useId();
  const render = (option: SelectOption) => (
    <option key={option.value} value={option.value}>
      {option.label}
    </option>
  );
  const groups = [...new Set(options.map((option) => option.group))];
  return (
    <div className="field">
      <label htmlFor={id} className={hideLabel ? 'visually-hidden' : undefined}>
        {label}
      </label>
      <select
        id={id}
        value={value}
        required={required}
        disabled={disabled}
        onChange={(event) => onChange(event.target.value)}
      >
        {groups.map((group) =>
          group === undefined ? (
            <Fragment key="">{options.filter((option) => option.group === undefined).map(render)}</Fragment>
          ) : (
            <optgroup key={group} label={group}>
              {options.filter((option) => option.group === group).map(render)}
            </optgroup>
          ),
        )}
      </select>
    </div>
  );
}

/** A labelled multi-line text input. */
export function TextAreaField({
  label,
  ...textarea
}: { label: string } & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea id={id} rows={4} {...textarea} />
    </div>
  );
}

/** A message announced to screen readers: success (polite) or error (assertive). */
export function Notice({ kind, children }: { kind: 'success' | 'error'; children: ReactNode }) {
  return (
    <p className={`notice notice-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </p>
  );
}

/** Previous · "page N of M" · next under a list in pages; nothing when it has one page. */
export function Pager({ page, pages, onGo }: { page: number; pages: number; onGo: (page: number) => void }) {
  const { t } = useLanguage();
  if (pages <= 1) return null;
  return (
    <nav className="pager" aria-label={t('cases.paging')}>
      <button type="button" className="button-quiet" disabled={page <= 1} onClick={() => onGo(page - 1)}>
        {t('cases.previous')}
      </button>
      <span>{t('cases.pageOf', { page, pages })}</span>
      <button type="button" className="button-quiet" disabled={page >= pages} onClick={() => onGo(page + 1)}>
        {t('cases.next')}
      </button>
    </nav>
  );
}

/**
 * Under a newest-first list read in pages (`useOlderPages`): how many of how many are shown, and
 * "Show older" while there are older entries. A list that shows only part of what it reads overrides
 * `hasOlder` and leaves out the count (`showCount={false}`); `label` is for a list whose next page is
 * not older, e.g. "Show more".
 */
export function ShowOlder({
  list,
  hasOlder = list.hasOlder,
  showCount = true,
  label,
}: {
  list: OlderPagesState;
  hasOlder?: boolean;
  /** "Showing 50 of 120" beside the button. */
  showCount?: boolean;
  label?: string;
}) {
  const { t } = useLanguage();
  if (!hasOlder) return null;
  return (
    <div className="show-older">
      {showCount && (
        <span className="muted">{t('paging.shownOf', { shown: list.items.length, total: list.total })}</span>
      )}
      <button
        type="button"
        className="button-quiet button-small"
        disabled={list.loadingOlder}
        onClick={list.loadOlder}
      >
        {list.loadingOlder ? t('paging.loadingMore') : (label ?? t('paging.showOlder'))}
      </button>
    </div>
  );
}

/** Save (the form's submit button, off while saving) and Cancel, under a form that edits in place. */
export function SaveCancel({ pending, onCancel }: { pending: boolean; onCancel: () => void }) {
  const { t } = useLanguage();
  return (
    <div className="button-row">
      <button type="submit" className="button-primary" disabled={pending}>
        {t('common.save')}
      </button>
      <button type="button" className="button-quiet" onClick={onCancel}>
        {t('common.cancel')}
      </button>
    </div>
  );
}

/**
 * An API error in the reader's language (error-text.tsx): its field errors, reason or code, never the
 * server's English message; `fallback` for other errors.
 */
export function errorText(error: unknown, fallback: string): ReactNode {
  return <ErrorText error={error} fallback={fallback} />;
}
