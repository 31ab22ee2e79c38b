import { describe, expect, it } from 'vitest';
import type { AuditEntryView, AuditLogView } from '../../common/contracts/audit-api.ts';
import { defaultCustomerPageSettings } from '../../common/rules/customer-page-settings.ts';
import {
  bearer,
  browserHeaders,
  makeApiKey,
  makeCase,
  signedInUser,
  staffActor,
} from '../../../test/support/factory.ts';
import { multipart, PDF } from '../../../test/support/multipart.ts';
import { useTestApp } from '../../../test/support/test-app.ts';

// Private targets allowed: the webhook endpoint below is on this machine and is never called.
const t = useTestApp({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' });

type Admin = Awaited<ReturnType<typeof signedInUser>>;

const get = (cookie: string | null, url: string) =>
  t.app.inject({ method: 'GET', url, headers: cookie ? browserHeaders(cookie) : {} });

const send = (cookie: string, method: 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: object) =>
  t.app.inject({ method, url, headers: browserHeaders(cookie), ...(payload && { payload }) });

/** The company's audit lines as its admin reads them, newest first. */
async function trail(admin: Admin, query = ''): Promise<AuditEntryView[]> {
  const response = await get(admin.cookie, `/api/audit-log?pageSize=100${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return (response.json() as AuditLogView).items;
}

const actions = async (admin: Admin) => (await trail(admin)).map((line) => line.action);

describe('audit trail: who may read it', () => {
  it('answers 401 without a session, 400 for an unknown kind or page size, 403 below level 6', async () => {
    const admin = await signedInUser(t.app, t.db, { level: 6 });
    const clerk = await signedInUser(t.app, t.db, { companyId: admin.companyId, level: 5 });
    expect((await get(null, '/api/audit-log')).statusCode).toBe(401);
    const unknownKind = await get(admin.cookie, '/api/audit-log?action=user.hacked');
    expect(unknownKind.statusCode).toBe(400);
    expect(unknownKind.json()).toMatchObject({ error: { code: 'validation_failed' } });
    expect((await get(admin.cookie, '/api/audit-log?pageSize=101')).statusCode).toBe(400);
    expect((await get(clerk.cookie, '/api/audit-log')).statusCode).toBe(403);
    const key5 = await makeApiKey(t.db, admin.companyId, 5);
    const byKey = await t.app.inject({ method: 'GET', url: '/api/audit-log', headers: bearer(key5.key) });
    expect(byKey.statusCode).toBe(403);
  });

  it('shows a company only its own lines', async () => {
    const a = await signedInUser(t.app, t.db, { level: 6 });
    const b = await signedInUser(t.app, t.db, { level: 6 });
    const created = await send(a.cookie, 'POST', '/api/users', {
      name: 'Ny Kollega',
      email: `ny-${a.id}@example.test`,
      password: 'a-long-password-1',
      level: 2,
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(await actions(a)).toEqual(['user.created']);
    expect(await trail(b)).toEqual([]);
  });
});

describe('audit trail: users', () => {
  it('records create, level change, deactivate and reactivate with who did it, and nothing for refused requests', async () => {
    const admin = await signedInUser(t.app, t.db, { level: 6 });
    const clerk = await signedInUser(t.app, t.db, { companyId: admin.companyId, level: 5 });
    const other = await signedInUser(t.app, t.db, { level: 6 });

    // Refused: too low a level, invalid input, another company's user, own level lowered.
    const payload = {
      name: 'Per Hansen',
      email: `per-${admin.id}@example.test`,
      password: 'a-long-password-1',
      level: 3,
    };
    expect((await send(clerk.cookie, 'POST', '/api/users', payload)).statusCode).toBe(403);
    expect((await send(admin.cookie, 'POST', '/api/users', { ...payload, level: 9 })).statusCode).toBe(400);
    expect((await send(admin.cookie, 'PATCH', `/api/users/${other.id}`, { level: 2 })).statusCode).toBe(404);
    expect((await send(admin.cookie, 'PATCH', `/api/users/${admin.id}`, { level: 2 })).statusCode).toBe(409);
    expect(await trail(admin)).toEqual([]);
    expect(await trail(other)).toEqual([]);

    const created = await send(admin.cookie, 'POST', '/api/users', payload);
    expect(created.statusCode, created.body).toBe(201);
    const userId = (created.json() as { id: string }).id;
    expect((await send(admin.cookie, 'PATCH', `/api/users/${userId}`, { level: 5 })).statusCode).toBe(200);
    expect((await send(admin.cookie, 'PATCH', `/api/users/${userId}`, { active: false })).statusCode).toBe(
      200,
    );
    expect((await send(admin.cookie, 'PATCH', `/api/users/${userId}`, { active: true })).statusCode).toBe(
      200,
    );
    // Saving the same values again is no change and no line.
    expect((await send(admin.cookie, 'PATCH', `/api/users/${userId}`, { level: 5 })).statusCode).toBe(200);

    const lines = await trail(admin);
    expect(lines.map((line) => line.action)).toEqual([
      'user.reactivated',
      'user.deactivated',
      'user.level_changed',
      'user.created',
    ]);
    const adminName = (
      await t.db.selectFrom('users').select('name').where('id', '=', admin.id).executeTakeFirstOrThrow()
    ).name;
    for (const line of lines) {
      expect(line.actor).toEqual({ kind: 'user', id: admin.id, name: adminName });
      expect(line.subject).toEqual({ type: 'user', id: userId });
    }
    expect(lines[2]!.detail).toEqual({ name: 'Per Hansen', from: 3, to: 5 });
    expect(lines[3]!.detail).toEqual({ name: 'Per Hansen', level: 3 });
    expect(JSON.stringify(lines)).not.toContain('a-long-password-1');

    // The filter by kind, and paging.
    expect((await trail(admin, '&action=user.deactivated')).map((line) => line.action)).toEqual([
      'user.deactivated',
    ]);
    const page = await get(admin.cookie, '/api/audit-log?pageSize=1&page=2');
    expect(page.json()).toMatchObject({
      total: 4,
      page: 2,
      pageSize: 1,
      items: [{ action: 'user.deactivated' }],
    });
  });
});

describe('audit trail: two admins at once', () => {
  it('audits one level change when two admins make the same change at once, and one retention change', async () => {
    const admin = await signedInUser(t.app, t.db, { level: 6 });
    const second = await signedInUser(t.app, t.db, { companyId: admin.companyId, level: 6 });
    const user = await signedInUser(t.app, t.db, { companyId: admin.companyId, level: 2 });
    const changes = await Promise.all([
      send(admin.cookie, 'PATCH', `/api/users/${user.id}`, { level: 4 }),
      send(second.cookie, 'PATCH', `/api/users/${user.id}`, { level: 4 }),
      send(admin.cookie, 'PATCH', '/api/company', { personalDataRetentionYears: 12 }),
      send(second.cookie, 'PATCH', '/api/company', { personalDataRetentionYears: 12 }),
    ]);
    for (const response of changes) expect(response.statusCode, response.body).toBe(200);
    const lines = await trail(admin);
    expect(lines.map((line) => line.action).sort()).toEqual(['company.changed', 'user.level_changed']);
    expect(lines.find((line) => line.action === 'user.level_changed')!.detail).toMatchObject({
      from: 2,
      to: 4,
    });
  });
});

describe('audit trail: API keys, settings, sign-in configuration, webhooks', () => {
  it('records an API key created and revoked, without its secret; two revokes at once make one line', async () => {
    const admin = await signedInUser(t.app, t.db, { level: 6 });
    const created = await send(admin.cookie, 'POST', '/api/admin/api-keys', {
      name: 'Kjernesystem',
      level: 4,
    });
    expect(created.statusCode, created.body).toBe(201);
    const { id, key } = created.json() as { id: string; key: string };
    const revokes = await Promise.all([
      send(admin.cookie, 'DELETE', `/api/admin/api-keys/${id}`),
      send(admin.cookie, 'DELETE', `/api/admin/api-keys/${id}`),
    ]);
    for (const response of revokes) expect(response.statusCode, response.body).toBeLessThan(300);
    const lines = await trail(admin);
    expect(lines.map((line) => line.action)).toEqual(['api_key.revoked', 'api_key.created']);
    expect(lines[1]!.detail).toEqual({ name: 'Kjernesystem', level: 4 });
    expect(JSON.stringify(lines)).not.toContain(key);
  });

  it('records customer-page settings and company changes (retention included), and an unchanged save not at all', async () => {
    const admin = await signedInUser(t.app, t.db, { level: 6 });
    const saved = await send(admin.cookie, 'PUT', '/api/admin/customer-page', {
      ...defaultCustomerPageSettings,
      showBudget: 'case_created',
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const again = await send(admin.cookie, 'PUT', '/api/admin/customer-page', {
      ...defaultCustomerPageSettings,
      showBudget: 'case_created',
    });
    expect(again.statusCode).toBe(200);
    const company = await send(admin.cookie, 'PATCH', '/api/company', { personalDataRetentionYears: 5 });
    expect(company.statusCode, company.body).toBe(200);
    expect(company.json()).toMatchObject({ personalDataRetentionYears: 5 });

    const lines = await trail(admin);
    expect(lines.map((line) => line.action)).toEqual(['company.changed', 'settings.changed']);
    expect(lines[0]!.detail).toEqual({ personalDataRetentionYears: { from: 10, to: 5 } });
    expect(lines[1]!.detail).toEqual({ settings: ['showBudget'] });
    // The setting's own audit is still written.
    const pageAudit = await get(admin.cookie, '/api/admin/customer-page/audit');
    expect(pageAudit.json()).toMatchObject({ total: 1, items: [{ setting: 'showBudget' }] });
  });

  it('refuses a retention outside 1–30 years or null, and below level 6, changing nothing', async () => {
    const admin = await signedInUser(t.app, t.db, { level: 6 });
    const clerk = await signedInUser(t.app, t.db, { companyId: admin.companyId, level: 5 });
    for (const value of [0, 31, null, 2.5, '10']) {
      const response = await send(admin.cookie, 'PATCH', '/api/company', {
        personalDataRetentionYears: value,
      });
      expect(response.statusCode, String(value)).toBe(400);
    }
    expect(
      (await send(clerk.cookie, 'PATCH', '/api/company', { personalDataRetentionYears: 3 })).statusCode,
    ).toBe(403);
    expect((await get(admin.cookie, '/api/company')).json()).toMatchObject({
      personalDataRetentionYears: 10,
    });
    expect(await trail(admin)).toEqual([]);
  });

  it('records webhook endpoints created, changed, rotated and deleted, never the signing secret', async () => {
    const admin = await signedInUser(t.app, t.db, { level: 6 });
    const created = await send(admin.cookie, 'POST', '/api/webhooks', {
      url: 'http://127.0.0.1:9/kundeside',
      eventKinds: ['case_closed'],
    });
    expect(created.statusCode, created.body).toBe(201);
    const { id, secret } = created.json() as { id: string; secret: string };
    expect((await send(admin.cookie, 'PATCH', `/api/webhooks/${id}`, { active: false })).statusCode).toBe(
      200,
    );
    const rotated = await send(admin.cookie, 'POST', `/api/webhooks/${id}/rotate-secret`, {});
    expect(rotated.statusCode, rotated.body).toBe(200);
    expect((await send(admin.cookie, 'DELETE', `/api/webhooks/${id}`)).statusCode).toBeLessThan(300);
    const lines = await trail(admin);
    expect(lines.map((line) => line.action)).toEqual([
      'webhook.deleted',
      'webhook.secret_rotated',
      'webhook.changed',
      'webhook.created',
    ]);
    expect(lines[2]!.detail).toEqual({ fields: ['active'] });
    const text = JSON.stringify(lines);
    expect(text).not.toContain(secret);
    expect(text).not.toContain((rotated.json() as { secret: string }).secret);
  });
});

describe('audit trail: sign-in configuration', () => {
  it('records SSO and BankID saved and removed, never the client secret', async () => {
    const admin = await signedInUser(t.app, t.db, { level: 6 });
    const clerk = await signedInUser(t.app, t.db, { companyId: admin.companyId, level: 5 });
    const sso = {
      issuer: 'http://127.0.0.1:9/sso',
      clientId: 'kundeside',
      clientSecret: 'sso-secret-1234567890',
      enabled: true,
      ssoOnly: false,
    };
    expect((await send(clerk.cookie, 'PUT', '/api/admin/sso', sso)).statusCode).toBe(403);
    const saved = await send(admin.cookie, 'PUT', '/api/admin/sso', sso);
    expect(saved.statusCode, saved.body).toBe(200);
    expect((await send(admin.cookie, 'DELETE', '/api/admin/sso')).statusCode).toBeLessThan(300);
    const broker = {
      issuer: 'http://127.0.0.1:9/bankid',
      clientId: 'kundeside',
      clientSecret: 'bankid-secret-1234567890',
    };
    const bankId = await send(admin.cookie, 'PUT', '/api/admin/bankid-broker', broker);
    expect(bankId.statusCode, bankId.body).toBe(200);
    expect((await send(admin.cookie, 'DELETE', '/api/admin/bankid-broker')).statusCode).toBe(200);
    // Removing what is not there is no change.
    expect((await send(admin.cookie, 'DELETE', '/api/admin/bankid-broker')).statusCode).toBe(200);

    const lines = await trail(admin);
    expect(lines.map((line) => [line.action, line.detail.change])).toEqual([
      ['bankid.changed', 'deleted'],
      ['bankid.changed', 'created'],
      ['sso.changed', 'deleted'],
      ['sso.changed', 'created'],
    ]);
    expect(lines[3]!.detail).toMatchObject({ issuer: sso.issuer, clientCredentialChanged: true });
    const text = JSON.stringify(lines);
    expect(text).not.toContain(sso.clientSecret);
    expect(text).not.toContain(broker.clientSecret);
  });
});

describe('audit trail: document downloads', () => {
  it('writes one line per download of the bytes by staff, none for a refused one', async () => {
    const admin = await signedInUser(t.app, t.db, { level: 6 });
    const handler = await signedInUser(t.app, t.db, { companyId: admin.companyId, level: 1 });
    const other = await signedInUser(t.app, t.db, { level: 6 });
    const { id: caseId } = await makeCase(t.db, staffActor(admin, 6));
    const { payload, contentType } = multipart([
      { name: 'kind', value: 'inspection_report' },
      { name: 'file', filename: 'Skaderapport.pdf', content: PDF },
    ]);
    const uploaded = await t.app.inject({
      method: 'POST',
      url: `/api/cases/${caseId}/documents`,
      headers: { ...browserHeaders(admin.cookie), 'content-type': contentType },
      payload,
    });
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    const documentId = (uploaded.json() as { id: string }).id;
    expect(await trail(admin)).toEqual([]);

    expect((await get(other.cookie, `/api/documents/${documentId}/download`)).statusCode).toBe(404);
    expect((await get(null, `/api/documents/${documentId}/download`)).statusCode).toBe(401);
    const first = await get(handler.cookie, `/api/documents/${documentId}/download`);
    expect(first.statusCode).toBe(200);
    expect(first.rawPayload.equals(PDF)).toBe(true);
    expect((await get(admin.cookie, `/api/documents/${documentId}/download`)).statusCode).toBe(200);
    // A thumbnail is not the document's bytes: no line.
    await get(admin.cookie, `/api/documents/${documentId}/thumbnail`);

    const lines = await trail(admin);
    expect(lines.map((line) => [line.action, line.actor.id, line.subject.id])).toEqual([
      ['document.downloaded', admin.id, documentId],
      ['document.downloaded', handler.id, documentId],
    ]);
    expect(lines[0]!.detail).toMatchObject({ caseId, kind: 'inspection_report', sizeBytes: PDF.length });
    expect(await trail(other)).toEqual([]);
  });
});
