import { describe, expect, it } from 'vitest';
import {
  emptyNextStepTexts,
  isoWeek,
  nextStepOf,
  nextStepText,
  reconsiderationText,
  type NextStepCase,
} from './next-step.ts';

const today = '2027-01-05';
const fresh: NextStepCase = {
  status: 'open',
  claimDecision: null,
  claimDecisionAt: null,
  mainInspectionAssignedAt: null,
  positiveDecisionAt: null,
  mainInspection: { status: 'not_started', meetingAt: null },
  repairTasks: [],
};
const assigned = { ...fresh, mainInspectionAssignedAt: '2027-01-02T10:00:00.000Z' };
const accepted: NextStepCase = {
  ...assigned,
  mainInspection: { status: 'finished', meetingAt: null },
  claimDecision: 'accepted',
  claimDecisionAt: '2027-01-04T10:00:00.000Z',
  positiveDecisionAt: '2027-01-04T10:00:00.000Z',
};

describe('nextStepOf', () => {
  it('follows the inspection: assignment (company), booking and visit (inspector), decision (company)', () => {
    expect(nextStepOf(fresh, today, false)).toEqual({
      key: 'inspection_assignment',
      waitingFor: 'company',
      when: null,
    });
    expect(nextStepOf(assigned, today, false)).toMatchObject({
      key: 'inspection_booking',
      waitingFor: 'inspector',
    });
    const visit = {
      ...assigned,
      mainInspection: { status: 'not_started' as const, meetingAt: '2027-01-07T08:00:00.000Z' },
    };
    expect(nextStepOf(visit, today, false)).toEqual({
      key: 'inspection_visit',
      waitingFor: 'inspector',
      when: '2027-01-07T08:00:00.000Z',
    });
    // A meeting time in the past promises nothing.
    expect(nextStepOf(visit, '2027-01-08', false).key).toBe('inspection_booking');
    const started = { ...assigned, mainInspection: { status: 'started' as const, meetingAt: null } };
    expect(nextStepOf(started, today, false)).toMatchObject({
      key: 'inspection_in_progress',
      waitingFor: 'inspector',
    });
    const finished = { ...assigned, mainInspection: { status: 'finished' as const, meetingAt: null } };
    expect(nextStepOf(finished, today, false)).toMatchObject({
      key: 'decision_pending',
      waitingFor: 'company',
    });
  });

  it('never reveals a rejection or a request for information unless the company shows outcomes', () => {
    const rejected = { ...accepted, claimDecision: 'rejected' as const, positiveDecisionAt: null };
    expect(nextStepOf(rejected, today, false)).toMatchObject({ key: 'decision_made', waitingFor: 'company' });
    expect(nextStepOf(rejected, today, true)).toMatchObject({ key: 'rejected', waitingFor: 'customer' });
    const more = { ...rejected, claimDecision: 'needs_more_information' as const };
    expect(nextStepOf(more, today, false).key).toBe('decision_made');
    expect(nextStepOf(more, today, true)).toMatchObject({ key: 'more_information', waitingFor: 'customer' });
    // Rejected after an acceptance: the current decision counts, not the milestone.
    expect(nextStepOf({ ...rejected, positiveDecisionAt: '2027-01-01T00:00:00.000Z' }, today, true).key).toBe(
      'rejected',
    );
  });

  it('after acceptance reads the project plan: planning, planned start, under way, finished', () => {
    expect(nextStepOf(accepted, today, false)).toMatchObject({
      key: 'repair_planning',
      waitingFor: 'company',
    });
    const planned = {
      ...accepted,
      repairTasks: [
        { status: 'not_started' as const, startsOn: '2027-01-25', endsOn: '2027-02-05' },
        { status: 'not_started' as const, startsOn: '2027-01-18', endsOn: '2027-01-22' },
        { status: 'not_started' as const, startsOn: '2026-12-01', endsOn: null },
      ],
    };
    expect(nextStepOf(planned, today, false)).toEqual({
      key: 'repair_planned',
      waitingFor: 'contractor',
      when: '2027-01-18',
    });
    const underWay = {
      ...accepted,
      repairTasks: [
        { status: 'started' as const, startsOn: '2027-01-04', endsOn: '2027-01-20' },
        { status: 'finished' as const, startsOn: null, endsOn: null },
      ],
    };
    expect(nextStepOf(underWay, today, false)).toEqual({
      key: 'repair_in_progress',
      waitingFor: 'contractor',
      when: '2027-01-20',
    });
    const done = {
      ...accepted,
      repairTasks: [{ status: 'finished' as const, startsOn: null, endsOn: null }],
    };
    expect(nextStepOf(done, today, false)).toMatchObject({ key: 'repair_finished', waitingFor: 'company' });
  });

  it('a case on hold waits on the company; a closed one on nobody', () => {
    expect(nextStepOf({ ...accepted, status: 'on_hold' }, today, true)).toMatchObject({
      key: 'on_hold',
      waitingFor: 'company',
    });
    expect(nextStepOf({ ...accepted, status: 'closed' }, today, true)).toMatchObject({
      key: 'closed',
      waitingFor: null,
    });
  });
});

describe('nextStepText', () => {
  it('says the week of the planned start in nb and en, with the year when it is another', () => {
    const step = { key: 'repair_planned' as const, waitingFor: 'contractor' as const, when: '2027-01-18' };
    expect(nextStepText(step, 'nb', today)).toBe('Arbeidet er planlagt å starte i uke 3.');
    expect(nextStepText(step, 'en', today)).toBe('The work is planned to start in week 3.');
    expect(nextStepText(step, 'nb', '2026-12-20')).toBe('Arbeidet er planlagt å starte i uke 3, 2027.');
  });

  it('uses the company wording, falling back when it names a date the step lacks', () => {
    const own = { ...emptyNextStepTexts, repair_planned: { nb: 'Snekkeren starter uke {week}', en: '' } };
    const dated = { key: 'repair_planned' as const, waitingFor: 'contractor' as const, when: '2027-01-18' };
    expect(nextStepText(dated, 'nb', today, own)).toBe('Snekkeren starter uke 3');
    expect(nextStepText(dated, 'en', today, own)).toBe('The work is planned to start in week 3.');
    expect(nextStepText({ ...dated, key: 'repair_in_progress', when: null }, 'nb', today, own)).toBe(
      'Arbeidet pågår.',
    );
    const meeting = {
      key: 'inspection_visit' as const,
      waitingFor: 'inspector' as const,
      when: '2027-01-07T08:00:00.000Z',
    };
    expect(nextStepText(meeting, 'nb', today)).toBe('Takstmannen kommer på befaring 07.01.2027, 09:00.');
  });

  it('ISO weeks across the turn of the year', () => {
    expect(isoWeek('2027-01-01')).toEqual({ week: 53, year: 2026 });
    expect(isoWeek('2027-01-04')).toEqual({ week: 1, year: 2027 });
    expect(isoWeek('2026-12-28')).toEqual({ week: 53, year: 2026 });
  });

  it('the reconsideration text is the company’s or the default', () => {
    expect(reconsiderationText('nb')).toContain('ny vurdering');
    expect(reconsiderationText('en', { nb: '', en: ' Write to us. ' })).toBe('Write to us.');
  });
});
