import { parsePhoneNumberFromString } from 'libphonenumber-js/min';

/**
 * Normalises a phone number to E.164 (+4741234567). Numbers without a country code are read as
 * Norwegian. Returns null when the text is not a valid number.
 */
export function toE164(input: string): string | null {
  const parsed = parsePhoneNumberFromString(input.trim(), 'NO');
  return parsed && parsed.isValid() ? parsed.number : null;
}
