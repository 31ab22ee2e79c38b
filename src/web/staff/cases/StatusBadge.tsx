import type { CaseView } from '../../../common/contracts/case-api.ts';
import { useLanguage } from '../../shared/language.tsx';

/** The status of a case as a coloured label (the colour repeats the text, it never replaces it). */
export function StatusBadge({ status }: { status: CaseView['status'] }) {
  const { t } = useLanguage();
  return <span className={`badge badge-${status}`}>{t(`caseStatus.${status}`)}</span>;
}
