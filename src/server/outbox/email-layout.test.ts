import { describe, expect, it } from 'vitest';
import { contrastRatio } from '../../common/rules/color-contrast.ts';
import type { OutboxTable } from '../db/schema.ts';
import { emailColors, renderEmail, type EmailBody } from './email-layout.ts';
import { fillTemplate, LINK_PLACEHOLDER, renderMessage } from './outbox.ts';
import { createSealer } from './sealing.ts';

const sealer = createSealer('a-secret-of-at-least-32-characters-0001');

const body = (overrides: Partial<EmailBody> = {}): EmailBody => ({
  language: 'nb',
  sender: { name: 'Fjordforsikring ASA' },
  subject: 'Emne',
  greeting: 'Ola',
  paragraphs: ['Første avsnitt.'],
  action: { label: 'Åpne kundesiden', url: LINK_PLACEHOLDER },
  after: ['Etter knappen.'],
  ...overrides,
});

/** The e-mail as it goes out: queued texts with the token in place (renderMessage). */
function sent(mail: { subject: string; text: string; html: string }, token = 'T'.repeat(43)) {
  const row = {
    subject: mail.subject,
    body_text: mail.text,
    body_html: mail.html,
    secret_sealed: sealer.seal(token),
  } as OutboxTable;
  const rendered = renderMessage(row, {
    unseal: (sealed) => sealer.unseal(sealed),
    publicBaseUrl: 'https://kundeside.test',
  });
  if (!rendered?.html) throw new Error('not rendered');
  return { ...rendered, html: rendered.html, link: `https://kundeside.test/k/${token}` };
}

describe('e-mail layout', () => {
  it('escapes a company name with <script> everywhere in the HTML, and keeps it as written in the text', () => {
    const name = '<script>alert("x")</script> & Co';
    const mail = renderEmail(
      body({
        sender: { name },
        subject: fillTemplate('Kundesiden hos {{company}}', { company: name }),
        paragraphs: [fillTemplate('{{company}} har gitt deg tilgang.', { company: name })],
      }),
    );
    expect(mail.html).not.toContain('<script');
    expect(mail.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co');
    // In the header band, the title, the paragraph and the closing.
    expect(mail.html.split('&lt;script&gt;')).toHaveLength(5);
    expect(mail.text).toContain(`${name} har gitt deg tilgang.`);
    expect(mail.text.endsWith(`Vennlig hilsen\n${name}`)).toBe(true);
  });

  it('writes the frame in Norwegian bokmål or English', () => {
    const nb = renderEmail(body({ code: '{{code}}' }));
    expect(nb.html).toContain('<html lang="nb">');
    expect(nb.text.startsWith('Hei Ola,\n\n')).toBe(true);
    expect(nb.html).toContain('Virker ikke knappen? Kopier denne adressen inn i nettleseren:');
    expect(nb.html).toContain('Koden din:');
    expect(nb.text).toContain('Koden din: {{code}}');
    expect(nb.text.endsWith('Vennlig hilsen\nFjordforsikring ASA')).toBe(true);

    const en = renderEmail(body({ language: 'en', code: '{{code}}' }));
    expect(en.html).toContain('<html lang="en">');
    expect(en.text.startsWith('Hello Ola,\n\n')).toBe(true);
    expect(en.html).toContain('<p>Hello Ola,</p>');
    expect(en.html).toContain('Copy this address into your browser:');
    expect(en.html).not.toContain('Virker ikke');
    expect(en.text).toContain('Your code: {{code}}');
    expect(en.text.endsWith('Kind regards\nFjordforsikring ASA')).toBe(true);
  });

  it('gives the plain-text twin every paragraph and the link, in the order of the HTML', () => {
    const mail = sent(renderEmail(body()));
    expect(mail.text).toBe(
      [
        'Hei Ola,',
        'Første avsnitt.',
        `Åpne kundesiden:\n${mail.link}`,
        'Etter knappen.',
        'Vennlig hilsen\nFjordforsikring ASA',
      ].join('\n\n'),
    );
    expect(mail.html).toContain(`href="${mail.link}"`);
    expect(mail.html.split(mail.link)).toHaveLength(3); // the button and the address to copy
    expect(mail.html.indexOf('Første avsnitt.')).toBeLessThan(mail.html.indexOf(mail.link));
    expect(mail.html.indexOf(mail.link)).toBeLessThan(mail.html.indexOf('Etter knappen.'));
  });

  it('closes with the company name alone when asked, and has no header band without a name', () => {
    const named = renderEmail(body({ closing: 'name' }));
    expect(named.text.endsWith('Etter knappen.\n\nFjordforsikring ASA')).toBe(true);
    expect(named.text).not.toContain('Vennlig hilsen');
    const nameless = renderEmail(body({ sender: { name: '' }, action: undefined, after: undefined }));
    expect(nameless.html).not.toContain('font-size: 18px');
    expect(nameless.text).toBe('Hei Ola,\n\nFørste avsnitt.\n\nVennlig hilsen\n');
  });

  it('never reads a name as a placeholder: the link appears only where the layout puts it', () => {
    const name = 'Firma {{link}} {{code}} {{brace}} {{constructor}}';
    const recipient = 'Kari {{link}}';
    const values = { company: name };
    const mail = sent(
      renderEmail(
        body({
          sender: { name },
          subject: fillTemplate('Ny melding fra {{company}}', values),
          greeting: recipient,
          paragraphs: [fillTemplate('{{company}} har skrevet.', values)],
        }),
      ),
    );
    expect(mail.subject).toBe(`Ny melding fra ${name}`);
    expect(mail.text).toContain(`Hei ${recipient},\n\n${name} har skrevet.`);
    expect(mail.text.endsWith(`Vennlig hilsen\n${name}`)).toBe(true);
    expect(mail.text.split(mail.link)).toHaveLength(2);
    expect(mail.html.split(mail.link)).toHaveLength(3);
    expect(mail.html).toContain(`<p>Hei ${recipient},</p>`);
  });

  it('uses the company colours, with a readable text colour when theirs is not', () => {
    const mail = renderEmail(
      body({ sender: { name: 'X', colors: { menuBackground: '#7a1f1f', menuText: '#fefefe' } } }),
    );
    expect(mail.html).toContain('background: #7a1f1f; color: #fefefe');
    // Too little contrast: white or black instead, whichever reads better.
    expect(emailColors({ menuBackground: '#ffff00', menuText: '#ffffff' }).onBrand).toBe('#000000');
    expect(emailColors({ menuBackground: '#202020', menuText: '#303030' }).onBrand).toBe('#ffffff');
    for (const menuBackground of ['#000000', '#777777', '#ff0000', '#00ff00', '#ffffff', '#1f3a5f']) {
      const colors = emailColors({ menuBackground, menuText: menuBackground });
      expect(contrastRatio(colors.onBrand, colors.brand), menuBackground).toBeGreaterThanOrEqual(4.5);
    }
    // A brand that vanishes on the white card gets an edge; a colour that is not #rrggbb is never used.
    expect(emailColors({ menuBackground: '#ffffff', menuText: '#000000' }).edge).toBe('#000000');
    expect(emailColors({ menuBackground: '#1f3a5f', menuText: '#ffffff' }).edge).toBeNull();
    const odd = emailColors({ menuBackground: 'red;background:url(x)', menuText: '#fff"' });
    expect(odd).toEqual({ brand: '#1f3a5f', onBrand: '#ffffff', edge: null });
  });

  it('refuses a button to anything but {{link}}, an http(s) address or a path', () => {
    for (const url of ['javascript:alert(1)', '//evil.test/x', 'data:text/html,x']) {
      expect(() => renderEmail(body({ action: { label: 'x', url } })), url).toThrow();
    }
    expect(renderEmail(body({ action: { label: 'Åpne saken', url: '/cases/1' } })).text).toContain(
      'Åpne saken:\n/cases/1',
    );
  });
});
