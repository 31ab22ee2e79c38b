import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthorizationLevel } from '../../src/common/rules/enums.ts';
import { DEMO_SIGN_INS } from '../../src/server/demo/seed-demo.ts';
import { runOutboxOnce } from '../../src/server/outbox/worker.ts';
import {
  expectNoAxeViolations,
  fitsViewport,
  settled,
  SHOTS,
  signInStaff,
  useBrowser,
} from '../support/browser.ts';
import { makeCase } from '../support/factory.ts';

// The webhooks page at 375 px, by keyboard where it matters: add an endpoint, see its secret once,
// see a delivery to a real receiver after a case change, send it again. axe finds nothing.

const b = useBrowser({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' });
const [admin] = DEMO_SIGN_INS;

let server: Server;
let origin = '';
const received: Array<{ delivery: string; body: string }> = [];
beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      received.push({ delivery: String(request.headers['kundeside-delivery']), body });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
});

describe('webhooks page in Chromium', () => {
  it('adds an endpoint, shows its secret once, logs a delivery and sends it again', async () => {
    const page = await b.newPage(375);
    await signInStaff(page, b.baseUrl, admin);
    await page.getByRole('navigation').getByRole('link', { name: 'Webhooks' }).click();
    await page.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor();
    await settled(page);
    expect(await fitsViewport(page)).toBe(true);
    await expectNoAxeViolations(page);

    // By keyboard: the address, then Tab to the description; the two default kinds stay chosen.
    await page.getByLabel('Adresse (URL)').focus();
    await page.keyboard.type(`${origin}/kjernesystem`);
    await page.keyboard.press('Tab');
    await page.keyboard.type('Skadesystemet');
    await page.getByLabel('Sak lukket').check();
    await page.getByLabel('Faktura mottatt').focus();
    await page.keyboard.press('Space');
    await page.getByRole('button', { name: 'Opprett' }).focus();
    await page.keyboard.press('Enter');

    const secret = page.getByTestId('webhook-secret');
    await secret.waitFor();
    const value = (await secret.textContent()) ?? '';
    expect(value).toMatch(/^whsec_/);
    await expect(page.getByRole('button', { name: 'Kopier', exact: true }).isVisible()).resolves.toBe(true);
    await page
      .getByRole('listitem')
      .filter({ hasText: `${origin}/kjernesystem` })
      .getByText('Skadesystemet')
      .waitFor();
    expect(await fitsViewport(page)).toBe(true);
    await expectNoAxeViolations(page);
    await page.screenshot({ path: `${SHOTS}/webhooks-secret-375.png`, fullPage: true });

    await page.getByRole('button', { name: 'Jeg har kopiert nøkkelen' }).click();
    await expect(secret.count()).resolves.toBe(0);
    await page.reload();
    await page.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor();
    await settled(page);
    expect(await page.content()).not.toContain(value);

    // A case change in the company → one delivery to the receiver.
    const user = await b.db
      .selectFrom('users')
      .select(['id', 'company_id', 'level'])
      .where('email', '=', admin.email)
      .executeTakeFirstOrThrow();
    await makeCase(b.db, {
      kind: 'staff',
      userId: user.id,
      companyId: user.company_id,
      level: user.level as AuthorizationLevel,
      sessionId: 'test',
    });
    await runOutboxOnce({ db: b.db, config: b.app.config });
    expect(received).toHaveLength(1);
    expect(JSON.parse(received[0]!.body)).toMatchObject({ version: 1, kind: 'case_created' });

    await page.getByRole('button', { name: /^Vis leveringslogg/ }).click();
    const log = page.getByRole('region', { name: /Leveringslogg/ });
    await log.getByText('Sak opprettet · Levert').waitFor();
    await expect(log.getByRole('definition').filter({ hasText: /^204$/ }).count()).resolves.toBe(1);
    expect(await fitsViewport(page)).toBe(true);
    await expectNoAxeViolations(page);
    await page.screenshot({ path: `${SHOTS}/webhooks-log-375.png`, fullPage: true });

    await log.getByRole('button', { name: /^Send på nytt/ }).focus();
    await page.keyboard.press('Enter');
    await log.getByText('Hendelsen er lagt i kø for å sendes på nytt.').waitFor();
    await log.getByText('Sak opprettet · I kø · Sendt på nytt').waitFor();
    await runOutboxOnce({ db: b.db, config: b.app.config });
    expect(received).toHaveLength(2);
    expect(received[1]!.delivery).toBe(received[0]!.delivery);
    expect(received[1]!.body).toBe(received[0]!.body);
    await page.reload();
    await page.getByRole('button', { name: /^Vis leveringslogg/ }).click();
    const replayed = page.getByRole('region', { name: /Leveringslogg/ });
    await replayed.getByText('Sak opprettet · Levert · Sendt på nytt').waitFor();
    await expect(replayed.getByRole('listitem').count()).resolves.toBe(2);
    await expectNoAxeViolations(page);
    await page.screenshot({ path: `${SHOTS}/webhooks-replayed-375.png`, fullPage: true });

    // The same page in English.
    await page.getByRole('button', { name: /English/ }).click();
    await page.getByRole('heading', { name: 'New webhook' }).waitFor();
    await page.getByRole('button', { name: /^Show delivery log/ }).click();
    await page
      .getByRole('region', { name: /Delivery log/ })
      .getByText('Case created · Delivered · Sent again')
      .waitFor();
    expect(await fitsViewport(page)).toBe(true);
    await expectNoAxeViolations(page);
  });
});
