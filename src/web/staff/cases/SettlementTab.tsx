import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent, type RefObject } from 'react';
import type { CaseView } from '../../../common/contracts/case-api.ts';
import type {
  SaveSettlementInput,
  SettlementLineView,
  SettlementTotalsView,
  SettlementVersionView,
  SettlementView,
} from '../../../common/contracts/settlement-api.ts';
import {
  defaultVatIncluded,
  settlementLineKinds,
  type SettlementLineKind,
} from '../../../common/rules/settlement.ts';
import { useLanguage } from '../../shared/language.tsx';
import { useSettlementText } from './settlement-texts.ts';
import { errorText, Field, Notice, SaveCancel, SelectField } from '../components.tsx';
import { ConfirmDialog } from '../dialog.tsx';
import { formatAmount, formatDateTime, kronerInput, parseKroner } from '../format.ts';
import { caseKeys } from './case-data.ts';
import { LogButton } from './CaseLog.tsx';
import {
  formatPercent,
  lineForm,
  liveFigures,
  newLine,
  parseLine,
  settlementApi,
  type LineForm,
} from './settlement-data.ts';

const settlementKey = (caseId: string) => [...caseKeys.one(caseId), 'settlement'] as const;

interface DraftForm {
  lines: LineForm[];
  deductible: string;
  /** The revision the editor started from (none for a new settlement). */
  revision?: number;
}

/** Which fields of the form were refused when it was sent ("line n", 1-based). */
interface Problems {
  claimed: Set<number>;
  depreciation: Set<number>;
  reason: Set<number>;
  deductible: boolean;
}

/** An amount taken off: "−2 000,00 kr", or "0,00 kr" when nothing is. */
const minus = (ore: number) => (ore > 0 ? `−${formatAmount(ore)}` : formatAmount(0));

/** Focus after a dialog has closed and given the focus back (dialog.tsx does so in one frame). */
function focusLater(target: RefObject<HTMLElement | null>) {
  requestAnimationFrame(() => requestAnimationFrame(() => target.current?.focus()));
}

/**
 * The guide's "Kundeoppgjør": the case's customer settlement — lines of what is covered, each with
 * its claimed amount, depreciation (with its reason) and whether VAT is covered, the deductible once
 * per case, and the payout — computed live by the same rule as the server while it is edited. Saved
 * as a draft, approved through a confirmation, locked once approved (a new version replaces it);
 * earlier versions listed. What the user may do comes from the server (`allowed`).
 */
export function SettlementTab({ kase }: { kase: CaseView }) {
  const { t } = useLanguage();
  const s = useSettlementText();
  const queryClient = useQueryClient();
  const key = settlementKey(kase.id);
  const settlement = useQuery({ queryKey: key, queryFn: () => settlementApi.get(kase.id) });
  const [form, setForm] = useState<DraftForm | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const editButton = useRef<HTMLButtonElement>(null);
  const nextKey = useRef(1);

  const afterChange = async (saved: SettlementView) => {
    queryClient.setQueryData(key, saved);
    // The log, the documents (the report) and the case's other tabs hear of it.
    await queryClient.invalidateQueries({
      queryKey: caseKeys.one(kase.id),
      predicate: (query) => query.queryKey[2] !== 'settlement',
    });
  };
  const save = useMutation({
    mutationFn: (body: SaveSettlementInput) => settlementApi.save(kase.id, body),
    onSuccess: async (saved) => {
      setForm(null);
      setDone(s('settlement.saved'));
      focusLater(editButton);
      await afterChange(saved);
    },
  });
  const approve = useMutation({
    mutationFn: (revision: number) => settlementApi.approve(kase.id, revision),
    onSuccess: async (saved) => {
      setConfirming(false);
      setDone(s('settlement.approvedSaved'));
      focusLater(heading);
      await afterChange(saved);
    },
  });
  const newVersion = useMutation({
    mutationFn: () => settlementApi.newVersion(kase.id),
    onSuccess: async (saved) => {
      setDone(s('settlement.newVersionMade', { n: saved.current?.version ?? '' }));
      focusLater(editButton);
      await afterChange(saved);
    },
  });

  function startEditing(data: SettlementView) {
    save.reset();
    setDone(null);
    const current = data.current;
    setForm(
      current
        ? {
            lines: current.lines.map((line) => lineForm(nextKey.current++, line)),
            deductible: kronerInput(current.deductibleOre),
            revision: current.revision,
          }
        : {
            lines: [newLine(nextKey.current++, 'contractor_repair', data.cashSettlementIncludesVat)],
            deductible: '',
          },
    );
  }

  const data = settlement.data;
  const current = data?.current ?? null;
  return (
    <>
      <div className="panel-title">
        <h3 ref={heading} tabIndex={-1} className="economy-heading">
          {t('tabs.settlement')}
        </h3>
        <LogButton caseId={kase.id} topic="economy" title={t('budget.logTitle')} />
      </div>
      {settlement.isError ? (
        <Notice kind="error">{errorText(settlement.error, t('common.errorGeneric'))}</Notice>
      ) : !data ? (
        <p role="status">{t('common.loading')}</p>
      ) : form ? (
        <SettlementForm
          form={form}
          setForm={setForm}
          nextKey={nextKey}
          cashSettlementIncludesVat={data.cashSettlementIncludesVat}
          pending={save.isPending}
          error={save.isError ? save.error : null}
          onSubmit={(body) => !save.isPending && save.mutate(body)}
          onCancel={() => {
            setForm(null);
            focusLater(editButton);
          }}
        />
      ) : (
        <>
          {current ? <VersionView version={current} /> : <p>{s('settlement.none')}</p>}
          {current?.status === 'draft' && data.approvedVersionId && (
            <p className="muted">{s('settlement.customerSees')}</p>
          )}
          {done && <Notice kind="success">{done}</Notice>}
          {newVersion.isError && (
            <Notice kind="error">{errorText(newVersion.error, t('common.errorGeneric'))}</Notice>
          )}
          <div className="button-row">
            {data.allowed.save && current?.status !== 'approved' && (
              <button
                ref={editButton}
                type="button"
                className="button-quiet"
                onClick={() => startEditing(data)}
              >
                {current ? s('settlement.edit') : s('settlement.start')}
              </button>
            )}
            {data.allowed.approve && current?.status === 'draft' && (
              <button
                type="button"
                className="button-primary"
                onClick={() => {
                  approve.reset();
                  setDone(null);
                  setConfirming(true);
                }}
              >
                {s('settlement.approve')}
              </button>
            )}
            {data.allowed.newVersion && current?.status === 'approved' && (
              <button
                ref={editButton}
                type="button"
                className="button-quiet"
                disabled={newVersion.isPending}
                onClick={() => {
                  setDone(null);
                  newVersion.mutate();
                }}
              >
                {s('settlement.newVersion')}
              </button>
            )}
          </div>
          {!data.allowed.save && current?.status !== 'approved' && (
            <p className="muted">{s('settlement.needsSave')}</p>
          )}
          {!data.allowed.approve && current?.status === 'draft' && (
            <p className="muted">{s('settlement.needsApprove')}</p>
          )}
          <History data={data} />
        </>
      )}
      {confirming && current && (
        <ConfirmDialog
          title={s('settlement.approveTitle')}
          message={
            <>
              <p>
                {s('settlement.approveQuestion', {
                  n: current.version,
                  amount: formatAmount(current.totals.payoutOre),
                })}
              </p>
              <p className="muted">{s('settlement.approveNote')}</p>
            </>
          }
          confirmLabel={s('settlement.approveConfirm')}
          busy={approve.isPending}
          error={
            approve.isError && (
              <Notice kind="error">{errorText(approve.error, t('common.errorGeneric'))}</Notice>
            )
          }
          onConfirm={() => !approve.isPending && approve.mutate(current.revision)}
          onClose={() => setConfirming(false)}
        />
      )}
    </>
  );
}

/** A saved version: its state, every line with its figures, and the totals. */
function VersionView({ version }: { version: SettlementVersionView }) {
  const s = useSettlementText();
  return (
    <section className="tab-section" aria-labelledby="settlement-version-title">
      <h4 id="settlement-version-title">
        {s('settlement.version', { n: version.version })}{' '}
        <span className={`badge ${version.status === 'approved' ? 'badge-approved' : 'badge-awaiting'}`}>
          {s(`settlement.status.${version.status}`)}
        </span>
      </h4>
      {version.status === 'approved' && (
        <p>
          {version.approvedBy &&
            s('settlement.approvedBy', {
              name: version.approvedBy,
              date: formatDateTime(version.decidedAt ?? version.updatedAt),
            }) + '. '}
          {s('settlement.locked')}
        </p>
      )}
      <ul className="economy-list">
        {version.lines.map((line, index) => (
          <li key={line.id} className="economy-item">
            <div className="economy-item-head">
              <strong>
                {s('settlement.lineN', { n: index + 1 })}: {s(`settlement.kinds.${line.kind}`)}
              </strong>
            </div>
            <p className="pre-line">{line.description}</p>
            <LineFigures line={line} />
          </li>
        ))}
      </ul>
      <Totals totals={version.totals} />
    </section>
  );
}

/** One saved line's figures. */
function LineFigures({ line }: { line: SettlementLineView }) {
  const s = useSettlementText();
  return (
    <dl className="settlement-figures">
      <dt>{s('settlement.claimed')}</dt>
      <dd>{formatAmount(line.claimedOre)}</dd>
      {!line.vatIncluded && (
        <>
          <dt>{s('settlement.vatRemoved')}</dt>
          <dd>{minus(line.vatRemovedOre)}</dd>
        </>
      )}
      {line.depreciationBasisPoints > 0 && (
        <>
          <dt>
            {s('settlement.depreciationAmount')} {formatPercent(line.depreciationBasisPoints)}
            {line.depreciationReason && ` (${line.depreciationReason})`}
          </dt>
          <dd>{minus(line.depreciationOre)}</dd>
        </>
      )}
      <dt>{s('settlement.payable')}</dt>
      <dd>{formatAmount(line.payableOre)}</dd>
    </dl>
  );
}

/** The settlement's sums, the deductible taken and the payout. */
function Totals({ totals }: { totals: SettlementTotalsView }) {
  const s = useSettlementText();
  return (
    <dl className="settlement-figures" aria-label={s('settlement.payout')}>
      <dt>{s('settlement.claimedTotal')}</dt>
      <dd>{formatAmount(totals.claimedOre)}</dd>
      {totals.vatRemovedOre > 0 && (
        <>
          <dt>{s('settlement.vatRemoved')}</dt>
          <dd>{minus(totals.vatRemovedOre)}</dd>
        </>
      )}
      {totals.depreciationOre > 0 && (
        <>
          <dt>{s('settlement.depreciationAmount')}</dt>
          <dd>{minus(totals.depreciationOre)}</dd>
        </>
      )}
      <dt>{s('settlement.payableTotal')}</dt>
      <dd>{formatAmount(totals.payableOre)}</dd>
      <dt>{s('settlement.deductibleApplied')}</dt>
      <dd>{minus(totals.deductibleAppliedOre)}</dd>
      <dt className="settlement-payout">{s('settlement.payout')}</dt>
      <dd className="settlement-payout" data-testid="settlement-payout">
        {formatAmount(totals.payoutOre)}
      </dd>
    </dl>
  );
}

/** The earlier versions, newest first. */
function History({ data }: { data: SettlementView }) {
  const s = useSettlementText();
  if (data.history.length === 0) return null;
  return (
    <section className="tab-section" aria-labelledby="settlement-history-title">
      <h4 id="settlement-history-title">{s('settlement.history')}</h4>
      <ul className="settlement-history">
        {data.history.map((item) => (
          <li key={item.id}>
            {s('settlement.historyItem', {
              n: item.version,
              status: s(`settlement.status.${item.status}`),
              amount: formatAmount(item.payoutOre),
            })}
            {item.approvedBy &&
              item.decidedAt &&
              ` · ${s('settlement.approvedBy', { name: item.approvedBy, date: formatDateTime(item.decidedAt) })}`}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The draft being edited, its figures computed as it is typed. */
function SettlementForm({
  form,
  setForm,
  nextKey,
  cashSettlementIncludesVat,
  pending,
  error,
  onSubmit,
  onCancel,
}: {
  form: DraftForm;
  setForm: (change: (form: DraftForm | null) => DraftForm | null) => void;
  nextKey: RefObject<number>;
  cashSettlementIncludesVat: boolean;
  pending: boolean;
  error: unknown;
  onSubmit: (body: SaveSettlementInput) => void;
  onCancel: () => void;
}) {
  const { t } = useLanguage();
  const s = useSettlementText();
  const [problems, setProblems] = useState<Problems | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  // The button that opened the form is gone: the focus goes to the first field, and to the kind of
  // a line when one is added (the last fieldset's select), so a keyboard user carries on from there.
  const lineCount = form.lines.length;
  const shownCount = useRef(0);
  useEffect(() => {
    const selects = formRef.current?.querySelectorAll('select');
    if (shownCount.current === 0) selects?.[0]?.focus();
    else if (lineCount > shownCount.current) selects?.[selects.length - 1]?.focus();
    shownCount.current = lineCount;
  }, [lineCount]);
  const figures = liveFigures(form.lines, form.deductible || '0');
  const setLine = (key: number, change: Partial<LineForm>) =>
    setForm((f) => f && { ...f, lines: f.lines.map((l) => (l.key === key ? { ...l, ...change } : l)) });
  const kindOptions = settlementLineKinds.map((kind) => ({
    value: kind,
    label: s(`settlement.kinds.${kind}`),
  }));

  function submit(event: FormEvent) {
    event.preventDefault();
    const found: Problems = {
      claimed: new Set(),
      depreciation: new Set(),
      reason: new Set(),
      deductible: parseKroner(form.deductible || '0') === null,
    };
    const lines: SaveSettlementInput['lines'] = [];
    form.lines.forEach((line, index) => {
      const { input, problems: lineProblems } = parseLine(line);
      if (lineProblems.claimed) found.claimed.add(index + 1);
      if (lineProblems.depreciation) found.depreciation.add(index + 1);
      if (lineProblems.reason) found.reason.add(index + 1);
      if (input) {
        lines.push({
          kind: input.kind,
          description: line.description,
          claimedOre: input.claimedOre,
          depreciationBasisPoints: input.depreciationBasisPoints,
          depreciationReason: line.depreciationReason.trim() || null,
          vatIncluded: input.vatIncluded,
        });
      }
    });
    const bad =
      found.deductible || found.claimed.size > 0 || found.depreciation.size > 0 || found.reason.size > 0;
    setProblems(bad ? found : null);
    if (bad) return;
    onSubmit({
      ...(form.revision !== undefined && { revision: form.revision }),
      deductibleOre: parseKroner(form.deductible || '0') ?? 0,
      lines,
    });
  }

  return (
    <form ref={formRef} className="card form-wide" onSubmit={submit} aria-label={s('settlement.edit')}>
      {form.lines.map((line, index) => {
        const n = index + 1;
        const computed = figures.lines[index];
        return (
          <fieldset key={line.key} className="sub-fieldset settlement-line">
            <legend>{s('settlement.lineN', { n })}</legend>
            <SelectField
              label={s('settlement.kind')}
              value={line.kind}
              options={kindOptions}
              onChange={(value) => {
                const kind = value as SettlementLineKind;
                setLine(line.key, { kind, vatIncluded: defaultVatIncluded(kind, cashSettlementIncludesVat) });
              }}
            />
            <Field
              label={s('settlement.description')}
              value={line.description}
              required
              maxLength={500}
              onChange={(e) => setLine(line.key, { description: e.target.value })}
            />
            <Field
              label={s('settlement.claimed')}
              value={line.claimed}
              required
              inputMode="decimal"
              autoComplete="off"
              placeholder={s('settlement.amountHint')}
              error={problems?.claimed.has(n) ? s('settlement.invalidClaimed', { n }) : undefined}
              onChange={(e) => setLine(line.key, { claimed: e.target.value })}
            />
            <Field
              label={s('settlement.depreciation')}
              value={line.depreciation}
              inputMode="decimal"
              autoComplete="off"
              error={problems?.depreciation.has(n) ? s('settlement.invalidPercent', { n }) : undefined}
              onChange={(e) => setLine(line.key, { depreciation: e.target.value })}
            />
            <Field
              label={s('settlement.depreciationReason')}
              value={line.depreciationReason}
              maxLength={500}
              error={problems?.reason.has(n) ? s('settlement.reasonRequired', { n }) : undefined}
              onChange={(e) => setLine(line.key, { depreciationReason: e.target.value })}
            />
            <div className="check-field">
              <input
                id={`settlement-vat-${line.key}`}
                type="checkbox"
                checked={line.vatIncluded}
                onChange={(e) => setLine(line.key, { vatIncluded: e.target.checked })}
              />
              <label htmlFor={`settlement-vat-${line.key}`}>{s('settlement.vatIncluded')}</label>
            </div>
            {computed ? (
              <dl className="settlement-figures">
                <dt>{s('settlement.vatRemoved')}</dt>
                <dd>{minus(computed.vatRemovedOre)}</dd>
                <dt>{s('settlement.depreciationAmount')}</dt>
                <dd>{minus(computed.depreciationOre)}</dd>
                <dt>{s('settlement.payable')}</dt>
                <dd data-testid="line-payable">{formatAmount(computed.payableOre)}</dd>
              </dl>
            ) : (
              <p className="muted">{s('settlement.notComputed')}</p>
            )}
            <button
              type="button"
              className="button-quiet button-small"
              onClick={() => setForm((f) => f && { ...f, lines: f.lines.filter((l) => l.key !== line.key) })}
            >
              {s('settlement.removeLine', { n })}
            </button>
          </fieldset>
        );
      })}
      <button
        type="button"
        className="button-quiet settlement-add"
        onClick={() =>
          setForm(
            (f) =>
              f && {
                ...f,
                lines: [
                  ...f.lines,
                  newLine(nextKey.current++, 'contractor_repair', cashSettlementIncludesVat),
                ],
              },
          )
        }
      >
        {s('settlement.addLine')}
      </button>
      <Field
        label={s('settlement.deductible')}
        value={form.deductible}
        inputMode="decimal"
        autoComplete="off"
        placeholder={s('settlement.amountHint')}
        error={problems?.deductible ? s('settlement.invalidDeductible') : undefined}
        onChange={(e) => setForm((f) => f && { ...f, deductible: e.target.value })}
      />
      {figures.totals ? (
        <Totals totals={figures.totals} />
      ) : (
        <p className="muted">{s('settlement.notComputed')}</p>
      )}
      {error !== null && <Notice kind="error">{errorText(error, t('common.errorGeneric'))}</Notice>}
      <SaveCancel pending={pending} onCancel={onCancel} />
    </form>
  );
}
