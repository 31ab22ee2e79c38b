import { useLanguage } from '../../shared/language.tsx';

/** Any address of the staff app that is not a page. */
export function NotFoundPage() {
  const { t } = useLanguage();
  return (
    <section>
      <h1>{t('errors.notFound')}</h1>
    </section>
  );
}
