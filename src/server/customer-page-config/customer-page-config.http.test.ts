import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { newsKinds } from '../../common/rules/case-events.ts';
import {
  colorKeys,
  defaultCustomerPageSettings,
  settingNames,
  type CustomerPageSettings,
} from '../../common/rules/customer-page-settings.ts';
import { browserHeaders, makeApiKey, makeUser, signedInUser } from '../../../test/support/factory.ts';
import { TEST_ORIGIN, useTestApp } from '../../../test/support/test-app.ts';

const t = useTestApp();
const PAGE = '/api/admin/customer-page';

/** Every setting changed from its default. */
const changed: CustomerPageSettings = {
  smsSecurityCode: true,
  bankIdSignIn: true,
  accessFor: 'all_contacts',
  sendLink: 'manual',
  visibleDaysAfterClose: 0,
  showBudget: 'positive_decision',
  showNews: 'main_inspection_assigned',
  newsFilter: ['call_history', 'project_manager_assigned', 'document_unshared'],
  showPlanOnDashboard: true,
  showProjectPlan: 'main_inspection_assigned',
  showCommunication: 'positive_decision',
  communicationMethod: 'from_customer',
  showDocuments: 'never',
  showInspectionReport: 'positive_decision',
  showSettlementReport: 'case_created',
  showCaseHandler: false,
  showCaseHandlerPhone: false,
  showPartnerContact: true,
  contactForMoreInfo: 'Ring kundesenteret på 22 00 00 00 (hverdager 8–16).',
  colors: {
    pageBackground: '#fafafa',
    menuBackground: '#003300',
    menuSelectedBackground: '#ffffcc',
    menuText: '#eeeeee',
    menuSelectedText: '#330000',
    headingText: '#222222',
  },
  useCompanyLogo: false,
  showDecisionOutcome: true,
  reconsiderationText: { nb: 'Skriv til klageansvarlig.', en: 'Write to the complaints officer.' },
  nextStepTexts: {
    ...defaultCustomerPageSettings.nextStepTexts,
    repair_planned: { nb: 'Snekkeren starter i uke {week}.', en: 'The carpenter starts in week {week}.' },
  },
};
// showCaseHandlerPhone must stay false while showCaseHandler is false; its own round trip is below.

type Auth = { cookie: string } | { apiKey: string };
const headersOf = (auth: Auth): Record<string, string> =>
  'cookie' in auth ? browserHeaders(auth.cookie) : { authorization: `Bearer ${auth.apiKey}` };

const get = (auth: Auth, url = PAGE) => t.app.inject({ method: 'GET', url, headers: headersOf(auth) });
const put = (auth: Auth, payload: unknown) =>
  t.app.inject({ method: 'PUT', url: PAGE, headers: headersOf(auth), payload: payload as object });

const auditOf = async (auth: Auth) => {
  const response = await get(auth, `${PAGE}/audit`);
  expect(response.statusCode).toBe(200);
  return (
    response.json() as {
      items: Array<{
        id: string;
        at: string;
        actor: { id: string; name: string | null };
        setting: string;
        oldValue: unknown;
        newValue: unknown;
      }>;
    }
  ).items;
};

const settingsRow = (companyId: string) =>
  t.db
    .selectFrom('customer_page_settings')
    .selectAll()
    .where('company_id', '=', companyId)
    .executeTakeFirst();
const auditRows = (companyId: string) =>
  t.db.selectFrom('customer_page_audit').selectAll().where('company_id', '=', companyId).execute();

const settingsOf = (body: Record<string, unknown>) =>
  Object.fromEntries(settingNames.map((name) => [name, body[name]]));

// ---- multipart and images ---------------------------------------------------------------------

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
  sharp({
    create: { width, height, channels: 4, background: { r: 31, g: 58, b: 95, alpha: 0.6 } },
  });

const PNG_300x100 = await image(300, 100).png().toBuffer();
const JPEG_200x200 = await image(200, 200).jpeg().toBuffer();
const GIF = await image(40, 40).gif().toBuffer();
const WEBP = await image(40, 40).webp().toBuffer();
const SVG =
  '<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="100" height="40">' +
  '<script>alert(document.cookie)</script><rect width="100" height="40" fill="#1f3a5f"/></svg>';

const admin = async () => signedInUser(t.app, t.db, { level: 6 });

// ---- tests --------------------------------------------------------------------------------------

describe('customer-page configuration: who may', () => {
  it('refuses levels 1 and 5 (sessions) and a level-5 API key with 403 on read, write, audit and logos, saving nothing', async () => {
    const owner = await admin();
    const clerk = await signedInUser(t.app, t.db, { companyId: owner.companyId, level: 1 });
    const senior = await signedInUser(t.app, t.db, { companyId: owner.companyId, level: 5 });
    const key5 = await makeApiKey(t.db, owner.companyId, 5);
    for (const auth of [{ cookie: clerk.cookie }, { cookie: senior.cookie }, { apiKey: key5.key }]) {
      const responses = [
        await get(auth),
        await put(auth, changed),
        await get(auth, `${PAGE}/audit`),
        await upload(auth, `${PAGE}/logo`, 'logo.png', PNG_300x100),
        await upload(auth, '/api/company/logo', 'logo.png', PNG_300x100),
      ];
      for (const response of responses) {
        expect(response.statusCode).toBe(403);
        expect(response.json()).toEqual({ error: { code: 'forbidden', message: expect.any(String) } });
      }
    }
    expect(await settingsRow(owner.companyId)).toBeUndefined();
    expect(await auditRows(owner.companyId)).toEqual([]);
    const company = await t.db
      .selectFrom('companies')
      .select('logo_key')
      .where('id', '=', owner.companyId)
      .executeTakeFirstOrThrow();
    expect(company.logo_key).toBeNull();
  });

  it('answers 401 without a session and 403 for a cookie change without our Origin', async () => {
    expect((await t.app.inject({ method: 'GET', url: PAGE })).statusCode).toBe(401);
    const owner = await admin();
    const foreign = await t.app.inject({
      method: 'PUT',
      url: PAGE,
      headers: { cookie: owner.cookie, origin: 'https://evil.example' },
      payload: changed,
    });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().error.code).toBe('csrf_rejected');
    expect(await settingsRow(owner.companyId)).toBeUndefined();
  });

  it('lets a level-6 API key read and change the settings, audited under the key', async () => {
    const owner = await makeUser(t.db, { level: 6 });
    const key = await makeApiKey(t.db, owner.companyId, 6);
    const auth = { apiKey: key.key };
    expect((await get(auth)).statusCode).toBe(200);
    const response = await put(auth, { ...defaultCustomerPageSettings, showBudget: 'case_created' });
    expect(response.statusCode).toBe(200);
    expect(await auditOf(auth)).toEqual([
      expect.objectContaining({
        setting: 'showBudget',
        actor: { id: key.id, name: expect.stringContaining(key.name) },
        oldValue: 'never',
        newValue: 'case_created',
      }),
    ]);
  });
});

describe('customer-page configuration: read and save', () => {
  it('shows the defaults of the guide until something is saved', async () => {
    const owner = await admin();
    const response = await get(owner);
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    const body = response.json();
    expect(settingsOf(body)).toEqual(defaultCustomerPageSettings);
    expect(body).toMatchObject({
      portalType: 'insurance',
      updatedAt: null,
      logo: {
        useCompanyLogo: true,
        hasCustomLogo: false,
        hasCompanyLogo: false,
        logoUrl: null,
        logoUrl2x: null,
        custom: null,
        company: null,
      },
    });
    expect(await auditOf(owner)).toEqual([]);
  });

  it('round-trips every setting changed from its default, with one audit row per setting and per colour', async () => {
    for (const name of settingNames) {
      if (name === 'showCaseHandlerPhone') continue; // below: it needs showCaseHandler
      expect(changed[name], name).not.toEqual(defaultCustomerPageSettings[name]);
    }
    for (const key of colorKeys)
      expect(changed.colors[key]).not.toBe(defaultCustomerPageSettings.colors[key]);

    const owner = await admin();
    const saved = await put(owner, changed);
    expect(saved.statusCode).toBe(200);
    expect(settingsOf(saved.json())).toEqual(changed);
    expect(saved.json().updatedAt).toEqual(expect.any(String));
    const read = await get(owner);
    expect(settingsOf(read.json())).toEqual(changed);

    const audit = await auditOf(owner);
    const expected = [
      ...settingNames.filter((name) => !['colors', 'showCaseHandlerPhone'].includes(name)),
      ...colorKeys.map((key) => `colors.${key}`),
    ];
    expect(audit.map((entry) => entry.setting).sort()).toEqual(expected.sort());
    expect(new Set(audit.map((entry) => entry.at)).size).toBe(1);
    expect(audit.every((entry) => entry.actor.id === owner.id && entry.actor.name)).toBe(true);
    const entry = (setting: string) => audit.find((e) => e.setting === setting);
    expect(entry('visibleDaysAfterClose')).toMatchObject({ oldValue: 30, newValue: 0 });
    expect(entry('colors.menuText')).toMatchObject({ oldValue: '#ffffff', newValue: '#eeeeee' });
    expect(entry('newsFilter')).toMatchObject({
      oldValue: defaultCustomerPageSettings.newsFilter,
      newValue: changed.newsFilter,
    });
    expect(entry('smsSecurityCode')).toMatchObject({ oldValue: false, newValue: true });

    // The handler's phone, which needs the handler's name.
    const withPhone = { ...changed, showCaseHandler: true, showCaseHandlerPhone: true };
    expect((await put(owner, withPhone)).statusCode).toBe(200);
    expect(settingsOf((await get(owner)).json())).toEqual(withPhone);
    const latest = await auditOf(owner);
    expect(latest.slice(0, 2).map((e) => [e.setting, e.oldValue, e.newValue])).toEqual([
      ['showCaseHandler', false, true],
      ['showCaseHandlerPhone', false, true],
    ]);
  });

  it('audits exactly the changed settings, newest first, and nothing for an unchanged save', async () => {
    const owner = await admin();
    expect((await put(owner, defaultCustomerPageSettings)).statusCode).toBe(200);
    expect(await auditOf(owner)).toEqual([]);
    expect(await settingsRow(owner.companyId)).toBeDefined();

    const first = {
      ...defaultCustomerPageSettings,
      showBudget: 'main_inspection_assigned',
      colors: { ...defaultCustomerPageSettings.colors, headingText: '#AA0000' },
    };
    expect((await put(owner, first)).statusCode).toBe(200);
    const second = { ...first, newsFilter: [...newsKinds].reverse(), showBudget: 'never' };
    expect((await put(owner, second)).statusCode).toBe(200);
    expect((await put(owner, second)).statusCode).toBe(200);

    const audit = await auditOf(owner);
    expect(audit.map((e) => [e.setting, e.oldValue, e.newValue])).toEqual([
      ['showBudget', 'main_inspection_assigned', 'never'],
      ['newsFilter', defaultCustomerPageSettings.newsFilter, [...newsKinds]],
      ['showBudget', 'never', 'main_inspection_assigned'],
      ['colors.headingText', '#1f3a5f', '#aa0000'],
    ]);
    expect(audit[0]!.at >= audit[2]!.at).toBe(true);
    const limited = await get(owner, `${PAGE}/audit?pageSize=1`);
    expect(limited.json().items).toHaveLength(1);
    expect(limited.json()).toMatchObject({ total: audit.length, page: 1, pageSize: 1 });
  });

  it('accepts the GET answer sent back with its read-only fields (GET, change, PUT)', async () => {
    const owner = await admin();
    const current = (await get(owner)).json();
    const response = await put(owner, { ...current, showNews: 'never' });
    expect(response.statusCode).toBe(200);
    expect(response.json().showNews).toBe('never');
    expect((await auditOf(owner)).map((e) => e.setting)).toEqual(['showNews']);
  });

  it('never shows one company the settings or audit of another', async () => {
    const a = await admin();
    const b = await admin();
    expect((await put(a, changed)).statusCode).toBe(200);
    expect(settingsOf((await get(b)).json())).toEqual(defaultCustomerPageSettings);
    expect(await auditOf(b)).toEqual([]);
    expect((await put(b, { ...defaultCustomerPageSettings, smsSecurityCode: true })).statusCode).toBe(200);
    expect(settingsOf((await get(a)).json())).toEqual(changed);
    expect((await auditOf(a)).some((e) => e.actor.id === b.id)).toBe(false);
  });
});

describe('customer-page configuration: bad input', () => {
  const bad: Array<[string, Record<string, unknown>, string]> = [
    ['an unknown news kind', { newsFilter: ['case_closed', 'weather_report'] }, 'body.newsFilter.1'],
    ['a news kind twice', { newsFilter: ['case_closed', 'case_closed'] }, 'body.newsFilter'],
    [
      'a bad colour',
      { colors: { ...defaultCustomerPageSettings.colors, menuText: 'blue' } },
      'body.colors.menuText',
    ],
    ['negative days', { visibleDaysAfterClose: -1 }, 'body.visibleDaysAfterClose'],
    ['fractional days', { visibleDaysAfterClose: 2.5 }, 'body.visibleDaysAfterClose'],
    ["'manual' in showBudget", { showBudget: 'manual' }, 'body.showBudget'],
    ["'never' in sendLink", { sendLink: 'never' }, 'body.sendLink'],
    ['an unknown access value', { accessFor: 'everyone' }, 'body.accessFor'],
    [
      "the handler's phone without the name",
      { showCaseHandler: false, showCaseHandlerPhone: true },
      'body.showCaseHandlerPhone',
    ],
    [
      'a contact text over 1000 characters',
      { contactForMoreInfo: 'x'.repeat(1001) },
      'body.contactForMoreInfo',
    ],
  ];

  it.each(bad)('refuses %s with 400 naming the field, and saves nothing', async (_what, change, path) => {
    const owner = await admin();
    expect((await put(owner, { ...defaultCustomerPageSettings, showNews: 'never' })).statusCode).toBe(200);
    const before = await settingsRow(owner.companyId);
    const response = await put(owner, { ...defaultCustomerPageSettings, smsSecurityCode: true, ...change });
    expect(response.statusCode).toBe(400);
    const { error } = response.json();
    expect(error.code).toBe('validation_failed');
    expect(error.fields).toContainEqual(expect.objectContaining({ path, message: expect.any(String) }));
    expect(error.message).toContain(path);
    expect(await settingsRow(owner.companyId)).toEqual(before);
    expect((await auditOf(owner)).map((e) => e.setting)).toEqual(['showNews']);
  });

  it('refuses an unknown field and a missing setting, naming them', async () => {
    const owner = await admin();
    const unknown = await put(owner, { ...defaultCustomerPageSettings, showDashboard: 'always' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.message).toContain('showDashboard');
    const { showNews: _missing, ...rest } = defaultCustomerPageSettings;
    const missing = await put(owner, rest);
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.fields).toContainEqual({
      path: 'body.showNews',
      message: 'is required',
      code: 'required',
    });
    expect(await settingsRow(owner.companyId)).toBeUndefined();
    expect(await auditRows(owner.companyId)).toEqual([]);
  });
});

describe('logos', () => {
  const fetchLogo = (url: string) => t.app.inject({ method: 'GET', url });

  async function expectRendition(url: string, height: number, width: number, alpha = true) {
    const response = await fetchLogo(url);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('image/png');
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    const meta = await sharp(response.rawPayload).metadata();
    expect([meta.format, meta.height, meta.width]).toEqual(['png', height, width]);
    expect(meta.hasAlpha).toBe(alpha);
  }

  it('stores an uploaded PNG as 40 px and 80 px renditions, served with long caching; customers see it once the company logo is turned off', async () => {
    const owner = await admin();
    const response = await upload(owner, `${PAGE}/logo`, 'Logo Forsikring.PNG', PNG_300x100);
    expect(response.statusCode).toBe(200);
    const { logo } = response.json();
    expect(logo).toMatchObject({
      useCompanyLogo: true,
      hasCustomLogo: true,
      hasCompanyLogo: false,
      logoUrl: null,
      custom: { url: expect.stringMatching(/^\/logos\/[0-9a-f]{64}-40\.png$/) },
    });
    await expectRendition(logo.custom.url, 40, 120);
    await expectRendition(logo.custom.url2x, 80, 240);

    const off = await put(owner, { ...defaultCustomerPageSettings, useCompanyLogo: false });
    expect(off.json().logo).toMatchObject({ logoUrl: logo.custom.url, logoUrl2x: logo.custom.url2x });
    const audit = await auditOf(owner);
    expect(audit.map((e) => [e.setting, e.oldValue])).toEqual([
      ['useCompanyLogo', true],
      ['logo', null],
    ]);
    expect(audit[1]!.newValue).toBe(logo.custom.url.slice('/logos/'.length, -'-40.png'.length));
  });

  it('takes the company logo (JPEG) from POST /api/company/logo and uses it while "use company default" is on', async () => {
    const owner = await admin();
    const response = await upload(owner, '/api/company/logo', 'firma.jpeg', JPEG_200x200);
    expect(response.statusCode).toBe(200);
    const { logoUrl, logoUrl2x } = response.json();
    await expectRendition(logoUrl, 40, 40, false);
    await expectRendition(logoUrl2x, 80, 80, false);
    const config = (await get(owner)).json();
    expect(config.logo).toMatchObject({ useCompanyLogo: true, hasCompanyLogo: true, logoUrl, logoUrl2x });
    // Turning the company logo off without an own logo keeps the company's.
    const off = await put(owner, { ...defaultCustomerPageSettings, useCompanyLogo: false });
    expect(off.json().logo).toMatchObject({ hasCustomLogo: false, logoUrl });
    const company = await t.app.inject({
      method: 'GET',
      url: '/api/company',
      headers: { cookie: owner.cookie },
    });
    expect(company.json().hasLogo).toBe(true);
    expect((await auditOf(owner)).map((e) => e.setting)).toEqual(['useCompanyLogo', 'companyLogo']);
  });

  it('keeps a very wide logo at most 480 px wide (lower than 40 px rather than wider)', async () => {
    const owner = await admin();
    const wide = await image(4000, 100).png().toBuffer();
    const response = await upload(owner, `${PAGE}/logo`, 'wide.png', wide);
    expect(response.statusCode).toBe(200);
    await expectRendition(response.json().logo.custom.url, 12, 480);
  });

  it.each([
    ['an SVG', 'logo.svg', Buffer.from(SVG), /SVG/],
    ['an SVG named .png', 'logo.png', Buffer.from(SVG), /SVG/],
    ['a GIF', 'logo.gif', GIF, /image\/gif/],
    ['a WebP', 'logo.webp', WEBP, /image\/webp/],
    ['garbage', 'logo.png', randomBytes(2048), /not an image/],
    ['a PNG named .jpg', 'logo.jpg', PNG_300x100, /\.jpg/],
    ['a cut-off PNG', 'logo.png', PNG_300x100.subarray(0, PNG_300x100.length - 30), /damaged/],
  ])('refuses %s with 415 and a clear message, storing nothing', async (_what, name, content, message) => {
    const owner = await admin();
    for (const url of [`${PAGE}/logo`, '/api/company/logo']) {
      const response = await upload(owner, url, name, content);
      expect(response.statusCode).toBe(415);
      expect(response.json().error).toEqual({
        code: 'unsupported_media_type',
        message: expect.stringMatching(message),
      });
      expect(response.json().error.message).toMatch(/PNG or JPEG/);
    }
    expect(await settingsRow(owner.companyId)).toBeUndefined();
    expect(await auditRows(owner.companyId)).toEqual([]);
  });

  it('refuses a file over 2 MB with 413, and a body that is not multipart with 415', async () => {
    const owner = await admin();
    const big = Buffer.concat([PNG_300x100, randomBytes(2 * 1024 * 1024)]);
    const response = await upload(owner, `${PAGE}/logo`, 'big.png', big);
    expect(response.statusCode).toBe(413);
    expect(response.json().error.code).toBe('payload_too_large');
    expect(response.json().error.message).toMatch(/2 MB/);
    const json = await t.app.inject({
      method: 'POST',
      url: '/api/company/logo',
      headers: browserHeaders(owner.cookie),
      payload: { file: 'x' },
    });
    expect(json.statusCode).toBe(415);
    expect(await settingsRow(owner.companyId)).toBeUndefined();
  });

  it('refuses an image of more than 25 megapixels with 413 before decoding it', async () => {
    const owner = await admin();
    const huge = await sharp({ create: { width: 6000, height: 5000, channels: 3, background: '#ffffff' } })
      .png({ compressionLevel: 9 })
      .toBuffer();
    expect(huge.length).toBeLessThan(2 * 1024 * 1024);
    const response = await upload(owner, `${PAGE}/logo`, 'huge.png', huge);
    expect(response.statusCode).toBe(413);
    expect(response.json().error.message).toMatch(/megapixels/);
  });

  it('refuses a second file or an extra field with 400', async () => {
    const owner = await admin();
    const { payload, contentType } = multipart([
      { name: 'file', filename: 'a.png', content: PNG_300x100 },
      { name: 'note', content: 'hello' },
    ]);
    const response = await t.app.inject({
      method: 'POST',
      url: `${PAGE}/logo`,
      headers: { ...browserHeaders(owner.cookie), 'content-type': contentType },
      payload,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toContain('note');
  });
});

it('documents the routes in the OpenAPI document', async () => {
  const doc = (
    await t.app.inject({ method: 'GET', url: '/api/openapi.json', headers: { origin: TEST_ORIGIN } })
  ).json();
  expect(Object.keys(doc.paths)).toEqual(
    expect.arrayContaining([PAGE, `${PAGE}/audit`, `${PAGE}/logo`, '/api/company/logo']),
  );
  expect(doc.paths[PAGE].put.requestBody.content['application/json'].schema.properties).toHaveProperty(
    'newsFilter',
  );
});
