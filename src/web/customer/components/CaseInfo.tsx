import { useId } from 'react';
import type { CustomerVisibility } from '../../../common/rules/visibility.ts';
import { formatNorwegianPhone } from '../../shared/format.ts';
import type { CustomerCase } from '../model.ts';
import type { Translate } from './text.ts';

/**
 * The contact information under every view, as the settings allow: the case handler's name (and
 * phone only with the name), the assigned partners' phone numbers, and the company's "contact for
 * more information" text.
 */
export function CaseInfo({
  caseData,
  caseInfo,
  t,
}: {
  caseData: CustomerCase;
  caseInfo: CustomerVisibility['caseInfo'];
  t: Translate;
}) {
  const headingId = useId();
  const handler = caseInfo.caseHandlerName ? caseData.caseHandler : null;
  const partners = caseInfo.partnerContact ? caseData.partnerContacts : [];
  if (!handler && partners.length === 0 && !caseInfo.contactForMoreInfo) return null;
  return (
    <section className="cp-section cp-contact" aria-labelledby={headingId}>
      <h2 id={headingId} className="cp-section-title">
        {t('customer.caseInfo.title')}
      </h2>
      {handler && (
        <div className="cp-contact-group">
          <h3 className="cp-label">{t('customer.caseInfo.caseHandler')}</h3>
          <p>
            {handler.name}
            {caseInfo.caseHandlerPhone && handler.phone && (
              <>
                <br />
                <PhoneLink number={handler.phone} name={handler.name} t={t} />
              </>
            )}
          </p>
        </div>
      )}
      {partners.length > 0 && (
        <div className="cp-contact-group">
          <h3 className="cp-label">{t('customer.caseInfo.partners')}</h3>
          <ul className="cp-plain-list">
            {partners.map((partner, index) => (
              <li key={`${partner.office}-${partner.person ?? ''}-${index}`}>
                {partner.person ? `${partner.person}, ${partner.office}` : partner.office}
                {partner.taskName && ` (${t('customer.caseInfo.partnerTask', { task: partner.taskName })})`}
                {partner.phone && (
                  <>
                    <br />
                    <PhoneLink number={partner.phone} name={partner.person ?? partner.office} t={t} />
                  </>
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
      {caseInfo.contactForMoreInfo && (
        <div className="cp-contact-group">
          <h3 className="cp-label">{t('customer.caseInfo.moreInfo')}</h3>
          <p className="cp-pre-line">{caseInfo.contactForMoreInfo}</p>
        </div>
      )}
    </section>
  );
}

function PhoneLink({ number, name, t }: { number: string; name: string; t: Translate }) {
  return (
    <a
      className="cp-link cp-phone"
      href={`tel:${number}`}
      aria-label={`${t('customer.caseInfo.callLabel', { name })}: ${formatNorwegianPhone(number)}`}
    >
      {formatNorwegianPhone(number)}
    </a>
  );
}
