import { z } from 'zod';
import { errorBody } from '../../common/contracts/api.ts';
import { bankIdBrokerInput, bankIdBrokerView } from '../../common/contracts/bankid-api.ts';
import { actorOf } from '../http/authenticate.ts';
import type { App } from '../http/types.ts';
import { createSealer } from '../outbox/sealing.ts';
import { getBankIdBroker, removeBankIdBroker, saveBankIdBroker, type BankIdDeps } from './bankid-broker.ts';
import { completeBankIdSignIn, startBankIdSignIn } from './bankid-sign-in.ts';
import { setSessionCookie } from './customer-auth.ts';
import { clearedCookie } from '../http/cookies.ts';

/** The customer page: where every outcome of the BankID flow lands (it shows the session's state). */
const CUSTOMER_PAGE = '/k/';

/** The pending BankID sign-in (sealed state, nonce, PKCE verifier, session binding). */
const bankIdCookieName = (secure: boolean) => (secure ? '__Host-ks_bankid' : 'ks_bankid');
const PENDING_MAX_AGE_S = 10 * 60;

function depsOf(app: App): BankIdDeps {
  return {
    db: app.db,
    sealer: createSealer(app.config.sessionSecret),
    publicBaseUrl: app.config.publicBaseUrl,
    production: app.config.nodeEnv === 'production',
  };
}

const redirectResponse = z.null().describe('Redirect (303) to the broker or to the customer page /k/');

/**
 * The customer's BankID routes under /api/customer: start (to the broker) and the broker's callback.
 * Both are top-level navigations, public to the customer hook so that every outcome redirects to the
 * customer page (which shows what happened) instead of answering JSON.
 */
export async function bankIdCustomerRoutes(app: App): Promise<void> {
  const deps = depsOf(app);
  const secure = app.config.secureCookies;
  const tags = ['customer'];

  app.get(
    '/bankid/start',
    {
      config: { public: true },
      schema: {
        tags,
        summary:
          "Identify with BankID: redirects (303) to the company's broker (authorization code, PKCE S256, state, nonce). " +
          'Without a session waiting for BankID, or when the broker is unavailable, back to the customer page',
        response: { 303: redirectResponse },
      },
    },
    async (request, reply) => {
      reply.header('referrer-policy', 'no-referrer');
      const session = request.customerSession;
      const started = session
        ? await startBankIdSignIn(deps, session, request.log)
        : { kind: 'page' as const };
      if (started.kind === 'page') return reply.redirect(CUSTOMER_PAGE, 303);
      reply.setCookie(bankIdCookieName(secure), started.pendingCookie, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure,
        maxAge: PENDING_MAX_AGE_S,
      });
      return reply.redirect(started.url.href, 303);
    },
  );

  app.get(
    '/bankid/callback',
    {
      config: { public: true },
      schema: {
        tags,
        summary:
          "The broker's redirect back (register PUBLIC_BASE_URL/api/customer/bankid/callback). On success the session " +
          'is replaced by an identified one; every outcome redirects (303) to the customer page, which says what happened',
        querystring: z.object({}).catchall(z.string().max(4000)),
        response: { 303: redirectResponse },
      },
    },
    async (request, reply) => {
      reply.header('referrer-policy', 'no-referrer');
      const cookieName = bankIdCookieName(secure);
      const sealed = request.cookies[cookieName];
      // Single use: whatever happens, the pending sign-in is gone.
      reply.clearCookie(cookieName, clearedCookie(secure));
      const callbackUrl = new URL(request.url, app.config.publicBaseUrl);
      const result = await completeBankIdSignIn(
        deps,
        request.customerSession,
        sealed,
        callbackUrl,
        request.log,
      );
      if (result.ok) setSessionCookie(app, reply, result.token, result.expiresAt);
      return reply.redirect(CUSTOMER_PAGE, 303);
    },
  );
}

/** Company admin → the BankID broker (level 6; the secret is write-only). */
export async function bankIdAdminRoutes(app: App): Promise<void> {
  const deps = depsOf(app);
  const tags = ['customer page configuration'];

  app.get(
    '/admin/bankid-broker',
    {
      schema: {
        tags,
        summary:
          "The company's BankID broker (level 6): issuer, client id, whether a secret is stored, the redirect URI to register",
        response: { 200: bankIdBrokerView, 403: errorBody },
      },
    },
    async (request) => getBankIdBroker(deps, actorOf(request)),
  );

  app.put(
    '/admin/bankid-broker',
    {
      schema: {
        tags,
        summary:
          'Save the BankID broker (level 6). The issuer must be https in production; the client secret is write-only, ' +
          'stored sealed, required the first time and kept when left out',
        body: bankIdBrokerInput,
        response: { 200: bankIdBrokerView, 400: errorBody, 403: errorBody },
      },
    },
    async (request) => saveBankIdBroker(deps, actorOf(request), request.body),
  );

  app.delete(
    '/admin/bankid-broker',
    {
      schema: {
        tags,
        summary: 'Remove the BankID broker (level 6): customers asked for BankID are told it is unavailable',
        response: { 200: bankIdBrokerView, 403: errorBody },
      },
    },
    async (request) => removeBankIdBroker(deps, actorOf(request)),
  );
}
