import { useId, useState, type FormEvent } from 'react';
import type { CaseView, ContactView } from '../../../common/contracts/case-api.ts';
import { callDirections, type CallDirection } from '../../../common/rules/calls.ts';
import { useLanguage } from '../../shared/language.tsx';
import { api } from '../api.ts';
import { errorText, Field, Notice, SaveCancel, ShowOlder, TextAreaField } from '../components.tsx';
import { PhoneLink } from '../phone.tsx';
import { formatDateTime, formatDuration } from '../format.ts';
import { useCalls, useCaseChange } from './case-data.ts';
import { LogButton } from './CaseLog.tsx';
import { CaseSatisfaction } from './CaseSatisfaction.tsx';
import { PersonDataActions } from './PersonDataActions.tsx';

/** "Saksinformasjon": the description, the contacts and the call history with a form to record a call. */
export function CaseInfoTab({ kase }: { kase: CaseView }) {
  return (
    <>
      <Description kase={kase} />
      <Contacts caseId={kase.id} contacts={[...(kase.customer ? [kase.customer] : []), ...kase.contacts]} />
      <Calls kase={kase} />
      {kase.status === 'closed' && <CaseSatisfaction kase={kase} />}
    </>
  );
}

function Description({ kase }: { kase: CaseView }) {
  const { t } = useLanguage();
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState('');
  const save = useCaseChange(kase.id, () =>
    api.cases.update(kase.id, { description: text.trim() ? text : null }),
  );
  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate(undefined, { onSuccess: () => setEditing(false) });
  }
  return (
    <section className="tab-section" aria-labelledby="description-title">
      <h3 id="description-title">{t('caseInfo.description')}</h3>
      {editing ? (
        <form onSubmit={submit}>
          <TextAreaField
            label={t('caseInfo.description')}
            value={text}
            maxLength={5000}
            autoFocus
            onChange={(event) => setText(event.target.value)}
          />
          {save.isError && <Notice kind="error">{errorText(save.error, t('common.errorGeneric'))}</Notice>}
          <SaveCancel pending={save.isPending} onCancel={() => setEditing(false)} />
        </form>
      ) : (
        <>
          <p className="pre-line">
            {kase.description ?? <span className="muted">{t('caseInfo.noDescription')}</span>}
          </p>
          <button
            type="button"
            className="button-quiet button-small"
            onClick={() => {
              setText(kase.description ?? '');
              save.reset();
              setEditing(true);
            }}
          >
            {t('caseInfo.editDescription')}
          </button>
          {save.isSuccess && <Notice kind="success">{t('caseInfo.descriptionSaved')}</Notice>}
        </>
      )}
    </section>
  );
}

function Contacts({ caseId, contacts }: { caseId: string; contacts: ContactView[] }) {
  const { t } = useLanguage();
  return (
    <section className="tab-section" aria-labelledby="contacts-title">
      <h3 id="contacts-title">{t('caseInfo.contacts')}</h3>
      <ul className="contact-list">
        {contacts.map((contact) => (
          <li key={contact.id}>
            <strong>{contact.name}</strong>{' '}
            <span className="muted">({t(`contactRole.${contact.role}`)})</span>
            {contact.phone && (
              <>
                <br />
                <PhoneLink number={contact.phone} />
              </>
            )}
            {contact.email && (
              <>
                <br />
                <a href={`mailto:${contact.email}`}>{contact.email}</a>
              </>
            )}
            <PersonDataActions caseId={caseId} contact={contact} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function Calls({ kase }: { kase: CaseView }) {
  const { t } = useLanguage();
  const calls = useCalls(kase.id);
  const hintId = useId();
  const empty = {
    direction: null as CallDirection | null,
    partyName: '',
    number: '',
    reached: true,
    minutes: '',
    seconds: '',
  };
  const [form, setForm] = useState(empty);
  const record = useCaseChange(kase.id, () =>
    api.cases.recordCall(kase.id, {
      // The form cannot be sent without a direction (the radios are required).
      direction: form.direction ?? 'outgoing',
      partyName: form.partyName,
      number: form.number,
      reached: form.reached,
      durationSeconds: (Number(form.minutes) || 0) * 60 + (Number(form.seconds) || 0),
    }),
  );
  function submit(event: FormEvent) {
    event.preventDefault();
    record.mutate(undefined, { onSuccess: () => setForm(empty) });
  }
  return (
    <section className="tab-section" aria-labelledby="calls-title">
      <div className="panel-title">
        <h3 id="calls-title">{t('caseInfo.calls')}</h3>
        <LogButton caseId={kase.id} topic="calls" title={t('caseInfo.logTitle')} />
      </div>
      {calls.isError ? (
        <Notice kind="error">{errorText(calls.error, t('common.errorGeneric'))}</Notice>
      ) : !calls.first ? (
        <p role="status">{t('common.loading')}</p>
      ) : calls.items.length === 0 ? (
        <p>{t('caseInfo.noCalls')}</p>
      ) : (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('caseInfo.calledAt')}</th>
                <th scope="col">{t('caseInfo.direction')}</th>
                <th scope="col">{t('caseInfo.partyName')}</th>
                <th scope="col">{t('caseInfo.reached')}</th>
                <th scope="col">{t('caseInfo.duration')}</th>
                <th scope="col">{t('caseInfo.callerName')}</th>
              </tr>
            </thead>
            <tbody>
              {calls.items.map((call) => (
                <tr key={call.id}>
                  <td>{formatDateTime(call.calledAt)}</td>
                  <td>{t(`caseInfo.${call.direction}`)}</td>
                  {/* The other party first: it is what a narrow screen shows before scrolling. */}
                  <td>
                    {call.partyName && (
                      <>
                        {call.partyName}
                        <br />
                      </>
                    )}
                    <PhoneLink number={call.number} />
                  </td>
                  <td>{call.reached ? t('common.yes') : t('common.no')}</td>
                  <td>{formatDuration(call.durationSeconds)}</td>
                  <td>{call.callerName}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <ShowOlder list={calls} />
        </div>
      )}
      <form className="card" onSubmit={submit}>
        <h4>{t('caseInfo.recordCall')}</h4>
        <fieldset aria-describedby={hintId}>
          <legend>{t('caseInfo.direction')}</legend>
          <div className="radio-row">
            {callDirections.map((direction) => (
              <label key={direction} className="radio-choice">
                <input
                  type="radio"
                  name="call-direction"
                  value={direction}
                  required
                  checked={form.direction === direction}
                  onChange={() => setForm({ ...form, direction })}
                />
                {t(`caseInfo.${direction}Choice`)}
              </label>
            ))}
          </div>
          <p id={hintId} className="field-hint">
            {t('caseInfo.outgoingHint')}
          </p>
        </fieldset>
        <Field
          label={t('caseInfo.partyNameField')}
          value={form.partyName}
          required
          maxLength={200}
          autoComplete="off"
          onChange={(e) => setForm({ ...form, partyName: e.target.value })}
        />
        <Field
          label={t('caseInfo.partyNumber')}
          type="tel"
          value={form.number}
          required
          autoComplete="off"
          onChange={(e) => setForm({ ...form, number: e.target.value })}
        />
        <div className="check-field">
          <input
            id="call-reached"
            type="checkbox"
            checked={form.reached}
            onChange={(e) => setForm({ ...form, reached: e.target.checked })}
          />
          <label htmlFor="call-reached">{t('caseInfo.reached')}</label>
        </div>
        <fieldset className="field-row duration-row">
          <legend>{t('caseInfo.duration')}</legend>
          <Field
            label={t('caseInfo.minutes')}
            type="number"
            min={0}
            max={1440}
            inputMode="numeric"
            value={form.minutes}
            onChange={(e) => setForm({ ...form, minutes: e.target.value })}
          />
          <Field
            label={t('caseInfo.seconds')}
            type="number"
            min={0}
            max={59}
            inputMode="numeric"
            value={form.seconds}
            onChange={(e) => setForm({ ...form, seconds: e.target.value })}
          />
        </fieldset>
        {record.isError && <Notice kind="error">{errorText(record.error, t('common.errorGeneric'))}</Notice>}
        {record.isSuccess && <Notice kind="success">{t('caseInfo.callRecorded')}</Notice>}
        <button type="submit" className="button-primary" disabled={record.isPending}>
          {t('caseInfo.recordCall')}
        </button>
      </form>
    </section>
  );
}
