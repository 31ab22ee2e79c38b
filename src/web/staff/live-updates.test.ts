import { afterEach, describe, expect, it, vi } from 'vitest';
import { coalesce, listenForStaffChanges, type StaffTopic } from './live-updates.ts';

/** A stand-in for the browser's EventSource: the test fires its events. */
class FakeEventSource {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  static last: FakeEventSource | undefined;
  readyState = FakeEventSource.CONNECTING;
  closed = false;
  private listeners = new Map<string, Array<(event: { data?: string }) => void>>();
  constructor(readonly url: string) {
    FakeEventSource.last = this;
  }
  addEventListener(type: string, listener: (event: { data?: string }) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close() {
    this.closed = true;
    this.readyState = FakeEventSource.CLOSED;
  }
  fire(type: 'open' | 'change' | 'error', data?: string) {
    for (const listener of this.listeners.get(type) ?? []) listener({ data });
  }
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe("the staff app's live stream", () => {
  it('passes each topic on, everything after a reconnect, and says when it is open', () => {
    vi.stubGlobal('EventSource', FakeEventSource);
    const onTopic = vi.fn();
    const onConnected = vi.fn();
    const stop = listenForStaffChanges(onTopic, onConnected);
    const source = FakeEventSource.last as FakeEventSource;
    expect(source.url).toBe('/api/live');
    source.fire('open');
    expect(onConnected).toHaveBeenLastCalledWith(true);
    expect(onTopic).not.toHaveBeenCalled();
    source.fire('change', '{"topic":"notifications"}');
    expect(onTopic.mock.calls).toEqual([['notifications']]);
    // The server ends a stream after a few minutes: missed signals are made up for on reconnect.
    source.fire('error');
    expect(onConnected).toHaveBeenLastCalledWith(false);
    source.fire('open');
    expect(onTopic.mock.calls.slice(1)).toEqual([['cases'], ['notifications']]);
    // An unreadable signal still means "something changed".
    source.fire('change', 'not json');
    expect(onTopic.mock.calls.slice(3)).toEqual([['cases'], ['notifications']]);
    stop();
    expect(source.closed).toBe(true);
  });

  it('fetches at most once a second: the first signal at once, a burst after it together', () => {
    vi.useFakeTimers();
    const runs: StaffTopic[][] = [];
    const refetch = coalesce((topics) => runs.push([...topics].sort()), 1000);
    refetch.ask('cases');
    vi.advanceTimersByTime(0);
    expect(runs).toEqual([['cases']]);
    for (let i = 0; i < 20; i += 1) refetch.ask(i % 2 ? 'cases' : 'notifications');
    vi.advanceTimersByTime(999);
    expect(runs).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(runs).toEqual([['cases'], ['cases', 'notifications']]);
    // Quiet for a second: the next one goes at once again; cancel drops what waits.
    vi.advanceTimersByTime(1000);
    refetch.ask('notifications');
    vi.advanceTimersByTime(0);
    expect(runs).toHaveLength(3);
    refetch.ask('cases');
    refetch.cancel();
    vi.advanceTimersByTime(5000);
    expect(runs).toHaveLength(3);
  });
});
