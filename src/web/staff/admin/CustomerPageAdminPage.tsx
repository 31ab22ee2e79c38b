import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useId, useRef, useState, type FormEvent } from 'react';
import type { MeView } from '../../../common/contracts/api.ts';
import type { SettingName } from '../../../common/rules/customer-page-settings.ts';
import type {
  CustomerPageConfigView,
  CustomerPageLogoView,
} from '../../../common/contracts/customer-page-settings.ts';
import { useLanguage } from '../../shared/language.tsx';
import { api, ApiError } from '../api.ts';
import { fieldIssueText } from '../../shared/api-error-text.ts';
import { errorText, Notice } from '../components.tsx';
import { fieldErrorText } from '../error-text.tsx';
import { lazyComponent, LoadBoundary } from '../lazy.tsx';
import { useUnsavedChanges } from '../use-unsaved-changes.tsx';
import { AppearanceSection } from './AppearanceSection.tsx';
import { AUDIT_QUERY, AuditLog } from './AuditLog.tsx';
import { BankIdBrokerSection } from './BankIdBrokerSection.tsx';
import { ConfigurationSection, ContactSection } from './ConfigurationSection.tsx';
import { NextStepSection, NextStepSectionTitle } from './NextStepTexts.tsx';
import {
  bodyOf,
  fieldErrorsOf,
  formOf,
  isDirty,
  previewSettingsOf,
  settingsOf,
  type SettingsForm,
} from './settings-form.ts';

export const CUSTOMER_PAGE_CONFIG_QUERY = ['customer-page-config'] as const;

// The preview (the customer page's own components, their styles and the sample case) is fetched when
// the admin opens it, not with this page.
const CustomerPagePreview = lazyComponent(() =>
  import('./CustomerPagePreview.tsx').then((m) => m.CustomerPagePreview),
);

/**
 * Company admin → Customer page configuration (level 6; anyone else sees the API's refusal): the
 * appearance, the configuration and the contact information, saved together with one PUT; a live
 * preview of the unsaved settings; and the change log.
 */
export function CustomerPageAdminPage({ me }: { me: MeView }) {
  const { t } = useLanguage();
  const config = useQuery({
    queryKey: CUSTOMER_PAGE_CONFIG_QUERY,
    queryFn: () => api.customerPageConfig.get(),
  });
  if (config.isError) {
    const forbidden = config.error instanceof ApiError && config.error.status === 403;
    return (
      <section>
        <h1>{t('customerPageAdmin.forbiddenTitle')}</h1>
        <Notice kind="error">
          {forbidden ? t('errors.forbidden') : errorText(config.error, t('common.errorGeneric'))}
        </Notice>
      </section>
    );
  }
  if (!config.data) return <p role="status">{t('common.loading')}</p>;
  return <ConfigurationForm saved={config.data} companyName={me.company.name} />;
}

function ConfigurationForm({ saved, companyName }: { saved: CustomerPageConfigView; companyName: string }) {
  const { t } = useLanguage();
  const queryClient = useQueryClient();
  const id = useId();
  const [form, setForm] = useState<SettingsForm>(() => formOf(saved));
  const [logo, setLogo] = useState<CustomerPageLogoView>(saved.logo);
  const [previewOpen, setPreviewOpen] = useState(false);
  const toggle = useRef<HTMLButtonElement>(null);
  const focusPreview = useRef(false);
  const errorSummary = useRef<HTMLDivElement>(null);

  const save = useMutation({
    mutationFn: (body: Record<SettingName, unknown>) => api.customerPageConfig.save(body),
    onSuccess: (view) => {
      queryClient.setQueryData(CUSTOMER_PAGE_CONFIG_QUERY, view);
      setForm(formOf(view));
      setLogo(view.logo);
      void queryClient.invalidateQueries({ queryKey: AUDIT_QUERY });
    },
    onError: () => requestAnimationFrame(() => errorSummary.current?.focus()),
  });

  // Opening moves focus to the preview's heading once it is there (its chunk may still be loading),
  // unless the admin has gone on to something else meanwhile.
  const previewHeading = useCallback((heading: HTMLHeadingElement | null) => {
    if (!heading || !focusPreview.current) return;
    focusPreview.current = false;
    const active = document.activeElement;
    if (active === toggle.current || active === document.body || active === null) heading.focus();
  }, []);

  const rawErrors = save.isError
    ? fieldErrorsOf(save.error, (field, own) => (own ? fieldIssueText(t, field) : fieldErrorText(t, field)))
    : {};
  const errors = Object.fromEntries(
    Object.entries(rawErrors).map(([key, message]) => [key, t('customerPageAdmin.invalid', { message })]),
  );
  const change = (next: Partial<SettingsForm>) => {
    setForm((current) => ({ ...current, ...next }));
    if (save.isSuccess) save.reset();
  };
  const dirty = isDirty(form, saved);
  // Leaving with unsaved settings asks first (reload and close: the browser's own question).
  const leaving = useUnsavedChanges(dirty);
  const previewSettings = previewSettingsOf(form, settingsOf(saved));
  // The logo the customer would see with the unsaved choice (as the server decides it).
  const previewLogo = !form.useCompanyLogo && logo.custom ? logo.custom : logo.company;

  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate(bodyOf(form));
  }

  return (
    <div className="customer-page-admin">
      <div className="page-title">
        <h1>{t('customerPageAdmin.title')}</h1>
        <button
          type="button"
          className="button-primary"
          ref={toggle}
          aria-expanded={previewOpen}
          aria-controls={previewOpen ? `${id}-preview` : undefined}
          onClick={() => {
            focusPreview.current = !previewOpen;
            setPreviewOpen(!previewOpen);
          }}
        >
          {previewOpen ? t('customerPageAdmin.hidePreview') : t('customerPageAdmin.previewButton')}
        </button>
      </div>
      <p className="admin-intro">{t('customerPageAdmin.intro')}</p>
      <div className={previewOpen ? 'admin-layout admin-layout-preview' : 'admin-layout'}>
        <form className="admin-form" onSubmit={submit} noValidate>
          <section className="card admin-card" aria-labelledby={`${id}-appearance`}>
            <h2 id={`${id}-appearance`}>{t('customerPageAdmin.appearance')}</h2>
            <AppearanceSection
              form={form}
              onChange={change}
              logo={logo}
              onLogoUploaded={(next) => {
                setLogo(next);
                queryClient.setQueryData<CustomerPageConfigView>(CUSTOMER_PAGE_CONFIG_QUERY, (old) =>
                  old
                    ? {
                        ...old,
                        logo: { ...old.logo, custom: next.custom, hasCustomLogo: next.hasCustomLogo },
                      }
                    : old,
                );
                void queryClient.invalidateQueries({ queryKey: AUDIT_QUERY });
              }}
              errors={errors}
              savedColors={saved.colors}
            />
          </section>
          <section className="card admin-card" aria-labelledby={`${id}-configuration`}>
            <h2 id={`${id}-configuration`}>{t('customerPageAdmin.configuration')}</h2>
            <ConfigurationSection
              form={form}
              onChange={change}
              errors={errors}
              portalType={saved.portalType}
            />
          </section>
          <section className="card admin-card" aria-labelledby={`${id}-contact`}>
            <h2 id={`${id}-contact`}>{t('customerPageAdmin.contact')}</h2>
            <ContactSection form={form} onChange={change} errors={errors} />
          </section>
          <section className="card admin-card" aria-labelledby={`${id}-next-step`}>
            <h2 id={`${id}-next-step`}>
              <NextStepSectionTitle />
            </h2>
            <NextStepSection form={form} onChange={change} errors={errors} />
          </section>
          <div className="save-bar">
            <div ref={errorSummary} tabIndex={-1} className="save-messages">
              {save.isError && (
                <Notice kind="error">
                  {Object.keys(rawErrors).length > 0
                    ? t('customerPageAdmin.invalidForm')
                    : errorText(save.error, t('common.errorGeneric'))}
                  {errors.form && <> {errors.form}</>}
                </Notice>
              )}
              {save.isSuccess && !dirty && <Notice kind="success">{t('customerPageAdmin.saved')}</Notice>}
            </div>
            <div className="save-row">
              <button type="submit" className="button-primary" disabled={save.isPending}>
                {save.isPending ? t('customerPageAdmin.saving') : t('customerPageAdmin.save')}
              </button>
              {dirty && <span className="unsaved">{t('customerPageAdmin.unsaved')}</span>}
            </div>
          </div>
        </form>
        {previewOpen && (
          <div id={`${id}-preview`} className="admin-preview">
            <LoadBoundary loading={t('customerPageAdmin.preview.loading')}>
              <CustomerPagePreview
                settings={previewSettings}
                logo={previewLogo}
                companyName={companyName}
                portalType={saved.portalType}
                headingRef={previewHeading}
              />
            </LoadBoundary>
          </div>
        )}
      </div>
      <BankIdBrokerSection />
      <section className="card admin-card audit-card" aria-labelledby={`${id}-audit`}>
        <h2 id={`${id}-audit`}>{t('customerPageAdmin.auditLog')}</h2>
        <AuditLog portalType={saved.portalType} />
      </section>
      {leaving.prompt}
    </div>
  );
}
