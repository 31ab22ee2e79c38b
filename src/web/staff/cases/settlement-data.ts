import {
  defaultVatIncluded,
  FULL_BASIS_POINTS,
  settle,
  settleLine,
  type SettlementLineAmounts,
  type SettlementLineInput,
  type SettlementLineKind,
  type SettlementTotals,
} from '../../../common/rules/settlement.ts';
import type { SaveSettlementInput } from '../../../common/contracts/settlement-api.ts';
import { routeCaller } from '../../shared/api-client.ts';
import type { StaffRoutes } from '../api.ts';
import { kronerInput, parseKroner } from '../format.ts';

// The form of a case's customer settlement (issue 20) and its live figures: what a member of staff
// types (kroner, a percentage) turned into what the server takes (øre, basis points), and the
// figures computed by the same rule the server uses (common/rules/settlement.ts), so the screen
// shows what the saved settlement will say.

const call = routeCaller<StaffRoutes>();
const params = (id: string) => ({ params: { id } });

/**
 * The calls of the cost control and settlement tabs (routes typed in api.ts's table). Kept in the
 * tabs' chunk: the staff app's first load carries api.ts and is at its budget.
 */
export const settlementApi = {
  costControl: (caseId: string) => call('GET /api/cases/{id}/cost-control', params(caseId)),
  get: (caseId: string) => call('GET /api/cases/{id}/settlement', params(caseId)),
  save: (caseId: string, body: SaveSettlementInput) =>
    call('PUT /api/cases/{id}/settlement', { ...params(caseId), body }),
  approve: (caseId: string, revision: number) =>
    call('POST /api/cases/{id}/settlement/approve', { ...params(caseId), body: { revision } }),
  newVersion: (caseId: string) =>
    call('POST /api/cases/{id}/settlement/new-version', { ...params(caseId), body: {} }),
};

/** One settlement line as typed in the form. */
export interface LineForm {
  key: number;
  kind: SettlementLineKind;
  description: string;
  /** Kroner as typed ("12 500,50"). */
  claimed: string;
  /** A percentage as typed ("12,5"). */
  depreciation: string;
  depreciationReason: string;
  vatIncluded: boolean;
}

/** A percentage as typed ("12,5", "12.5 %", "100") in basis points (1 250), or null when not 0–100 %. */
export function parsePercent(input: string): number | null {
  const compact = input.replace(/[\s\u00a0\u202f%]/g, '').replace(',', '.');
  if (compact === '') return 0;
  if (!/^\d{1,3}(\.\d{1,2})?$/.test(compact)) return null;
  const [whole = '0', fraction = ''] = compact.split('.');
  const basisPoints = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  return basisPoints <= FULL_BASIS_POINTS ? basisPoints : null;
}

/** Basis points as an editable percentage ("12,5", "0"). */
export function percentInput(basisPoints: number): string {
  const whole = Math.floor(basisPoints / 100);
  const rest = basisPoints % 100;
  if (rest === 0) return String(whole);
  return `${whole},${String(rest).padStart(2, '0').replace(/0$/, '')}`;
}

/** Basis points as a percentage to read ("12,5 %"). */
export function formatPercent(basisPoints: number): string {
  return `${percentInput(basisPoints)} %`;
}

/** A new, empty line of a kind, its VAT default from the kind and the company's setting. */
export function newLine(key: number, kind: SettlementLineKind, cashSettlementIncludesVat: boolean): LineForm {
  return {
    key,
    kind,
    description: '',
    claimed: '',
    depreciation: '0',
    depreciationReason: '',
    vatIncluded: defaultVatIncluded(kind, cashSettlementIncludesVat),
  };
}

/** A saved line (øre, basis points) as a form line. */
export function lineForm(
  key: number,
  line: {
    kind: SettlementLineKind;
    description: string;
    claimedOre: number;
    depreciationBasisPoints: number;
    depreciationReason: string | null;
    vatIncluded: boolean;
  },
): LineForm {
  return {
    key,
    kind: line.kind,
    description: line.description,
    claimed: kronerInput(line.claimedOre),
    depreciation: percentInput(line.depreciationBasisPoints),
    depreciationReason: line.depreciationReason ?? '',
    vatIncluded: line.vatIncluded,
  };
}

/** What is wrong with one typed line, if anything. */
export interface LineProblems {
  claimed: boolean;
  depreciation: boolean;
  /** A depreciation needs its reason. */
  reason: boolean;
}

/** A typed line parsed: the rule's input, or the problems that keep it from being one. */
export function parseLine(line: LineForm): { input: SettlementLineInput | null; problems: LineProblems } {
  const claimedOre = parseKroner(line.claimed);
  const depreciationBasisPoints = parsePercent(line.depreciation);
  const problems = {
    claimed: claimedOre === null,
    depreciation: depreciationBasisPoints === null,
    reason: (depreciationBasisPoints ?? 0) > 0 && line.depreciationReason.trim() === '',
  };
  if (claimedOre === null || depreciationBasisPoints === null) return { input: null, problems };
  return {
    input: { kind: line.kind, claimedOre, depreciationBasisPoints, vatIncluded: line.vatIncluded },
    problems,
  };
}

/**
 * The live figures of the form: every line's parts (null for a line not yet a valid amount) and the
 * totals with the deductible, when every line and the deductible are valid.
 */
export function liveFigures(
  lines: readonly LineForm[],
  deductible: string,
): { lines: Array<SettlementLineAmounts | null>; totals: SettlementTotals | null } {
  const inputs = lines.map((line) => parseLine(line).input);
  const deductibleOre = parseKroner(deductible);
  const perLine = inputs.map((input) => (input ? attempt(() => settleLine(input)) : null));
  const valid = inputs.filter((input): input is SettlementLineInput => input !== null);
  const totals =
    deductibleOre !== null && valid.length === inputs.length
      ? attempt(() => settle(valid, deductibleOre))
      : null;
  return { lines: perLine, totals };
}

/** The rule's answer, or null for figures it refuses (too large to add up exactly). */
function attempt<R>(compute: () => R): R | null {
  try {
    return compute();
  } catch {
    return null;
  }
}
