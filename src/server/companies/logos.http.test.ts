import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { browserHeaders, makeApiKey, signedInUser } from '../../../test/support/factory.ts';
import { useTestApp } from '../../../test/support/test-app.ts';
import { createFileStorage } from '../storage/file-storage.ts';
import { logoStorageKey, renderLogo, storeLogo } from './logos.ts';

// The company's logo (POST /api/company/logo) and the public logo files. The customer page's own
// logo, the renditions and the refused types are tested in customer-page-config.http.test.ts.

const t = useTestApp();

function multipart(parts: Array<{ name: string; filename?: string; content: Buffer | string }>) {
  const boundary = `----kundeside${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"`;
    if (part.filename !== undefined)
      head += `; filename="${part.filename}"\r\nContent-Type: application/octet-stream`;
    chunks.push(Buffer.from(`${head}\r\n\r\n`), Buffer.from(part.content), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

type Auth = { cookie: string } | { apiKey: string };
const headersOf = (auth: Auth): Record<string, string> =>
  'cookie' in auth ? browserHeaders(auth.cookie) : { authorization: `Bearer ${auth.apiKey}` };

const upload = (auth: Auth, url: string, filename: string, content: Buffer | string) => {
  const { payload, contentType } = multipart([{ name: 'file', filename, content }]);
  return t.app.inject({
    method: 'POST',
    url,
    headers: { ...headersOf(auth), 'content-type': contentType },
    payload,
  });
};

const image = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 4, background: { r: 200, g: 30, b: 30, alpha: 1 } } });
const PNG_300x100 = await image(300, 100).png().toBuffer();
const admin = async () => signedInUser(t.app, t.db, { level: 6 });
const fetchLogo = (url: string) => t.app.inject({ method: 'GET', url });
const storage = () => createFileStorage(t.config);
const companyLogoKey = async (companyId: string) =>
  (
    await t.db
      .selectFrom('companies')
      .select('logo_key')
      .where('id', '=', companyId)
      .executeTakeFirstOrThrow()
  ).logo_key;

describe('company logo', () => {
  it('refuses levels 1–5 (and a level-5 API key) with 403 and no session with 401, storing nothing', async () => {
    const owner = await admin();
    const key5 = await makeApiKey(t.db, owner.companyId, 5);
    const auths: Auth[] = [{ apiKey: key5.key }];
    for (const level of [1, 2, 3, 4, 5]) {
      auths.push({ cookie: (await signedInUser(t.app, t.db, { companyId: owner.companyId, level })).cookie });
    }
    for (const auth of auths) {
      const response = await upload(auth, '/api/company/logo', 'logo.png', PNG_300x100);
      expect(response.statusCode).toBe(403);
      expect(response.json().error.code).toBe('forbidden');
    }
    const { payload, contentType } = multipart([
      { name: 'file', filename: 'logo.png', content: PNG_300x100 },
    ]);
    const anonymous = await t.app.inject({
      method: 'POST',
      url: '/api/company/logo',
      headers: { 'content-type': contentType, origin: 'http://kundeside.test' },
      payload,
    });
    expect(anonymous.statusCode).toBe(401);
    expect(await companyLogoKey(owner.companyId)).toBeNull();
  });

  it('sets the logo of the own company only, and shows it on the company', async () => {
    const owner = await admin();
    const other = await admin();
    const response = await upload(owner, '/api/company/logo', 'logo.png', PNG_300x100);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      logoUrl: expect.stringMatching(/^\/logos\/[0-9a-f]{64}-40\.png$/),
      logoUrl2x: expect.stringMatching(/^\/logos\/[0-9a-f]{64}-80\.png$/),
    });
    expect(await companyLogoKey(owner.companyId)).toMatch(/^[0-9a-f]{64}$/);
    expect(await companyLogoKey(other.companyId)).toBeNull();
    const company = await t.app.inject({
      method: 'GET',
      url: '/api/company',
      headers: { cookie: owner.cookie },
    });
    expect(company.json().hasLogo).toBe(true);
    const logo = await fetchLogo(response.json().logoUrl);
    expect(logo.statusCode).toBe(200);
    expect((await sharp(logo.rawPayload).metadata()).height).toBe(40);
    const head = await t.app.inject({ method: 'HEAD', url: response.json().logoUrl2x });
    expect(head.statusCode).toBe(200);
    expect(head.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('serves only current logos: unknown, malformed or replaced keys are 404', async () => {
    const owner = await admin();
    // Contents no other test uploads (the same content under another company would stay served).
    const first = (
      await upload(owner, '/api/company/logo', 'a.png', await image(77, 33).png().toBuffer())
    ).json();
    expect((await fetchLogo(first.logoUrl)).statusCode).toBe(200);
    const second = (
      await upload(owner, '/api/company/logo', 'b.jpg', await image(78, 33).jpeg().toBuffer())
    ).json();
    expect((await fetchLogo(second.logoUrl)).statusCode).toBe(200);
    for (const url of [
      first.logoUrl,
      `/logos/${'0'.repeat(64)}-40.png`,
      `/logos/${'0'.repeat(64)}-41.png`,
      '/logos/..%2F..%2Fetc%2Fpasswd',
      '/logos/abc',
    ]) {
      const response = await fetchLogo(url);
      expect(response.statusCode, url).toBe(404);
    }
  });

  it('leaves no files behind when the database write fails, unless another logo uses them', async () => {
    const files = storage();
    const logo = await renderLogo('unique.png', await image(123, 45).png().toBuffer());
    await expect(
      storeLogo({ db: t.db, storage: files }, logo, async () => {
        throw new Error('database down');
      }),
    ).rejects.toThrow('database down');
    for (const height of [40, 80] as const)
      expect(await files.exists(logoStorageKey(logo.key, height))).toBe(false);

    // The same content already in use by a company: its files stay.
    const owner = await admin();
    const uploaded = (await upload(owner, '/api/company/logo', 'same.png', PNG_300x100)).json();
    const same = await renderLogo('same.png', PNG_300x100);
    expect(uploaded.logoUrl).toContain(same.key);
    await expect(
      storeLogo({ db: t.db, storage: files }, same, async () => {
        throw new Error('database down');
      }),
    ).rejects.toThrow('database down');
    expect((await fetchLogo(uploaded.logoUrl)).statusCode).toBe(200);
  });
});
