import type { CustomerPageSettings } from '../../common/rules/customer-page-settings.ts';
import { renderEmail, type EmailSender, type RenderedEmail } from '../outbox/email-layout.ts';
import { CODE_PLACEHOLDER, fillTemplate, LINK_PLACEHOLDER } from '../outbox/outbox.ts';
import { LINK_TOKEN_LENGTH } from './link-tokens.ts';

/**
 * The texts customers receive, in Norwegian bokmål. They name the company and carry the link or the
 * code, nothing of the case (no claim number, address or status): an SMS or e-mail may be read by
 * someone else. `{{link}}` / `{{code}}` are filled in when the message is sent (outbox.ts).
 */

/** Length of a link: PUBLIC_BASE_URL + '/k/' + a minted token. */
export const linkLength = (publicBaseUrl: string) => publicBaseUrl.length + 3 + LINK_TOKEN_LENGTH;

const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENSION = '^{}\\[~]|€';

/** Length of a text in GSM 03.38 septets (extension characters count twice), or null when it needs UCS-2. */
export function gsmLength(text: string): number | null {
  let length = 0;
  for (const char of text) {
    if (GSM_BASIC.includes(char)) length += 1;
    else if (GSM_EXTENSION.includes(char)) length += 2;
    else return null;
  }
  return length;
}

/** Limit of one SMS: 160 GSM characters (70 when the text needs UCS-2). */
export const SMS_LIMIT = 160;

/**
 * The SMS with the link: the longest wording that fits one SMS with the link of `linkChars`
 * characters, down to just the company name and the link (the company name shortened if need be).
 */
export function linkSms(companyName: string, linkChars: number): string {
  const fitting = firstFittingSms(
    [
      `{{company}}: Her er lenken til kundesiden for skadesaken din: ${LINK_PLACEHOLDER}`,
      `{{company}}: Kundesiden for skadesaken din: ${LINK_PLACEHOLDER}`,
      `{{company}}: ${LINK_PLACEHOLDER}`,
    ].map((variant) => fillTemplate(variant, { company: companyName })),
    linkChars,
  );
  if (fitting) return fitting;
  const room = Math.max(0, SMS_LIMIT - linkChars - 2);
  return fillTemplate(`{{company}}: ${LINK_PLACEHOLDER}`, {
    company: [...companyName].slice(0, room).join(''),
  });
}

/** The first text that fits one GSM SMS once its `{{link}}` is a link of `linkChars` characters. */
export function firstFittingSms(variants: string[], linkChars: number): string | undefined {
  return variants.find((text) => {
    const length = gsmLength(text);
    return length !== null && length - LINK_PLACEHOLDER.length + linkChars <= SMS_LIMIT;
  });
}

/**
 * The e-mail with the link: subject, a plain-text part and an HTML part, in the one e-mail layout
 * with the company's name and customer-page colours.
 */
export function linkEmail(
  companyName: string,
  recipientName: string,
  settings: LinkEmailSettings,
): RenderedEmail {
  const values = { company: companyName };
  const codeLine = settings.bankIdSignIn
    ? ' Når du åpner lenken, ber siden deg bekrefte hvem du er med BankID.'
    : settings.smsSecurityCode
      ? ' Når du åpner lenken, ber siden om en engangskode som vi sender på SMS til mobilnummeret ditt.'
      : '';
  return renderEmail({
    language: 'nb',
    sender: { name: companyName, colors: settings.colors },
    subject: fillTemplate('Kundesiden for skadesaken din hos {{company}}', values),
    greeting: recipientName,
    paragraphs: [
      fillTemplate(
        `{{company}} har gitt deg tilgang til kundesiden for skadesaken din. ${whatThePageOffers(settings)}`,
        values,
      ),
    ],
    action: { label: 'Åpne kundesiden', url: LINK_PLACEHOLDER },
    after: [`Lenken er personlig. Ikke del den med andre.${codeLine}`],
  });
}

/** What the link e-mail needs of the company's customer-page settings. */
export type LinkEmailSettings = Pick<
  CustomerPageSettings,
  'smsSecurityCode' | 'showDocuments' | 'showCommunication' | 'communicationMethod'
> & { bankIdSignIn?: boolean; colors?: EmailSender['colors'] };

/**
 * What the customer can do on the page, as the company has set it up (issue 16: the e-mail promised
 * messages to customers of a company with communication off): documents when the Documents tab is
 * ever shown, writing when messages may go from the customer, reading when only to them.
 */
function whatThePageOffers(settings: LinkEmailSettings): string {
  const can = ['følge saken'];
  if (settings.showDocuments !== 'never') can.push('se dokumenter');
  if (settings.showCommunication !== 'never') {
    can.push(
      settings.communicationMethod === 'to_customer' ? 'lese meldinger fra oss' : 'sende oss meldinger',
    );
  }
  const listed = can.length === 1 ? can[0] : `${can.slice(0, -1).join(', ')} og ${can.at(-1)}`;
  return `Der kan du ${listed}.`;
}

/** The SMS with a security code. */
export function codeSms(companyName: string, validMinutes: number): string {
  const full = fillTemplate(
    `{{company}}: Koden din er ${CODE_PLACEHOLDER}. Den gjelder i ${validMinutes} minutter. Ikke del koden med noen.`,
    { company: companyName },
  );
  const length = gsmLength(full);
  return length !== null && length <= SMS_LIMIT
    ? full
    : `Koden din er ${CODE_PLACEHOLDER} (${validMinutes} min).`;
}
