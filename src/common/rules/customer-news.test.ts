import { describe, expect, it } from 'vitest';
import { newsKinds } from './case-events.ts';
import { customerNewsItem } from './customer-news.ts';

const event = (kind: string, data: unknown) => ({ id: 'e1', kind, occurredAt: '2026-12-06T20:13:00Z', data });

describe('customer news texts', () => {
  it('write dates in the page’s one numeric format, in Oslo time, in both languages', () => {
    // 08:00Z in December is 09:00 in Oslo (CET).
    const meeting = event('meeting_time_changed', {
      taskId: 't',
      name: 'Riving',
      meetingAt: '2026-12-09T08:00:00Z',
    });
    expect(customerNewsItem(meeting, newsKinds, 'nb')?.text).toBe(
      'Møtetidspunkt for Riving: 09.12.2026, 09:00',
    );
    expect(customerNewsItem(meeting, newsKinds, 'en')?.text).toBe(
      'Meeting time for Riving: 09.12.2026, 09:00',
    );
    const schedule = event('repair_schedule_changed', {
      taskId: 't',
      name: 'Nytt bad',
      startsOn: '2026-12-16',
      endsOn: '2026-12-26',
    });
    expect(customerNewsItem(schedule, newsKinds, 'nb')?.text).toBe(
      'Tidsplan for Nytt bad: 16.12.2026 til 26.12.2026',
    );
    expect(customerNewsItem(schedule, newsKinds, 'en')?.text).toBe(
      'Schedule for Nytt bad: 16.12.2026 to 26.12.2026',
    );
  });
});
