import { describe, expect, it } from 'vitest';
import { codeSms, gsmLength, linkEmail, linkLength, linkSms, type LinkEmailSettings } from './messages.ts';

/** A company showing documents and messages both ways, without the SMS code. */
const everything: LinkEmailSettings = {
  smsSecurityCode: false,
  showDocuments: 'case_created',
  showCommunication: 'case_created',
  communicationMethod: 'both_ways',
};

describe('customer messages', () => {
  it('counts GSM 03.38 characters (Norwegian letters are GSM, € counts twice, emoji is not GSM)', () => {
    expect(gsmLength('Blåbær Ærlig Øst')).toBe(16);
    expect(gsmLength('€ [x]')).toBe(8);
    expect(gsmLength('hei 🙂')).toBeNull();
  });

  it('fits the link SMS into 160 characters for any company name, keeping the link whole', () => {
    const base = 'https://kundeside.forsikring.no';
    for (const name of ['Demo Forsikring AS', 'A'.repeat(60), 'B'.repeat(200)]) {
      const text = linkSms(name, linkLength(base)).replace('{{link}}', `${base}/k/${'x'.repeat(43)}`);
      expect(gsmLength(text)!, name).toBeLessThanOrEqual(160);
      expect(text.endsWith(`${base}/k/${'x'.repeat(43)}`)).toBe(true);
    }
    expect(linkSms('Demo Forsikring AS', linkLength(base))).toBe(
      'Demo Forsikring AS: Her er lenken til kundesiden for skadesaken din: {{link}}',
    );
  });

  it('writes the e-mail in Norwegian, with the company, and escapes names in the HTML part', () => {
    const mail = linkEmail('Trygg & Sikker <AS>', 'Ola "O" Nordmann', {
      ...everything,
      smsSecurityCode: true,
    });
    expect(mail.subject).toBe('Kundesiden for skadesaken din hos Trygg & Sikker <AS>');
    expect(mail.text).toContain('Trygg & Sikker <AS> har gitt deg tilgang');
    expect(mail.text).toContain('engangskode');
    expect(mail.html).toContain('Trygg &amp; Sikker &lt;AS&gt;');
    expect(mail.html).toContain('Ola &quot;O&quot; Nordmann');
    expect(mail.html).not.toContain('<AS>');
  });

  it('promises only what the company offers on the page: documents, writing or reading messages', () => {
    const offer = (settings: Partial<LinkEmailSettings>) =>
      linkEmail('Demo Forsikring AS', 'Ola', { ...everything, ...settings }).text;
    expect(offer({})).toContain('Der kan du følge saken, se dokumenter og sende oss meldinger.');
    expect(offer({ showCommunication: 'never' })).toContain('Der kan du følge saken og se dokumenter.');
    expect(offer({ showDocuments: 'never', communicationMethod: 'to_customer' })).toContain(
      'Der kan du følge saken og lese meldinger fra oss.',
    );
    const bare = offer({ showDocuments: 'never', showCommunication: 'never' });
    expect(bare).toContain('Der kan du følge saken.');
    expect(bare).not.toMatch(/melding|dokument|engangskode/);
  });

  it('keeps the code SMS short', () => {
    expect(codeSms('Demo Forsikring AS', 10)).toBe(
      'Demo Forsikring AS: Koden din er {{code}}. Den gjelder i 10 minutter. Ikke del koden med noen.',
    );
    expect(gsmLength(codeSms('X'.repeat(150), 10))!).toBeLessThanOrEqual(160);
  });
});
