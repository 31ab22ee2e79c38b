import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import {
  defaultCustomerPageSettings,
  type CustomerPageSettings,
} from '../../../common/rules/customer-page-settings.ts';
import { customerVisibility } from '../../../common/rules/visibility.ts';
import type { Language } from '../../i18n/lookup.ts';
import { sampleCaseState, sampleCustomerPage, type SampleMilestone } from '../sample-case.ts';
import { CustomerPage, visibleViews } from './CustomerPage.tsx';
import { CaseInfo } from './CaseInfo.tsx';
import { CommunicationView } from './CommunicationView.tsx';
import { textsFor } from './text.ts';

const now = new Date('2026-11-27T12:00:00Z');

function setup(
  changes: Partial<CustomerPageSettings> = {},
  milestone: SampleMilestone = 'positive_decision',
  language: Language = 'nb',
  closedDaysAgo = 10,
) {
  const settings = { ...defaultCustomerPageSettings, ...changes };
  const visibility = customerVisibility(settings, sampleCaseState(milestone, now, closedDaysAgo), now);
  const model = sampleCustomerPage({
    language,
    milestone,
    now,
    closedDaysAgo,
    company: {
      name: 'Demo Forsikring AS',
      logo: { url: '/logos/a-40.png', url2x: '/logos/a-80.png' },
      portalType: 'insurance',
    },
    colors: settings.colors,
  });
  return { settings, visibility, model };
}

const render = (setupResult: ReturnType<typeof setup>, language: Language = 'nb') =>
  renderToStaticMarkup(
    <CustomerPage
      model={setupResult.model}
      visibility={setupResult.visibility}
      language={language}
      embedded
    />,
  );

/** The labels of the menu, in order. */
const menu = (html: string) =>
  [...html.matchAll(/<button type="button" class="cp-menu-item"[^>]*>([^<]+)<\/button>/g)].map((m) => m[1]);

describe('the customer page components', () => {
  it('show the menu of the views visibility allows, the dashboard always', () => {
    expect(menu(render(setup()))).toEqual(['Oversikt', 'Prosjektplan', 'Kommunikasjon', 'Dokumenter']);
    const withBudget = setup({ showBudget: 'positive_decision', showCommunication: 'never' });
    expect(menu(render(withBudget, 'en'))).toEqual(['Dashboard', 'Project plan', 'Documents', 'Budget']);
    const atCreation = setup({ showBudget: 'positive_decision' }, 'case_created');
    expect(visibleViews(atCreation.visibility)).not.toContain('budget');
  });

  it('draw with the company colours and the logo at 40 px with its 2x rendition', () => {
    const html = render(
      setup({ colors: { ...defaultCustomerPageSettings.colors, menuBackground: '#7a1f5c' } }),
    );
    expect(html).toContain('--menu-background:#7a1f5c');
    expect(html).toContain('srcSet="/logos/a-40.png 1x, /logos/a-80.png 2x"');
    expect(html).toContain('height="40"');
    expect(html).toContain('alt="Demo Forsikring AS"');
  });

  it('show only the news kinds of the filter, newest first, and only what happened by the milestone', () => {
    const html = render(
      setup({ newsFilter: ['main_inspection_finished', 'claim_decision', 'call_history'] }),
    );
    const kinds = [...html.matchAll(/data-kind="([a-z_]+)"/g)].map((m) => m[1]);
    expect(kinds).toEqual(['claim_decision', 'main_inspection_finished', 'call_history']);
    const early = render(
      setup({ newsFilter: ['main_inspection_finished', 'claim_decision'] }, 'case_created'),
    );
    expect(early).toContain('Ingen nyheter ennå.');
    expect(render(setup({ showNews: 'never' }))).not.toContain('Nyheter');
  });

  it('show the plan on the dashboard only when ticked, with partner and responsible person', () => {
    expect(render(setup())).not.toContain('>Plan<');
    const html = render(setup({ showPlanOnDashboard: true }));
    expect(html).toContain('>Plan<');
    expect(html).toContain('Bygg &amp; Rør AS');
    expect(html).toContain('Ikke valgt ennå');
  });

  it('show the case handler’s phone only with the name, and partners only when allowed', () => {
    const t = textsFor('nb');
    const { model, visibility } = setup({
      showCaseHandler: true,
      showCaseHandlerPhone: true,
      showPartnerContact: true,
    });
    const html = renderToStaticMarkup(
      <CaseInfo caseData={model.case} caseInfo={visibility.caseInfo} t={t} />,
    );
    expect(html).toContain('Kari Nordmann');
    expect(html).toContain('912 34 567');
    expect(html).toContain('Per Hansen, Bygg &amp; Rør AS');
    const hidden = setup({
      showCaseHandler: false,
      showPartnerContact: false,
      contactForMoreInfo: 'Ring 22 00 00 00',
    });
    const other = renderToStaticMarkup(
      <CaseInfo caseData={hidden.model.case} caseInfo={hidden.visibility.caseInfo} t={t} />,
    );
    expect(other).not.toContain('Kari Nordmann');
    expect(other).not.toContain('Per Hansen');
    expect(other).toContain('Ring 22 00 00 00');
  });

  it('offer the compose box only when the customer may write, and only own messages “from the customer”', () => {
    const t = textsFor('nb');
    const view = (method: CustomerPageSettings['communicationMethod']) => {
      const { model, visibility } = setup({ communicationMethod: method });
      return renderToStaticMarkup(
        <CommunicationView
          messages={model.messages.items}
          communication={visibility.communication}
          onSend={undefined}
          t={t}
        />,
      );
    };
    expect(view('both_ways')).toContain('Send melding');
    expect(view('to_customer')).not.toContain('Send melding');
    const own = view('from_customer');
    expect(own).toContain('nora.berg@example.com');
    expect(own).not.toContain('kari.nordmann@forsikring.example');
    // Newest first.
    const both = view('both_ways');
    expect(both.indexOf('Per fra Bygg')).toBeLessThan(both.indexOf('Hei! Vi har satt i gang'));
  });

  it('render message text as text with safe links, “(deg)” on own messages, files as downloads', () => {
    const t = textsFor('nb');
    const { visibility } = setup({ communicationMethod: 'both_ways' });
    const html = renderToStaticMarkup(
      <CommunicationView
        messages={[
          {
            id: 'm1',
            sentAt: '2026-11-27T10:00:00Z',
            senderEmail: 'kunde@example.test',
            fromCustomer: true,
            own: true,
            text: 'Se https://example.test/bilde, <b>fet</b> og javascript:alert(1)',
            attachments: [{ id: 'd1', name: 'skade.jpg', url: '/api/customer/documents/d1' }],
          },
          {
            id: 'm2',
            sentAt: '2026-11-27T11:00:00Z',
            senderEmail: 'annen@example.test',
            fromCustomer: true,
            own: false,
            text: 'Fra en annen kontakt',
            attachments: [],
          },
        ]}
        communication={visibility.communication}
        onSend={undefined}
        t={t}
      />,
    );
    expect(html).toContain(
      '<a class="cp-link" href="https://example.test/bilde" rel="noopener noreferrer nofollow" target="_blank">https://example.test/bilde',
    );
    expect(html).toContain('&lt;b&gt;fet&lt;/b&gt;');
    expect(html).not.toContain('href="javascript');
    expect(html).toContain('kunde@example.test (deg)');
    expect(html).not.toContain('annen@example.test (deg)');
    expect(html).toContain(
      '<a class="cp-link" href="/api/customer/documents/d1" download="skade.jpg">skade.jpg</a>',
    );
    expect(html.indexOf('Fra en annen kontakt')).toBeLessThan(html.indexOf('kunde@example.test'));
    expect(html).toContain('accept="image/*,application/pdf');
    expect(html).toContain('multiple');
  });

  it('show the friendly page with the contact text once a closed case is past its days', () => {
    const open = render(setup({ visibleDaysAfterClose: 30 }, 'closed', 'nb', 30));
    expect(open).toContain('Storgata 12');
    const gone = render(
      setup({ visibleDaysAfterClose: 30, contactForMoreInfo: 'Ring 22 00 00 00' }, 'closed', 'nb', 31),
    );
    expect(gone).toContain('Saken er ikke lenger tilgjengelig');
    expect(gone).toContain('Ring 22 00 00 00');
    expect(gone).not.toContain('Storgata 12');
    expect(menu(gone)).toEqual([]);
  });
});
