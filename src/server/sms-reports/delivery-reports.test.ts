import { describe, expect, it } from 'vitest';
import { reportApplies, type StoredProviderStatus } from './delivery-reports.ts';

// The order rule of SMS delivery reports: the newest report wins, a repeat changes nothing, and
// `delivered` is final.

const T1 = '2026-12-08T10:00:00.000Z';
const T2 = '2026-12-08T10:05:00.000Z';
const none: StoredProviderStatus = { status: null, at: null };

describe('reportApplies', () => {
  it('takes the first report, whatever it says', () => {
    expect(reportApplies(none, { status: 'delivered', at: T1 })).toBe(true);
    expect(reportApplies(none, { status: 'failed', at: T1 })).toBe(true);
  });

  it('replaces a failure with a newer report only', () => {
    const failed: StoredProviderStatus = { status: 'failed', at: T1 };
    expect(reportApplies(failed, { status: 'delivered', at: T2 })).toBe(true);
    expect(reportApplies(failed, { status: 'failed', at: T2 })).toBe(true);
    // The same time (a repeat) or older: ignored.
    expect(reportApplies(failed, { status: 'failed', at: T1 })).toBe(false);
    expect(reportApplies({ status: 'failed', at: T2 }, { status: 'delivered', at: T1 })).toBe(false);
  });

  it('never replaces delivered, not even with a newer failure', () => {
    const delivered: StoredProviderStatus = { status: 'delivered', at: T1 };
    expect(reportApplies(delivered, { status: 'failed', at: T2 })).toBe(false);
    expect(reportApplies(delivered, { status: 'delivered', at: T2 })).toBe(false);
    expect(reportApplies(delivered, { status: 'delivered', at: T1 })).toBe(false);
  });
});
