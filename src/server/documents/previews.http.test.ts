import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  customerGet,
  openCustomerLink,
  saveSettings,
  uniquePhone,
  uniqueSuffix,
} from '../../../test/support/customer.ts';
import { browserHeaders, signedInUser } from '../../../test/support/factory.ts';
import { multipart, PDF } from '../../../test/support/multipart.ts';
import { TEST_ORIGIN, useTestApp } from '../../../test/support/test-app.ts';
import { reissueCustomerLinkToken } from '../customer-access/reissue-link.ts';
import { createFileStorage } from '../storage/file-storage.ts';

// Previews of images (issue 16 item 7): thumbnails and display images for staff and the customer,
// HEIC shown as JPEG, a broken image still uploads, and the customer's previews follow the page.

const t = useTestApp();

/** A real HEIC photo (64×48, left half red, right half blue), made with libheif's heif-enc. */
const HEIC = readFileSync(new URL('../../../test/fixtures/photo.heic', import.meta.url));

/** An 800×600 JPEG stored sideways: EXIF orientation 6 says "turn it 90° clockwise" (600×800). */
async function sidewaysJpeg(): Promise<Buffer> {
  // Left half red, right half blue, as stored; shown turned, red is on top.
  const width = 800;
  const height = 600;
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      pixels.set(x < width / 2 ? [220, 30, 30] : [30, 30, 220], i);
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg()
    .withMetadata({ orientation: 6, exif: { IFD0: { Copyright: 'Secret camera 1234' } } })
    .toBuffer();
}

/** The colour of one pixel of an encoded image. */
async function pixelAt(image: Buffer, x: number, y: number) {
  const { data, info } = await sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const i = (y * info.width + x) * 3;
  return { r: data[i]!, g: data[i + 1]!, b: data[i + 2]! };
}

/**
 * A case of a new company with a repair task, whose customer opened the page; the project plan,
 * communication and documents shown from case creation.
 */
async function world() {
  const staff = await signedInUser(t.app, t.db, { level: 2 });
  await saveSettings(t.db, staff.companyId, {
    sendLink: 'case_created',
    accessFor: 'customer',
    showProjectPlan: 'case_created',
    showDocuments: 'case_created',
  });
  const s = uniqueSuffix();
  const headers = browserHeaders(staff.cookie);
  const created = await t.app.inject({
    method: 'POST',
    url: '/api/cases',
    headers,
    payload: {
      claimNumber: `SK-${s}`,
      address: { street: 'Markveien 40', postalCode: '0554', city: 'Oslo' },
      customer: { name: `Kunde ${s}`, email: `kunde-${s}@example.test`, phone: uniquePhone() },
    },
  });
  expect(created.statusCode, created.body).toBe(201);
  const caseId = (created.json() as { id: string }).id;
  const task = await t.app.inject({
    method: 'POST',
    url: `/api/cases/${caseId}/tasks`,
    headers,
    payload: { name: 'Riving av bad' },
  });
  expect(task.statusCode, task.body).toBe(201);
  const taskId = (task.json() as { id: string }).id;
  const token = await reissueCustomerLinkToken(t.db, staff.companyId, caseId);
  const opened = await openCustomerLink(t.app, `${TEST_ORIGIN}/k/${token}`);
  if (!opened.cookie) throw new Error('no customer session');

  const upload = async (url: string, fileName: string, content: Buffer, kind?: string) => {
    const body = multipart([
      ...(kind ? [{ name: 'kind', value: kind }] : []),
      { name: 'file', filename: fileName, content },
    ]);
    return t.app.inject({
      method: 'POST',
      url,
      headers: { ...headers, 'content-type': body.contentType },
      payload: body.payload,
    });
  };
  const uploadOk = async (url: string, fileName: string, content: Buffer, kind?: string) => {
    const response = await upload(url, fileName, content, kind);
    expect(response.statusCode, response.body).toBe(201);
    return response.json() as { id: string; contentType: string };
  };
  return {
    staff,
    caseId,
    taskId,
    customer: opened.cookie,
    upload,
    uploadTaskMedia: (fileName: string, content: Buffer) =>
      uploadOk(`/api/tasks/${taskId}/media`, fileName, content),
    uploadDocument: (fileName: string, content: Buffer) =>
      uploadOk(`/api/cases/${caseId}/documents`, fileName, content, 'other'),
    staffGet: (url: string) => t.app.inject({ method: 'GET', url, headers }),
    share: (id: string) =>
      t.app.inject({
        method: 'POST',
        url: `/api/cases/${caseId}/documents/share`,
        headers,
        payload: { documentIds: [id] },
      }),
  };
}

describe('previews of uploaded images', () => {
  it('makes a 320 px thumbnail of a JPEG with its orientation applied and its metadata removed', async () => {
    const w = await world();
    const photo = await w.uploadDocument('Vannskade.jpg', await sidewaysJpeg());

    const thumbnail = await w.staffGet(`/api/documents/${photo.id}/thumbnail`);
    expect(thumbnail.statusCode, thumbnail.body).toBe(200);
    expect(thumbnail.headers['content-type']).toBe('image/webp');
    expect(thumbnail.headers['cache-control']).toContain('private');
    expect(thumbnail.headers['x-content-type-options']).toBe('nosniff');
    const meta = await sharp(thumbnail.rawPayload).metadata();
    // Turned upright: 600×800 shown, so 320 wide and 427 high.
    expect([meta.width, meta.height]).toEqual([320, 427]);
    expect(meta.exif).toBeUndefined();
    expect(meta.orientation).toBeUndefined();
    // Red (the stored left half) is now on top, blue below.
    expect((await pixelAt(thumbnail.rawPayload, 160, 40)).r).toBeGreaterThan(150);
    expect((await pixelAt(thumbnail.rawPayload, 160, 390)).b).toBeGreaterThan(150);

    const display = await w.staffGet(`/api/documents/${photo.id}/display`);
    expect(display.statusCode).toBe(200);
    expect(display.headers['content-type']).toBe('image/jpeg');
    const shown = await sharp(display.rawPayload).metadata();
    expect([shown.width, shown.height]).toEqual([600, 800]);
  });

  it('shows a HEIC photo as JPEG while its original downloads unchanged', async () => {
    const w = await world();
    const photo = await w.uploadTaskMedia('IMG_0001.HEIC', HEIC);
    expect(photo.contentType).toBe('image/heic');

    const display = await w.staffGet(`/api/documents/${photo.id}/display`);
    expect(display.statusCode, display.body).toBe(200);
    expect(display.headers['content-type']).toBe('image/jpeg');
    const meta = await sharp(display.rawPayload).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 64, 48]);
    expect((await pixelAt(display.rawPayload, 8, 24)).r).toBeGreaterThan(150);
    expect((await pixelAt(display.rawPayload, 56, 24)).b).toBeGreaterThan(150);

    const thumbnail = await w.staffGet(`/api/documents/${photo.id}/thumbnail`);
    expect(thumbnail.statusCode).toBe(200);
    expect((await sharp(thumbnail.rawPayload).metadata()).width).toBe(64);

    const original = await w.staffGet(`/api/documents/${photo.id}/download`);
    expect(original.statusCode).toBe(200);
    expect(original.headers['content-type']).toBe('image/heic');
    expect(original.rawPayload.equals(HEIC)).toBe(true);
  });

  it('keeps a broken image that cannot be decoded, without a preview', async () => {
    const w = await world();
    // JPEG's start, then garbage: sniffed as JPEG, but no decoder can read it.
    const broken = Buffer.concat([
      Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
      Buffer.from('not really a photo'.repeat(20)),
    ]);
    const photo = await w.uploadDocument('Ødelagt.jpg', broken);

    const list = await w.staffGet(`/api/cases/${w.caseId}/documents`);
    expect((list.json() as { items: Array<{ id: string }> }).items.map((d) => d.id)).toContain(photo.id);
    const original = await w.staffGet(`/api/documents/${photo.id}/download`);
    expect(original.rawPayload.equals(broken)).toBe(true);
    expect((await w.staffGet(`/api/documents/${photo.id}/thumbnail`)).statusCode).toBe(404);
    expect((await w.staffGet(`/api/documents/${photo.id}/display`)).statusCode).toBe(404);
  });

  it('makes the preview of an older image on its first request, and none for a PDF', async () => {
    const w = await world();
    const photo = await w.uploadDocument('Tak.jpg', await sidewaysJpeg());
    const pdf = await w.uploadDocument('Rapport.pdf', PDF);
    // As if uploaded before previews existed.
    const storage = createFileStorage(t.config);
    const row = await t.db
      .selectFrom('documents')
      .select('storage_key')
      .where('id', '=', photo.id)
      .executeTakeFirstOrThrow();
    await storage.delete(`previews/${row.storage_key}.thumb`);
    await storage.delete(`previews/${row.storage_key}.view`);
    expect(await storage.exists(`previews/${row.storage_key}.thumb`)).toBe(false);

    const thumbnail = await w.staffGet(`/api/documents/${photo.id}/thumbnail`);
    expect(thumbnail.statusCode).toBe(200);
    expect((await sharp(thumbnail.rawPayload).metadata()).width).toBe(320);
    expect(await storage.exists(`previews/${row.storage_key}.thumb`)).toBe(true);
    expect((await w.staffGet(`/api/documents/${pdf.id}/thumbnail`)).statusCode).toBe(404);
  });

  it('removes the previews with their document', async () => {
    const w = await world();
    const photo = await w.uploadDocument('Gulv.jpg', await sidewaysJpeg());
    const storage = createFileStorage(t.config);
    const { storage_key: key } = await t.db
      .selectFrom('documents')
      .select('storage_key')
      .where('id', '=', photo.id)
      .executeTakeFirstOrThrow();
    expect(await storage.exists(`previews/${key}.thumb`)).toBe(true);
    const deleted = await t.app.inject({
      method: 'DELETE',
      url: `/api/cases/${w.caseId}/documents/${photo.id}`,
      headers: browserHeaders(w.staff.cookie),
    });
    expect(deleted.statusCode, deleted.body).toBe(204);
    expect(await storage.exists(`previews/${key}.thumb`)).toBe(false);
    expect(await storage.exists(`previews/${key}.view`)).toBe(false);
  });

  it("answers 404 to another company's staff", async () => {
    const w = await world();
    const photo = await w.uploadDocument('Vegg.jpg', await sidewaysJpeg());
    const other = await signedInUser(t.app, t.db);
    const response = await t.app.inject({
      method: 'GET',
      url: `/api/documents/${photo.id}/thumbnail`,
      headers: browserHeaders(other.cookie),
    });
    expect(response.statusCode).toBe(404);
    const anonymous = await t.app.inject({ method: 'GET', url: `/api/documents/${photo.id}/thumbnail` });
    expect(anonymous.statusCode).toBe(401);
  });
});

describe('previews on the customer page', () => {
  interface Page {
    model: { tasks: Array<{ id: string; hasMedia: boolean; media: Array<{ id: string; name: string }> }> };
  }

  it('shows task media of the plan, and only documents the page shows', async () => {
    const w = await world();
    const media = await w.uploadTaskMedia('Før riving.heic', HEIC);
    const unshared = await w.uploadDocument('Internt.jpg', await sidewaysJpeg());

    const page = await customerGet(t.app, '/api/customer/page', w.customer);
    expect(page.statusCode, page.body).toBe(200);
    const task = (page.json() as Page).model.tasks.find((x) => x.id === w.taskId);
    expect(task?.media.map((m) => m.name)).toEqual(['Før riving.heic']);

    const thumbnail = await customerGet(t.app, `/api/customer/documents/${media.id}/thumbnail`, w.customer);
    expect(thumbnail.statusCode, thumbnail.body).toBe(200);
    expect(thumbnail.headers['content-type']).toBe('image/webp');
    const display = await customerGet(t.app, `/api/customer/documents/${media.id}/display`, w.customer);
    expect(display.headers['content-type']).toBe('image/jpeg');
    const original = await customerGet(t.app, `/api/customer/documents/${media.id}/download`, w.customer);
    expect(original.rawPayload.equals(HEIC)).toBe(true);

    // Not shared: neither its thumbnail nor its display image, as with its download.
    for (const kind of ['thumbnail', 'display', 'download']) {
      const response = await customerGet(t.app, `/api/customer/documents/${unshared.id}/${kind}`, w.customer);
      expect(response.statusCode, kind).toBe(404);
    }
    // Shared by hand: now it is on the page, and its thumbnail with it.
    expect((await w.share(unshared.id)).statusCode).toBe(200);
    const shared = await customerGet(t.app, `/api/customer/documents/${unshared.id}/thumbnail`, w.customer);
    expect(shared.statusCode).toBe(200);
  });

  it('hides task media once the project plan is hidden, and needs a session', async () => {
    const w = await world();
    const media = await w.uploadTaskMedia('Etter.jpg', await sidewaysJpeg());
    const url = `/api/customer/documents/${media.id}/thumbnail`;
    expect((await customerGet(t.app, url, w.customer)).statusCode).toBe(200);
    expect((await customerGet(t.app, url, null)).statusCode).toBe(401);

    await saveSettings(t.db, w.staff.companyId, {
      sendLink: 'case_created',
      accessFor: 'customer',
      showProjectPlan: 'never',
      showDocuments: 'case_created',
    });
    expect((await customerGet(t.app, url, w.customer)).statusCode).toBe(404);
    const page = await customerGet(t.app, '/api/customer/page', w.customer);
    expect((page.json() as Page).model.tasks).toEqual([]);
  });
});
