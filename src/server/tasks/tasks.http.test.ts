import { describe, expect, it } from 'vitest';
import { createOffice, createPerson } from '../partners/partners.ts';
import {
  browserHeaders,
  makeApiKey,
  makeCase,
  makePartnerWithOffice,
  makeUser,
  signedInUser,
  ISO_INSTANT as ISO,
  bearer,
  shared,
  staffActor as actorOf,
} from '../../../test/support/factory.ts';
import { TEST_ORIGIN, useTestApp } from '../../../test/support/test-app.ts';

const t = useTestApp();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const post = (url: string, cookie: string, payload?: object) =>
  t.app.inject({ method: 'POST', url, headers: browserHeaders(cookie), ...(payload && { payload }) });
const patch = (url: string, cookie: string, payload: object) =>
  t.app.inject({ method: 'PATCH', url, headers: browserHeaders(cookie), payload });

/** The case's events, oldest first, with their data parsed. */
const eventsOf = async (caseId: string) =>
  (
    await t.db
      .selectFrom('case_events')
      .select(['kind', 'data'])
      .where('case_id', '=', caseId)
      // Customer-access events (links queued at case creation) are tested in customer-access/.
      .where('kind', 'not like', 'customer_%')
      .orderBy('occurred_at')
      .orderBy('id')
      .execute()
  ).map((row) => ({ kind: row.kind, data: JSON.parse(row.data) as Record<string, unknown> }));

const caseRow = (id: string) =>
  t.db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const taskRow = (id: string) =>
  t.db.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const mainInspectionRow = (caseId: string) =>
  t.db
    .selectFrom('tasks')
    .selectAll()
    .where('case_id', '=', caseId)
    .where('kind', '=', 'main_inspection')
    .executeTakeFirstOrThrow();

const names = async (table: 'offices' | 'persons', id: string) =>
  (await t.db.selectFrom(table).select('name').where('id', '=', id).executeTakeFirstOrThrow()).name;

/** A signed-in level-1 user with two partner offices (one person each) in their company. */
const world = shared(async () => {
  const user = await signedInUser(t.app, t.db, { level: 1 });
  const a = await makePartnerWithOffice(t.db, user.companyId);
  const b = await makePartnerWithOffice(t.db, user.companyId);
  const secondInA = await createPerson(t.db, user.companyId, a.officeId, { name: 'Siri Takstkvinne' });
  return {
    user,
    a: {
      ...a,
      officeName: await names('offices', a.officeId),
      personName: await names('persons', a.personId),
    },
    b: {
      ...b,
      officeName: await names('offices', b.officeId),
      personName: await names('persons', b.personId),
    },
    secondInA: secondInA.id,
  };
});

describe('tasks: authentication', () => {
  it('answers 401 on every task and main-inspection route without a session, and writes nothing', async () => {
    const owner = await makeUser(t.db, { level: 6 });
    const { officeId } = await makePartnerWithOffice(t.db, owner.companyId);
    const { id } = await makeCase(t.db, actorOf(owner, 6));
    const main = await mainInspectionRow(id);
    const requests = [
      { method: 'POST' as const, url: `/api/cases/${id}/main-inspection/assign`, payload: { officeId } },
      { method: 'POST' as const, url: `/api/cases/${id}/main-inspection/start` },
      { method: 'POST' as const, url: `/api/cases/${id}/main-inspection/finish` },
      { method: 'POST' as const, url: `/api/cases/${id}/tasks`, payload: { name: 'Riving' } },
      { method: 'PATCH' as const, url: `/api/tasks/${main.id}`, payload: { startsOn: '2030-01-01' } },
      { method: 'POST' as const, url: `/api/tasks/${main.id}/start` },
      { method: 'POST' as const, url: `/api/tasks/${main.id}/finish` },
    ];
    for (const request of requests) {
      for (const headers of [{ origin: TEST_ORIGIN }, bearer('ks_not-a-real-key')]) {
        const response = await t.app.inject({ ...request, headers });
        expect(response.statusCode, request.url).toBe(401);
        expect(response.json().error.code).toBe('unauthenticated');
      }
    }
    expect(await mainInspectionRow(id)).toEqual(main);
    expect((await eventsOf(id)).map((e) => e.kind)).toEqual(['case_created']);
    expect((await caseRow(id)).main_inspection_assigned_at).toBeNull();
  });
});

describe('main inspection', () => {
  it('assigns to an office, then an inspector of it: milestone once, events with office and person names', async () => {
    const { user, a } = await world();
    const { id } = await makeCase(t.db, actorOf(user, 1));

    const assigned = await post(`/api/cases/${id}/main-inspection/assign`, user.cookie, {
      officeId: a.officeId,
    });
    expect(assigned.statusCode).toBe(200);
    const first = assigned.json().milestones.mainInspectionAssignedAt as string;
    expect(first).toMatch(ISO);
    expect(assigned.json()).toMatchObject({
      mainInspectionAssignedAt: first,
      mainInspection: {
        kind: 'main_inspection',
        status: 'not_started',
        office: { id: a.officeId, name: a.officeName },
        responsible: null,
      },
    });
    expect((await caseRow(id)).main_inspection_assigned_at).toBe(first);
    expect((await mainInspectionRow(id)).office_id).toBe(a.officeId);
    const main = await mainInspectionRow(id);
    expect((await eventsOf(id)).slice(1)).toEqual([
      {
        kind: 'main_inspection_assigned',
        data: { taskId: main.id, office: { id: a.officeId, name: a.officeName } },
      },
    ]);

    await sleep(5);
    const withInspector = await post(`/api/cases/${id}/main-inspection/assign`, user.cookie, {
      officeId: a.officeId,
      inspectorId: a.personId,
    });
    expect(withInspector.statusCode).toBe(200);
    expect(withInspector.json()).toMatchObject({
      milestones: { mainInspectionAssignedAt: first },
      mainInspection: { office: { id: a.officeId }, responsible: { id: a.personId, name: a.personName } },
    });
    // Same office again: no second office event, only the inspector's.
    expect((await eventsOf(id)).slice(2)).toEqual([
      {
        kind: 'inspector_assigned',
        data: { taskId: main.id, inspector: { id: a.personId, name: a.personName } },
      },
    ]);

    // Exactly the same assignment again writes nothing.
    const repeat = await post(`/api/cases/${id}/main-inspection/assign`, user.cookie, {
      officeId: a.officeId,
      inspectorId: a.personId,
    });
    expect(repeat.statusCode).toBe(200);
    expect(await eventsOf(id)).toHaveLength(3);
  });

  it('writes main_inspection_assigned again on a new office but keeps the first milestone time', async () => {
    const { user, a, b } = await world();
    const { id } = await makeCase(t.db, actorOf(user, 1));
    const first = await post(`/api/cases/${id}/main-inspection/assign`, user.cookie, {
      officeId: a.officeId,
      inspectorId: a.personId,
    });
    const firstTime = first.json().mainInspectionAssignedAt as string;
    await sleep(5);
    const second = await post(`/api/cases/${id}/main-inspection/assign`, user.cookie, {
      officeId: b.officeId,
      inspectorId: b.personId,
    });
    expect(second.statusCode).toBe(200);
    expect(second.json()).toMatchObject({
      mainInspectionAssignedAt: firstTime,
      milestones: { mainInspectionAssignedAt: firstTime },
      mainInspection: { office: { id: b.officeId, name: b.officeName }, responsible: { id: b.personId } },
    });
    expect((await caseRow(id)).main_inspection_assigned_at).toBe(firstTime);
    expect((await eventsOf(id)).slice(1).map((e) => [e.kind, e.data.office ?? e.data.inspector])).toEqual([
      ['main_inspection_assigned', { id: a.officeId, name: a.officeName }],
      ['inspector_assigned', { id: a.personId, name: a.personName }],
      ['main_inspection_assigned', { id: b.officeId, name: b.officeName }],
      ['inspector_assigned', { id: b.personId, name: b.personName }],
    ]);
  });

  it("refuses an inspector of another office, another company's office or inspector, with 400 and no change", async () => {
    const { user, a, b } = await world();
    const stranger = await makeUser(t.db, { level: 1 });
    const foreign = await makePartnerWithOffice(t.db, stranger.companyId);
    const { id } = await makeCase(t.db, actorOf(user, 1));
    const attempts = [
      { payload: { officeId: a.officeId, inspectorId: b.personId }, field: 'inspectorId' },
      { payload: { officeId: foreign.officeId }, field: 'officeId' },
      { payload: { officeId: a.officeId, inspectorId: foreign.personId }, field: 'inspectorId' },
      { payload: { officeId: '00000000-0000-4000-8000-000000000000' }, field: 'officeId' },
    ];
    for (const { payload, field } of attempts) {
      const response = await post(`/api/cases/${id}/main-inspection/assign`, user.cookie, payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      const { error } = response.json();
      expect(error.code).toBe('validation_failed');
      expect(error.message).toContain(field);
      expect(error.fields).toEqual([
        { path: `body.${field}`, message: expect.any(String), code: expect.any(String) },
      ]);
    }
    const missing = await post(`/api/cases/${id}/main-inspection/assign`, user.cookie, {
      inspectorId: a.personId,
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.fields).toContainEqual({
      path: 'body.officeId',
      message: expect.any(String),
      code: 'required',
    });

    expect(await mainInspectionRow(id)).toMatchObject({ office_id: null, responsible_id: null });
    expect((await caseRow(id)).main_inspection_assigned_at).toBeNull();
    expect((await eventsOf(id)).map((e) => e.kind)).toEqual(['case_created']);
  });

  it('starts only after assignment and finishes once (409 otherwise), with events', async () => {
    const { user, a } = await world();
    const { id } = await makeCase(t.db, actorOf(user, 1));
    const main = await mainInspectionRow(id);

    for (const step of ['start', 'finish']) {
      const early = await post(`/api/cases/${id}/main-inspection/${step}`, user.cookie);
      expect(early.statusCode, step).toBe(409);
      expect(early.json().error.code).toBe('conflict');
    }
    const earlyById = await post(`/api/tasks/${main.id}/start`, user.cookie);
    expect(earlyById.statusCode).toBe(409);
    expect(await mainInspectionRow(id)).toEqual(main);
    expect(await eventsOf(id)).toHaveLength(1);

    await post(`/api/cases/${id}/main-inspection/assign`, user.cookie, { officeId: a.officeId });
    const finishFirst = await post(`/api/cases/${id}/main-inspection/finish`, user.cookie);
    expect(finishFirst.statusCode).toBe(409);

    const started = await post(`/api/cases/${id}/main-inspection/start`, user.cookie);
    expect(started.statusCode).toBe(200);
    expect(started.json().mainInspection).toMatchObject({
      status: 'started',
      startedAt: expect.stringMatching(ISO),
      finishedAt: null,
    });
    const startAgain = await post(`/api/cases/${id}/main-inspection/start`, user.cookie, {});
    expect(startAgain.statusCode).toBe(409);

    const finished = await post(`/api/cases/${id}/main-inspection/finish`, user.cookie, {});
    expect(finished.statusCode).toBe(200);
    expect(finished.json().mainInspection).toMatchObject({
      status: 'finished',
      startedAt: started.json().mainInspection.startedAt,
      finishedAt: expect.stringMatching(ISO),
    });
    const row = await mainInspectionRow(id);
    expect(row).toMatchObject({ status: 'finished', finished_at: finished.json().mainInspection.finishedAt });

    const twice = await post(`/api/cases/${id}/main-inspection/finish`, user.cookie);
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe('conflict');
    const byId = await post(`/api/tasks/${main.id}/finish`, user.cookie);
    expect(byId.statusCode).toBe(409);
    expect(await mainInspectionRow(id)).toEqual(row);

    expect((await eventsOf(id)).map((e) => e.kind)).toEqual([
      'case_created',
      'main_inspection_assigned',
      'main_inspection_started',
      'main_inspection_finished',
    ]);
    expect((await eventsOf(id)).at(-1)?.data).toEqual({ taskId: main.id });
  });

  it("answers 404 for another company's case and changes nothing there", async () => {
    const { user, a } = await world();
    const stranger = await makeUser(t.db, { level: 1 });
    const { id } = await makeCase(t.db, actorOf(stranger, 1));
    const main = await mainInspectionRow(id);
    for (const [url, payload] of [
      [`/api/cases/${id}/main-inspection/assign`, { officeId: a.officeId }],
      [`/api/cases/${id}/main-inspection/start`, undefined],
      [`/api/tasks/${main.id}/start`, undefined],
    ] as const) {
      const response = await post(url, user.cookie, payload);
      expect(response.statusCode, url).toBe(404);
      expect(response.json().error.code).toBe('not_found');
    }
    expect(await mainInspectionRow(id)).toEqual(main);
    expect(await eventsOf(id)).toHaveLength(1);
  });
});

describe('repair tasks', () => {
  /** A case of the shared user's company with one repair task. */
  async function caseWithTask() {
    const w = await world();
    const { id: caseId } = await makeCase(t.db, actorOf(w.user, 1));
    const response = await post(`/api/cases/${caseId}/tasks`, w.user.cookie, {
      name: 'Tørking av bad',
      description: 'Avfukter i tre uker',
    });
    expect(response.statusCode).toBe(201);
    const taskId = response.json().id as string;
    return { ...w, caseId, taskId };
  }

  it('adds a task (201 {id}) with a task_added event; bad bodies are 400 and add nothing', async () => {
    const { user, caseId, taskId } = await caseWithTask();
    expect(await taskRow(taskId)).toMatchObject({
      case_id: caseId,
      company_id: user.companyId,
      kind: 'repair',
      name: 'Tørking av bad',
      description: 'Avfukter i tre uker',
      status: 'not_started',
      office_id: null,
    });
    expect((await eventsOf(caseId)).slice(1)).toEqual([
      { kind: 'task_added', data: { taskId, name: 'Tørking av bad' } },
    ]);
    const page = await t.app.inject({
      method: 'GET',
      url: `/api/cases/${caseId}`,
      headers: { cookie: user.cookie },
    });
    expect(page.json().tasks).toEqual([
      expect.objectContaining({ id: taskId, kind: 'repair', name: 'Tørking av bad', status: 'not_started' }),
    ]);

    for (const payload of [{ name: '  ' }, {}, { name: 'X', kind: 'main_inspection' }]) {
      const response = await post(`/api/cases/${caseId}/tasks`, user.cookie, payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json().error.code).toBe('validation_failed');
    }
    const tasks = await t.db.selectFrom('tasks').select('id').where('case_id', '=', caseId).execute();
    expect(tasks).toHaveLength(2);
    expect(await eventsOf(caseId)).toHaveLength(2);
  });

  it('keeps repair tasks in the order they were added', async () => {
    const { user } = await world();
    const key = await makeApiKey(t.db, user.companyId, 1);
    const { id: caseId } = await makeCase(t.db, actorOf(user, 1));
    const taskNames = ['Riving', 'Tørking', 'Flislegging', 'Maling', 'Sluttkontroll'];
    for (const name of taskNames) {
      const response = await t.app.inject({
        method: 'POST',
        url: `/api/cases/${caseId}/tasks`,
        headers: bearer(key.key),
        payload: { name },
      });
      expect(response.statusCode).toBe(201);
    }
    const page = await t.app.inject({ method: 'GET', url: `/api/cases/${caseId}`, headers: bearer(key.key) });
    expect(page.json().tasks.map((task: { name: string }) => task.name)).toEqual(taskNames);
  });

  it('assigns an office and a responsible person of it, each with its event', async () => {
    const { user, a, caseId, taskId } = await caseWithTask();
    const office = await patch(`/api/tasks/${taskId}`, user.cookie, { officeId: a.officeId });
    expect(office.statusCode).toBe(200);
    expect(office.json().tasks[0]).toMatchObject({
      id: taskId,
      office: { id: a.officeId, name: a.officeName },
    });

    const responsible = await patch(`/api/tasks/${taskId}`, user.cookie, { responsibleId: a.personId });
    expect(responsible.statusCode).toBe(200);
    expect(responsible.json().tasks[0]).toMatchObject({
      responsible: { id: a.personId, name: a.personName },
    });
    expect(await taskRow(taskId)).toMatchObject({ office_id: a.officeId, responsible_id: a.personId });

    expect((await eventsOf(caseId)).slice(2)).toEqual([
      {
        kind: 'task_office_assigned',
        data: { taskId, name: 'Tørking av bad', office: { id: a.officeId, name: a.officeName } },
      },
      {
        kind: 'repair_responsible_chosen',
        data: { taskId, name: 'Tørking av bad', person: { id: a.personId, name: a.personName } },
      },
    ]);
  });

  it('refuses a responsible person from another office or company with 400 naming responsibleId', async () => {
    const { user, a, b, caseId, taskId } = await caseWithTask();
    const stranger = await makeUser(t.db, { level: 1 });
    const foreign = await makePartnerWithOffice(t.db, stranger.companyId);
    await patch(`/api/tasks/${taskId}`, user.cookie, { officeId: a.officeId });
    const before = await taskRow(taskId);
    const eventsBefore = await eventsOf(caseId);
    const attempts: Array<{ payload: object; field: string }> = [
      { payload: { responsibleId: b.personId }, field: 'responsibleId' },
      { payload: { officeId: a.officeId, responsibleId: b.personId }, field: 'responsibleId' },
      { payload: { responsibleId: foreign.personId }, field: 'responsibleId' },
      { payload: { officeId: foreign.officeId }, field: 'officeId' },
    ];
    for (const { payload, field } of attempts) {
      const response = await patch(`/api/tasks/${taskId}`, user.cookie, payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json().error.code).toBe('validation_failed');
      expect(response.json().error.message).toContain(field);
      expect(response.json().error.fields).toEqual([
        { path: `body.${field}`, message: expect.any(String), code: expect.any(String) },
      ]);
    }
    expect(await taskRow(taskId)).toEqual(before);
    expect(await eventsOf(caseId)).toEqual(eventsBefore);

    // Changing office and person together is fine.
    const both = await patch(`/api/tasks/${taskId}`, user.cookie, {
      officeId: b.officeId,
      responsibleId: b.personId,
    });
    expect(both.statusCode).toBe(200);
    expect((await eventsOf(caseId)).slice(eventsBefore.length).map((e) => e.kind)).toEqual([
      'task_office_assigned',
      'repair_responsible_chosen',
    ]);
  });

  it('writes repair_schedule_changed when the schedule is first set and on every change, never for the same values', async () => {
    const { user, caseId, taskId } = await caseWithTask();
    const schedule = async (payload: object) => {
      const response = await patch(`/api/tasks/${taskId}`, user.cookie, payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(200);
      return response.json().tasks[0] as { startsOn: string | null; endsOn: string | null };
    };
    expect(await schedule({ startsOn: '2030-03-02', endsOn: '2030-03-20' })).toMatchObject({
      startsOn: '2030-03-02',
      endsOn: '2030-03-20',
    });
    await schedule({ startsOn: '2030-03-02', endsOn: '2030-03-20' });
    await schedule({ endsOn: '2030-03-27' });
    await schedule({ endsOn: '2030-03-27', name: 'Tørking av bad' });
    await schedule({ startsOn: null });
    expect(await taskRow(taskId)).toMatchObject({ starts_on: null, ends_on: '2030-03-27' });

    const events = (await eventsOf(caseId)).filter((e) => e.kind === 'repair_schedule_changed');
    expect(events.map((e) => e.data)).toEqual([
      { taskId, name: 'Tørking av bad', startsOn: '2030-03-02', endsOn: '2030-03-20' },
      { taskId, name: 'Tørking av bad', startsOn: '2030-03-02', endsOn: '2030-03-27' },
      { taskId, name: 'Tørking av bad', startsOn: null, endsOn: '2030-03-27' },
    ]);
    expect((await eventsOf(caseId)).map((e) => e.kind)).not.toContain('meeting_time_changed');
  });

  it('refuses an end before the start (in one change or against the stored dates) and impossible dates with 400', async () => {
    const { user, caseId, taskId } = await caseWithTask();
    await patch(`/api/tasks/${taskId}`, user.cookie, { startsOn: '2030-03-10', endsOn: '2030-03-20' });
    const before = await taskRow(taskId);
    const eventsBefore = await eventsOf(caseId);
    const attempts: Array<{ payload: object; field: string }> = [
      { payload: { startsOn: '2030-04-10', endsOn: '2030-04-01' }, field: 'endsOn' },
      { payload: { endsOn: '2030-03-09' }, field: 'endsOn' },
      { payload: { startsOn: '2030-03-21' }, field: 'endsOn' },
      { payload: { startsOn: '2030-02-30' }, field: 'startsOn' },
      { payload: { endsOn: '20.03.2030' }, field: 'endsOn' },
      { payload: { meetingAt: '2030-03-12 10:00' }, field: 'meetingAt' },
      { payload: { meetingAt: '2030-03-12T10:00:00' }, field: 'meetingAt' },
    ];
    for (const { payload, field } of attempts) {
      const response = await patch(`/api/tasks/${taskId}`, user.cookie, payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json().error.code).toBe('validation_failed');
      expect((response.json().error.fields as Array<{ path: string }>).map((f) => f.path)).toContain(
        `body.${field}`,
      );
    }
    expect(await taskRow(taskId)).toEqual(before);
    expect(await eventsOf(caseId)).toEqual(eventsBefore);
  });

  it('writes meeting_time_changed when the meeting is first set and when it changes, not for the same instant', async () => {
    const { user, caseId, taskId } = await caseWithTask();
    const meet = async (meetingAt: string | null) => {
      const response = await patch(`/api/tasks/${taskId}`, user.cookie, { meetingAt });
      expect(response.statusCode, String(meetingAt)).toBe(200);
      return response.json().tasks[0].meetingAt as string | null;
    };
    expect(await meet('2030-03-12T10:00:00+01:00')).toBe('2030-03-12T09:00:00.000Z');
    expect(await meet('2030-03-12T09:00:00Z')).toBe('2030-03-12T09:00:00.000Z');
    expect(await meet('2030-03-12T09:00:00.000Z')).toBe('2030-03-12T09:00:00.000Z');
    expect(await meet('2030-03-13T08:30:00Z')).toBe('2030-03-13T08:30:00.000Z');
    expect(await meet(null)).toBeNull();
    const events = (await eventsOf(caseId)).filter((e) => e.kind === 'meeting_time_changed');
    expect(events.map((e) => e.data)).toEqual([
      { taskId, name: 'Tørking av bad', meetingAt: '2030-03-12T09:00:00.000Z' },
      { taskId, name: 'Tørking av bad', meetingAt: '2030-03-13T08:30:00.000Z' },
      { taskId, name: 'Tørking av bad', meetingAt: null },
    ]);
  });

  it('writes no event for a change that repeats every current value', async () => {
    const { user, a, caseId, taskId } = await caseWithTask();
    const everything = {
      officeId: a.officeId,
      responsibleId: a.personId,
      startsOn: '2030-05-01',
      endsOn: '2030-05-02',
      meetingAt: '2030-05-01T07:00:00Z',
    };
    const first = await patch(`/api/tasks/${taskId}`, user.cookie, everything);
    expect(first.statusCode).toBe(200);
    const events = await eventsOf(caseId);
    expect(events.slice(2).map((e) => e.kind)).toEqual([
      'task_office_assigned',
      'repair_responsible_chosen',
      'repair_schedule_changed',
      'meeting_time_changed',
    ]);
    const row = await taskRow(taskId);
    const again = await patch(`/api/tasks/${taskId}`, user.cookie, {
      ...everything,
      meetingAt: '2030-05-01T09:00:00+02:00',
    });
    expect(again.statusCode).toBe(200);
    expect(await eventsOf(caseId)).toEqual(events);
    expect(await taskRow(taskId)).toEqual(row);
    const empty = await patch(`/api/tasks/${taskId}`, user.cookie, {});
    expect(empty.statusCode).toBe(200);
    expect(await eventsOf(caseId)).toEqual(events);
  });

  it('starts and finishes a repair task with task_started and task_finished; wrong order is 409', async () => {
    const { user, caseId, taskId } = await caseWithTask();
    const finishEarly = await post(`/api/tasks/${taskId}/finish`, user.cookie);
    expect(finishEarly.statusCode).toBe(409);
    const started = await post(`/api/tasks/${taskId}/start`, user.cookie);
    expect(started.statusCode).toBe(200);
    expect(started.json().tasks[0]).toMatchObject({
      status: 'started',
      startedAt: expect.stringMatching(ISO),
    });
    expect((await post(`/api/tasks/${taskId}/start`, user.cookie)).statusCode).toBe(409);
    const finished = await post(`/api/tasks/${taskId}/finish`, user.cookie, {});
    expect(finished.statusCode).toBe(200);
    expect(finished.json().tasks[0]).toMatchObject({
      status: 'finished',
      finishedAt: expect.stringMatching(ISO),
    });
    expect((await post(`/api/tasks/${taskId}/finish`, user.cookie)).statusCode).toBe(409);
    expect(await taskRow(taskId)).toMatchObject({ status: 'finished' });
    expect((await eventsOf(caseId)).slice(2)).toEqual([
      { kind: 'task_started', data: { taskId, name: 'Tørking av bad' } },
      { kind: 'task_finished', data: { taskId, name: 'Tørking av bad' } },
    ]);
  });

  it('refuses to change the office or inspector of the main inspection through PATCH (409), but takes its schedule', async () => {
    const { user, a, b } = await world();
    const { id: caseId } = await makeCase(t.db, actorOf(user, 1));
    await post(`/api/cases/${caseId}/main-inspection/assign`, user.cookie, { officeId: a.officeId });
    const main = await mainInspectionRow(caseId);
    const eventsBefore = await eventsOf(caseId);
    for (const payload of [{ officeId: b.officeId }, { officeId: null }, { responsibleId: a.personId }]) {
      const response = await patch(`/api/tasks/${main.id}`, user.cookie, payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(409);
      expect(response.json().error.code).toBe('conflict');
    }
    expect(await mainInspectionRow(caseId)).toEqual(main);
    expect(await eventsOf(caseId)).toEqual(eventsBefore);

    const meeting = await patch(`/api/tasks/${main.id}`, user.cookie, { meetingAt: '2030-06-01T08:00:00Z' });
    expect(meeting.statusCode).toBe(200);
    expect(meeting.json().mainInspection).toMatchObject({ meetingAt: '2030-06-01T08:00:00.000Z' });
  });

  it("answers 404 for another company's case or task and changes nothing", async () => {
    const { user, a } = await world();
    const stranger = await makeUser(t.db, { level: 1 });
    const { id: caseId } = await makeCase(t.db, actorOf(stranger, 1));
    const key = await makeApiKey(t.db, stranger.companyId, 1);
    const created = await t.app.inject({
      method: 'POST',
      url: `/api/cases/${caseId}/tasks`,
      headers: bearer(key.key),
      payload: { name: 'Fremmed oppgave' },
    });
    const taskId = created.json().id as string;
    const before = await taskRow(taskId);
    const eventsBefore = await eventsOf(caseId);

    const responses = [
      await post(`/api/cases/${caseId}/tasks`, user.cookie, { name: 'Snik' }),
      await patch(`/api/tasks/${taskId}`, user.cookie, { officeId: a.officeId }),
      await patch(`/api/tasks/${taskId}`, user.cookie, { startsOn: '2030-01-01' }),
      await post(`/api/tasks/${taskId}/start`, user.cookie),
      await post(`/api/tasks/${taskId}/finish`, user.cookie),
      await patch('/api/tasks/00000000-0000-4000-8000-000000000000', user.cookie, { startsOn: '2030-01-01' }),
    ];
    for (const response of responses) {
      expect(response.statusCode).toBe(404);
      expect(response.json()).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
    }
    expect(await taskRow(taskId)).toEqual(before);
    expect(await eventsOf(caseId)).toEqual(eventsBefore);
  });

  it('moves a task to another office while clearing its responsible person, with both events', async () => {
    const { user, a, secondInA, caseId, taskId } = await caseWithTask();
    const office = await createOffice(t.db, user.companyId, (await world()).b.partnerId, {
      name: 'Filial Nord',
    });
    await patch(`/api/tasks/${taskId}`, user.cookie, { officeId: a.officeId, responsibleId: secondInA });
    const moved = await patch(`/api/tasks/${taskId}`, user.cookie, {
      officeId: office.id,
      responsibleId: null,
    });
    expect(moved.statusCode).toBe(200);
    expect(moved.json().tasks[0]).toMatchObject({
      office: { id: office.id, name: 'Filial Nord' },
      responsible: null,
    });
    const tail = (await eventsOf(caseId)).slice(-2);
    expect(tail).toEqual([
      {
        kind: 'task_office_assigned',
        data: { taskId, name: 'Tørking av bad', office: { id: office.id, name: 'Filial Nord' } },
      },
      { kind: 'repair_responsible_chosen', data: { taskId, name: 'Tørking av bad', person: null } },
    ]);
  });
});
