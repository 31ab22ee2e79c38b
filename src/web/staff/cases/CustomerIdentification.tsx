import type { CustomerIdentificationView } from '../../../common/contracts/customer-access-api.ts';
import { useLanguage } from '../../shared/language.tsx';
import { formatDateTime } from '../format.ts';

/** "01.02.1980" of "1980-02-01" (a calendar date: no time zone involved). */
export const formatBirthDate = (date: string) => date.split('-').reverse().join('.');

/**
 * Who opened the customer page last and how (issue 18): "Kari Nordmann (BankID, født 01.02.1980)
 * 06.12.2026 14:03", "SMS-kode …" or "Lenke …"; "Aldri" when never opened.
 */
export function CustomerIdentification({
  identification,
}: {
  identification: CustomerIdentificationView | null;
}) {
  const { t } = useLanguage();
  if (!identification) return <>{t('customerAccess.neverUsed')}</>;
  const date = formatDateTime(identification.at);
  if (identification.method === 'bankid') {
    return (
      <>
        {identification.birthDate
          ? t('customerAccess.identifiedBankId', {
              name: identification.name ?? '',
              birthDate: formatBirthDate(identification.birthDate),
              date,
            })
          : t('customerAccess.identifiedBankIdNoBirthDate', { name: identification.name ?? '', date })}
      </>
    );
  }
  return (
    <>
      {identification.method === 'sms_code'
        ? t('customerAccess.identifiedSmsCode', { date })
        : t('customerAccess.identifiedLink', { date })}
    </>
  );
}
