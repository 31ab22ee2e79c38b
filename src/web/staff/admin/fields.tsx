import { useId, type ReactNode } from 'react';

// Form controls of the customer-page configuration: each with its label, a short explanation from
// the guide and the server's error, both tied to the control for screen readers.

/** The ids of a control's explanation and error, for aria-describedby. */
function describedBy(id: string, help: ReactNode, error: string | undefined): string | undefined {
  const ids = [help ? `${id}-help` : '', error ? `${id}-error` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

function HelpAndError({ id, help, error }: { id: string; help: ReactNode; error: string | undefined }) {
  return (
    <>
      {help && (
        <p id={`${id}-help`} className="field-hint">
          {help}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </>
  );
}

export interface Choice<T extends string> {
  value: T;
  label: string;
}

/** A labelled select of fixed choices. */
export function ChoiceField<T extends string>({
  label,
  help,
  error,
  value,
  choices,
  onChange,
}: {
  label: string;
  help?: ReactNode;
  error?: string | undefined;
  value: T;
  choices: Array<Choice<T>>;
  onChange: (value: T) => void;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, help, error)}
        onChange={(event) => onChange(event.target.value as T)}
      >
        {choices.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </select>
      <HelpAndError id={id} help={help} error={error} />
    </div>
  );
}

/** A checkbox with its label to the right and the explanation below. */
export function CheckField({
  label,
  help,
  error,
  checked,
  disabled,
  onChange,
}: {
  label: string;
  help?: ReactNode;
  error?: string | undefined;
  checked: boolean;
  disabled?: boolean;
  onChange: (checked: boolean) => void;
}) {
  const id = useId();
  return (
    <div className="setting-check">
      <div className="check-field">
        <input
          id={id}
          type="checkbox"
          checked={checked}
          disabled={disabled}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(id, help, error)}
          onChange={(event) => onChange(event.target.checked)}
        />
        <label htmlFor={id}>{label}</label>
      </div>
      <HelpAndError id={id} help={help} error={error} />
    </div>
  );
}

/** Yes/no as two radio buttons in a fieldset (the guide's "Aktivert: Ja / Nei"). */
export function YesNoField({
  legend,
  help,
  error,
  value,
  yes,
  no,
  onChange,
}: {
  legend: string;
  help?: ReactNode;
  error?: string | undefined;
  value: boolean;
  yes: string;
  no: string;
  onChange: (value: boolean) => void;
}) {
  const id = useId();
  return (
    <fieldset className="yes-no" aria-describedby={describedBy(id, help, error)}>
      <legend>{legend}</legend>
      <div className="radio-row">
        {[true, false].map((option) => (
          <label key={String(option)} className="radio-choice">
            <input type="radio" name={id} checked={value === option} onChange={() => onChange(option)} />
            {option ? yes : no}
          </label>
        ))}
      </div>
      <HelpAndError id={id} help={help} error={error} />
    </fieldset>
  );
}

/** A whole number of days (typed freely; the server checks it). */
export function DaysField({
  label,
  help,
  error,
  value,
  onChange,
}: {
  label: string;
  help?: ReactNode;
  error?: string | undefined;
  value: string;
  onChange: (value: string) => void;
}) {
  const id = useId();
  return (
    <div className="field field-days">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        inputMode="numeric"
        step={1}
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, help, error)}
        onChange={(event) => onChange(event.target.value)}
      />
      <HelpAndError id={id} help={help} error={error} />
    </div>
  );
}

/** A multi-line text with a length limit. */
export function TextSetting({
  label,
  help,
  error,
  value,
  maxLength,
  onChange,
}: {
  label: string;
  help?: ReactNode;
  error?: string | undefined;
  value: string;
  maxLength: number;
  onChange: (value: string) => void;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        rows={4}
        value={value}
        maxLength={maxLength}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, help, error)}
        onChange={(event) => onChange(event.target.value)}
      />
      <HelpAndError id={id} help={help} error={error} />
    </div>
  );
}
