import { useId } from 'react';
import { newsKinds } from '../../../common/rules/case-events.ts';
import {
  accessForLabels,
  communicationMethodLabels,
  communicationMethods,
  accessForValues,
  MAX_CONTACT_FOR_MORE_INFO,
  newsKindTexts,
  sendLinkLabel,
  sendLinkValues,
  sortNewsKinds,
  triggerLabel,
  triggers,
  type Trigger,
} from '../../../common/rules/customer-page-settings.ts';
import type { PortalType } from '../../../common/rules/enums.ts';
import { useLanguage } from '../../shared/language.tsx';
import { ChoiceField, CheckField, DaysField, TextSetting } from './fields.tsx';
import type { SettingsForm } from './settings-form.ts';
import { SignInSecurityField } from './SignInSecurityField.tsx';
import { QuietHoursField } from './QuietHoursField.tsx';

type TriggerSetting =
  | 'showBudget'
  | 'showNews'
  | 'showProjectPlan'
  | 'showCommunication'
  | 'showDocuments'
  | 'showInspectionReport'
  | 'showSettlementReport';

interface SectionProps {
  form: SettingsForm;
  onChange: (change: Partial<SettingsForm>) => void;
  errors: Record<string, string>;
  portalType: PortalType;
}

/**
 * Konfigurasjon: who gets access and when, and what the customer sees from which milestone — every
 * setting of spec §5 with the guide's labels and explanations. In a contractor portal the decision
 * milestone reads "Ved godkjent oppdrag" (spec §1).
 */
export function ConfigurationSection({ form, onChange, errors, portalType }: SectionProps) {
  const { t, language } = useLanguage();
  const triggerChoices = triggers.map((value) => ({
    value,
    label: triggerLabel(value, language, portalType),
  }));
  const triggerField = (name: TriggerSetting, help?: string) => (
    <ChoiceField<Trigger>
      label={t(`customerPageAdmin.labels.${name}`)}
      help={help}
      error={errors[name]}
      value={form[name]}
      choices={triggerChoices}
      onChange={(value) => onChange({ [name]: value })}
    />
  );
  return (
    <>
      <SignInSecurityField form={form} onChange={onChange} errors={errors} />
      <ChoiceField
        label={t('customerPageAdmin.labels.accessFor')}
        help={t('customerPageAdmin.help.accessFor')}
        error={errors.accessFor}
        value={form.accessFor}
        choices={accessForValues.map((value) => ({ value, label: accessForLabels[language][value] }))}
        onChange={(accessFor) => onChange({ accessFor })}
      />
      <ChoiceField
        label={t('customerPageAdmin.labels.sendLink')}
        help={t('customerPageAdmin.help.sendLink')}
        error={errors.sendLink}
        value={form.sendLink}
        choices={sendLinkValues.map((value) => ({
          value,
          label: sendLinkLabel(value, language, portalType),
        }))}
        onChange={(sendLink) => onChange({ sendLink })}
      />
      <QuietHoursField form={form} onChange={onChange} errors={errors} />
      <DaysField
        label={t('customerPageAdmin.labels.visibleDaysAfterClose')}
        help={t('customerPageAdmin.help.visibleDaysAfterClose')}
        error={errors.visibleDaysAfterClose}
        value={form.visibleDaysAfterClose}
        onChange={(visibleDaysAfterClose) => onChange({ visibleDaysAfterClose })}
      />
      {triggerField('showBudget', t('customerPageAdmin.help.showBudget'))}

      <div className="setting-group">
        <dl className="read-only-setting">
          <dt>{t('customerPageAdmin.labels.showDashboard')}</dt>
          <dd>{t('customerPageAdmin.labels.always')}</dd>
        </dl>
        <p className="field-hint">{t('customerPageAdmin.help.showDashboard')}</p>
        {triggerField('showNews', t('customerPageAdmin.help.showNews'))}
        <NewsFilter form={form} onChange={onChange} error={errors.newsFilter} />
        <CheckField
          label={t('customerPageAdmin.labels.showPlanOnDashboard')}
          help={t('customerPageAdmin.help.showPlanOnDashboard')}
          error={errors.showPlanOnDashboard}
          checked={form.showPlanOnDashboard}
          onChange={(showPlanOnDashboard) => onChange({ showPlanOnDashboard })}
        />
      </div>

      <div className="setting-group">
        {triggerField('showProjectPlan', t('customerPageAdmin.help.showProjectPlan'))}
      </div>

      <div className="setting-group">
        {triggerField('showCommunication', t('customerPageAdmin.help.showCommunication'))}
        <ChoiceField
          label={t('customerPageAdmin.labels.communicationMethod')}
          help={t('customerPageAdmin.help.communicationMethod')}
          error={errors.communicationMethod}
          value={form.communicationMethod}
          choices={communicationMethods.map((value) => ({
            value,
            label: communicationMethodLabels[language][value],
          }))}
          onChange={(communicationMethod) => onChange({ communicationMethod })}
        />
      </div>

      <div className="setting-group">
        {triggerField('showDocuments', t('customerPageAdmin.help.showDocuments'))}
        <fieldset className="sub-fieldset">
          <legend>{t('customerPageAdmin.labels.reports')}</legend>
          <p className="field-hint">{t('customerPageAdmin.help.reports')}</p>
          {triggerField('showInspectionReport')}
          {triggerField('showSettlementReport')}
        </fieldset>
      </div>
    </>
  );
}

/** The 19 news kinds as checkboxes, each with the guide's label and explanation. */
function NewsFilter({
  form,
  onChange,
  error,
}: {
  form: SettingsForm;
  onChange: (change: Partial<SettingsForm>) => void;
  error: string | undefined;
}) {
  const { t, language } = useLanguage();
  const id = useId();
  const chosen = new Set(form.newsFilter);
  return (
    <fieldset
      className="news-filter"
      aria-describedby={[`${id}-help`, error ? `${id}-error` : ''].filter(Boolean).join(' ')}
    >
      <legend>{t('customerPageAdmin.labels.newsFilter')}</legend>
      <p id={`${id}-help`} className="field-hint">
        {t('customerPageAdmin.help.newsFilter')}{' '}
        {t('customerPageAdmin.help.newsCount', { count: chosen.size, total: newsKinds.length })}
      </p>
      <div className="button-row">
        <button
          type="button"
          className="button-quiet button-small"
          onClick={() => onChange({ newsFilter: [...newsKinds] })}
        >
          {t('customerPageAdmin.help.selectAll')}
        </button>
        <button
          type="button"
          className="button-quiet button-small"
          onClick={() => onChange({ newsFilter: [] })}
        >
          {t('customerPageAdmin.help.selectNone')}
        </button>
      </div>
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
      <ul className="news-kinds">
        {newsKinds.map((kind) => {
          const text = newsKindTexts[kind][language];
          return (
            <li key={kind}>
              <input
                id={`${id}-${kind}`}
                type="checkbox"
                checked={chosen.has(kind)}
                aria-describedby={`${id}-${kind}-help`}
                onChange={(event) =>
                  onChange({
                    newsFilter: sortNewsKinds(
                      event.target.checked
                        ? [...form.newsFilter, kind]
                        : form.newsFilter.filter((other) => other !== kind),
                    ),
                  })
                }
              />
              <div>
                <label htmlFor={`${id}-${kind}`}>{text.label}</label>
                <p id={`${id}-${kind}-help`} className="field-hint">
                  {text.help}
                </p>
              </div>
            </li>
          );
        })}
      </ul>
    </fieldset>
  );
}

/**
 * Kontaktinformasjon: what the customer sees of the case handler and the partners, and the text for
 * customers who cannot get in. The handler's phone is off and cannot be turned on while the name is off.
 */
export function ContactSection({ form, onChange, errors }: Omit<SectionProps, 'portalType'>) {
  const { t } = useLanguage();
  return (
    <>
      <CheckField
        label={t('customerPageAdmin.labels.showCaseHandler')}
        help={t('customerPageAdmin.help.showCaseHandler')}
        error={errors.showCaseHandler}
        checked={form.showCaseHandler}
        onChange={(showCaseHandler) =>
          onChange(showCaseHandler ? { showCaseHandler } : { showCaseHandler, showCaseHandlerPhone: false })
        }
      />
      <CheckField
        label={t('customerPageAdmin.labels.showCaseHandlerPhone')}
        help={t('customerPageAdmin.help.showCaseHandlerPhone')}
        error={errors.showCaseHandlerPhone}
        checked={form.showCaseHandler && form.showCaseHandlerPhone}
        disabled={!form.showCaseHandler}
        onChange={(showCaseHandlerPhone) => onChange({ showCaseHandlerPhone })}
      />
      <CheckField
        label={t('customerPageAdmin.labels.showPartnerContact')}
        help={t('customerPageAdmin.help.showPartnerContact')}
        error={errors.showPartnerContact}
        checked={form.showPartnerContact}
        onChange={(showPartnerContact) => onChange({ showPartnerContact })}
      />
      <TextSetting
        label={t('customerPageAdmin.labels.contactForMoreInfo')}
        help={t('customerPageAdmin.help.contactForMoreInfo')}
        error={errors.contactForMoreInfo}
        value={form.contactForMoreInfo}
        maxLength={MAX_CONTACT_FOR_MORE_INFO}
        onChange={(contactForMoreInfo) => onChange({ contactForMoreInfo })}
      />
    </>
  );
}
