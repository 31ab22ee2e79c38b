import { useId, useState, type MouseEvent, type Ref } from 'react';
import type { CustomerPageSettings } from '../../../common/rules/customer-page-settings.ts';
import type { PortalType } from '../../../common/rules/enums.ts';
import { customerVisibility, lastVisibleDay } from '../../../common/rules/visibility.ts';
import { CustomerPage } from '../../customer/components/CustomerPage.tsx';
import type { CustomerPageModel } from '../../customer/model.ts';
import {
  sampleCaseState,
  sampleCustomerPage,
  sampleMilestones,
  type SampleMilestone,
} from '../../customer/sample-case.ts';
import type { Language } from '../../i18n/i18n.ts';
import type { MessageKey } from '../../i18n/i18n.ts';
import { formatDate } from '../../shared/format.ts';
import { useLanguage } from '../../shared/language.tsx';
import { languages } from '../../../common/rules/languages.ts';
import type { NextStepKey } from '../../../common/rules/next-step.ts';
import { NextStepSituationPicker } from './NextStepTexts.tsx';

const milestoneLabel = (milestone: SampleMilestone, portalType: PortalType): MessageKey =>
  milestone === 'case_created'
    ? 'customerPageAdmin.preview.created'
    : milestone === 'main_inspection_assigned'
      ? 'customerPageAdmin.preview.inspectionAssigned'
      : milestone === 'positive_decision'
        ? portalType === 'contractor'
          ? 'customerPageAdmin.preview.jobApproved'
          : 'customerPageAdmin.preview.positiveDecision'
        : 'customerPageAdmin.preview.closed';

/**
 * "Forhåndsvis sida": the customer page's own components on the built-in sample case, with the
 * unsaved settings, colours and logo, in a 375 px phone frame. The milestone switch builds the sample
 * case's state and asks customerVisibility — the same function the server uses — what the customer
 * sees then.
 */
export function CustomerPagePreview({
  settings,
  logo,
  companyName,
  portalType,
  headingRef,
}: {
  settings: CustomerPageSettings;
  logo: CustomerPageModel['company']['logo'];
  companyName: string;
  portalType: PortalType;
  headingRef: Ref<HTMLHeadingElement>;
}) {
  const { t, language: staffLanguage } = useLanguage();
  const id = useId();
  const [now] = useState(() => new Date());
  const [milestone, setMilestone] = useState<SampleMilestone>('case_created');
  const [closedDaysText, setClosedDaysText] = useState('10');
  const [language, setLanguage] = useState<Language>(staffLanguage);
  const [situation, setSituation] = useState<NextStepKey | null>(null);
  const closedDays = /^\d{1,4}$/.test(closedDaysText.trim()) ? Number(closedDaysText) : 0;

  const state = sampleCaseState(milestone, now, closedDays);
  const visibility = customerVisibility(settings, state, now);
  const lastDay = state.closedAt ? lastVisibleDay(state.closedAt, settings.visibleDaysAfterClose) : null;
  const model = sampleCustomerPage({
    language,
    milestone,
    now,
    closedDaysAgo: closedDays,
    company: { name: companyName, logo, portalType },
    colors: settings.colors,
    nextStep: {
      texts: settings.nextStepTexts,
      reconsiderationText: settings.reconsiderationText,
      showDecisionOutcome: settings.showDecisionOutcome,
      situation,
    },
  });

  // Links of the sample case lead nowhere: keep the admin on this page.
  function stayHere(event: MouseEvent) {
    if (event.target instanceof Element && event.target.closest('a[href]')) event.preventDefault();
  }

  return (
    <section className="preview-panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} ref={headingRef} tabIndex={-1}>
        {t('customerPageAdmin.preview.title')}
      </h2>
      <p className="field-hint">{t('customerPageAdmin.preview.intro')}</p>
      <fieldset className="preview-milestones">
        <legend>{t('customerPageAdmin.preview.milestone')}</legend>
        <div className="milestone-grid">
          {sampleMilestones.map((option) => (
            <label key={option} className="radio-choice">
              <input
                type="radio"
                name={`${id}-milestone`}
                value={option}
                checked={milestone === option}
                onChange={() => setMilestone(option)}
              />
              {t(milestoneLabel(option, portalType), { count: closedDays })}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="preview-options">
        <div className="field preview-days">
          <label htmlFor={`${id}-days`}>{t('customerPageAdmin.preview.closedDays')}</label>
          <input
            id={`${id}-days`}
            type="number"
            inputMode="numeric"
            min={0}
            step={1}
            value={closedDaysText}
            aria-describedby={milestone === 'closed' && state.closedAt ? `${id}-until` : undefined}
            onChange={(event) => {
              setClosedDaysText(event.target.value);
              setMilestone('closed');
            }}
          />
        </div>
        <fieldset className="preview-language">
          <legend>{t('customerPageAdmin.preview.language')}</legend>
          <div className="radio-row">
            {languages.map((option) => (
              <label key={option} className="radio-choice" lang={option}>
                <input
                  type="radio"
                  name={`${id}-language`}
                  checked={language === option}
                  onChange={() => setLanguage(option)}
                />
                {option === 'nb' ? 'Norsk' : 'English'}
              </label>
            ))}
          </div>
        </fieldset>
      </div>
      <NextStepSituationPicker value={situation} onChange={setSituation} />
      {milestone === 'closed' && state.closedAt && (
        <p id={`${id}-until`} className="field-hint">
          {lastDay === null
            ? t('customerPageAdmin.preview.closesWithCase')
            : t('customerPageAdmin.preview.reachableUntil', {
                count: settings.visibleDaysAfterClose,
                date: formatDate(lastDay),
              })}
        </p>
      )}
      {/* A scrolling phone screen: focusable so keyboard users can scroll it. */}
      <div
        className="phone-frame"
        role="region"
        aria-label={t('customerPageAdmin.preview.frame')}
        tabIndex={0}
        onClickCapture={stayHere}
        data-testid="customer-page-preview"
      >
        <CustomerPage
          embedded
          model={model}
          visibility={visibility}
          language={language}
          onLanguageChange={setLanguage}
        />
      </div>
    </section>
  );
}
