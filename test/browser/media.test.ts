import { readFileSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { reissueCustomerLinkToken } from '../../src/server/customer-access/reissue-link.ts';
import { DEMO_CUSTOMER_CASE, DEMO_SIGN_INS } from '../../src/server/demo/seed-demo.ts';
import {
  expectNoAxeViolations,
  fitsViewport,
  settled,
  signInStaff,
  SHOTS,
  useBrowser,
} from '../support/browser.ts';

// Pictures (issue 16 item 7) in Chromium. Staff add an iPhone HEIC photo to a repair task of the demo
// case and see its thumbnail; they send the customer a JPEG in the thread. The customer, on a phone
// in Norwegian and on a desktop in English, sees both as thumbnails and opens the viewer with the
// keyboard alone: the HEIC photo shows (as JPEG), Escape closes it and focus returns.

const b = useBrowser();
const [admin] = DEMO_SIGN_INS;
const HEIC = readFileSync(new URL('../fixtures/photo.heic', import.meta.url));
const HEIC_NAME = 'IMG_0001.heic';
const JPEG_NAME = 'Fuktmåling.jpg';
const SECOND_NAME = 'Etter riving.png';

async function shot(page: Page, name: string, fullPage = true) {
  await settled(page);
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage });
}

/** Waits until an image has loaded and decoded (a broken one has no natural width). */
async function loaded(image: Locator) {
  // Thumbnails load lazily: in view, as a person scrolling to them would have it.
  await image.scrollIntoViewIfNeeded();
  await expect
    .poll(() => image.evaluate((element) => (element as HTMLImageElement).naturalWidth))
    .toBeGreaterThan(0);
}

const isFocused = (locator: Locator) => locator.evaluate((element) => element === document.activeElement);

/**
 * Opens the viewer of a thumbnail with the keyboard (focus, Enter), checks the larger image shows
 * with the file name as its alt text, runs axe, and closes it with Escape: focus goes back.
 */
async function viewWithKeyboard(page: Page, thumbnail: Locator, name: string, shotName: string) {
  await thumbnail.focus();
  await page.keyboard.press('Enter');
  const viewer = page.getByRole('dialog', { name });
  await viewer.waitFor();
  await loaded(viewer.getByRole('img', { name }));
  // The whole viewer is on the screen, its close button within reach.
  const fits = await viewer.evaluate((element) => {
    const box = element.getBoundingClientRect();
    return box.top >= 0 && box.left >= 0 && box.bottom <= innerHeight && box.right <= innerWidth;
  });
  expect(fits).toBe(true);
  await expectNoAxeViolations(page);
  await shot(page, shotName, false);
  await page.keyboard.press('Escape');
  await viewer.waitFor({ state: 'detached' });
  expect(await isFocused(thumbnail)).toBe(true);
}

describe('pictures in Chromium', () => {
  it(
    'staff add task media and see thumbnails; the customer sees them in the plan and thread and opens the viewer by keyboard',
    { timeout: 150_000 },
    async () => {
      const demo = await b.db
        .selectFrom('cases')
        .select(['id', 'company_id'])
        .where('claim_number', '=', DEMO_CUSTOMER_CASE)
        .executeTakeFirstOrThrow();
      const task = await b.db
        .selectFrom('tasks')
        .select(['id', 'name'])
        .where('case_id', '=', demo.id)
        .where('kind', '=', 'repair')
        .orderBy('created_at')
        .executeTakeFirstOrThrow();

      // Staff (desktop, Norwegian) add the HEIC photo to the task in the project plan.
      const staff = await b.newPage(1280);
      await signInStaff(staff, b.baseUrl, admin);
      await staff.goto(`${b.baseUrl}/cases/${demo.id}?tab=plan`);
      const card = staff.locator('li.task-card', { has: staff.getByRole('heading', { name: task.name }) });
      await card
        .getByLabel(`Legg til bilde, video eller PDF: ${task.name}`)
        .setInputFiles({ name: HEIC_NAME, mimeType: 'image/heic', buffer: HEIC });
      await card.getByText(`«${HEIC_NAME}» er lagt til oppgaven.`).waitFor();
      const staffThumbnail = card.getByRole('button', { name: `Vis bildet ${HEIC_NAME}` });
      await loaded(staffThumbnail.locator('img'));
      // A second photo of the task, so the viewer has a next one.
      const after = await sharp({
        create: { width: 800, height: 600, channels: 3, background: { r: 30, g: 160, b: 90 } },
      })
        .png()
        .toBuffer();
      await card
        .getByLabel(`Legg til bilde, video eller PDF: ${task.name}`)
        .setInputFiles({ name: SECOND_NAME, mimeType: 'image/png', buffer: after });
      await card.getByText(`«${SECOND_NAME}» er lagt til oppgaven.`).waitFor();
      await expect.poll(() => card.locator('.media-thumbnail').count()).toBe(2);
      await loaded(card.getByRole('button', { name: `Vis bildet ${SECOND_NAME}` }).locator('img'));
      await expectNoAxeViolations(staff);
      await shot(staff, 'media-staff-plan-1280');
      await viewWithKeyboard(staff, staffThumbnail, HEIC_NAME, 'media-staff-viewer-1280');

      // Staff send the customer a photo in the thread; it shows as a thumbnail there too.
      const photo = await sharp({
        create: { width: 900, height: 600, channels: 3, background: { r: 40, g: 110, b: 200 } },
      })
        .jpeg()
        .toBuffer();
      await staff.goto(`${b.baseUrl}/cases/${demo.id}`);
      await staff.getByLabel('Melding til kunden').fill('Her er målingen fra i dag.');
      await staff
        .getByLabel('Legg ved bilder eller dokumenter (valgfritt)')
        .setInputFiles([{ name: JPEG_NAME, mimeType: 'image/jpeg', buffer: photo }]);
      await staff.getByRole('button', { name: 'Send melding' }).click();
      const sent = staff.locator('.message', { hasText: 'Her er målingen fra i dag.' });
      await loaded(sent.getByRole('button', { name: `Vis bildet ${JPEG_NAME}` }).locator('img'));
      await expectNoAxeViolations(staff);

      // The customer on a phone, in Norwegian: the plan shows the photo instead of three dots.
      const token = await reissueCustomerLinkToken(b.db, demo.company_id, demo.id);
      if (!token) throw new Error('the demo customer has no active grant');
      const customer = await b.newPage(375);
      await customer.goto(`${b.baseUrl}/k/${token}`);
      await customer.waitForURL(`${b.baseUrl}/k/`);
      const menu = customer.getByRole('navigation', { name: 'Meny' });
      await menu.getByRole('button', { name: 'Prosjektplan', exact: true }).click();
      const media = customer.getByRole('region', { name: `Bilder og filer: ${task.name}` });
      const planThumbnail = media.getByRole('button', { name: `Vis bildet ${HEIC_NAME}` });
      await loaded(planThumbnail.locator('img'));
      expect(await fitsViewport(customer)).toBe(true);
      await expectNoAxeViolations(customer);
      await shot(customer, 'media-customer-plan-375');
      await viewWithKeyboard(customer, planThumbnail, HEIC_NAME, 'media-customer-viewer-375');

      // The thread shows the staff's photo as a thumbnail, which opens the viewer too.
      await menu.getByRole('button', { name: 'Kommunikasjon', exact: true }).click();
      const threadThumbnail = customer.getByRole('button', { name: `Vis bildet ${JPEG_NAME}` });
      await loaded(threadThumbnail.locator('img'));
      expect(await fitsViewport(customer)).toBe(true);
      await expectNoAxeViolations(customer);
      await shot(customer, 'media-customer-thread-375');
      await viewWithKeyboard(customer, threadThumbnail, JPEG_NAME, 'media-customer-thread-viewer-375');

      // In English on a desktop: the same photo, the viewer's texts in English.
      const desktop = await b.newPage(1280);
      await desktop.goto(`${b.baseUrl}/k/${token}`);
      await desktop.waitForURL(`${b.baseUrl}/k/`);
      await desktop.getByRole('button', { name: 'Switch to English' }).click();
      const englishMenu = desktop.getByRole('navigation', { name: 'Menu' });
      await englishMenu.getByRole('button', { name: 'Project plan', exact: true }).click();
      const englishMedia = desktop.getByRole('region', { name: `Photos and files: ${task.name}` });
      const englishThumbnail = englishMedia.getByRole('button', { name: `Show the picture ${HEIC_NAME}` });
      await loaded(englishThumbnail.locator('img'));
      await expectNoAxeViolations(desktop);
      await englishThumbnail.focus();
      await desktop.keyboard.press('Enter');
      const viewer = desktop.getByRole('dialog', { name: HEIC_NAME });
      await viewer.getByRole('link', { name: 'Download the original' }).waitFor();
      await loaded(viewer.getByRole('img', { name: HEIC_NAME }));
      await viewer.getByText('1 of 2', { exact: true }).waitFor();
      // The arrow keys move to the task's next photo, and back.
      await desktop.keyboard.press('ArrowRight');
      const next = desktop.getByRole('dialog', { name: SECOND_NAME });
      await loaded(next.getByRole('img', { name: SECOND_NAME }));
      await next.getByText('2 of 2', { exact: true }).waitFor();
      await desktop.keyboard.press('ArrowLeft');
      await loaded(viewer.getByRole('img', { name: HEIC_NAME }));
      await expectNoAxeViolations(desktop);
      await shot(desktop, 'media-customer-viewer-en-1280', false);
      // Close by its button with the keyboard: focus returns to the thumbnail.
      await viewer.getByRole('button', { name: 'Close' }).focus();
      await desktop.keyboard.press('Enter');
      await viewer.waitFor({ state: 'detached' });
      expect(await isFocused(englishThumbnail)).toBe(true);
    },
  );
});
