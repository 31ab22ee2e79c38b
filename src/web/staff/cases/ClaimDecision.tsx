import type { CaseView } from '../../../common/contracts/case-api.ts';
import { claimDecisions } from '../../../common/contracts/case-schemas.ts';
import { useLanguage } from '../../shared/language.tsx';
import { api } from '../api.ts';
import { errorText, Notice } from '../components.tsx';
import { formatDateTime } from '../format.ts';
import { useCaseChange } from './case-data.ts';
import { LogButton } from './CaseLog.tsx';
import { useMilestoneConfirm } from './MilestoneConfirm.tsx';
import { useContractor } from './portal.ts';

type Decision = (typeof claimDecisions)[number];

/**
 * The claim decision: accept, reject or needs more information. In a contractor portal the same
 * control is "Job approved" (spec §1 Decision). Offered when the server says the user may decide
 * (`allowedActions.decideClaim`: level and status are its rules); otherwise it says why not.
 */
export function ClaimDecision({ kase }: { kase: CaseView }) {
  const { t } = useLanguage();
  const contractor = useContractor();
  const decide = useCaseChange(kase.id, (decision: Decision) => api.cases.decideClaim(kase.id, decision));
  // The first acceptance reaches the positive-decision milestone: it may open parts of the customer
  // page and send links, so it is confirmed first when it does (MilestoneConfirm.tsx).
  const milestone = useMilestoneConfirm(kase.id);
  function choose(decision: Decision) {
    if (decide.isPending || milestone.busy) return;
    if (decision === 'accepted' && !kase.positiveDecisionAt) {
      decide.reset();
      void milestone.confirmThen('accept_claim', () => decide.mutateAsync(decision));
    } else decide.mutate(decision);
  }
  const stateLabel = (decision: Decision) =>
    t(contractor ? `decisionContractor.${decision}` : `decision.${decision}`);
  const buttonLabel = (decision: Decision) =>
    decision === 'accepted'
      ? t(contractor ? 'claimDecision.approve' : 'claimDecision.accept')
      : decision === 'rejected'
        ? t('claimDecision.reject')
        : t('claimDecision.needsMore');
  const title = t(contractor ? 'claimDecision.titleContractor' : 'claimDecision.title');
  return (
    <section className="panel" aria-labelledby="claim-decision-title">
      <div className="panel-title">
        <h2 id="claim-decision-title">{title}</h2>
        <LogButton caseId={kase.id} topic="decision" title={t('claimDecision.logTitle')} />
      </div>
      <p className="decision-state">
        <strong>{kase.claimDecision ? stateLabel(kase.claimDecision) : t('claimDecision.none')}</strong>
        {kase.claimDecisionAt && (
          <span className="muted">
            {' '}
            · {t('claimDecision.decidedAt', { date: formatDateTime(kase.claimDecisionAt) })}
          </span>
        )}
      </p>
      {kase.allowedActions.decideClaim === 'needs_level' ? (
        <p className="muted">{t('claimDecision.needsLevel')}</p>
      ) : kase.allowedActions.decideClaim === 'reopen_first' ? (
        <p className="muted">{t('claimDecision.reopenFirst')}</p>
      ) : (
        <div className="button-row" role="group" aria-label={title}>
          {claimDecisions.map((decision) => (
            <button
              key={decision}
              type="button"
              className={kase.claimDecision === decision ? 'button-primary' : 'button-quiet'}
              aria-pressed={kase.claimDecision === decision}
              onClick={() => choose(decision)}
            >
              {buttonLabel(decision)}
            </button>
          ))}
        </div>
      )}
      {milestone.status}
      {milestone.dialog}
      {decide.isError && !milestone.dialog && (
        <Notice kind="error">{errorText(decide.error, t('common.errorGeneric'))}</Notice>
      )}
      {decide.isSuccess && kase.claimDecision && (
        <Notice kind="success">
          {t('claimDecision.saved', { decision: stateLabel(kase.claimDecision) })}
        </Notice>
      )}
    </section>
  );
}
