import { useId } from 'react';
import type { CustomerNextStep } from '../model.ts';
import type { Translate } from './text.ts';

/**
 * "Hva skjer nå?" (issue 19): the case's next expected step and who it waits on, as a card at the
 * top of the dashboard. The sentence comes from the server (the company's wording or the default);
 * "waiting for" is the page's own words.
 */
export function NextStepCard({ step, t }: { step: CustomerNextStep; t: Translate }) {
  const id = useId();
  return (
    <section className="cp-section cp-card cp-next-step" aria-labelledby={id} data-testid="next-step">
      <h3 id={id} className="cp-section-title">
        {t('customer.nextStep.title')}
      </h3>
      <p className="cp-next-step-text">{step.text}</p>
      {step.waitingFor && (
        <p className="cp-next-step-waiting">
          <span className="cp-badge">{t(`customer.nextStep.waitingFor.${step.waitingFor}`)}</span>
        </p>
      )}
    </section>
  );
}
