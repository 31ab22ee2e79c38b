import { useId } from 'react';
import { useLanguage } from '../../shared/language.tsx';
import { CheckField } from './fields.tsx';
import type { SettingsForm } from './settings-form.ts';

type Security = 'none' | 'sms' | 'bankId';

/** The one choice of the two settings: BankID wins; the SMS code alone; or nothing. */
const securityOf = (form: Pick<SettingsForm, 'smsSecurityCode' | 'bankIdSignIn'>): Security =>
  form.bankIdSignIn ? 'bankId' : form.smsSecurityCode ? 'sms' : 'none';

/**
 * "Sikkerhet ved innlogging: ingen / SMS-kode / BankID" (issue 18): three radio buttons over the
 * settings `smsSecurityCode` and `bankIdSignIn` (the integration contract keeps the first as it
 * was), and with BankID a checkbox for the SMS code as its fallback (`smsSecurityCode` then).
 */
export function SignInSecurityField({
  form,
  onChange,
  errors,
}: {
  form: SettingsForm;
  onChange: (change: Partial<SettingsForm>) => void;
  errors: Record<string, string>;
}) {
  const { t } = useLanguage();
  const id = useId();
  const current = securityOf(form);
  const choose = (security: Security) => {
    if (security === 'none') onChange({ smsSecurityCode: false, bankIdSignIn: false });
    if (security === 'sms') onChange({ smsSecurityCode: true, bankIdSignIn: false });
    // From the SMS code, BankID keeps it as the fallback; the checkbox below changes that.
    if (security === 'bankId') onChange({ bankIdSignIn: true });
  };
  const error = errors.smsSecurityCode ?? errors.bankIdSignIn;
  const choices: Array<{ value: Security; label: string }> = [
    { value: 'none', label: t('customerPageAdmin.signInSecurity.none') },
    { value: 'sms', label: t('customerPageAdmin.signInSecurity.sms') },
    { value: 'bankId', label: t('customerPageAdmin.signInSecurity.bankId') },
  ];
  return (
    <fieldset className="yes-no" aria-describedby={`${id}-help${error ? ` ${id}-error` : ''}`}>
      <legend>{t('customerPageAdmin.signInSecurity.legend')}</legend>
      <div className="radio-row">
        {choices.map((choice) => (
          <label key={choice.value} className="radio-choice">
            <input
              type="radio"
              name={id}
              checked={current === choice.value}
              onChange={() => choose(choice.value)}
            />
            {choice.label}
          </label>
        ))}
      </div>
      <p id={`${id}-help`} className="field-hint">
        {t('customerPageAdmin.signInSecurity.help')}
      </p>
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
      {current === 'bankId' && (
        <CheckField
          label={t('customerPageAdmin.signInSecurity.fallback')}
          help={t('customerPageAdmin.signInSecurity.fallbackHelp')}
          checked={form.smsSecurityCode}
          onChange={(smsSecurityCode) => onChange({ smsSecurityCode })}
        />
      )}
    </fieldset>
  );
}
