import {
  approveSettlementSchema,
  saveSettlementSchema,
  type ApproveSettlementInput,
  type SaveSettlementInput,
  type SettlementView,
} from '../../common/contracts/settlement-api.ts';
import { defaultVatIncluded } from '../../common/rules/settlement.ts';
import { authorize, type Actor } from '../security/actor.ts';
import { caseCommand } from '../case-commands/case-command.ts';
import { loadCase } from '../cases/access.ts';
import type { Db } from '../db/database.ts';
import { nowIso } from '../db/database.ts';
import type { SettlementLinesTable, SettlementsTable } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { newId } from '../security/tokens.ts';
import { afterSettlementApproved } from './after-approved.ts';
import { settlementPolicy } from './policy.ts';
import { presentSettlement } from './presenter.ts';
import {
  cashSettlementIncludesVat,
  deleteSettlementLines,
  insertSettlement,
  insertSettlementLines,
  linesOfSettlements,
  markApproved,
  markSuperseded,
  settlementsOfCase,
  updateDraft,
} from './queries.ts';

// The customer settlement of a case (issue 20, items 2 and 4). Versions: the newest is the current
// one; a draft is saved (level 2) and approved (level 4), an approved version is locked. "New
// version" copies the approved one into draft N+1; the approved one stays approved — and stays the
// customer's report — until N+1 is approved, when it becomes `superseded` in the same change. Every
// write is a case command (case-commands/case-command.ts): the case row is locked, the versions are
// read again inside the transaction and guarded on, and the change, its case event and (for an
// approval) the report's after-commit step go together. Amounts are computed by settle() on read.

/** The versions and lines of a case, read with `db` (inside a command: its transaction). */
async function readSettlement(db: Db, caseId: string) {
  const rows = await settlementsOfCase(db, caseId);
  const lines = await linesOfSettlements(
    db,
    rows.map((row) => row.id),
  );
  return { rows, lines };
}

async function view(db: Db, actor: Actor, caseId: string): Promise<SettlementView> {
  const { rows, lines } = await readSettlement(db, caseId);
  return presentSettlement(actor, caseId, rows, lines, await cashSettlementIncludesVat(db, actor.companyId));
}

/** The case's settlement: the current version with its computed amounts, and the history. */
export async function getSettlement(db: Db, actor: Actor, caseId: string): Promise<SettlementView> {
  authorize(actor, settlementPolicy.read);
  const row = await loadCase(db, actor, caseId);
  return view(db, actor, row.id);
}

/** 409 `settlement_changed` when the caller's revision is not the current one. */
function requireRevision(current: SettlementsTable, revision: number | undefined) {
  if (revision !== undefined && current.revision !== revision) {
    throw new AppError('settlement_changed', undefined, { params: { revision: current.revision } });
  }
}

/**
 * Saves the draft: its lines and deductible replace what was there (`settlement_saved`). The case's
 * first save creates version 1. An approved (or superseded) current version is 409
 * `settlement_approved`; a stale `revision` is 409 `settlement_changed`. The same lines and
 * deductible again are a no-op without an event. A line without `vatIncluded` gets the default of its
 * kind (cash settlement: the company's setting).
 */
export async function saveSettlement(
  db: Db,
  actor: Actor,
  caseId: string,
  input: SaveSettlementInput,
): Promise<SettlementView> {
  authorize(actor, settlementPolicy.save);
  const values = saveSettlementSchema.parse(input);
  return caseCommand(db, actor, caseId, settlementPolicy.save, async ({ trx, row, event, now }) => {
    const { rows, lines: storedLines } = await readSettlement(trx, row.id);
    const current = rows[0];
    if (current && current.status !== 'draft') {
      throw new AppError('settlement_approved');
    }
    if (current) requireRevision(current, values.revision);
    const vatDefault = await cashSettlementIncludesVat(trx, row.company_id);
    const at = nowIso(now);
    const settlementId = current?.id ?? newId();
    const lines: SettlementLinesTable[] = values.lines.map((line, position) => ({
      id: newId(),
      settlement_id: settlementId,
      position,
      kind: line.kind,
      description: line.description,
      claimed_ore: line.claimedOre,
      depreciation_basis_points: line.depreciationBasisPoints ?? 0,
      depreciation_reason: (line.depreciationBasisPoints ?? 0) > 0 ? (line.depreciationReason ?? null) : null,
      vat_included: (line.vatIncluded ?? defaultVatIncluded(line.kind, vatDefault)) ? 1 : 0,
    }));
    if (current) {
      if (
        Number(current.deductible_ore) === values.deductibleOre &&
        sameLines(
          storedLines.filter((line) => line.settlement_id === current.id),
          lines,
        )
      ) {
        return presentSettlement(actor, row.id, rows, storedLines, vatDefault);
      }
      if (
        (await updateDraft(trx, current.id, current.revision, {
          deductible_ore: values.deductibleOre,
          updated_at: at,
        })) === 0
      ) {
        throw new AppError('settlement_changed');
      }
      await deleteSettlementLines(trx, current.id);
    } else {
      await insertSettlement(trx, {
        id: settlementId,
        company_id: row.company_id,
        case_id: row.id,
        version: 1,
        revision: 1,
        status: 'draft',
        deductible_ore: values.deductibleOre,
        decided_at: null,
        approved_by: null,
        supersedes_id: null,
        created_at: at,
        updated_at: at,
      });
    }
    await insertSettlementLines(trx, lines);
    const saved = await view(trx, actor, row.id);
    await event('settlement_saved', {
      settlementId,
      version: saved.current!.version,
      payoutOre: saved.current!.totals.payoutOre,
      lines: lines.length,
    });
    return saved;
  });
}

/** Whether the stored lines are the same as the new ones, field by field, in order. */
function sameLines(stored: SettlementLinesTable[], next: SettlementLinesTable[]): boolean {
  const sorted = [...stored].sort((a, b) => a.position - b.position);
  return (
    sorted.length === next.length &&
    sorted.every((line, index) => {
      const other = next[index]!;
      return (
        line.kind === other.kind &&
        line.description === other.description &&
        Number(line.claimed_ore) === Number(other.claimed_ore) &&
        line.depreciation_basis_points === other.depreciation_basis_points &&
        (line.depreciation_reason ?? null) === (other.depreciation_reason ?? null) &&
        Number(line.vat_included) === Number(other.vat_included)
      );
    })
  );
}

/**
 * Approves the current draft (level 4, `settlement_approved`): guarded under the case lock — a draft,
 * at the caller's revision, with at least one line — so of two simultaneous approvals exactly one
 * passes. The decision time and the approver's name are stored; the version it replaces becomes
 * `superseded`. After the commit the settlement report is generated (afterSettlementApproved).
 */
export async function approveSettlement(
  db: Db,
  actor: Actor,
  caseId: string,
  input: ApproveSettlementInput,
): Promise<SettlementView> {
  authorize(actor, settlementPolicy.approve);
  const values = approveSettlementSchema.parse(input);
  return caseCommand(
    db,
    actor,
    caseId,
    settlementPolicy.approve,
    async ({ trx, row, event, now, stamp, afterCommit }) => {
      const { rows, lines } = await readSettlement(trx, row.id);
      const current = rows[0];
      if (!current) throw new AppError('settlement_not_found');
      if (current.status !== 'draft') throw new AppError('settlement_approved');
      requireRevision(current, values.revision);
      if (!lines.some((line) => line.settlement_id === current.id)) throw new AppError('settlement_empty');
      const at = nowIso(now);
      const by = stamp.name ?? '';
      if ((await markApproved(trx, current.id, current.revision, at, by)) === 0) {
        throw new AppError('settlement_changed');
      }
      // Every earlier approved version is replaced by this one (normally the one it was copied from).
      const replaced = rows.filter((other) => other.id !== current.id && other.status === 'approved');
      for (const other of replaced) await markSuperseded(trx, other.id, at);
      const approved = await view(trx, actor, row.id);
      const version = approved.current!;
      await event('settlement_approved', {
        settlementId: version.id,
        version: version.version,
        payoutOre: version.totals.payoutOre,
        deductibleOre: version.deductibleOre,
        supersededId: replaced[0]?.id ?? null,
      });
      const target = { companyId: row.company_id, caseId: row.id };
      afterCommit(() =>
        afterSettlementApproved(db, actor, {
          ...target,
          settlement: version,
          supersededIds: replaced.map((other) => other.id),
        }),
      );
      return approved;
    },
  );
}

/**
 * Makes a new draft version from the approved current one (level 2, `settlement_version_created`):
 * lines and deductible copied, `supersedesId` set. The approved version is untouched until the new
 * one is approved. A draft current version is 409 `settlement_not_approved` (edit it instead).
 */
export async function newSettlementVersion(db: Db, actor: Actor, caseId: string): Promise<SettlementView> {
  authorize(actor, settlementPolicy.save);
  return caseCommand(db, actor, caseId, settlementPolicy.save, async ({ trx, row, event, now }) => {
    const { rows, lines } = await readSettlement(trx, row.id);
    const current = rows[0];
    if (!current) throw new AppError('settlement_not_found');
    if (current.status !== 'approved') throw new AppError('settlement_not_approved');
    const at = nowIso(now);
    const id = newId();
    const next: SettlementsTable = {
      id,
      company_id: row.company_id,
      case_id: row.id,
      version: current.version + 1,
      revision: 1,
      status: 'draft',
      deductible_ore: Number(current.deductible_ore),
      decided_at: null,
      approved_by: null,
      supersedes_id: current.id,
      created_at: at,
      updated_at: at,
    };
    await insertSettlement(trx, next);
    await insertSettlementLines(
      trx,
      lines
        .filter((line) => line.settlement_id === current.id)
        .map((line) => ({ ...line, id: newId(), settlement_id: id, claimed_ore: Number(line.claimed_ore) })),
    );
    await event('settlement_version_created', {
      settlementId: id,
      version: next.version,
      fromVersion: current.version,
    });
    return view(trx, actor, row.id);
  });
}
