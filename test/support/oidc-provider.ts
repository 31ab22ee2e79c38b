import { createSign, generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Adapter, type AdapterPayload, type ClientMetadata, type JWK } from 'oidc-provider';

/**
 * A real OpenID Provider (the `oidc-provider` package) for tests, on 127.0.0.1 over http, on a free
 * port. openid-client talks to it only with `allowInsecureRequests` (allowHttp in
 * src/server/security/oidc-client.ts), which the app allows outside production only.
 *
 * Its own development interaction pages serve the browser journey (a login form that takes any
 * account id and any password); consent is granted automatically for every requested scope.
 * `signInAs` walks the same pages with fetch and a cookie jar for HTTP tests.
 */

export interface TestAccount {
  /** The `sub`, and what is typed into the provider's login form. */
  id: string;
  /** Claims released with the scopes that name them (e.g. email, email_verified, name, birthdate, nin). */
  claims: Record<string, unknown>;
}

export interface TestClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
}

/** Rewrites the claims of ID tokens the token endpoint issues (null: leave them). */
export type IdTokenTransform = (claims: Record<string, unknown>) => Record<string, unknown>;

export interface TestProvider {
  /** The issuer URL (http://127.0.0.1:<port>), also what discovery is fetched from. */
  issuer: string;
  /** Stops the provider: afterwards it is unreachable (connection refused). */
  close(): Promise<void>;
  /** Registers one more client (e.g. a second client for a wrong-audience case). */
  addClient(client: TestClient): void;
  /** Adds or replaces an account. */
  addAccount(account: TestAccount): void;
  /**
   * Makes the token endpoint re-sign its ID tokens (same key, same kid) with changed claims: a token
   * for another audience, with another nonce, already expired … as a misbehaving or attacked provider
   * would issue. null: tokens as issued.
   */
  setIdTokenTransform(transform: IdTokenTransform | null): void;
  /**
   * Follows an authorization URL through the provider's login (and consent) as `accountId`, with
   * fetch and a cookie jar, and returns the redirect back to the client's callback (code and state).
   */
  signInAs(authorizationUrl: string | URL, accountId: string): Promise<URL>;
}

export interface TestProviderOptions {
  clients: TestClient[];
  accounts: TestAccount[];
  /** Lifetime of ID tokens (default 3600 s). */
  idTokenTtlSeconds?: number;
  /** Claims per scope; merged over the default: openid [sub], email [email, email_verified], profile [name, …]. */
  claims?: Record<string, string[]>;
}

const DEFAULT_CLAIMS: Record<string, string[]> = {
  openid: ['sub'],
  email: ['email', 'email_verified'],
  profile: ['name', 'given_name', 'family_name', 'birthdate', 'locale'],
};

/** Starts a provider; close it in afterAll. */
export async function startTestProvider(options: TestProviderOptions): Promise<TestProvider> {
  const accounts = new Map(options.accounts.map((account) => [account.id, account]));
  const clients = new Map<string, ClientMetadata>();
  const storage = new Map<string, { payload: AdapterPayload; expiresAt: number | null }>();
  let transform: IdTokenTransform | null = null;

  // The signing key is ours, so setIdTokenTransform can re-sign a token as the provider would.
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomBytes(8).toString('hex');
  const signingJwk = { ...(privateKey.export({ format: 'jwk' }) as JWK), kid, alg: 'RS256', use: 'sig' };

  // Listen first: the issuer URL holds the port.
  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end();
  const server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const addClient = (client: TestClient) => {
    clients.set(client.clientId, {
      client_id: client.clientId,
      client_secret: client.clientSecret,
      redirect_uris: client.redirectUris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
    });
  };
  for (const client of options.clients) addClient(client);

  // A small in-memory adapter: clients come from `clients` (so addClient works after start).
  class MemoryAdapter implements Adapter {
    constructor(private readonly model: string) {}
    private key = (id: string) => `${this.model}:${id}`;
    async upsert(id: string, payload: AdapterPayload, expiresIn: number) {
      storage.set(this.key(id), { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : null });
    }
    async find(id: string) {
      if (this.model === 'Client') return clients.get(id) as AdapterPayload | undefined;
      const entry = storage.get(this.key(id));
      if (!entry || (entry.expiresAt !== null && entry.expiresAt <= Date.now())) return undefined;
      return entry.payload;
    }
    async findByUserCode() {
      return undefined;
    }
    async findByUid(uid: string) {
      for (const [key, entry] of storage) {
        if (key.startsWith(`${this.model}:`) && entry.payload.uid === uid) return entry.payload;
      }
      return undefined;
    }
    async consume(id: string) {
      const entry = storage.get(this.key(id));
      if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
    }
    async destroy(id: string) {
      storage.delete(this.key(id));
    }
    async revokeByGrantId(grantId: string) {
      for (const [key, entry] of storage) if (entry.payload.grantId === grantId) storage.delete(key);
    }
  }

  const provider = new Provider(issuer, {
    adapter: MemoryAdapter,
    jwks: { keys: [signingJwk] },
    cookies: { keys: [randomBytes(16).toString('hex')] },
    claims: { ...DEFAULT_CLAIMS, ...options.claims },
    // Scope claims in the ID token itself, as brokers do (the relying party reads only the ID token).
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    responseTypes: ['code'],
    ttl: {
      IdToken: options.idTokenTtlSeconds ?? 3600,
      AccessToken: 600,
      Interaction: 600,
      Grant: 3600,
      Session: 3600,
    },
    features: { devInteractions: { enabled: true } },
    async findAccount(_ctx, id) {
      const account = accounts.get(id);
      if (!account) return undefined;
      return { accountId: id, claims: async () => ({ ...account.claims, sub: id }) };
    },
    // Consent for every requested scope and claim without a page: the test is about our side.
    async loadExistingGrant(ctx) {
      const session = ctx.oidc.session;
      const client = ctx.oidc.client;
      if (!session?.accountId || !client) return undefined;
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope(String(ctx.oidc.params?.scope ?? 'openid'));
      await grant.save();
      return grant;
    },
  });
  provider.on('server_error', (_ctx, error) => console.error('test OpenID Provider:', error));

  provider.use(async (ctx, next) => {
    await next();
    if (ctx.path !== '/token' || !transform || ctx.status !== 200) return;
    const body = ctx.body as { id_token?: string } | undefined;
    if (!body?.id_token) return;
    const [header, payload] = body.id_token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')) as Record<string, unknown>;
    const signingInput = `${header}.${Buffer.from(JSON.stringify(transform(claims))).toString('base64url')}`;
    const signature = createSign('RSA-SHA256').update(signingInput).sign(privateKey).toString('base64url');
    ctx.body = { ...body, id_token: `${signingInput}.${signature}` };
  });

  handler = provider.callback();

  return {
    issuer,
    addClient,
    addAccount: (account) => accounts.set(account.id, account),
    setIdTokenTransform: (next) => {
      transform = next;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
    signInAs: (authorizationUrl, accountId) => walkInteractions(issuer, new URL(authorizationUrl), accountId),
  };
}

/** fetch with a cookie jar, through the provider's redirects and forms, until it sends us elsewhere. */
async function walkInteractions(issuer: string, start: URL, accountId: string): Promise<URL> {
  const jar = new Map<string, string>();
  const origin = new URL(issuer).origin;
  let url = start;
  let init: RequestInit = { method: 'GET' };
  for (let step = 0; step < 20; step += 1) {
    if (url.origin !== origin) return url;
    const response = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: {
        ...(init.headers as Record<string, string> | undefined),
        cookie: [...jar].map(([name, value]) => `${name}=${value}`).join('; '),
      },
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(cookie)) jar.delete(name);
      else jar.set(name, value);
    }
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      url = new URL(location, url);
      init = { method: 'GET' };
      continue;
    }
    const html = await response.text();
    const form = /<form[^>]*action="([^"]+)"[^>]*method="post"[^>]*>([\s\S]*?)<\/form>/i.exec(html);
    if (!response.ok || !form) {
      throw new Error(
        `test OpenID Provider: unexpected ${response.status} at ${url.pathname}: ${html.slice(0, 300)}`,
      );
    }
    const fields = new URLSearchParams();
    for (const input of form[2]!.matchAll(/<input[^>]*name="([^"]+)"[^>]*>/gi)) {
      const name = input[1]!;
      const value = /value="([^"]*)"/.exec(input[0])?.[1] ?? '';
      fields.set(name, name === 'login' ? accountId : name === 'password' ? 'any-password' : value);
    }
    url = new URL(form[1]!.replace(/&amp;/g, '&'), url);
    init = {
      method: 'POST',
      body: fields.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    };
  }
  throw new Error('test OpenID Provider: too many steps');
}
