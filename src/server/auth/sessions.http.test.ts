import { describe, expect, it } from 'vitest';
import { makeUser } from '../../../test/support/factory.ts';
import { useTestApp } from '../../../test/support/test-app.ts';
import { purgeExpiredSessions, resolveSession, startSession } from './sessions.ts';

// The session rules of the quality bar (30 min idle, 12 h absolute, deactivation ends a session),
// driven through the session functions with an explicit clock, on SQLite and PostgreSQL.

const t = useTestApp();

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const T0 = new Date('2026-03-02T08:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

async function newSession(level = 3) {
  const user = await makeUser(t.db, { level });
  const started = await startSession(t.db, t.config, { id: user.id, company_id: user.companyId }, T0);
  return { user, ...started };
}

const sessionRow = (id: string) =>
  t.db.selectFrom('staff_sessions').selectAll().where('id', '=', id).executeTakeFirst();

describe('staff sessions', () => {
  it('uses the documented defaults: 30 minutes idle, 12 hours absolute', () => {
    expect(t.config.session).toEqual({ idleMs: 30 * MINUTE, absoluteMs: 12 * HOUR });
  });

  it('stores only a hash of the token and expires 12 hours after the start', async () => {
    const { token, sessionId, expiresAt, user } = await newSession();
    expect(token.length).toBeGreaterThanOrEqual(43);
    expect(sessionId).not.toBe(token);
    expect(expiresAt.toISOString()).toBe(at(12 * HOUR).toISOString());
    const row = await sessionRow(sessionId);
    expect(row).toMatchObject({ user_id: user.id, company_id: user.companyId });
    expect(JSON.stringify(row)).not.toContain(token);
  });

  it('accepts a session last seen 29 minutes ago, as the right user and level', async () => {
    const { token, sessionId, user } = await newSession(4);
    const actor = await resolveSession(t.db, t.config, token, at(29 * MINUTE));
    expect(actor).toEqual({
      kind: 'staff',
      userId: user.id,
      companyId: user.companyId,
      level: 4,
      sessionId,
    });
  });

  it('refuses and deletes a session last seen 31 minutes ago', async () => {
    const { token, sessionId } = await newSession();
    expect(await resolveSession(t.db, t.config, token, at(31 * MINUTE))).toBeNull();
    expect(await sessionRow(sessionId)).toBeUndefined();
    // Gone for good: going back in time does not revive it.
    expect(await resolveSession(t.db, t.config, token, at(MINUTE))).toBeNull();
  });

  it('counts idle time from the last use, so an active user stays signed in', async () => {
    const { token } = await newSession();
    expect(await resolveSession(t.db, t.config, token, at(25 * MINUTE))).not.toBeNull();
    // 50 minutes after the start, but only 25 after the last use.
    expect(await resolveSession(t.db, t.config, token, at(50 * MINUTE))).not.toBeNull();
    // Then 31 minutes of silence.
    expect(await resolveSession(t.db, t.config, token, at(81 * MINUTE))).toBeNull();
  });

  it('refuses a session past its 12-hour absolute lifetime even when it was used all along', async () => {
    const { token, sessionId } = await newSession();
    for (let minutes = 20; minutes < 12 * 60; minutes += 20) {
      expect(
        await resolveSession(t.db, t.config, token, at(minutes * MINUTE)),
        `at ${minutes} min`,
      ).not.toBeNull();
    }
    // Last used 20 minutes ago (within the idle limit), but 12 hours old.
    expect(await resolveSession(t.db, t.config, token, at(12 * HOUR))).toBeNull();
    expect(await sessionRow(sessionId)).toBeUndefined();
  });

  it('refuses and deletes the session of a user who has been deactivated', async () => {
    const { token, sessionId, user } = await newSession();
    expect(await resolveSession(t.db, t.config, token, at(MINUTE))).not.toBeNull();
    await t.db.updateTable('users').set({ active: 0 }).where('id', '=', user.id).execute();
    expect(await resolveSession(t.db, t.config, token, at(2 * MINUTE))).toBeNull();
    expect(await sessionRow(sessionId)).toBeUndefined();
    // Reactivating the user does not bring the old session back.
    await t.db.updateTable('users').set({ active: 1 }).where('id', '=', user.id).execute();
    expect(await resolveSession(t.db, t.config, token, at(3 * MINUTE))).toBeNull();
  });

  it("applies a change of the user's level to an existing session at once", async () => {
    const { token, user } = await newSession(2);
    await t.db.updateTable('users').set({ level: 5 }).where('id', '=', user.id).execute();
    expect(await resolveSession(t.db, t.config, token, at(MINUTE))).toMatchObject({ level: 5 });
  });

  it('refuses an unknown token and keeps other sessions', async () => {
    const { sessionId } = await newSession();
    expect(await resolveSession(t.db, t.config, 'not-a-session-token', at(MINUTE))).toBeNull();
    expect(await sessionRow(sessionId)).toBeDefined();
  });

  it('purges idle and expired sessions and keeps live ones', async () => {
    const old = await newSession();
    // `old` is kept in use all day, so only its absolute lifetime ends it.
    for (let minutes = 20; minutes < 12 * 60; minutes += 20) {
      await resolveSession(t.db, t.config, old.token, at(minutes * MINUTE));
    }
    const user = { id: old.user.id, company_id: old.user.companyId };
    const idle = await startSession(t.db, t.config, user, at(11 * HOUR));
    const fresh = await startSession(t.db, t.config, user, at(12 * HOUR - 10 * MINUTE));

    await purgeExpiredSessions(t.db, t.config, at(12 * HOUR));
    expect(await sessionRow(old.sessionId)).toBeUndefined();
    expect(await sessionRow(idle.sessionId)).toBeUndefined();
    expect(await sessionRow(fresh.sessionId)).toBeDefined();
    expect(await resolveSession(t.db, t.config, fresh.token, at(12 * HOUR + MINUTE))).toMatchObject({
      userId: old.user.id,
    });
  });
});
