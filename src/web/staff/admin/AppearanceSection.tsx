import { useMutation } from '@tanstack/react-query';
import { useId, useRef, type ChangeEvent } from 'react';
import { Link } from 'react-router';
import {
  contrastPairs,
  contrastRatio,
  formatRatio,
  MIN_TEXT_CONTRAST,
} from '../../../common/rules/color-contrast.ts';
import {
  colorLabels,
  type ColorKey,
  type CustomerPageColors,
} from '../../../common/rules/customer-page-settings.ts';
import type { CustomerPageLogoView } from '../../../common/contracts/customer-page-settings.ts';
import { useLanguage } from '../../shared/language.tsx';
import { api, ApiError } from '../api.ts';
import { Notice } from '../components.tsx';
import { CheckField } from './fields.tsx';
import { isHexColor, type SettingsForm } from './settings-form.ts';

const pairLegend = {
  heading: 'customerPageAdmin.colors.pagePair',
  menu: 'customerPageAdmin.colors.menuPair',
  menuSelected: 'customerPageAdmin.colors.selectedPair',
} as const;

/**
 * Tilpassing: the logo (company default or the customer page's own upload) and the six colours,
 * grouped in their text/background pairs with the WCAG contrast of each pair and a warning beside
 * a pair under 4.5:1.
 */
export function AppearanceSection({
  form,
  onChange,
  logo,
  onLogoUploaded,
  errors,
  savedColors,
}: {
  form: SettingsForm;
  onChange: (change: Partial<SettingsForm>) => void;
  logo: CustomerPageLogoView;
  onLogoUploaded: (logo: CustomerPageLogoView) => void;
  errors: Record<string, string>;
  /** The saved colours, which the pickers show while a hex box holds a half-typed colour. */
  savedColors: CustomerPageColors;
}) {
  const { t, language } = useLanguage();
  const setColor = (key: ColorKey, value: string) => onChange({ colors: { ...form.colors, [key]: value } });
  return (
    <>
      <LogoFields
        useCompanyLogo={form.useCompanyLogo}
        onUseCompanyLogo={(useCompanyLogo) => onChange({ useCompanyLogo })}
        logo={logo}
        onLogoUploaded={onLogoUploaded}
        error={errors.useCompanyLogo}
      />
      <fieldset className="color-settings">
        <legend>{t('customerPageAdmin.colors.legend')}</legend>
        <p className="field-hint">{t('customerPageAdmin.colors.intro')}</p>
        {contrastPairs.map((pair) => {
          const background = form.colors[pair.background];
          const foreground = form.colors[pair.foreground];
          const valid = isHexColor(background) && isHexColor(foreground);
          const ratio = valid ? contrastRatio(foreground, background) : null;
          const low = ratio !== null && ratio < MIN_TEXT_CONTRAST;
          const warningId = `contrast-warning-${pair.id}`;
          const locale = language === 'nb' ? 'nb-NO' : 'en-GB';
          return (
            <fieldset key={pair.id} className={low ? 'color-pair color-pair-low' : 'color-pair'}>
              <legend>{t(pairLegend[pair.id])}</legend>
              {[pair.background, pair.foreground].map((key) => (
                <ColorField
                  key={key}
                  label={colorLabels[language][key]}
                  value={form.colors[key]}
                  fallback={savedColors[key]}
                  onChange={(value) => setColor(key, value)}
                  error={errors[`colors.${key}`]}
                  warningId={low ? warningId : undefined}
                />
              ))}
              {valid && ratio !== null && (
                <div className="contrast-row">
                  {/* Drawn, not text: a failing pair must not make the page itself fail. */}
                  <svg
                    className="contrast-sample"
                    width="88"
                    height="36"
                    viewBox="0 0 88 36"
                    aria-hidden="true"
                  >
                    <rect width="88" height="36" rx="6" fill={background.trim()} stroke="#6b7280" />
                    <text
                      x="44"
                      y="24"
                      textAnchor="middle"
                      fontSize="16"
                      fontWeight="700"
                      fill={foreground.trim()}
                    >
                      Aa Bb
                    </text>
                  </svg>
                  <span>{t('customerPageAdmin.colors.contrast', { ratio: formatRatio(ratio, locale) })}</span>
                </div>
              )}
              {low && ratio !== null && (
                <p id={warningId} className="contrast-warning">
                  <span aria-hidden="true">⚠ </span>
                  {t('customerPageAdmin.colors.lowContrast', {
                    ratio: formatRatio(ratio, locale),
                    foreground: colorLabels[language][pair.foreground],
                    background: colorLabels[language][pair.background],
                  })}
                </p>
              )}
            </fieldset>
          );
        })}
      </fieldset>
    </>
  );
}

/** One colour: a native colour picker and a hex text box, kept in step. */
function ColorField({
  label,
  value,
  fallback,
  onChange,
  error,
  warningId,
}: {
  label: string;
  value: string;
  fallback: string;
  onChange: (value: string) => void;
  error: string | undefined;
  warningId: string | undefined;
}) {
  const { t } = useLanguage();
  const id = useId();
  const valid = isHexColor(value);
  const describedBy =
    [!valid ? `${id}-hint` : '', error ? `${id}-error` : '', warningId ?? ''].filter(Boolean).join(' ') ||
    undefined;
  return (
    <div className="color-field">
      <label id={`${id}-label`} htmlFor={`${id}-hex`}>
        {label}
      </label>
      <div className="color-inputs">
        <input
          type="color"
          id={`${id}-picker`}
          // While the text box holds a half-typed colour, the picker shows the saved one.
          value={valid ? value.trim().toLowerCase() : fallback}
          aria-labelledby={`${id}-label ${id}-picker-name`}
          aria-describedby={warningId}
          onChange={(event) => onChange(event.target.value)}
        />
        <span id={`${id}-picker-name`} hidden>
          {t('customerPageAdmin.colors.picker')}
        </span>
        <input
          type="text"
          id={`${id}-hex`}
          className="hex-input"
          value={value}
          maxLength={7}
          spellCheck={false}
          autoComplete="off"
          autoCapitalize="off"
          aria-invalid={!valid || error ? true : undefined}
          aria-describedby={describedBy}
          onChange={(event) => onChange(event.target.value)}
        />
      </div>
      {!valid && (
        <p id={`${id}-hint`} className="field-error">
          {t('customerPageAdmin.colors.hexHint')}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

/** "Bruk bedriftens standard", the two logos, and the upload of the customer page's own. */
function LogoFields({
  useCompanyLogo,
  onUseCompanyLogo,
  logo,
  onLogoUploaded,
  error,
}: {
  useCompanyLogo: boolean;
  onUseCompanyLogo: (value: boolean) => void;
  logo: CustomerPageLogoView;
  onLogoUploaded: (logo: CustomerPageLogoView) => void;
  error: string | undefined;
}) {
  const { t } = useLanguage();
  const fileId = useId();
  const input = useRef<HTMLInputElement>(null);
  const send = useMutation({
    mutationFn: (file: File) => api.customerPageConfig.uploadLogo(file),
    onSuccess: (view) => {
      onLogoUploaded(view.logo);
      if (input.current) input.current.value = '';
    },
  });
  function choose(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    if (file) send.mutate(file);
  }
  const uploadError =
    send.error instanceof ApiError && send.error.status === 415
      ? t('customerPageAdmin.logo.wrongType')
      : send.error instanceof ApiError && send.error.status === 413
        ? t('customerPageAdmin.logo.tooLarge')
        : send.isError
          ? t('common.errorGeneric')
          : null;
  return (
    <fieldset className="logo-settings">
      <legend>{t('customerPageAdmin.logo.legend')}</legend>
      <CheckField
        label={t('customerPageAdmin.logo.useCompanyLogo')}
        checked={useCompanyLogo}
        error={error}
        onChange={onUseCompanyLogo}
      />
      {useCompanyLogo ? (
        logo.company ? (
          <div className="logo-preview">
            <p>{t('customerPageAdmin.logo.companyLogo')}</p>
            <LogoImage files={logo.company} />
          </div>
        ) : (
          <p>
            {t('customerPageAdmin.logo.noCompanyLogo')}{' '}
            <Link to="/company">{t('customerPageAdmin.logo.companyPageLink')}</Link>.
          </p>
        )
      ) : (
        <>
          <div className="logo-preview">
            {logo.custom ? (
              <>
                <p>{t('customerPageAdmin.logo.customLogo')}</p>
                <LogoImage files={logo.custom} />
              </>
            ) : (
              <p>{t('customerPageAdmin.logo.noCustomLogo')}</p>
            )}
          </div>
          <div className="field">
            <label htmlFor={fileId}>{t('customerPageAdmin.logo.upload')}</label>
            <input
              ref={input}
              id={fileId}
              type="file"
              accept=".png,.jpg,.jpeg,image/png,image/jpeg"
              aria-describedby={`${fileId}-hint`}
              disabled={send.isPending}
              onChange={choose}
            />
            <p id={`${fileId}-hint`} className="field-hint">
              {t('customerPageAdmin.logo.uploadHint')}
            </p>
          </div>
          {send.isPending && <p role="status">{t('customerPageAdmin.logo.uploading')}</p>}
          {send.isSuccess && <Notice kind="success">{t('customerPageAdmin.logo.uploaded')}</Notice>}
          {uploadError && <Notice kind="error">{uploadError}</Notice>}
        </>
      )}
      {useCompanyLogo && <p className="field-hint">{t('customerPageAdmin.logo.scaledNote')}</p>}
    </fieldset>
  );
}

function LogoImage({ files }: { files: { url: string; url2x: string } }) {
  const { t } = useLanguage();
  return (
    <img
      className="logo-image"
      src={files.url}
      srcSet={`${files.url} 1x, ${files.url2x} 2x`}
      height={40}
      alt={t('customerPageAdmin.logo.alt')}
    />
  );
}
