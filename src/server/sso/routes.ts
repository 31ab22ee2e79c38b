import { z } from 'zod';
import { errorBody } from '../../common/contracts/api.ts';
import { idSchema } from '../../common/contracts/schemas.ts';
import { saveSsoConfigSchema, ssoConfigView } from '../../common/contracts/sso-api.ts';
import { sessionCookieName } from '../auth/authenticate.ts';
import { actorOf } from '../http/authenticate.ts';
import type { App } from '../http/types.ts';
import { oidcPendingCookieName, oidcPendingCookieOptions } from '../security/oidc-client.ts';
import { beginStaffSso, completeStaffSso, SsoFailure } from './sign-in-with-sso.ts';
import { deleteSsoConfigAs, getSsoConfigAs, saveSsoConfigAs } from './sso-config.ts';

const redirectResponse = {
  303: z.null().describe('A redirect: to the provider, or back to the app (signed in) or its sign-in page'),
};

/** Where a refused sign-in lands: the company's sign-in page (when known) with the reason. */
const signInPageWith = (failure: SsoFailure) =>
  `${failure.companyId ? `/sign-in/sso/${encodeURIComponent(failure.companyId)}` : '/'}?sso_error=${failure.code}`;

/** Staff single sign-on: its configuration (level 6) and the sign-in through the company's provider. */
export async function ssoRoutes(app: App): Promise<void> {
  const pendingCookie = oidcPendingCookieName(app.config.secureCookies);
  const sessionCookie = sessionCookieName(app.config.secureCookies);

  app.get(
    '/admin/sso',
    {
      schema: {
        tags: ['admin'],
        summary: 'Single sign-on of your company; the client secret is never returned (level 6)',
        response: { 200: ssoConfigView },
      },
    },
    async (request) => getSsoConfigAs(app.db, app.config, actorOf(request)),
  );
  app.put(
    '/admin/sso',
    {
      schema: {
        tags: ['admin'],
        summary: 'Configure single sign-on of your company (level 6)',
        body: saveSsoConfigSchema,
        response: { 200: ssoConfigView },
      },
    },
    async (request) => saveSsoConfigAs(app.db, app.config, actorOf(request), request.body, request.log),
  );
  app.delete(
    '/admin/sso',
    {
      schema: {
        tags: ['admin'],
        summary: 'Remove single sign-on of your company (level 6)',
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await deleteSsoConfigAs(app.db, actorOf(request), request.log);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/auth/sso/:companyId/start',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary: "Start signing in through the company's OpenID Provider (redirects there)",
        params: z.object({ companyId: idSchema }),
        response: { ...redirectResponse, 400: errorBody },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      try {
        const { url, cookie } = await beginStaffSso(
          app.db,
          app.config,
          request.params.companyId,
          request.log,
        );
        reply.setCookie(pendingCookie, cookie, oidcPendingCookieOptions(app.config.secureCookies));
        return reply.redirect(url.href, 303);
      } catch (error) {
        if (error instanceof SsoFailure) return reply.redirect(signInPageWith(error), 303);
        throw error;
      }
    },
  );

  app.get(
    '/auth/sso/callback',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary: 'Where the OpenID Provider returns: signs in (session cookie) and redirects to the app',
        // What the provider sends back (RFC 6749 §4.1.2, RFC 9207); read from the URL by openid-client.
        querystring: z.object({
          code: z.string().max(4000).optional(),
          state: z.string().max(4000).optional(),
          iss: z.string().max(4000).optional(),
          error: z.string().max(4000).optional(),
          error_description: z.string().max(4000).optional(),
        }),
        response: { ...redirectResponse, 400: errorBody },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
      // One attempt per cookie: gone whatever the outcome, so a replayed callback finds nothing.
      const sealed = request.cookies[pendingCookie];
      // With the same attributes it was set with: a `__Host-` cookie is only replaced by a Secure one.
      const { maxAge: _maxAge, ...attributes } = oidcPendingCookieOptions(app.config.secureCookies);
      reply.clearCookie(pendingCookie, attributes);
      try {
        const callbackUrl = new URL(request.url, app.config.publicBaseUrl);
        const { token, returnTo } = await completeStaffSso(
          app.db,
          app.config,
          callbackUrl,
          sealed,
          request.log,
        );
        reply.setCookie(sessionCookie, token, {
          path: '/',
          httpOnly: true,
          sameSite: 'lax',
          secure: app.config.secureCookies,
          signed: true,
        });
        return reply.redirect(returnTo.startsWith('/') && !returnTo.startsWith('//') ? returnTo : '/', 303);
      } catch (error) {
        if (error instanceof SsoFailure) return reply.redirect(signInPageWith(error), 303);
        throw error;
      }
    },
  );
}
