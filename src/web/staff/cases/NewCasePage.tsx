import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import type { MeView } from '../../../common/contracts/api.ts';
import { contactRoles, type CreateCaseInput } from '../../../common/contracts/case-schemas.ts';
import { useLanguage } from '../../shared/language.tsx';
import { api } from '../api.ts';
import { errorText, Field, Notice, SelectField, TextAreaField } from '../components.tsx';
import { useUnsavedChanges } from '../use-unsaved-changes.tsx';
import { caseKeys, userOptions, useUsers } from './case-data.ts';

type Role = (typeof contactRoles)[number];
interface ContactForm {
  key: number;
  role: Role;
  name: string;
  email: string;
  phone: string;
}

/** Leaves out empty optional fields, as the API refuses an empty e-mail or phone. */
function person(form: { name: string; email: string; phone: string }) {
  return {
    name: form.name,
    ...(form.email.trim() && { email: form.email }),
    ...(form.phone.trim() && { phone: form.phone }),
  };
}

/** Opens a case: claim number, address, customer, further contacts, case handler; then shows it. */
export function NewCasePage({ me }: { me: MeView }) {
  const { t } = useLanguage();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const users = useUsers();
  const nextKey = useRef(1);
  const [form, setForm] = useState({
    claimNumber: '',
    street: '',
    postalCode: '',
    city: '',
    description: '',
    name: '',
    email: '',
    phone: '',
    caseHandlerId: me.user?.id ?? '',
  });
  const [contacts, setContacts] = useState<ContactForm[]>([]);
  const set = (key: keyof typeof form) => (value: string) =>
    setForm((current) => ({ ...current, [key]: value }));
  const setContact = (key: number, change: Partial<ContactForm>) =>
    setContacts((list) => list.map((contact) => (contact.key === key ? { ...contact, ...change } : contact)));

  // Anything typed (or a handler other than the default) would be lost by leaving: ask first.
  const dirty =
    contacts.length > 0 ||
    Object.entries(form).some(([key, value]) =>
      key === 'caseHandlerId' ? value !== (me.user?.id ?? '') : value.trim() !== '',
    );
  const leaving = useUnsavedChanges(dirty);

  const create = useMutation({
    mutationFn: () => {
      const body: CreateCaseInput = {
        claimNumber: form.claimNumber,
        address: { street: form.street, postalCode: form.postalCode, city: form.city },
        customer: person(form),
        ...(form.description.trim() && { description: form.description }),
        ...(contacts.length > 0 && {
          contacts: contacts.map((contact) => ({ role: contact.role, ...person(contact) })),
        }),
        ...(form.caseHandlerId && { caseHandlerId: form.caseHandlerId }),
      };
      return api.cases.create(body);
    },
    onSuccess: (created) => {
      queryClient.setQueryData(caseKeys.one(created.id), created);
      void queryClient.invalidateQueries({ queryKey: caseKeys.list });
      // Saved: going on to the new case is no leaving.
      leaving.allowLeaving();
      void navigate(`/cases/${created.id}`);
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate();
  }

  return (
    <section>
      <h1>{t('newCase.title')}</h1>
      <form className="card form-wide" onSubmit={submit}>
        <fieldset>
          <legend>{t('newCase.caseHeading')}</legend>
          <Field
            label={t('newCase.claimNumber')}
            value={form.claimNumber}
            required
            maxLength={64}
            onChange={(e) => set('claimNumber')(e.target.value)}
          />
          <Field
            label={t('newCase.street')}
            value={form.street}
            required
            autoComplete="street-address"
            onChange={(e) => set('street')(e.target.value)}
          />
          <div className="field-row">
            <Field
              label={t('newCase.postalCode')}
              value={form.postalCode}
              required
              inputMode="numeric"
              pattern="\d{4}"
              maxLength={4}
              autoComplete="postal-code"
              onChange={(e) => set('postalCode')(e.target.value)}
            />
            <Field
              label={t('newCase.city')}
              value={form.city}
              required
              autoComplete="address-level2"
              onChange={(e) => set('city')(e.target.value)}
            />
          </div>
          <TextAreaField
            label={t('newCase.description')}
            value={form.description}
            maxLength={5000}
            onChange={(e) => set('description')(e.target.value)}
          />
          <SelectField
            label={t('newCase.caseHandler')}
            value={form.caseHandlerId}
            onChange={set('caseHandlerId')}
            options={[{ value: '', label: t('people.notChosen') }, ...userOptions(users.data)]}
          />
        </fieldset>
        <fieldset>
          <legend>{t('newCase.customerHeading')}</legend>
          <Field
            label={t('newCase.name')}
            value={form.name}
            required
            onChange={(e) => set('name')(e.target.value)}
          />
          <Field
            label={t('newCase.email')}
            type="email"
            value={form.email}
            onChange={(e) => set('email')(e.target.value)}
          />
          <Field
            label={t('newCase.phone')}
            type="tel"
            value={form.phone}
            onChange={(e) => set('phone')(e.target.value)}
          />
        </fieldset>
        <fieldset>
          <legend>{t('newCase.contactsHeading')}</legend>
          {contacts.map((contact, index) => (
            <fieldset key={contact.key} className="sub-fieldset">
              <legend>{t('newCase.contactN', { n: index + 1 })}</legend>
              <SelectField
                label={t('newCase.role')}
                value={contact.role}
                onChange={(role) => setContact(contact.key, { role: role as Role })}
                options={contactRoles.map((role) => ({ value: role, label: t(`contactRole.${role}`) }))}
              />
              <Field
                label={t('newCase.name')}
                value={contact.name}
                required
                onChange={(e) => setContact(contact.key, { name: e.target.value })}
              />
              <Field
                label={t('newCase.email')}
                type="email"
                value={contact.email}
                onChange={(e) => setContact(contact.key, { email: e.target.value })}
              />
              <Field
                label={t('newCase.phone')}
                type="tel"
                value={contact.phone}
                onChange={(e) => setContact(contact.key, { phone: e.target.value })}
              />
              <button
                type="button"
                className="button-quiet"
                onClick={() => setContacts((list) => list.filter((c) => c.key !== contact.key))}
              >
                {t('newCase.removeContact', { n: index + 1 })}
              </button>
            </fieldset>
          ))}
          <button
            type="button"
            className="button-quiet"
            onClick={() =>
              setContacts((list) => [
                ...list,
                { key: nextKey.current++, role: 'contact_person', name: '', email: '', phone: '' },
              ])
            }
          >
            {t('newCase.addContact')}
          </button>
        </fieldset>
        {create.isError && <Notice kind="error">{errorText(create.error, t('common.errorGeneric'))}</Notice>}
        <button type="submit" className="button-primary" disabled={create.isPending}>
          {t('newCase.submit')}
        </button>
      </form>
      {leaving.prompt}
    </section>
  );
}
