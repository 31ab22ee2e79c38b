import { useId } from 'react';
import {
  defaultNextStepText,
  MAX_NEXT_STEP_TEXT,
  MAX_RECONSIDERATION_TEXT,
  defaultReconsiderationText,
  nextStepKeyLabel,
  nextStepKeys,
  type NextStepKey,
} from '../../../common/rules/next-step.ts';
import { languages, type Language } from '../../../common/rules/languages.ts';
import { useLanguage } from '../../shared/language.tsx';
import { CheckField, ChoiceField, TextSetting } from './fields.tsx';
import type { SettingsForm } from './settings-form.ts';

const languageName: Record<Language, string> = { nb: 'Norsk', en: 'English' };

/**
 * The texts of this section, in both languages. Kept here rather than in the staff i18n files: the
 * admin page loads on demand, and the staff app's first load is at its budget (like the settings'
 * own labels in common/rules/customer-page-settings.ts).
 */
export const nextStepAdminTexts = {
  nb: {
    section: '«Hva skjer nå?» og erstatningsbeslutning',
    intro:
      'Kundesiden viser øverst hva som skjer nå i saken og hvem det venter på, utledet av saken. Her bestemmer du ordlyden og om kunden ser et avslag.',
    showDecisionOutcome: 'Vis avslag og behov for tilleggsopplysninger til kunden',
    showDecisionOutcomeHelp:
      'Av: kunden ser bare at det er tatt en beslutning. På: ved avslag ser kunden datoen og teksten under om ny vurdering og klage.',
    reconsideration: (language: string) => `Slik ber kunden om ny vurdering eller klager (${language})`,
    defaultIs: (text: string) => `Tomt felt gir standardteksten: ${text}`,
    wordings: 'Egen ordlyd for «Hva skjer nå?»',
    wordingsHelp:
      'Én tekst per situasjon og språk. {week} blir ukenummeret og {date} datoen fra planen; uten dato brukes standardteksten.',
    previewSituation: '«Hva skjer nå?» i forhåndsvisningen',
    previewByMilestone: 'Som milepælen over',
  },
  en: {
    section: '"What happens next?" and the claim decision',
    intro:
      'The customer page shows at the top what happens next in the case and whom it waits for, derived from the case. Here you choose the wording and whether the customer sees a rejection.',
    showDecisionOutcome: 'Show the customer a rejection or a request for more information',
    showDecisionOutcomeHelp:
      'Off: the customer only sees that a decision was made. On: after a rejection the customer sees its date and the text below on a new assessment and complaints.',
    reconsideration: (language: string) =>
      `How the customer asks for a new assessment or complains (${language})`,
    defaultIs: (text: string) => `Left empty, the default is used: ${text}`,
    wordings: 'Own wording for "What happens next?"',
    wordingsHelp:
      'One text per situation and language. {week} becomes the week number and {date} the date from the plan; without a date the default is used.',
    previewSituation: '"What happens next?" in the preview',
    previewByMilestone: 'As the milestone above',
  },
} satisfies Record<Language, unknown>;

/**
 * "Hva skjer nå?" and the claim decision (issue 19): whether a customer sees a rejection (with the
 * company's text on a new assessment or complaint), and the company's own wording of the next step
 * per situation and language — empty keeps the default, shown under each field. The preview shows
 * any situation (NextStepSituationPicker).
 */
export function NextStepSection({
  form,
  onChange,
  errors,
}: {
  form: SettingsForm;
  onChange: (change: Partial<SettingsForm>) => void;
  errors: Record<string, string>;
}) {
  const { language } = useLanguage();
  const x = nextStepAdminTexts[language];
  const id = useId();
  const setText = (key: NextStepKey, lang: Language, text: string) =>
    onChange({
      nextStepTexts: { ...form.nextStepTexts, [key]: { ...form.nextStepTexts[key], [lang]: text } },
    });
  return (
    <>
      <p className="field-hint">{x.intro}</p>
      <CheckField
        label={x.showDecisionOutcome}
        help={x.showDecisionOutcomeHelp}
        error={errors.showDecisionOutcome}
        checked={form.showDecisionOutcome}
        onChange={(showDecisionOutcome) => onChange({ showDecisionOutcome })}
      />
      {languages.map((lang) => (
        <TextSetting
          key={lang}
          label={x.reconsideration(languageName[lang])}
          help={x.defaultIs(defaultReconsiderationText[lang])}
          error={errors.reconsiderationText}
          value={form.reconsiderationText[lang]}
          maxLength={MAX_RECONSIDERATION_TEXT}
          onChange={(text) =>
            onChange({ reconsiderationText: { ...form.reconsiderationText, [lang]: text } })
          }
        />
      ))}
      <details className="next-step-texts">
        <summary>{x.wordings}</summary>
        <p className="field-hint">{x.wordingsHelp}</p>
        {errors.nextStepTexts && <p className="field-error">{errors.nextStepTexts}</p>}
        {nextStepKeys.map((key) => (
          <fieldset key={key} className="next-step-situation">
            <legend>{nextStepKeyLabel[language][key]}</legend>
            {languages.map((lang) => {
              const inputId = `${id}-${key}-${lang}`;
              const dated = /\{(week|date)\}/.test(defaultNextStepText(key, lang, true));
              return (
                <div className="field" key={lang}>
                  <label htmlFor={inputId}>{languageName[lang]}</label>
                  <input
                    id={inputId}
                    type="text"
                    lang={lang}
                    value={form.nextStepTexts[key][lang]}
                    maxLength={MAX_NEXT_STEP_TEXT}
                    aria-describedby={`${inputId}-help`}
                    onChange={(event) => setText(key, lang, event.target.value)}
                  />
                  <p id={`${inputId}-help`} className="field-hint" lang={lang}>
                    {x.defaultIs(defaultNextStepText(key, lang, dated))}
                  </p>
                </div>
              );
            })}
          </fieldset>
        ))}
      </details>
    </>
  );
}

/** The heading of the section (in the staff member's language). */
export function NextStepSectionTitle() {
  const { language } = useLanguage();
  return <>{nextStepAdminTexts[language].section}</>;
}

/** The preview's choice of situation for "Hva skjer nå?": as the milestone says, or any one. */
export function NextStepSituationPicker({
  value,
  onChange,
}: {
  value: NextStepKey | null;
  onChange: (value: NextStepKey | null) => void;
}) {
  const { language } = useLanguage();
  const x = nextStepAdminTexts[language];
  return (
    <ChoiceField<NextStepKey | 'milestone'>
      label={x.previewSituation}
      value={value ?? 'milestone'}
      choices={[
        { value: 'milestone', label: x.previewByMilestone },
        ...nextStepKeys.map((key) => ({ value: key, label: nextStepKeyLabel[language][key] })),
      ]}
      onChange={(next) => onChange(next === 'milestone' ? null : next)}
    />
  );
}
