import type { MeView } from '../../../common/contracts/api.ts';
import { useLanguage } from '../../shared/language.tsx';
import { Dashboard } from '../dashboard/Dashboard.tsx';

/** The landing page after sign-in: a greeting and the dashboard. */
export function HomePage({ me }: { me: MeView }) {
  const { t } = useLanguage();
  return (
    <section>
      <h1>{t('home.title', { name: me.user?.name ?? '' })}</h1>
      <p>{t('home.intro', { company: me.company.name })}</p>
      <Dashboard />
      <dl className="facts home-facts">
        <dt>{t('home.level')}</dt>
        <dd>{me.level}</dd>
        <dt>{t('home.portalType')}</dt>
        <dd>{t(`portalType.${me.company.portalType}`)}</dd>
      </dl>
    </section>
  );
}
