import { randomBytes, randomInt } from 'node:crypto';
import {
  defaultCustomerPageSettings,
  type CustomerPageSettings,
} from '../../src/common/rules/customer-page-settings.ts';
import type { AuthorizationLevel } from '../../src/common/rules/enums.ts';
import type { Actor } from '../../src/server/security/actor.ts';
import { saveCustomerPageSettings } from '../../src/server/customer-page-config/customer-page-config.ts';
import type { Db } from '../../src/server/db/database.ts';
import type { App } from '../../src/server/http/types.ts';
import { runOutboxOnce } from '../../src/server/outbox/worker.ts';
import type { Config } from '../../src/server/config.ts';
import { TEST_ORIGIN } from './test-app.ts';

// Helpers of the customer-access tests: company settings, people with unique addresses, opening
// links as a browser would, and the customer API with its own cookie.

export const uniqueSuffix = () => randomBytes(4).toString('hex');

/** A valid Norwegian mobile number nobody else in the run has (E.164). */
export const uniquePhone = () => `+479${String(randomInt(0, 10_000_000)).padStart(7, '0')}`;

/** Saves the company's customer-page settings: the defaults with `overrides`. */
export async function saveSettings(
  db: Db,
  companyId: string,
  overrides: Partial<CustomerPageSettings>,
): Promise<void> {
  const admin: Actor = {
    kind: 'api_key',
    apiKeyId: 'test-settings',
    companyId,
    level: 6 as AuthorizationLevel,
  };
  await saveCustomerPageSettings(db, admin, { ...defaultCustomerPageSettings, ...overrides });
}

/** Delivers everything due now (or at `now`), as the worker would. */
export const deliver = (ctx: { db: Db; config: Config }, now?: Date) =>
  runOutboxOnce({ db: ctx.db, config: ctx.config }, now);

/** The token of a customer link (the last path segment). */
export const tokenOf = (link: string) => new URL(link).pathname.replace(/^\/k\//, '');

/** The first customer link in a text. */
export function linkIn(text: string): string {
  const match = /https?:\/\/[^\s"<>]+\/k\/[A-Za-z0-9_-]+/.exec(text);
  if (!match) throw new Error(`no customer link in: ${text}`);
  return match[0];
}

/** Opens a link as a browser: GET of its path; returns the answer and the customer cookie it set. */
export async function openCustomerLink(app: App, link: string) {
  const url = new URL(link);
  const response = await app.inject({ method: 'GET', url: url.pathname, headers: { accept: 'text/html' } });
  const cookie = response.cookies.find((c) => c.name === 'ks_customer' && c.value !== '');
  const notice = response.cookies.find((c) => c.name === 'ks_customer_notice' && c.value !== '');
  return {
    response,
    cookie: cookie ? `ks_customer=${cookie.value}` : null,
    notice: notice ? `ks_customer_notice=${notice.value}` : null,
    setCookies: response.cookies,
  };
}

export const customerGet = (app: App, url: string, cookie: string | null) =>
  app.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });

export const customerPost = (app: App, url: string, cookie: string | null, payload: object = {}) =>
  app.inject({
    method: 'POST',
    url,
    headers: { origin: TEST_ORIGIN, ...(cookie && { cookie }) },
    payload,
  });

/** The customer cookie a response set (a rotated session after the code check). */
export function customerCookieFrom(response: { cookies: Array<{ name: string; value: string }> }) {
  const cookie = response.cookies.find((c) => c.name === 'ks_customer' && c.value !== '');
  return cookie ? `ks_customer=${cookie.value}` : null;
}
