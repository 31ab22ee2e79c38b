import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeUser } from '../../../test/support/factory.ts';
import { TEST_ORIGIN, useTestApp } from '../../../test/support/test-app.ts';
import { buildApp } from '../app.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { createDb } from '../db/database.ts';
import type { App } from '../http/types.ts';

// Issue 15, item 7: sign-in limits must stop guessing without letting anyone lock a colleague out,
// and behind a proxy (TRUST_PROXY) the client's address — not the proxy's — is what is counted.

const t = useTestApp();

afterEach(() => {
  vi.useRealTimers();
});

/** Freezes Date at `at` (timers and I/O keep running). */
function clockAt(at: Date): void {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(at);
}

const login = (
  app: App,
  email: string,
  password: string,
  remoteAddress: string,
  headers: Record<string, string> = {},
) =>
  app.inject({
    method: 'POST',
    url: '/api/auth/login',
    headers: { origin: TEST_ORIGIN, ...headers },
    payload: { email, password },
    remoteAddress,
  });

describe('sign-in limits', { timeout: 120_000 }, () => {
  it('stops an address guessing an account, while the owner signs in from another address', async () => {
    const start = new Date();
    clockAt(start);
    const victim = await makeUser(t.db);
    const attacker = '10.15.7.1';
    // The attacker waits out every growing delay: still only 10 guesses in 15 minutes.
    for (let n = 0; n < 10; n += 1) {
      clockAt(new Date(start.getTime() + n * 60_000));
      expect((await login(t.app, victim.email, `guess-${n}`, attacker)).statusCode, `try ${n}`).toBe(401);
    }
    clockAt(new Date(start.getTime() + 10 * 60_000));
    const refused = await login(t.app, victim.email, victim.password, attacker);
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('too_many_requests');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.cookies.filter((c) => c.value)).toEqual([]);
    // The owner, from an address that has not been failing, is let in while the attack goes on.
    expect((await login(t.app, victim.email, victim.password, '10.15.7.2')).statusCode).toBe(200);
    // …and their success does not reopen the account to the attacker.
    expect((await login(t.app, victim.email, victim.password, attacker)).statusCode).toBe(429);
  });

  it('makes an address wait longer after each failure beyond the first five', async () => {
    const start = new Date();
    clockAt(start);
    const user = await makeUser(t.db);
    const address = '10.15.8.1';
    for (let n = 0; n < 5; n += 1) {
      expect((await login(t.app, user.email, `typo-${n}`, address)).statusCode).toBe(401);
    }
    // After the fifth failure: 2 s to wait; right away (even with the right password) is too soon.
    const early = await login(t.app, user.email, user.password, address);
    expect(early.statusCode).toBe(429);
    expect(Number(early.headers['retry-after'])).toBe(2);
    clockAt(new Date(start.getTime() + 2_000));
    expect((await login(t.app, user.email, 'typo-5', address)).statusCode).toBe(401);
    // After the sixth: 4 s.
    expect(Number((await login(t.app, user.email, user.password, address)).headers['retry-after'])).toBe(4);
    clockAt(new Date(start.getTime() + 6_000));
    expect((await login(t.app, user.email, user.password, address)).statusCode).toBe(200);
    // A success forgets this address's failures on the account: the next typo costs nothing.
    expect((await login(t.app, user.email, 'typo-again', address)).statusCode).toBe(401);
    expect((await login(t.app, user.email, user.password, address)).statusCode).toBe(200);
  });

  it('gives each address only 3 tries at an account that is being guessed from many addresses', async () => {
    const start = new Date();
    clockAt(start);
    const victim = await makeUser(t.db);
    for (let n = 0; n < 10; n += 1) {
      expect((await login(t.app, victim.email, `spread-${n}`, `10.15.9.${n + 1}`)).statusCode).toBe(401);
    }
    const bot = '10.15.9.1';
    expect((await login(t.app, victim.email, 'spread-b', bot)).statusCode).toBe(401);
    expect((await login(t.app, victim.email, 'spread-c', bot)).statusCode).toBe(401);
    expect((await login(t.app, victim.email, victim.password, bot)).statusCode).toBe(429);
    expect((await login(t.app, victim.email, victim.password, '10.15.9.200')).statusCode).toBe(200);
  });

  it('still stops one address guessing many accounts (100 failures across accounts)', async () => {
    const start = new Date();
    clockAt(start);
    const user = await makeUser(t.db);
    const sprayer = '10.15.10.1';
    for (let batch = 0; batch < 20; batch += 1) {
      const responses = await Promise.all(
        Array.from({ length: 5 }, (_, k) =>
          login(t.app, `spray-${batch}-${k}-${randomUUID()}@example.test`, 'Sommer2026!', sprayer),
        ),
      );
      for (const response of responses) expect(response.statusCode).toBe(401);
    }
    const refused = await login(t.app, user.email, user.password, sprayer);
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect((await login(t.app, user.email, user.password, '10.15.10.2')).statusCode).toBe(200);
  });
});

describe('TRUST_PROXY', { timeout: 120_000 }, () => {
  const proxy = '10.15.20.1';
  let proxied: App;
  beforeAll(async () => {
    const config = { ...t.config, ...loadConfig({ ...envOf(t.config), TRUST_PROXY: proxy }) };
    proxied = await buildApp(
      { ...config, database: t.config.database },
      { db: createDb(t.config.database), logger: false },
    );
    await proxied.ready();
  });
  afterAll(async () => {
    await proxied?.close();
    await proxied?.db.destroy();
  });

  /** The environment the test app was configured from (the parts loadConfig needs). */
  function envOf(config: typeof t.config): Record<string, string> {
    return {
      NODE_ENV: 'test',
      DATA_DIR: config.dataDir,
      PUBLIC_BASE_URL: config.publicBaseUrl,
      LOG_LEVEL: 'silent',
      SESSION_SECRET: config.sessionSecret,
    };
  }

  it('reads false, true, a hop count or a list of addresses and CIDRs, and refuses anything else', () => {
    const env = envOf(t.config);
    expect(loadConfig(env).trustProxy).toBe(false);
    expect(loadConfig({ ...env, TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ ...env, TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ ...env, TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ ...env, TRUST_PROXY: '10.0.0.1, 192.168.0.0/16,fd00::/8' }).trustProxy).toEqual([
      '10.0.0.1',
      '192.168.0.0/16',
      'fd00::/8',
    ]);
    for (const bad of ['yes', '10.0.0.300', '10.0.0.0/33', 'proxy.example.no', '1,,2', '-1']) {
      expect(() => loadConfig({ ...env, TRUST_PROXY: bad }), bad).toThrow(ConfigError);
      expect(() => loadConfig({ ...env, TRUST_PROXY: bad }), bad).toThrow(/TRUST_PROXY/);
    }
  });

  it('counts the client address from X-Forwarded-For behind a trusted proxy', async () => {
    const start = new Date();
    clockAt(start);
    const victim = await makeUser(t.db);
    const from = (client: string) => ({ 'x-forwarded-for': client });
    for (let n = 0; n < 10; n += 1) {
      clockAt(new Date(start.getTime() + n * 60_000));
      const response = await login(proxied, victim.email, `guess-${n}`, proxy, from('203.0.113.66'));
      expect(response.statusCode, `try ${n}`).toBe(401);
    }
    clockAt(new Date(start.getTime() + 10 * 60_000));
    const attacker = await login(proxied, victim.email, victim.password, proxy, from('203.0.113.66'));
    expect(attacker.statusCode).toBe(429);
    // Everybody arrives from the proxy's address, yet the owner behind it is another client.
    const owner = await login(proxied, victim.email, victim.password, proxy, from('198.51.100.7'));
    expect(owner.statusCode).toBe(200);
  });

  it('ignores X-Forwarded-For without TRUST_PROXY (a client cannot pick its own address)', async () => {
    const start = new Date();
    clockAt(start);
    const victim = await makeUser(t.db);
    const attacker = '10.15.21.1';
    for (let n = 0; n < 10; n += 1) {
      clockAt(new Date(start.getTime() + n * 60_000));
      const response = await login(t.app, victim.email, `guess-${n}`, attacker, {
        'x-forwarded-for': `198.51.100.${n + 1}`,
      });
      expect(response.statusCode, `try ${n}`).toBe(401);
    }
    clockAt(new Date(start.getTime() + 10 * 60_000));
    // A made-up header does not make the attacker a fresh address.
    const refused = await login(t.app, victim.email, victim.password, attacker, {
      'x-forwarded-for': '198.51.100.99',
    });
    expect(refused.statusCode).toBe(429);
  });
});
