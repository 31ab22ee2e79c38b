import { useId } from 'react';
import type { CustomerVisibility } from '../../../common/rules/visibility.ts';
import { formatBytes, formatDay } from '../../shared/format.ts';
import type { CustomerDocument, CustomerPageModel } from '../model.ts';
import { Thumbnails } from '../../shared/media.tsx';
import { customerImages, customerMediaLabels } from './customer-media.ts';
import type { Translate } from './text.ts';

/**
 * The documents shared with the customer: the inspection report and the customer settlement report
 * (each only once its trigger is reached) and the documents staff shared by hand, as download links.
 */
export function DocumentsView({
  documents,
  reports,
  t,
}: {
  documents: CustomerPageModel['documents'];
  reports: CustomerVisibility['reports'];
  t: Translate;
}) {
  const reportsId = useId();
  const sharedId = useId();
  const reportRows = [
    reports.inspectionReport && {
      key: 'inspection',
      label: t('customer.documents.inspectionReport'),
      document: documents.inspectionReport,
    },
    reports.settlementReport && {
      key: 'settlement',
      label: t('customer.documents.settlementReport'),
      document: documents.settlementReport,
    },
  ].filter((row) => row !== false);
  return (
    <>
      {reportRows.length > 0 && (
        <section className="cp-section" aria-labelledby={reportsId}>
          <h3 id={reportsId} className="cp-section-title">
            {t('customer.documents.reports')}
          </h3>
          <ul className="cp-list">
            {reportRows.map((row) => (
              <li key={row.key} className="cp-item">
                <p className="cp-item-title">{row.label}</p>
                {row.document ? (
                  <DocumentLink document={row.document} t={t} />
                ) : (
                  <p>{t('customer.documents.notReady')}</p>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
      <section className="cp-section" aria-labelledby={sharedId}>
        <h3 id={sharedId} className="cp-section-title">
          {t('customer.documents.shared')}
        </h3>
        {documents.shared.length === 0 ? (
          <p>{t('customer.documents.empty')}</p>
        ) : (
          <ul className="cp-list">
            {documents.shared.map((document) => (
              <li key={document.id} className="cp-item">
                <DocumentLink document={document} t={t} />
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

function DocumentLink({ document, t }: { document: CustomerDocument; t: Translate }) {
  return (
    <>
      <p className="cp-document">
        <a className="cp-link" href={document.url}>
          {document.name}
        </a>
        <span className="cp-document-meta">
          {t('customer.documents.sharedAt', { date: formatDay(document.sharedAt) })} ·{' '}
          {formatBytes(document.sizeBytes)}
        </span>
      </p>
      <Thumbnails images={customerImages([document])} labels={customerMediaLabels(t)} />
    </>
  );
}
