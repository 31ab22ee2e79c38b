import { afterEach, describe, expect, it, vi } from 'vitest';
import { listenForChanges, SETTINGS_SPREAD_MS } from './live.ts';

/** A stand-in for the browser's EventSource: the test fires its events. */
class FakeEventSource {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  static last: FakeEventSource | undefined;
  readyState = FakeEventSource.CONNECTING;
  closed = false;
  private listeners = new Map<string, Array<() => void>>();
  constructor(readonly url: string) {
    FakeEventSource.last = this;
  }
  addEventListener(type: string, listener: () => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close() {
    this.closed = true;
    this.readyState = FakeEventSource.CLOSED;
  }
  fire(type: 'open' | 'change' | 'error', readyState = this.readyState, data?: string) {
    this.readyState = readyState;
    for (const listener of this.listeners.get(type) ?? [])
      (listener as (event: { data?: string }) => void)({ data });
  }
}

function listen() {
  vi.stubGlobal('EventSource', FakeEventSource);
  const onChange = vi.fn();
  const onGiveUp = vi.fn();
  const stop = listenForChanges(onChange, onGiveUp);
  const source = FakeEventSource.last as FakeEventSource;
  return { onChange, onGiveUp, stop, source };
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('live updates of the customer page', () => {
  it('fetch again on every change and after a reconnect, not on the first open; close on stop', () => {
    const { onChange, onGiveUp, stop, source } = listen();
    expect(source.url).toBe('/api/customer/live');
    source.fire('open', FakeEventSource.OPEN);
    expect(onChange).not.toHaveBeenCalled();
    source.fire('change');
    expect(onChange).toHaveBeenCalledTimes(1);
    // The server ends a stream after a few minutes; the browser reconnects by itself.
    source.fire('error', FakeEventSource.CONNECTING);
    source.fire('open', FakeEventSource.OPEN);
    expect(onChange).toHaveBeenCalledTimes(2);
    expect(onGiveUp).not.toHaveBeenCalled();
    stop();
    expect(source.closed).toBe(true);
  });

  it('give up at once when the stream is refused (an ended session)', () => {
    const { onGiveUp, source } = listen();
    source.fire('error', FakeEventSource.CLOSED);
    expect(onGiveUp).toHaveBeenCalledTimes(1);
    expect(source.closed).toBe(true);
  });

  it('give up after three failed connections in a row', () => {
    const { onGiveUp, source } = listen();
    source.fire('error', FakeEventSource.CONNECTING);
    source.fire('error', FakeEventSource.CONNECTING);
    expect(onGiveUp).not.toHaveBeenCalled();
    source.fire('error', FakeEventSource.CONNECTING);
    expect(onGiveUp).toHaveBeenCalledTimes(1);
    expect(source.closed).toBe(true);
  });

  it("fetch a company's new settings after a random moment (every page of it got the signal at once)", () => {
    vi.useFakeTimers();
    const { onChange, stop, source } = listen();
    source.fire('open', FakeEventSource.OPEN);
    source.fire('change', FakeEventSource.OPEN, '{"topic":"settings"}');
    source.fire('change', FakeEventSource.OPEN, '{"topic":"settings"}');
    expect(onChange).not.toHaveBeenCalled();
    vi.advanceTimersByTime(SETTINGS_SPREAD_MS);
    expect(onChange).toHaveBeenCalledTimes(1);
    // A case's own signal is fetched at once.
    source.fire('change', FakeEventSource.OPEN, '{"topic":"messages"}');
    expect(onChange).toHaveBeenCalledTimes(2);
    // Closing the page drops a fetch still waiting.
    source.fire('change', FakeEventSource.OPEN, '{"topic":"settings"}');
    stop();
    vi.advanceTimersByTime(SETTINGS_SPREAD_MS);
    expect(onChange).toHaveBeenCalledTimes(2);
  });
});
