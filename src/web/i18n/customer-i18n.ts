import { customerEn } from './customer-en.ts';
import { customerNb, type CustomerMessages } from './customer-nb.ts';
import { lookup, type Language, type Leaves } from './lookup.ts';

// The customer page's translations: only the common and customer strings, so its bundle never
// carries the staff app's texts.

export const customerLanguages: Record<Language, CustomerMessages> = { nb: customerNb, en: customerEn };

/** Every key of the customer page's strings, e.g. "customer.views.budget". */
export type CustomerMessageKey = Leaves<CustomerMessages>;

/** Translates a customer-page key (see {@link lookup}). */
export function translateCustomer(
  language: Language,
  key: CustomerMessageKey,
  values?: Record<string, string | number>,
): string {
  return lookup(customerLanguages[language], key, values, language);
}
