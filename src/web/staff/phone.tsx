import { formatPhoneNumber } from '../../common/rules/phone-format.ts';

/**
 * A stored E.164 number as people read it: "967 89 012", "22 12 34 56", "+46 701234567" — the one
 * formatter the server's texts and the customer page use too (common/rules/phone-format.ts).
 */
export const formatPhone = formatPhoneNumber;

/** A phone number people can read and tap (the link keeps the E.164 form). */
export function PhoneLink({ number }: { number: string }) {
  return (
    <a className="phone" href={`tel:${number}`}>
      {formatPhone(number)}
    </a>
  );
}
