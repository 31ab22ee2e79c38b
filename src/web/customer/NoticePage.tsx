import type { ReactNode } from 'react';
import { translateCustomer, type CustomerMessageKey } from '../i18n/customer-i18n.ts';
import { LanguageSwitch, useLanguageChoice } from '../shared/language-core.tsx';

/** The frame of the pages before the case is shown: the company's name, the language switch. */
export function NoticeFrame({ company, children }: { company: string | null; children: ReactNode }) {
  const { language } = useLanguageChoice();
  return (
    <div className="customer-page">
      <header className="customer-header">
        <span className="customer-brand">{company ?? translateCustomer(language, 'common.appName')}</span>
        <LanguageSwitch className="customer-language" />
      </header>
      <main className="customer-main">{children}</main>
    </div>
  );
}

/** The company's "contact for more information" text under its heading (nothing when there is none). */
export function ContactText({ text }: { text: string | null }) {
  const { language } = useLanguageChoice();
  if (!text) return null;
  return (
    <section className="customer-contact" aria-labelledby="customer-contact-title">
      <h2 id="customer-contact-title">{translateCustomer(language, 'customer.moreInfo')}</h2>
      <p className="customer-pre-line">{text}</p>
    </section>
  );
}

/** A friendly refusal: a title, what happened, and the contact text or a general hint. */
export function NoticePage({
  company,
  title,
  body,
  contact,
  fallback,
}: {
  company: string | null;
  title: CustomerMessageKey;
  body: CustomerMessageKey;
  contact: string | null;
  fallback: CustomerMessageKey;
}) {
  const { language } = useLanguageChoice();
  const t = (key: CustomerMessageKey) => translateCustomer(language, key);
  return (
    <NoticeFrame company={company}>
      <h1>{t(title)}</h1>
      <p>{t(body)}</p>
      {contact ? <ContactText text={contact} /> : <p>{t(fallback)}</p>}
    </NoticeFrame>
  );
}
