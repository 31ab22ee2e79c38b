import { useState, type FormEvent } from 'react';
import type { CaseView } from '../../../common/contracts/case-api.ts';
import type { CaseEventKind } from '../../../common/rules/case-events.ts';
import type { UpdateCaseInput } from '../../../common/contracts/case-schemas.ts';
import type { MessageKey } from '../../i18n/i18n.ts';
import { useLanguage } from '../../shared/language.tsx';
import { api } from '../api.ts';
import { errorText, Notice, SaveCancel, SelectField, type SelectOption } from '../components.tsx';
import { PhoneLink } from '../phone.tsx';
import {
  officeOptions,
  personOptions,
  useCaseChange,
  usePartners,
  userOptions,
  useUsers,
} from './case-data.ts';
import { LogButton } from './CaseLog.tsx';
import { useInlineEditor } from './use-inline-editor.ts';

type Field = keyof Pick<
  UpdateCaseInput,
  | 'caseHandlerId'
  | 'externalCaseHandlerId'
  | 'technicalAdvisorId'
  | 'projectManagerId'
  | 'projectManagementOfficeId'
>;

interface Role {
  field: Field;
  label: MessageKey;
  current: (kase: CaseView) => { id: string; name: string; phone?: string | null } | null;
  source: 'users' | 'persons' | 'offices';
  kind: CaseEventKind;
}

const roles: Role[] = [
  {
    field: 'caseHandlerId',
    label: 'people.caseHandler',
    current: (c) => c.caseHandler,
    source: 'users',
    kind: 'case_handler_changed',
  },
  {
    field: 'externalCaseHandlerId',
    label: 'people.externalCaseHandler',
    current: (c) => c.externalCaseHandler,
    source: 'persons',
    kind: 'external_case_handler_changed',
  },
  {
    field: 'technicalAdvisorId',
    label: 'people.technicalAdvisor',
    current: (c) => c.technicalAdvisor,
    source: 'users',
    kind: 'technical_advisor_changed',
  },
  {
    field: 'projectManagerId',
    label: 'people.projectManager',
    current: (c) => c.projectManager,
    source: 'persons',
    kind: 'project_manager_assigned',
  },
  {
    field: 'projectManagementOfficeId',
    label: 'people.projectManagement',
    current: (c) => c.projectManagement,
    source: 'offices',
    kind: 'project_management_assigned',
  },
];

/** The people on a case, each with Edit (a pick list) and Log. */
export function CasePeople({ kase }: { kase: CaseView }) {
  const { t } = useLanguage();
  const users = useUsers();
  const partners = usePartners();
  const options: Record<Role['source'], SelectOption[]> = {
    users: userOptions(users.data),
    persons: personOptions(partners.data),
    offices: officeOptions(partners.data),
  };
  return (
    <section className="panel" aria-labelledby="people-title">
      <h2 id="people-title">{t('people.title')}</h2>
      <dl className="people">
        {roles.map((role) => (
          <PersonRow key={role.field} kase={kase} role={role} options={options[role.source]} />
        ))}
      </dl>
    </section>
  );
}

function PersonRow({ kase, role, options }: { kase: CaseView; role: Role; options: SelectOption[] }) {
  const { t } = useLanguage();
  const label = t(role.label);
  const current = role.current(kase);
  const editor = useInlineEditor();
  const [value, setValue] = useState('');
  const save = useCaseChange(kase.id, (next: string) => {
    const body: UpdateCaseInput = {};
    body[role.field] = next || null;
    return api.cases.update(kase.id, body);
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate(value, { onSuccess: editor.close });
  }
  return (
    <div className="person-row">
      <dt>{label}</dt>
      <dd>
        {editor.editing ? (
          <form ref={editor.form} className="inline-form" onSubmit={submit}>
            <SelectField
              label={label}
              hideLabel
              value={value}
              onChange={setValue}
              options={[{ value: '', label: t('people.notChosen') }, ...options]}
            />
            <SaveCancel pending={save.isPending} onCancel={editor.close} />
            {save.isError && <Notice kind="error">{errorText(save.error, t('common.errorGeneric'))}</Notice>}
          </form>
        ) : (
          <div className="person-value">
            <span>
              {current ? current.name : <span className="muted">{t('people.notChosen')}</span>}
              {current?.phone && (
                <>
                  {' '}
                  · <PhoneLink number={current.phone} />
                </>
              )}
            </span>
            <span className="row-actions">
              <button
                ref={editor.editButton}
                type="button"
                className="button-quiet button-small"
                aria-label={`${t('people.edit')}: ${label}`}
                onClick={() => {
                  setValue(current?.id ?? '');
                  save.reset();
                  editor.open();
                }}
              >
                {t('people.edit')}
              </button>
              <LogButton
                caseId={kase.id}
                topic="people"
                kind={role.kind}
                title={t('people.logTitle', { role: label })}
              />
            </span>
          </div>
        )}
      </dd>
    </div>
  );
}
