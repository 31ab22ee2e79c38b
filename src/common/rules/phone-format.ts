/**
 * Phone numbers as Norwegians write them, without a phone library (the customer bundle carries
 * none): the one formatter of stored E.164 numbers for the server's texts and both web bundles.
 */

/** Two-digit country calling codes; 1 and 7 are the one-digit ones, every other code has three. */
const twoDigitCountryCodes = new Set([
  '20', '27', '30', '31', '32', '33', '34', '36', '39', '40', '41', '43', '44', '45', '46', '47', '48', '49',
  '51', '52', '53', '54', '55', '56', '57', '58', '60', '61', '62', '63', '64', '65', '66', '81', '82', '84',
  '86', '90', '91', '92', '93', '94', '95', '98',
]); // prettier-ignore

/**
 * A stored E.164 number as people read it. Norwegian numbers in the national form Språkrådet
 * recommends: mobile and special numbers (4, 8, 9) as "967 89 012", the others as "22 12 34 56".
 * A foreign number keeps its digits, with the country code set apart ("+46 701234567"), since its
 * own grouping needs that country's rules. Anything else is returned as it is.
 */
export function formatPhoneNumber(e164: string): string {
  const norwegian = /^\+47(\d{8})$/.exec(e164)?.[1];
  if (norwegian) {
    return /^[489]/.test(norwegian)
      ? `${norwegian.slice(0, 3)} ${norwegian.slice(3, 5)} ${norwegian.slice(5)}`
      : norwegian.replace(/(\d{2})(?=\d)/g, '$1 ');
  }
  const digits = /^\+(\d{4,15})$/.exec(e164)?.[1];
  if (!digits || digits.startsWith('47')) return e164;
  const codeLength = /^[17]/.test(digits) ? 1 : twoDigitCountryCodes.has(digits.slice(0, 2)) ? 2 : 3;
  return `+${digits.slice(0, codeLength)} ${digits.slice(codeLength)}`;
}
