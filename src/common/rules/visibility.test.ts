import { describe, expect, it } from 'vitest';
import { newsKinds } from './case-events.ts';
import {
  defaultCustomerPageSettings,
  sendLinkValues,
  triggers,
  type CustomerPageSettings,
  type SendLink,
  type Trigger,
} from './customer-page-settings.ts';
import {
  automaticReports,
  automaticShareTime,
  customerVisibility,
  lastVisibleDay,
  newestReports,
  reportTrigger,
  sendLinkDue,
  triggerReachedAt,
  type CaseVisibilityState,
  type CustomerVisibility,
  type ReportCandidate,
} from './visibility.ts';

// Every trigger value × every milestone state, for every trigger setting, read from a table of
// expectations written out by hand (not computed by the code under test).

const created = '2026-03-01T09:00:00.000Z';
const inspection = '2026-03-02T09:00:00.000Z';
const decision = '2026-03-10T09:00:00.000Z';
const closed = '2026-03-20T10:00:00.000Z'; // 11:00 in Oslo (CET)

interface MilestoneState {
  state: CaseVisibilityState;
  now: string;
  visibleDaysAfterClose: number;
  reachable: boolean;
  /** Which trigger values are reached (only read when reachable). */
  reached: Record<Trigger, boolean>;
}

const onlyCreated = {
  case_created: true,
  main_inspection_assigned: false,
  positive_decision: false,
  never: false,
};
const inspected = {
  case_created: true,
  main_inspection_assigned: true,
  positive_decision: false,
  never: false,
};
const decided = { case_created: true, main_inspection_assigned: true, positive_decision: true, never: false };
const nothing = {
  case_created: false,
  main_inspection_assigned: false,
  positive_decision: false,
  never: false,
};

const open = (overrides: Partial<CaseVisibilityState> = {}): CaseVisibilityState => ({
  status: 'open',
  createdAt: created,
  mainInspectionAssignedAt: null,
  positiveDecisionAt: null,
  closedAt: null,
  ...overrides,
});
const allMilestones = { mainInspectionAssignedAt: inspection, positiveDecisionAt: decision };

const states: Record<string, MilestoneState> = {
  'case created only': {
    state: open(),
    now: '2026-03-01T10:00:00.000Z',
    visibleDaysAfterClose: 30,
    reachable: true,
    reached: onlyCreated,
  },
  'main inspection assigned': {
    state: open({ mainInspectionAssignedAt: inspection }),
    now: '2026-03-03T10:00:00.000Z',
    visibleDaysAfterClose: 30,
    reachable: true,
    reached: inspected,
  },
  'positive decision (after the inspection)': {
    state: open(allMilestones),
    now: '2026-03-11T10:00:00.000Z',
    visibleDaysAfterClose: 30,
    reachable: true,
    reached: decided,
  },
  'positive decision without a main inspection': {
    state: open({ positiveDecisionAt: decision }),
    now: '2026-03-11T10:00:00.000Z',
    visibleDaysAfterClose: 30,
    reachable: true,
    reached: { case_created: true, main_inspection_assigned: true, positive_decision: true, never: false },
  },
  'on hold after the inspection was assigned': {
    state: open({ status: 'on_hold', mainInspectionAssignedAt: inspection }),
    now: '2026-03-05T10:00:00.000Z',
    visibleDaysAfterClose: 30,
    reachable: true,
    reached: inspected,
  },
  'closed, inside the window (last day, 14:00 Oslo)': {
    state: open({ ...allMilestones, status: 'closed', closedAt: closed }),
    now: '2026-04-19T12:00:00.000Z', // 20 Mar + 30 days = 19 Apr (CEST)
    visibleDaysAfterClose: 30,
    reachable: true,
    reached: decided,
  },
  'closed, inside the window (last day, 23:59 Oslo)': {
    state: open({ mainInspectionAssignedAt: inspection, status: 'closed', closedAt: closed }),
    now: '2026-04-19T21:59:59.000Z',
    visibleDaysAfterClose: 30,
    reachable: true,
    reached: inspected,
  },
  'closed, outside the window (00:00 Oslo the day after; still the 19th in UTC)': {
    state: open({ ...allMilestones, status: 'closed', closedAt: closed }),
    now: '2026-04-19T22:00:00.000Z',
    visibleDaysAfterClose: 30,
    reachable: false,
    reached: nothing,
  },
  'closed, long outside the window': {
    state: open({ ...allMilestones, status: 'closed', closedAt: closed }),
    now: '2027-01-01T12:00:00.000Z',
    visibleDaysAfterClose: 30,
    reachable: false,
    reached: nothing,
  },
  'closed with 0 days, at the moment of closing': {
    state: open({ ...allMilestones, status: 'closed', closedAt: closed }),
    now: closed,
    visibleDaysAfterClose: 0,
    reachable: false,
    reached: nothing,
  },
  'closed with 0 days, later the same day (12:00 Oslo)': {
    state: open({ status: 'closed', closedAt: closed }),
    now: '2026-03-20T11:00:00.000Z',
    visibleDaysAfterClose: 0,
    reachable: false,
    reached: nothing,
  },
  'closed with 0 days, the next day (00:00 Oslo)': {
    state: open({ ...allMilestones, status: 'closed', closedAt: closed }),
    now: '2026-03-20T23:00:00.000Z',
    visibleDaysAfterClose: 0,
    reachable: false,
    reached: nothing,
  },
  'closed with 1 day, the next day (23:59 Oslo)': {
    state: open({ status: 'closed', closedAt: closed }),
    now: '2026-03-21T22:59:59.000Z',
    visibleDaysAfterClose: 1,
    reachable: true,
    reached: onlyCreated,
  },
  'closed with 1 day, two days later (00:00 Oslo)': {
    state: open({ ...allMilestones, status: 'closed', closedAt: closed }),
    now: '2026-03-21T23:00:00.000Z',
    visibleDaysAfterClose: 1,
    reachable: false,
    reached: nothing,
  },
  cancelled: {
    state: open({ ...allMilestones, status: 'cancelled' }),
    now: '2026-03-11T10:00:00.000Z',
    visibleDaysAfterClose: 30,
    reachable: false,
    reached: nothing,
  },
  'reopened a year after closing (open, closedAt cleared)': {
    state: open({ ...allMilestones, status: 'open', closedAt: null }),
    now: '2027-03-20T10:00:00.000Z',
    visibleDaysAfterClose: 0,
    reachable: true,
    reached: decided,
  },
};

/** The trigger settings and where the result shows up. */
const triggerSettings: Record<string, (v: CustomerVisibility) => boolean> = {
  showBudget: (v) => v.tabs.budget,
  showNews: (v) => v.news,
  showProjectPlan: (v) => v.tabs.projectPlan,
  showCommunication: (v) => v.tabs.communication,
  showDocuments: (v) => v.tabs.documents,
  showInspectionReport: (v) => v.reports.inspectionReport,
  showSettlementReport: (v) => v.reports.settlementReport,
};

const settingsWith = (overrides: Partial<CustomerPageSettings>): CustomerPageSettings => ({
  ...defaultCustomerPageSettings,
  // Reports need the Documents tab; keep it at case creation unless the row is about it.
  showDocuments: 'case_created',
  ...overrides,
});

const rows = Object.entries(triggerSettings).flatMap(([setting, read]) =>
  triggers.flatMap((value) =>
    Object.entries(states).map(([stateName, milestone]) => ({ setting, read, value, stateName, milestone })),
  ),
);

describe('customerVisibility: every trigger setting × every trigger value × every milestone state', () => {
  it('covers 7 settings × 4 values × every state', () => {
    expect(rows).toHaveLength(7 * 4 * Object.keys(states).length);
  });

  it.each(rows)('$setting = $value, $stateName', ({ setting, read, value, milestone }) => {
    const settings = settingsWith({
      [setting]: value,
      visibleDaysAfterClose: milestone.visibleDaysAfterClose,
    });
    const view = customerVisibility(settings, milestone.state, new Date(milestone.now));
    expect(view.reachable).toBe(milestone.reachable);
    expect(read(view)).toBe(milestone.reachable && milestone.reached[value]);
  });
});

describe('customerVisibility: reachability', () => {
  it.each(Object.entries(states))('%s', (_name, milestone) => {
    const settings = settingsWith({ visibleDaysAfterClose: milestone.visibleDaysAfterClose });
    const view = customerVisibility(settings, milestone.state, new Date(milestone.now));
    expect(view.reachable).toBe(milestone.reachable);
    expect(view.dashboard).toBe(true);
    if (milestone.reachable) {
      expect(view.reason).toBeUndefined();
    } else {
      expect(view.reason).toBe(milestone.state.status === 'cancelled' ? 'cancelled' : 'closed_too_long');
    }
  });

  it('shows nothing of the case when unreachable, but keeps the contact text for the "no longer available" page', () => {
    const settings = settingsWith({
      showPlanOnDashboard: true,
      showCaseHandler: true,
      showCaseHandlerPhone: true,
      showPartnerContact: true,
      contactForMoreInfo: '  Ring 22 00 00 00  ',
    });
    const view = customerVisibility(settings, open({ status: 'cancelled' }), new Date(created));
    expect(view).toEqual({
      reachable: false,
      reason: 'cancelled',
      dashboard: true,
      news: false,
      newsKinds: [],
      planOnDashboard: false,
      tabs: { projectPlan: false, communication: false, documents: false, budget: false },
      reports: { inspectionReport: false, settlementReport: false },
      communication: { customerCanRead: false, customerCanPost: false, onlyOwnMessages: false },
      caseInfo: {
        caseHandlerName: false,
        caseHandlerPhone: false,
        partnerContact: false,
        contactForMoreInfo: 'Ring 22 00 00 00',
      },
    });
  });

  it('counts the days after closing in Oslo calendar days, across the change to summer time', () => {
    // Closed at 00:30 Oslo on 25 October (22:30 UTC the day before): the closing day is the 25th.
    expect(lastVisibleDay('2026-10-24T22:30:00.000Z', 1)).toBe('2026-10-26');
    expect(lastVisibleDay('2026-10-24T22:30:00.000Z', 7)).toBe('2026-11-01');
    expect(lastVisibleDay('2026-03-28T12:00:00.000Z', 1)).toBe('2026-03-29');
  });

  it('has no visible day after closing with 0 days: the page closes with the case', () => {
    expect(lastVisibleDay('2026-10-24T22:30:00.000Z', 0)).toBeNull();
  });

  it('treats a closed case without a closing time as closed just now (reachable with 1 day, not with 0)', () => {
    const state = open({ status: 'closed', closedAt: null });
    const now = new Date('2026-05-01T10:00:00.000Z');
    expect(customerVisibility(settingsWith({ visibleDaysAfterClose: 1 }), state, now).reachable).toBe(true);
    expect(customerVisibility(settingsWith({ visibleDaysAfterClose: 0 }), state, now).reachable).toBe(false);
  });
});

describe('customerVisibility: reports need the Documents tab', () => {
  it.each(triggers)('Documents tab at %s: reports only where the tab is visible', (documents) => {
    const settings = settingsWith({
      showDocuments: documents,
      showInspectionReport: 'case_created',
      showSettlementReport: 'case_created',
    });
    for (const milestone of Object.values(states)) {
      const view = customerVisibility(
        { ...settings, visibleDaysAfterClose: milestone.visibleDaysAfterClose },
        milestone.state,
        new Date(milestone.now),
      );
      const tab = milestone.reachable && milestone.reached[documents];
      expect(view.tabs.documents).toBe(tab);
      expect(view.reports).toEqual({ inspectionReport: tab, settlementReport: tab });
    }
  });
});

describe('customerVisibility: news', () => {
  const decidedCase = states['positive decision (after the inspection)']!;

  it('lists the ticked kinds in the guide order when the news section is visible', () => {
    const settings = settingsWith({
      showNews: 'main_inspection_assigned',
      newsFilter: ['document_shared', 'call_history', 'case_closed'],
    });
    const view = customerVisibility(settings, decidedCase.state, new Date(decidedCase.now));
    expect(view.news).toBe(true);
    expect(view.newsKinds).toEqual(['call_history', 'case_closed', 'document_shared']);
  });

  it('lists no kinds while the news section is hidden, whatever the filter', () => {
    for (const showNews of ['never', 'positive_decision'] as const) {
      const settings = settingsWith({ showNews, newsFilter: [...newsKinds] });
      const created = states['case created only']!;
      const view = customerVisibility(settings, created.state, new Date(created.now));
      expect(view.news).toBe(false);
      expect(view.newsKinds).toEqual([]);
    }
  });

  it('shows an empty feed when the section is visible and nothing is ticked', () => {
    const view = customerVisibility(
      settingsWith({ newsFilter: [] }),
      decidedCase.state,
      new Date(decidedCase.now),
    );
    expect(view).toMatchObject({ news: true, newsKinds: [] });
  });

  it('shows the plan on the dashboard exactly when ticked (independent of the news section)', () => {
    for (const showPlanOnDashboard of [true, false]) {
      const view = customerVisibility(
        settingsWith({ showPlanOnDashboard, showNews: 'never' }),
        decidedCase.state,
        new Date(decidedCase.now),
      );
      expect(view.planOnDashboard).toBe(showPlanOnDashboard);
    }
  });
});

describe('customerVisibility: communication method', () => {
  const createdCase = states['case created only']!;
  const expected = {
    both_ways: { customerCanRead: true, customerCanPost: true, onlyOwnMessages: false },
    to_customer: { customerCanRead: true, customerCanPost: false, onlyOwnMessages: false },
    from_customer: { customerCanRead: false, customerCanPost: true, onlyOwnMessages: true },
  } as const;

  it.each(Object.entries(expected))('%s', (method, rights) => {
    const settings = settingsWith({ communicationMethod: method as keyof typeof expected });
    const view = customerVisibility(settings, createdCase.state, new Date(createdCase.now));
    expect(view.tabs.communication).toBe(true);
    expect(view.communication).toEqual(rights);
  });

  it.each(Object.keys(expected))('%s while the Communication tab is hidden: no rights at all', (method) => {
    const settings = settingsWith({
      communicationMethod: method as keyof typeof expected,
      showCommunication: 'positive_decision',
    });
    const view = customerVisibility(settings, createdCase.state, new Date(createdCase.now));
    expect(view.tabs.communication).toBe(false);
    expect(view.communication).toEqual({
      customerCanRead: false,
      customerCanPost: false,
      onlyOwnMessages: false,
    });
  });
});

describe('customerVisibility: case information', () => {
  const createdCase = states['case created only']!;
  const caseInfoOf = (overrides: Partial<CustomerPageSettings>) =>
    customerVisibility(settingsWith(overrides), createdCase.state, new Date(createdCase.now)).caseInfo;

  it.each([
    [true, true, { caseHandlerName: true, caseHandlerPhone: true }],
    [true, false, { caseHandlerName: true, caseHandlerPhone: false }],
    [false, false, { caseHandlerName: false, caseHandlerPhone: false }],
  ])('showCaseHandler %s, phone %s', (showCaseHandler, showCaseHandlerPhone, expected) => {
    expect(caseInfoOf({ showCaseHandler, showCaseHandlerPhone })).toMatchObject(expected);
  });

  it('never shows the phone without the name, even from settings that bypassed the schema', () => {
    // The schema refuses these settings (contracts/customer-page-settings.test.ts); the rule holds anyway.
    const bypassed = { showCaseHandler: false, showCaseHandlerPhone: true };
    expect(caseInfoOf(bypassed)).toMatchObject({ caseHandlerName: false, caseHandlerPhone: false });
  });

  it('shows partner contact as set, and the contact text trimmed (null when blank)', () => {
    expect(caseInfoOf({ showPartnerContact: true, contactForMoreInfo: 'Ring oss' })).toMatchObject({
      partnerContact: true,
      contactForMoreInfo: 'Ring oss',
    });
    expect(caseInfoOf({ showPartnerContact: false, contactForMoreInfo: '   ' })).toMatchObject({
      partnerContact: false,
      contactForMoreInfo: null,
    });
  });
});

describe('customerVisibility: the defaults of the guide', () => {
  it('at case creation: dashboard, news, project plan, communication both ways, documents; no budget, no reports', () => {
    const view = customerVisibility(defaultCustomerPageSettings, open(), new Date(created));
    expect(view).toMatchObject({
      reachable: true,
      dashboard: true,
      news: true,
      planOnDashboard: false,
      tabs: { projectPlan: true, communication: true, documents: true, budget: false },
      reports: { inspectionReport: false, settlementReport: false },
      communication: { customerCanRead: true, customerCanPost: true, onlyOwnMessages: false },
      caseInfo: {
        caseHandlerName: true,
        caseHandlerPhone: false,
        partnerContact: false,
        contactForMoreInfo: null,
      },
    });
  });

  it('after the main inspection is assigned: the inspection report appears; the settlement report never', () => {
    const view = customerVisibility(
      defaultCustomerPageSettings,
      open(allMilestones),
      new Date('2026-03-12T00:00:00.000Z'),
    );
    expect(view.reports).toEqual({ inspectionReport: true, settlementReport: false });
    expect(view.tabs.budget).toBe(false);
  });
});

describe('sendLinkDue', () => {
  const expected: Record<string, Record<SendLink, boolean>> = {
    'case created only': {
      case_created: true,
      main_inspection_assigned: false,
      positive_decision: false,
      manual: false,
    },
    'main inspection assigned': {
      case_created: true,
      main_inspection_assigned: true,
      positive_decision: false,
      manual: false,
    },
    'positive decision (after the inspection)': {
      case_created: true,
      main_inspection_assigned: true,
      positive_decision: true,
      manual: false,
    },
    'positive decision without a main inspection': {
      case_created: true,
      main_inspection_assigned: true,
      positive_decision: true,
      manual: false,
    },
    cancelled: {
      case_created: false,
      main_inspection_assigned: false,
      positive_decision: false,
      manual: false,
    },
  };
  const cases = Object.entries(expected).flatMap(([stateName, byValue]) =>
    sendLinkValues.map((value) => ({ stateName, value, due: byValue[value] })),
  );

  it.each(cases)('$value, $stateName → $due', ({ stateName, value, due }) => {
    expect(sendLinkDue(value, states[stateName]!.state)).toBe(due);
  });
});

describe('reports shared by a milestone rule (issue 16)', () => {
  const settings = (overrides: Partial<CustomerPageSettings>): CustomerPageSettings => ({
    ...defaultCustomerPageSettings,
    ...overrides,
  });
  const report = (id: string, createdAt: string, overrides: Partial<ReportCandidate> = {}) => ({
    id,
    kind: 'inspection_report',
    taskId: null,
    createdAt,
    withheld: false,
    ...overrides,
  });

  it('shares a report at the later of the Documents tab and its own trigger', () => {
    const at = (showDocuments: Trigger, showInspectionReport: Trigger) =>
      reportTrigger(settings({ showDocuments, showInspectionReport }), 'inspectionReport');
    expect(at('case_created', 'main_inspection_assigned')).toBe('main_inspection_assigned');
    expect(at('positive_decision', 'main_inspection_assigned')).toBe('positive_decision');
    expect(at('never', 'case_created')).toBe('never');
    expect(at('case_created', 'never')).toBe('never');
    expect(reportTrigger(settings({ showSettlementReport: 'positive_decision' }), 'settlementReport')).toBe(
      'positive_decision',
    );
  });

  it('knows when a trigger was reached: the first milestone that reaches it', () => {
    const state = open({ positiveDecisionAt: decision });
    expect(triggerReachedAt('case_created', state)).toBe(created);
    expect(triggerReachedAt('main_inspection_assigned', state)).toBe(decision);
    expect(triggerReachedAt('main_inspection_assigned', open(allMilestones))).toBe(inspection);
    expect(triggerReachedAt('positive_decision', open())).toBeNull();
    expect(triggerReachedAt('never', open(allMilestones))).toBeNull();
  });

  it('shows the newest report of a kind while its rule is reached, none when that one is withheld', () => {
    const older = report('a', inspection);
    const newer = report('b', decision);
    const media = report('c', '2026-03-11T09:00:00.000Z', { taskId: 't' });
    const reached = { inspectionReport: true, settlementReport: true };
    expect(automaticReports(reached, [older, newer, media])).toEqual({
      inspectionReport: newer,
      settlementReport: null,
    });
    expect(newestReports([newer, older]).inspectionReport).toBe(newer);
    expect(automaticReports(reached, [older, { ...newer, withheld: true }]).inspectionReport).toBeNull();
    expect(
      automaticReports({ ...reached, inspectionReport: false }, [older, newer]).inspectionReport,
    ).toBeNull();
  });

  it('dates an automatic share at its announcement, else at the later of upload and milestone', () => {
    expect(automaticShareTime({ createdAt: created, announcedAt: decision }, inspection)).toBe(decision);
    expect(automaticShareTime({ createdAt: created, announcedAt: null }, inspection)).toBe(inspection);
    expect(automaticShareTime({ createdAt: decision, announcedAt: null }, inspection)).toBe(decision);
  });
});
