import { describe, expect, it } from 'vitest';
import { customerSessionView, type CustomerSessionView } from '../../common/contracts/customer-access-api.ts';
import { sessionViewJson } from './read-model.ts';

// The session part of a stored page's answer is serialised by hand on the hot path: it must be
// exactly what the response schema would send — same fields, same order, nothing more.

const views: CustomerSessionView[] = [
  {
    state: 'ok',
    reason: null,
    claimNumber: 'SK-2026-0001',
    company: { name: 'Fjordtrygd' },
    contactForMoreInfo: 'Ring 22 00 00 00',
    phoneHint: null,
  },
  {
    state: 'ok',
    reason: null,
    claimNumber: 'SK-2026-0002',
    company: { name: 'Fjordtrygd' },
    contactForMoreInfo: null,
    phoneHint: null,
    pendingLink: true,
  },
  {
    state: 'code_required',
    reason: null,
    claimNumber: null,
    company: { name: 'Æ Ø Å "quoted" </script>' },
    contactForMoreInfo: null,
    phoneHint: '•• •• •5 67',
  },
  {
    state: 'unavailable',
    reason: 'link_invalid',
    claimNumber: null,
    company: null,
    contactForMoreInfo: null,
    phoneHint: null,
  },
];

describe('sessionViewJson', () => {
  it.each(views.map((view) => [view.state, view] as const))('matches the schema for %s', (_, view) => {
    expect(sessionViewJson(view)).toBe(JSON.stringify(customerSessionView.parse(view)));
  });

  it('drops a field the schema does not name, as the serializer would', () => {
    const leaky = {
      ...views[0]!,
      accessId: 'secret',
      company: { name: 'X', id: 'c1' },
    } as CustomerSessionView;
    const json = sessionViewJson(leaky);
    expect(json).not.toContain('secret');
    expect(json).not.toContain('c1');
    expect(json).toBe(JSON.stringify(customerSessionView.parse(leaky)));
  });
});
