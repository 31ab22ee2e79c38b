import { parsePhoneNumberFromString } from 'libphonenumber-js/min';

// Phone numbers as staff read them. Its own module because libphonenumber (with its metadata, the
// biggest library of the staff app) should load only with the pages that show a number, not with
// every page that formats a date or uses a form field.

/** A stored E.164 number as people read it: "91 23 45 67" in Norway, "+46 70 123 45 67" abroad. */
export function formatPhone(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return e164;
  return parsed.country === 'NO' ? parsed.formatNational() : parsed.formatInternational();
}

/** A phone number people can read and tap (the link keeps the E.164 form). */
export function PhoneLink({ number }: { number: string }) {
  return (
    <a className="phone" href={`tel:${number}`}>
      {formatPhone(number)}
    </a>
  );
}
