import { describe, expect, it } from 'vitest';
import type { CustomerPageSettings } from '../../common/rules/customer-page-settings.ts';
import type {
  MessageThreadView,
  MessageView,
  NotificationListView,
} from '../../common/contracts/message-api.ts';
import {
  customerGet,
  customerPost,
  deliver,
  linkIn,
  openCustomerLink,
  saveSettings,
  uniquePhone,
  uniqueSuffix,
} from '../../../test/support/customer.ts';
import { browserHeaders, makeActor, makeCase, signedInUser } from '../../../test/support/factory.ts';
import { storedFiles as storedFilesOf } from '../../../test/support/files.ts';
import { multipart, PDF, PNG, type Part } from '../../../test/support/multipart.ts';
import { useSinks } from '../../../test/support/sinks.ts';
import { TEST_ORIGIN, useTestApp } from '../../../test/support/test-app.ts';
import { createCompany } from '../companies/companies.ts';
import { noQuietHours } from '../../common/rules/quiet-hours.ts';
import { createFileStorage } from '../storage/file-storage.ts';
import { postCustomerMessage } from './customer-messages.ts';

// Customer communication (issue 7) over HTTP, on SQLite and PostgreSQL: the three communication
// methods from both sides, unread signals and their clearing, notices queued exactly once per
// message and person, refused files leaving nothing behind.

const sinks = useSinks();
const t = useTestApp(sinks.env);

interface CustomerMessageBody {
  id: string;
  senderEmail: string;
  fromCustomer: boolean;
  own: boolean;
  text: string;
  attachments: Array<{ id: string; name: string; url: string }>;
}

/**
 * A company with `settings`, a case handled by a signed-in level-6 user, whose customer (and, with
 * `withContact`, a contact person) opened the link they were e-mailed.
 */
async function world(
  settings: Partial<CustomerPageSettings> = {},
  options: { withContact?: boolean; companyName?: string; customerName?: string } = {},
) {
  const companyId = options.companyName
    ? // No quiet hours: the notices must reach the sink whatever the wall clock.
      (
        await createCompany(
          t.db,
          { name: options.companyName, portalType: 'insurance' },
          { quietHours: noQuietHours },
        )
      ).id
    : undefined;
  const staff = await signedInUser(t.app, t.db, { level: 6, ...(companyId && { companyId }) });
  await saveSettings(t.db, staff.companyId, {
    sendLink: 'case_created',
    accessFor: options.withContact ? 'both' : 'customer',
    ...settings,
  });
  const actor = await makeActor(t.db, { companyId: staff.companyId, level: 6 });
  const s = uniqueSuffix();
  const email = `kunde-${s}@example.test`;
  const contactEmail = `kontakt-${s}@example.test`;
  const { id: caseId } = await makeCase(t.db, actor, {
    claimNumber: `SK-${s}`,
    customer: { name: options.customerName ?? `Kari ${s}`, email, phone: uniquePhone() },
    contacts: options.withContact ? [{ name: `Per ${s}`, email: contactEmail, role: 'contact_person' }] : [],
    caseHandlerId: staff.id,
  });
  await deliver(t);
  const open = async (address: string) => {
    const mail = sinks.mails.find((m) => m.to.includes(address) && m.subject.startsWith('Kundesiden'));
    if (!mail) throw new Error(`no link e-mail to ${address}`);
    const opened = await openCustomerLink(t.app, linkIn(mail.text));
    if (!opened.cookie) throw new Error('no customer session');
    return opened.cookie;
  };
  const customer = await open(email);
  const contact = options.withContact ? await open(contactEmail) : null;
  return { staff, caseId, s, email, contactEmail, customer, contact };
}

const staffPost = (cookie: string, url: string, payload: object = {}) =>
  t.app.inject({ method: 'POST', url, headers: browserHeaders(cookie), payload });
const staffGet = (cookie: string, url: string) => t.app.inject({ method: 'GET', url, headers: { cookie } });

const thread = async (cookie: string, caseId: string) => {
  const response = await staffGet(cookie, `/api/cases/${caseId}/messages`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as MessageThreadView;
};

const customerMessages = async (cookie: string) => {
  const response = await customerGet(t.app, '/api/customer/page', cookie);
  expect(response.statusCode, response.body).toBe(200);
  return (response.json() as { model: { messages: { items: CustomerMessageBody[] } } }).model.messages.items;
};

function postMultipart(url: string, parts: Part[], headers: Record<string, string>) {
  const { payload, contentType } = multipart(parts);
  return t.app.inject({ method: 'POST', url, headers: { ...headers, 'content-type': contentType }, payload });
}
const customerHeaders = (cookie: string) => ({ cookie, origin: TEST_ORIGIN });
const fileOf = (filename: string, content: Buffer): Part => ({ name: 'files', filename, content });

const rows = {
  messages: (caseId: string) =>
    t.db.selectFrom('case_messages').selectAll().where('case_id', '=', caseId).execute(),
  documents: (caseId: string) =>
    t.db.selectFrom('documents').selectAll().where('case_id', '=', caseId).execute(),
  events: (caseId: string, kinds: string[]) =>
    t.db
      .selectFrom('case_events')
      .selectAll()
      .where('case_id', '=', caseId)
      .where('kind', 'in', kinds)
      .orderBy('occurred_at')
      .execute(),
  outbox: (caseId: string, kind: string) =>
    t.db
      .selectFrom('outbox')
      .selectAll()
      .where('case_id', '=', caseId)
      .where('kind', '=', kind as 'staff_notice')
      .execute(),
};

const storedFiles = (companyId: string) => storedFilesOf(t.config.dataDir, companyId);

async function dashboardCaseIds(cookie: string): Promise<string[]> {
  const response = await staffGet(cookie, '/api/dashboard/cases?row=customerUploads&column=today');
  expect(response.statusCode, response.body).toBe(200);
  return (response.json() as { items: Array<{ id: string }> }).items.map((c) => c.id);
}

async function banner(cookie: string, caseId: string): Promise<number> {
  const response = await staffGet(cookie, `/api/cases/${caseId}`);
  return (response.json() as { banners: { unreadCustomerMessages: number } }).banners.unreadCustomerMessages;
}

describe('both ways', () => {
  it('lets the customer write: unread for staff, counted, bannered, the handler notified once without the text', async () => {
    const w = await world();
    const text = `Vann i kjelleren igjen ${w.s}`;
    const posted = await customerPost(t.app, '/api/customer/messages', w.customer, { body: text });
    expect(posted.statusCode, posted.body).toBe(201);
    expect(posted.json()).toMatchObject({ text, fromCustomer: true, own: true, senderEmail: w.email });

    const staffView = await thread(w.staff.cookie, w.caseId);
    expect(staffView.unreadFromCustomer).toBe(1);
    expect(staffView.items[0]).toMatchObject({
      direction: 'from_customer',
      body: text,
      readAt: null,
      sender: { kind: 'customer', name: `Kari ${w.s}`, email: w.email },
    });
    expect(await banner(w.staff.cookie, w.caseId)).toBe(1);
    expect(await dashboardCaseIds(w.staff.cookie)).toContain(w.caseId);
    expect((await rows.events(w.caseId, ['message_from_customer'])).map((e) => e.actor_kind)).toEqual([
      'customer',
    ]);

    // The case handler's notification: in the list, and one e-mail without the message text.
    const list = (await staffGet(w.staff.cookie, '/api/notifications')).json() as NotificationListView;
    expect(list.unread).toBe(1);
    expect(list.items[0]).toMatchObject({ caseId: w.caseId, from: `Kari ${w.s}`, readAt: null });
    const notices = await rows.outbox(w.caseId, 'staff_notice');
    expect(notices.map((n) => n.recipient)).toEqual([w.staff.email]);
    await deliver(t);
    const mail = sinks.mails.find((m) => m.to.includes(w.staff.email));
    expect(mail?.subject).toBe(`Ny melding fra kunden i sak SK-${w.s}`);
    expect(mail?.text).toContain(`/cases/${w.caseId}`);
    expect(mail?.text).not.toContain(text);
    expect(mail?.html).not.toContain(text);
  });

  it('answers from staff reach the customer page with a news event, and notify each person once by e-mail', async () => {
    const w = await world({ newsFilter: ['message_to_customer'] });
    const text = `Takk, vi kommer i morgen ${w.s}`;
    const posted = await staffPost(w.staff.cookie, `/api/cases/${w.caseId}/messages`, { body: text });
    expect(posted.statusCode, posted.body).toBe(201);
    const view = posted.json() as MessageView;
    expect(view).toMatchObject({
      direction: 'to_customer',
      body: text,
      sender: { kind: 'user', email: w.staff.email },
    });

    const seen = await customerMessages(w.customer);
    expect(seen).toEqual([
      expect.objectContaining({
        id: view.id,
        text,
        fromCustomer: false,
        own: false,
        senderEmail: w.staff.email,
      }),
    ]);
    const page = (await customerGet(t.app, '/api/customer/page', w.customer)).json() as {
      model: { news: { items: Array<{ kind: string }> } };
    };
    expect(page.model.news.items.map((n) => n.kind)).toEqual(['message_to_customer']);

    const notices = await rows.outbox(w.caseId, 'message_notice');
    expect(notices.map((n) => [n.channel, n.recipient])).toEqual([['email', w.email]]);
    await deliver(t);
    const mail = sinks.mails.find((m) => m.to.includes(w.email) && m.subject.startsWith('Ny melding'));
    if (!mail) throw new Error('no notice e-mail');
    expect(mail.text).not.toContain(text);
    // The link in the notice opens the customer page, as the person's own link does.
    const opened = await openCustomerLink(t.app, linkIn(mail.text));
    expect(opened.cookie).not.toBeNull();
    expect((await customerMessages(opened.cookie!)).map((m) => m.id)).toEqual([view.id]);
    // Delivering again sends nothing twice.
    const before = sinks.mails.length;
    await deliver(t);
    expect(sinks.mails.length).toBe(before);
  });

  it('sends the notice by SMS, with the link and never the text, to a person without e-mail', async () => {
    const staff = await signedInUser(t.app, t.db, { level: 6 });
    await saveSettings(t.db, staff.companyId, { sendLink: 'case_created', accessFor: 'customer' });
    const actor = await makeActor(t.db, { companyId: staff.companyId, level: 6 });
    const phone = uniquePhone();
    const { id: caseId } = await makeCase(t.db, actor, { customer: { name: 'Ola Telefon', phone } });
    const text = `Hemmelig tekst ${uniqueSuffix()}`;
    expect((await staffPost(staff.cookie, `/api/cases/${caseId}/messages`, { body: text })).statusCode).toBe(
      201,
    );
    await deliver(t);
    const notices = sinks.sms.filter((m) => m.to === phone && m.body.includes('ny melding'));
    expect(notices).toHaveLength(1);
    expect(notices[0]!.body).not.toContain(text);
    const opened = await openCustomerLink(t.app, linkIn(notices[0]!.body));
    expect(opened.cookie).not.toBeNull();
  });

  it('"Mark all messages as read" clears banner, count and notifications, and is logged once', async () => {
    const w = await world();
    await customerPost(t.app, '/api/customer/messages', w.customer, { body: 'Én' });
    await customerPost(t.app, '/api/customer/messages', w.customer, { body: 'To' });
    expect(await banner(w.staff.cookie, w.caseId)).toBe(2);

    const marked = await staffPost(w.staff.cookie, `/api/cases/${w.caseId}/messages/mark-all-read`);
    expect(marked.statusCode, marked.body).toBe(200);
    expect(marked.json()).toEqual({ marked: 2 });
    expect(await banner(w.staff.cookie, w.caseId)).toBe(0);
    expect(await dashboardCaseIds(w.staff.cookie)).not.toContain(w.caseId);
    expect((await thread(w.staff.cookie, w.caseId)).items.every((m) => m.readAt !== null)).toBe(true);
    const list = (await staffGet(w.staff.cookie, '/api/notifications')).json() as NotificationListView;
    expect(list.unread).toBe(0);

    const again = await staffPost(w.staff.cookie, `/api/cases/${w.caseId}/messages/mark-all-read`);
    expect(again.json()).toEqual({ marked: 0 });
    expect(await rows.events(w.caseId, ['customer_messages_read'])).toHaveLength(1);
    // A new message makes the case unread again.
    await customerPost(t.app, '/api/customer/messages', w.customer, { body: 'Tre' });
    expect(await banner(w.staff.cookie, w.caseId)).toBe(1);
  });
});

describe('placeholders typed into names (issue 15, item 11)', () => {
  it('stay literal in the notices: the link appears only where the template has it', async () => {
    const s = uniqueSuffix();
    const companyName = `Firma {{code}} ${s}`;
    const customerName = `Kari {{link}} {{brace}} {{constructor}} ${s}`;
    const w = await world({}, { companyName, customerName });
    expect(
      (await staffPost(w.staff.cookie, `/api/cases/${w.caseId}/messages`, { body: 'Hei' })).statusCode,
    ).toBe(201);
    await customerPost(t.app, '/api/customer/messages', w.customer, { body: 'Takk' });
    await deliver(t);

    const notice = sinks.mails.find((m) => m.to.includes(w.email) && m.subject.startsWith('Ny melding'));
    if (!notice) throw new Error('no notice e-mail');
    expect(notice.subject).toBe(`Ny melding fra ${companyName}`);
    expect(notice.text).toContain(`Hei ${customerName},`);
    expect(notice.text).toContain(`${companyName} har sendt deg en ny melding`);
    expect(notice.html).toContain(`<p>Hei ${customerName},</p>`);
    const links = (text: string) => text.match(/https?:\/\/[^\s"<>]+\/k\/[A-Za-z0-9_-]+/g) ?? [];
    expect(links(notice.text)).toHaveLength(1);
    expect(notice.text).toContain(
      `${companyName} har sendt deg en ny melding om skadesaken din. Du leser den på kundesiden.`,
    );
    expect(notice.text).toMatch(/Les meldingen:\r?\nhttp:\/\/kundeside\.test\/k\/[\w-]+\r?\n/);
    expect(links(notice.html)).toHaveLength(2);

    // The handler's notice names the customer as written, with no link and no placeholder filled.
    const staffNotice = sinks.mails.find((m) => m.to.includes(w.staff.email));
    if (!staffNotice) throw new Error('no staff notice');
    expect(staffNotice.text).toContain(`${customerName} har sendt en melding`);
    expect(staffNotice.text).toContain(companyName);
    expect(staffNotice.html).toContain(`<p>${customerName} har sendt en melding`);
    expect(links(staffNotice.text)).toEqual([]);
  });
});

describe('only to the customer', () => {
  it('lets the customer read but not write (403, nothing stored); staff write', async () => {
    const w = await world({ communicationMethod: 'to_customer' });
    const refused = await customerPost(t.app, '/api/customer/messages', w.customer, { body: 'Hei' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('communication_not_allowed');
    const upload = await postMultipart(
      '/api/customer/messages',
      [{ name: 'body', value: 'Bilde' }, fileOf('bilde.png', PNG)],
      customerHeaders(w.customer),
    );
    expect(upload.statusCode).toBe(403);
    expect(await rows.messages(w.caseId)).toEqual([]);
    expect(await rows.documents(w.caseId)).toEqual([]);
    expect(storedFiles(w.staff.companyId)).toEqual([]);

    expect(
      (await staffPost(w.staff.cookie, `/api/cases/${w.caseId}/messages`, { body: 'Fra oss' })).statusCode,
    ).toBe(201);
    expect((await customerMessages(w.customer)).map((m) => m.text)).toEqual(['Fra oss']);
    const thread_ = await thread(w.staff.cookie, w.caseId);
    expect(thread_.communication).toEqual({ method: 'to_customer', staffCanPost: true });
  });
});

describe('only from the customer', () => {
  it('refuses staff messages and shows each person only their own', async () => {
    const w = await world({ communicationMethod: 'from_customer' }, { withContact: true });
    const refused = await staffPost(w.staff.cookie, `/api/cases/${w.caseId}/messages`, { body: 'Svar' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('communication_not_allowed');
    expect(await rows.messages(w.caseId)).toEqual([]);
    expect(await rows.outbox(w.caseId, 'message_notice')).toEqual([]);

    expect(
      (await customerPost(t.app, '/api/customer/messages', w.customer, { body: 'Fra Kari' })).statusCode,
    ).toBe(201);
    expect(
      (await customerPost(t.app, '/api/customer/messages', w.contact, { body: 'Fra Per' })).statusCode,
    ).toBe(201);
    expect((await customerMessages(w.customer)).map((m) => [m.text, m.own])).toEqual([['Fra Kari', true]]);
    expect((await customerMessages(w.contact!)).map((m) => [m.text, m.own])).toEqual([['Fra Per', true]]);
    // Staff see both.
    const staffView = await thread(w.staff.cookie, w.caseId);
    expect(staffView.items.map((m) => m.body).sort()).toEqual(['Fra Kari', 'Fra Per']);
    expect(staffView.communication.staffCanPost).toBe(false);
  });

  it("does not let one person download another's attachment", async () => {
    const w = await world({ communicationMethod: 'from_customer' }, { withContact: true });
    const sent = await postMultipart(
      '/api/customer/messages',
      [fileOf('kari.pdf', PDF)],
      customerHeaders(w.customer),
    );
    expect(sent.statusCode, sent.body).toBe(201);
    const attachment = (sent.json() as CustomerMessageBody).attachments[0]!;
    expect((await customerGet(t.app, attachment.url, w.customer)).statusCode).toBe(200);
    expect((await customerGet(t.app, attachment.url, w.contact)).statusCode).toBe(404);
  });
});

describe('communication hidden', () => {
  it('refuses both sides and sends no thread', async () => {
    const w = await world({ showCommunication: 'never' });
    expect(
      (await staffPost(w.staff.cookie, `/api/cases/${w.caseId}/messages`, { body: 'x' })).statusCode,
    ).toBe(403);
    expect((await customerPost(t.app, '/api/customer/messages', w.customer, { body: 'x' })).statusCode).toBe(
      403,
    );
    expect(await customerMessages(w.customer)).toEqual([]);
    expect(await rows.messages(w.caseId)).toEqual([]);
  });
});

describe('files in messages', () => {
  it('takes a photo and a PDF from the customer into the thread and the document library, unseen', async () => {
    const w = await world();
    const sent = await postMultipart(
      '/api/customer/messages',
      [
        { name: 'body', value: 'Bilder av skaden' },
        fileOf('kjeller.png', PNG),
        fileOf('kvittering.pdf', PDF),
      ],
      customerHeaders(w.customer),
    );
    expect(sent.statusCode, sent.body).toBe(201);
    const message = sent.json() as CustomerMessageBody;
    expect(message.attachments.map((a) => a.name)).toEqual(['kjeller.png', 'kvittering.pdf']);

    const library = await rows.documents(w.caseId);
    expect(library.map((d) => [d.file_name, d.uploaded_by_kind, d.seen_at, d.shared_at]).sort()).toEqual([
      ['kjeller.png', 'customer', null, null],
      ['kvittering.pdf', 'customer', null, null],
    ]);
    expect(storedFiles(w.staff.companyId)).toHaveLength(2);
    const download = await customerGet(t.app, message.attachments[0]!.url, w.customer);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-disposition']).toMatch(/^attachment;/);
    expect(download.rawPayload.equals(PNG)).toBe(true);

    const staffView = await thread(w.staff.cookie, w.caseId);
    const staffUrl = staffView.items[0]!.attachments[0]!.url;
    expect((await staffGet(w.staff.cookie, staffUrl)).rawPayload.equals(PNG)).toBe(true);
    // Marking read marks the files seen too: the dashboard row is empty for the case.
    await staffPost(w.staff.cookie, `/api/cases/${w.caseId}/messages/mark-all-read`);
    expect((await rows.documents(w.caseId)).every((d) => d.seen_at !== null)).toBe(true);
    expect(await dashboardCaseIds(w.staff.cookie)).not.toContain(w.caseId);
  });

  it('lets staff send files the customer can download, and not a customer of another case', async () => {
    const w = await world();
    const other = await world();
    const sent = await postMultipart(
      `/api/cases/${w.caseId}/messages`,
      [{ name: 'body', value: 'Tilbudet' }, fileOf('tilbud.pdf', PDF)],
      browserHeaders(w.staff.cookie),
    );
    expect(sent.statusCode, sent.body).toBe(201);
    const [attachment] = (await customerMessages(w.customer))[0]!.attachments;
    expect((await customerGet(t.app, attachment!.url, w.customer)).statusCode).toBe(200);
    expect((await customerGet(t.app, attachment!.url, other.customer)).statusCode).toBe(404);
  });

  const refusals: Array<[string, Part, number, RegExp]> = [
    [
      'an HTML file',
      fileOf('side.html', Buffer.from('<!doctype html><html><script>alert(1)</script></html>')),
      415,
      /not accepted|not allowed|type/i,
    ],
    [
      'an SVG with a script',
      fileOf(
        'bilde.svg',
        Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'),
      ),
      415,
      /not accepted|not allowed|type/i,
    ],
    [
      'a file whose bytes do not match its extension',
      fileOf('rapport.pdf', PNG),
      415,
      /\.pdf|extension|match/i,
    ],
  ];
  for (const [what, part, status, message] of refusals) {
    it(`refuses ${what} with ${status}, keeping nothing of the message, even its good file`, async () => {
      const w = await world();
      const response = await postMultipart(
        '/api/customer/messages',
        [{ name: 'body', value: 'Se vedlegg' }, fileOf('ok.png', PNG), part],
        customerHeaders(w.customer),
      );
      expect(response.statusCode, response.body).toBe(status);
      expect(response.json().error.message).toMatch(message);
      expect(await rows.messages(w.caseId)).toEqual([]);
      expect(await rows.documents(w.caseId)).toEqual([]);
      expect(await rows.events(w.caseId, ['message_from_customer', 'document_uploaded'])).toEqual([]);
      expect(storedFiles(w.staff.companyId)).toEqual([]);
    });
  }

  it('refuses a file over 25 MB with 413 and keeps nothing', async () => {
    const w = await world();
    const big = Buffer.concat([PNG, Buffer.alloc(25 * 1024 * 1024 + 1, 0)]);
    const response = await postMultipart(
      '/api/customer/messages',
      [fileOf('stor.png', big)],
      customerHeaders(w.customer),
    );
    expect(response.statusCode, response.body).toBe(413);
    expect(response.json().error.code).toBe('payload_too_large');
    expect(await rows.messages(w.caseId)).toEqual([]);
    expect(await rows.documents(w.caseId)).toEqual([]);
    expect(storedFiles(w.staff.companyId)).toEqual([]);
  });

  it('refuses more than 10 files, and files in another field', async () => {
    const w = await world();
    const eleven = Array.from({ length: 11 }, (_, i) => fileOf(`bilde-${i}.png`, PNG));
    const tooMany = await postMultipart('/api/customer/messages', eleven, customerHeaders(w.customer));
    expect(tooMany.statusCode, tooMany.body).toBe(400);
    const wrongField = await postMultipart(
      '/api/customer/messages',
      [{ name: 'file', filename: 'a.png', content: PNG }],
      customerHeaders(w.customer),
    );
    expect(wrongField.statusCode).toBe(400);
    expect(await rows.messages(w.caseId)).toEqual([]);
    expect(storedFiles(w.staff.companyId)).toEqual([]);
  });
});

describe('bad requests', () => {
  it('refuses an empty or too long message and unknown fields with 400', async () => {
    const w = await world();
    for (const payload of [
      { body: '' },
      { body: '   ' },
      { body: 'x'.repeat(5001) },
      { body: 'x', extra: 1 },
      {},
    ]) {
      const customer = await customerPost(t.app, '/api/customer/messages', w.customer, payload);
      expect(customer.statusCode, JSON.stringify(payload)).toBe(400);
      expect(customer.json().error.code).toBe('validation_failed');
      const staff = await staffPost(w.staff.cookie, `/api/cases/${w.caseId}/messages`, payload);
      expect(staff.statusCode, JSON.stringify(payload)).toBe(400);
    }
    expect(await rows.messages(w.caseId)).toEqual([]);
  });

  it('answers 401 without a session, 403 without the right Origin, 404 for another company', async () => {
    const w = await world();
    const outsider = await signedInUser(t.app, t.db, { level: 6 });
    expect((await customerPost(t.app, '/api/customer/messages', null, { body: 'x' })).statusCode).toBe(401);
    const foreign = await t.app.inject({
      method: 'POST',
      url: '/api/customer/messages',
      headers: { cookie: w.customer, origin: 'https://evil.example' },
      payload: { body: 'x' },
    });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().error.code).toBe('csrf_rejected');
    for (const url of [`/api/cases/${w.caseId}/messages`, `/api/cases/${w.caseId}/messages/mark-all-read`]) {
      expect(
        (await staffPost(outsider.cookie, url, url.endsWith('messages') ? { body: 'x' } : {})).statusCode,
      ).toBe(404);
    }
    expect((await staffGet(outsider.cookie, `/api/cases/${w.caseId}/messages`)).statusCode).toBe(404);
    expect(await rows.messages(w.caseId)).toEqual([]);
  });

  it("keeps a user's notifications their own", async () => {
    const w = await world();
    await customerPost(t.app, '/api/customer/messages', w.customer, { body: 'Hei' });
    const [notification] = (
      (await staffGet(w.staff.cookie, '/api/notifications')).json() as NotificationListView
    ).items;
    const colleague = await signedInUser(t.app, t.db, { companyId: w.staff.companyId, level: 6 });
    expect(
      ((await staffGet(colleague.cookie, '/api/notifications')).json() as NotificationListView).unread,
    ).toBe(0);
    expect(
      (await staffPost(colleague.cookie, `/api/notifications/${notification!.id}/read`)).statusCode,
    ).toBe(404);
    const read = await staffPost(w.staff.cookie, `/api/notifications/${notification!.id}/read`);
    expect((read.json() as NotificationListView).unread).toBe(0);
  });
});

describe('one unit of work with the case (issue 12)', () => {
  it('marks all read once for ten simultaneous requests: one event, every message counted once', async () => {
    const w = await world();
    for (const body of ['Én', 'To', 'Tre']) {
      await customerPost(t.app, '/api/customer/messages', w.customer, { body });
    }
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        staffPost(w.staff.cookie, `/api/cases/${w.caseId}/messages/mark-all-read`),
      ),
    );
    expect(answers.map((a) => a.statusCode)).toEqual(Array.from({ length: 10 }, () => 200));
    const marked = answers.map((a) => (a.json() as { marked: number }).marked);
    expect(marked.reduce((sum, n) => sum + n, 0)).toBe(3);
    expect(marked.filter((n) => n > 0)).toEqual([3]);
    expect(await rows.events(w.caseId, ['customer_messages_read'])).toHaveLength(1);
  });

  it('writes nothing for a customer whose access was removed after their session was checked', async () => {
    const w = await world();
    const grant = await t.db
      .selectFrom('customer_access')
      .select(['id', 'contact_id'])
      .where('case_id', '=', w.caseId)
      .executeTakeFirstOrThrow();
    const removed = await t.app.inject({
      method: 'DELETE',
      url: `/api/cases/${w.caseId}/customer-access/${grant.contact_id}`,
      headers: browserHeaders(w.staff.cookie),
    });
    expect(removed.statusCode, removed.body).toBe(200);
    // The route's session check passed before the removal committed; the command reads the grant again.
    const deps = { db: t.db, storage: createFileStorage(t.config) };
    const refused = postCustomerMessage(
      deps,
      { company_id: w.staff.companyId, case_id: w.caseId },
      { accessId: grant.id, name: `Kari ${w.s}`, email: w.email },
      { kind: 'json', body: { body: 'Hei' } },
    );
    await expect(refused).rejects.toMatchObject({ code: 'forbidden' });
    expect(await rows.messages(w.caseId)).toEqual([]);
    expect(await rows.events(w.caseId, ['message_from_customer'])).toEqual([]);
    expect(await rows.outbox(w.caseId, 'staff_notice')).toEqual([]);
  });
});

describe('what a staff message really reached (issue 16)', () => {
  it('answers who has access and who was told: nobody yet, a page that hides the thread, or each person by e-mail or SMS', async () => {
    const staff = await signedInUser(t.app, t.db, { level: 6 });
    await saveSettings(t.db, staff.companyId, { sendLink: 'manual', accessFor: 'both' });
    const actor = await makeActor(t.db, { companyId: staff.companyId, level: 6 });
    const s = uniqueSuffix();
    const email = `kunde-${s}@example.test`;
    const perPhone = uniquePhone();
    const { id: caseId } = await makeCase(t.db, actor, {
      customer: { name: `Kari ${s}`, email, phone: uniquePhone() },
      contacts: [{ name: `Per ${s}`, phone: perPhone, role: 'contact_person' }],
    });
    const post = (body: string) => staffPost(staff.cookie, `/api/cases/${caseId}/messages`, { body });

    // Nobody has access yet: the message is kept, and the answer says nobody can read it.
    const first = await post('Vi har mottatt saken.');
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json().delivery).toEqual({ peopleWithAccess: 0, customerCanRead: true, notified: [] });

    // Both given access: each told once, by e-mail, or by SMS without an e-mail address.
    const people = (await staffGet(staff.cookie, `/api/cases/${caseId}/customer-access`)).json() as {
      people: Array<{ contactId: string }>;
    };
    for (const person of people.people) {
      expect(
        (
          await staffPost(staff.cookie, `/api/cases/${caseId}/customer-access`, {
            contactId: person.contactId,
          })
        ).statusCode,
      ).toBe(200);
    }
    const second = await post('Takstmannen kommer tirsdag.');
    expect(second.statusCode).toBe(201);
    const delivery = second.json().delivery as { notified: Array<{ name: string }> };
    expect({
      ...delivery,
      notified: [...delivery.notified].sort((a, b) => a.name.localeCompare(b.name)),
    }).toEqual({
      peopleWithAccess: 2,
      customerCanRead: true,
      notified: [
        { name: `Kari ${s}`, channel: 'email' },
        { name: `Per ${s}`, channel: 'sms' },
      ],
    });
    await deliver(t);
    expect(
      sinks.mails.filter((m) => m.to.includes(email) && !m.subject.startsWith('Kundesiden')),
    ).toHaveLength(1);
    expect(sinks.sms.filter((m) => m.to === perPhone)).toHaveLength(2); // the link, then the notice

    // The page shows the thread only from the main inspection on: kept, nobody told.
    await saveSettings(t.db, staff.companyId, {
      sendLink: 'manual',
      accessFor: 'both',
      showCommunication: 'main_inspection_assigned',
    });
    const third = await post('Vi ringer deg.');
    expect(third.statusCode).toBe(201);
    expect(third.json().delivery).toEqual({ peopleWithAccess: 2, customerCanRead: false, notified: [] });

    // The thread's entries keep their shape (the answer of the post alone says who was told).
    const listed = await thread(staff.cookie, caseId);
    expect(listed.items).toHaveLength(3);
    expect(listed.items[0]).not.toHaveProperty('delivery');
  });
});
