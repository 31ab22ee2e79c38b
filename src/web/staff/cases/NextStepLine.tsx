import type { CaseView } from '../../../common/contracts/case-api.ts';
import { nextStepOf, nextStepText } from '../../../common/rules/next-step.ts';
import { osloDate } from '../../../common/rules/oslo-date.ts';
import { useLanguage } from '../../shared/language.tsx';

/**
 * "Hva skjer nå?" on the case page (issue 19): the same rule as the customer page, read from the
 * staff view of the case. Staff know the decision, so a rejection or a request for more information
 * is named here even where the customer page only says a decision was made; the wording is the
 * default (a company's own wording is for its customers).
 */
export function NextStepLine({ kase }: { kase: CaseView }) {
  const { t, language } = useLanguage();
  const today = osloDate(new Date());
  const step = nextStepOf(
    {
      status: kase.status,
      claimDecision: kase.claimDecision,
      claimDecisionAt: kase.claimDecisionAt,
      mainInspectionAssignedAt: kase.mainInspectionAssignedAt,
      positiveDecisionAt: kase.positiveDecisionAt,
      mainInspection: kase.mainInspection
        ? { status: kase.mainInspection.status, meetingAt: kase.mainInspection.meetingAt }
        : null,
      repairTasks: kase.tasks,
    },
    today,
    true,
  );
  return (
    <div className="next-step-line" data-testid="staff-next-step">
      <dt>{t('nextStep.title')}</dt>
      <dd>
        {nextStepText(step, language, today)}
        {step.waitingFor && <> ({t(`nextStep.waitingFor.${step.waitingFor}`)})</>}
      </dd>
    </div>
  );
}
