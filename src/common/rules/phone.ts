import { parsePhoneNumberFromString } from 'libphonenumber-js/min';
import { parsePhoneNumberFromString as parseWithMobileTypes } from 'libphonenumber-js/mobile';

/**
 * Normalises a phone number to E.164 (+4741234567). Numbers without a country code are read as
 * Norwegian. Returns null when the text is not a valid number.
 */
export function toE164(input: string): string | null {
  const parsed = parsePhoneNumberFromString(input.trim(), 'NO');
  return parsed && parsed.isValid() ? parsed.number : null;
}

/** What a phone number is good for: `mobile` receives SMS; `landline` is valid but cannot; `invalid`. */
export type PhoneKind = 'mobile' | 'landline' | 'invalid';

/**
 * Whether a number (any notation, Norwegian without a country code) can receive an SMS, by the
 * number type of libphonenumber's mobile metadata: a Norwegian 2x/3x/5x/6x/7x number is a landline.
 * (Not for the customer bundle: the metadata is large.)
 */
export function phoneKind(input: string): PhoneKind {
  const e164 = toE164(input);
  if (!e164) return 'invalid';
  const type = parseWithMobileTypes(e164)?.getType();
  return type === 'MOBILE' || type === 'FIXED_LINE_OR_MOBILE' ? 'mobile' : 'landline';
}
