import { useQuery } from '@tanstack/react-query';
import type { CaseView } from '../../../common/contracts/case-api.ts';
import { useLanguage } from '../../shared/language.tsx';
import { api } from '../api.ts';
import { errorText, Notice } from '../components.tsx';
import { formatDateTime } from '../format.ts';
import { caseKeys } from './case-data.ts';

/**
 * "Kundetilfredshet" on a closed case: what each customer answered to the satisfaction question of
 * the customer page (1–5) and their comment, for the handler to read and follow up.
 */
export function CaseSatisfaction({ kase }: { kase: CaseView }) {
  const { t } = useLanguage();
  const answers = useQuery({
    queryKey: [...caseKeys.one(kase.id), 'satisfaction'],
    queryFn: () => api.cases.satisfaction(kase.id),
  });
  return (
    <section className="tab-section" aria-labelledby="satisfaction-title">
      <h3 id="satisfaction-title">{t('satisfaction.caseTitle')}</h3>
      {answers.isError ? (
        <Notice kind="error">{errorText(answers.error, t('common.errorGeneric'))}</Notice>
      ) : !answers.data ? (
        <p role="status">{t('common.loading')}</p>
      ) : answers.data.answers.length === 0 ? (
        <p>{t('satisfaction.noAnswer')}</p>
      ) : (
        <ul className="plain-list">
          {answers.data.answers.map((answer) => (
            <li key={`${answer.personName}-${answer.answeredAt}`}>
              <p>
                <strong>{t('satisfaction.score', { score: answer.score })}</strong> —{' '}
                {t('satisfaction.answeredBy', {
                  name: answer.personName,
                  at: formatDateTime(answer.answeredAt),
                })}
              </p>
              {answer.comment && <blockquote className="satisfaction-comment">{answer.comment}</blockquote>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
