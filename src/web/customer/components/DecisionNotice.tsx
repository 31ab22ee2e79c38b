import { useId } from 'react';
import { formatDay } from '../../shared/format.ts';
import type { CustomerRejection } from '../model.ts';
import type { Translate } from './text.ts';

/**
 * A rejected claim, shown only when the company chose to show decision outcomes (issue 19): the date
 * of the decision and the company's text on how to ask for a new assessment or complain (plain text,
 * its line breaks kept).
 */
export function DecisionNotice({ rejection, t }: { rejection: CustomerRejection; t: Translate }) {
  const id = useId();
  return (
    <section className="cp-section cp-card cp-decision" aria-labelledby={id} data-testid="decision-notice">
      <h3 id={id} className="cp-section-title">
        {t('customer.decision.title')}
      </h3>
      <p>
        {t('customer.decision.rejectedOn')}{' '}
        <time dateTime={rejection.decidedAt}>{formatDay(rejection.decidedAt)}</time>
      </p>
      <h4 className="cp-label">{t('customer.decision.howToComplain')}</h4>
      <p className="cp-decision-text">{rejection.text}</p>
    </section>
  );
}
