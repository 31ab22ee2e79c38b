import type { MeView } from '../../../common/api.ts';
import { useLanguage } from '../../shared/language.tsx';

/** The landing page after sign-in. Case work and the dashboard arrive with the case issues. */
export function HomePage({ me }: { me: MeView }) {
  const { t } = useLanguage();
  return (
    <section>
      <h1>{t('home.title', { name: me.user?.name ?? '' })}</h1>
      <p>{t('home.intro', { company: me.company.name })}</p>
      <dl className="facts">
        <dt>{t('home.level')}</dt>
        <dd>{me.level}</dd>
        <dt>{t('home.portalType')}</dt>
        <dd>{t(`portalType.${me.company.portalType}`)}</dd>
      </dl>
    </section>
  );
}
