import { NoticePage } from './NoticePage.tsx';

/** Shown for a link that does not (or no longer) lead to a case; with the company's contact text when known. */
export function InvalidLinkPage({
  company = null,
  contact = null,
}: {
  company?: string | null;
  contact?: string | null;
}) {
  return (
    <NoticePage
      company={company}
      title="customer.invalidLinkTitle"
      body="customer.invalidLinkBody"
      contact={contact}
      fallback="customer.invalidLinkHelp"
    />
  );
}
