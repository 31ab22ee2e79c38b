import { translateCustomer, type CustomerMessageKey } from '../../i18n/customer-i18n.ts';
import type { Language } from '../../i18n/lookup.ts';

/** The translation function the customer-page components pass down. */
export type Translate = (key: CustomerMessageKey, values?: Record<string, string | number>) => string;

/** The customer page's strings in one language. */
export function textsFor(language: Language): Translate {
  return (key, values) => translateCustomer(language, key, values);
}
