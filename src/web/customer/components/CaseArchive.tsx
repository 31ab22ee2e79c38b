import { useEffect, useId, useState } from 'react';
import type { CaseArchiveView } from '../../../common/contracts/case-archive-api.ts';
import type { Language } from '../../i18n/lookup.ts';
import { formatDate } from '../../shared/format.ts';
import type { Translate } from './text.ts';

/** Loads the archive's state and names the download's address (the real page; the admin preview has none). */
export interface CaseArchiveSlot {
  load: () => Promise<CaseArchiveView>;
  downloadUrl: (language: Language) => string;
}

/**
 * "Download archive" on the dashboard of a closed case (issue 19, item 3): the day the page closes
 * and a link that downloads the zip (documents, messages, summary) in the page's language. Nothing
 * while the case is open. Loaded again whenever the page's model changes (a live update may have
 * closed or reopened the case). A link, not a script: the browser downloads the attachment itself.
 */
export function CaseArchive({
  slot,
  refreshKey,
  language,
  t,
}: {
  slot: CaseArchiveSlot;
  refreshKey: unknown;
  language: Language;
  t: Translate;
}) {
  const id = useId();
  const [view, setView] = useState<CaseArchiveView | null>(null);

  useEffect(() => {
    let current = true;
    slot.load().then(
      (loaded) => current && setView(loaded),
      () => current && setView(null),
    );
    return () => {
      current = false;
    };
  }, [slot, refreshKey]);

  if (view?.state !== 'available') return null;
  return (
    <section className="cp-section cp-archive" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} className="cp-section-title">
        {t('customer.archive.title')}
      </h3>
      <p>
        {view.lastDay
          ? t('customer.archive.closesOn', { date: formatDate(view.lastDay) })
          : t('customer.archive.closesSoon')}
      </p>
      <p className="cp-archive-contents">{t('customer.archive.contents')}</p>
      <a className="cp-button cp-archive-download" href={slot.downloadUrl(language)} download>
        {t('customer.archive.download')}
      </a>
    </section>
  );
}
