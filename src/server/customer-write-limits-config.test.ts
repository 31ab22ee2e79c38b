import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_CUSTOMER_WRITE_LIMITS, loadConfig } from './config.ts';

// CUSTOMER_WRITE_LIMITS (issue 15 item 4): on by default in every environment, `off` only when
// asked for (the benchmark), numbers validated.

const load = (value?: string, nodeEnv = 'production') =>
  loadConfig({
    NODE_ENV: nodeEnv,
    DATA_DIR: '/nonexistent-data-dir',
    SESSION_SECRET: 'a-configured-secret-of-at-least-32-chars',
    SMTP_URL: 'smtp://127.0.0.1:25',
    SMS_PROVIDER: 'webhook',
    SMS_WEBHOOK_URL: 'http://127.0.0.1/sms',
    SMS_WEBHOOK_SECRET: 'a-configured-sms-secret-of-32-chars-at-least',
    CUSTOMER_WRITE_LIMITS: value,
  }).customerWriteLimits;

describe('CUSTOMER_WRITE_LIMITS', () => {
  it('is on with our numbers unless set, in production and development alike', () => {
    expect(load()).toEqual({
      messagesPerSession: 10,
      messagesPerCase: 60,
      filesPerCase: 60,
      bytesPerCase: 100 * 1024 * 1024,
    });
    expect(load(undefined, 'development')).toEqual(DEFAULT_CUSTOMER_WRITE_LIMITS);
    expect(load('on')).toEqual(DEFAULT_CUSTOMER_WRITE_LIMITS);
  });

  it('is lifted by off', () => {
    expect(load('off')).toBeNull();
  });

  it('takes overrides of single numbers, the rest staying at the defaults', () => {
    expect(load('session=3, mb=5')).toEqual({
      ...DEFAULT_CUSTOMER_WRITE_LIMITS,
      messagesPerSession: 3,
      bytesPerCase: 5 * 1024 * 1024,
    });
    expect(load('case=120,files=30')).toMatchObject({ messagesPerCase: 120, filesPerCase: 30 });
  });

  it.each(['false', 'session=0', 'session=-1', 'minutes=5', 'session=ten', 'session=10,', 'session=1234567'])(
    'refuses %s, naming the variable',
    (value) => {
      expect(() => load(value)).toThrow(ConfigError);
      expect(() => load(value)).toThrow(/CUSTOMER_WRITE_LIMITS/);
    },
  );
});
