import { useId } from 'react';
import { defaultQuietHours } from '../../../common/rules/quiet-hours.ts';
import { useLanguage } from '../../shared/language.tsx';
import { ChoiceField } from './fields.tsx';
import type { SettingsForm } from './settings-form.ts';

const OFF = 'off';
const hours = Array.from({ length: 24 }, (_, hour) => hour);
const clock = (hour: number) => `${String(hour).padStart(2, '0')}:00`;

/**
 * "Stille timer" (issue 19, item 5): two selects, from and to, in whole Oslo hours. "None" in the
 * first switches them off (both null); a start chosen while off gets the product's end (08:00).
 * Equal hours are the server's to refuse (`quiet_hours_equal`, shown with the form's error).
 */
export function QuietHoursField({
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
  const off = form.quietHoursFrom === null || form.quietHoursTo === null;
  const hourChoices = hours.map((hour) => ({ value: String(hour), label: clock(hour) }));
  return (
    <fieldset className="setting-group" aria-describedby={`${id}-help`}>
      <legend>{t('customerPageAdmin.quietHours.legend')}</legend>
      <p id={`${id}-help`} className="field-hint">
        {t('customerPageAdmin.quietHours.help')}
      </p>
      <ChoiceField<string>
        label={t('customerPageAdmin.quietHours.from')}
        error={errors.quietHoursFrom}
        value={off ? OFF : String(form.quietHoursFrom)}
        choices={[{ value: OFF, label: t('customerPageAdmin.quietHours.off') }, ...hourChoices]}
        onChange={(value) =>
          onChange(
            value === OFF
              ? { quietHoursFrom: null, quietHoursTo: null }
              : {
                  quietHoursFrom: Number(value),
                  quietHoursTo: form.quietHoursTo ?? defaultQuietHours.quietHoursTo,
                },
          )
        }
      />
      {!off && (
        <ChoiceField<string>
          label={t('customerPageAdmin.quietHours.to')}
          error={errors.quietHoursTo}
          value={String(form.quietHoursTo)}
          choices={hourChoices}
          onChange={(value) => onChange({ quietHoursTo: Number(value) })}
        />
      )}
    </fieldset>
  );
}
