import {
  colorKeys,
  type ColorKey,
  type CustomerPageSettings,
  type SettingName,
} from '../../../common/rules/customer-page-settings.ts';
import type { CustomerPageConfigView } from '../../../common/contracts/customer-page-settings.ts';
import type { QuietHours } from '../../../common/rules/quiet-hours.ts';
import type { ApiFieldIssue } from '../../shared/api-client.ts';
import { ApiError } from '../api.ts';

/**
 * The admin form's state: every setting as the PUT sends it, but the days and the colours as typed
 * (a half-typed "#1f3" or an empty number box is kept until it is corrected).
 */
export type SettingsForm = Omit<CustomerPageSettings, 'visibleDaysAfterClose'> & {
  visibleDaysAfterClose: string;
} & QuietHours;

const HEX = /^#[0-9a-f]{6}$/i;

/** Whether a colour is written #rrggbb. */
export const isHexColor = (value: string) => HEX.test(value.trim());

/** The form of saved settings (from GET or PUT). */
export function formOf(view: CustomerPageConfigView): SettingsForm {
  return {
    smsSecurityCode: view.smsSecurityCode,
    bankIdSignIn: view.bankIdSignIn,
    accessFor: view.accessFor,
    sendLink: view.sendLink,
    visibleDaysAfterClose: String(view.visibleDaysAfterClose),
    showBudget: view.showBudget,
    showNews: view.showNews,
    newsFilter: [...view.newsFilter],
    showPlanOnDashboard: view.showPlanOnDashboard,
    showProjectPlan: view.showProjectPlan,
    showCommunication: view.showCommunication,
    communicationMethod: view.communicationMethod,
    showDocuments: view.showDocuments,
    showInspectionReport: view.showInspectionReport,
    showSettlementReport: view.showSettlementReport,
    showCaseHandler: view.showCaseHandler,
    showCaseHandlerPhone: view.showCaseHandlerPhone,
    showPartnerContact: view.showPartnerContact,
    contactForMoreInfo: view.contactForMoreInfo,
    colors: { ...view.colors },
    useCompanyLogo: view.useCompanyLogo,
    showDecisionOutcome: view.showDecisionOutcome,
    reconsiderationText: { ...view.reconsiderationText },
    nextStepTexts: structuredClone(view.nextStepTexts),
    // Quiet hours (issue 19): beside the settings, saved by the same PUT.
    quietHoursFrom: view.quietHoursFrom,
    quietHoursTo: view.quietHoursTo,
  };
}

/**
 * The PUT body: every setting. What the browser cannot read as a number or colour goes as typed, so
 * the server's answer names the field (one set of rules, on the server).
 */
export function bodyOf(form: SettingsForm): Record<SettingName, unknown> {
  const days = form.visibleDaysAfterClose.trim();
  return {
    ...form,
    visibleDaysAfterClose: /^-?\d+$/.test(days) ? Number(days) : days,
    colors: Object.fromEntries(colorKeys.map((key) => [key, form.colors[key].trim().toLowerCase()])),
  };
}

/**
 * The settings the preview shows: the form's, except a colour or number of days that is not valid
 * (yet), which keeps its saved value.
 */
export function previewSettingsOf(form: SettingsForm, saved: CustomerPageSettings): CustomerPageSettings {
  const days = Number(form.visibleDaysAfterClose);
  const colors = Object.fromEntries(
    colorKeys.map((key) => [
      key,
      isHexColor(form.colors[key]) ? form.colors[key].trim().toLowerCase() : saved.colors[key],
    ]),
  ) as Record<ColorKey, string>;
  return {
    ...form,
    visibleDaysAfterClose:
      Number.isInteger(days) && days >= 0 && form.visibleDaysAfterClose.trim() !== ''
        ? days
        : saved.visibleDaysAfterClose,
    // The handler's phone is never shown without the name (the form keeps them so anyway).
    showCaseHandlerPhone: form.showCaseHandler && form.showCaseHandlerPhone,
    colors,
  };
}

/** The saved settings of a config view (the preview's fallback). */
export function settingsOf(view: CustomerPageConfigView): CustomerPageSettings {
  const { logo: _logo, portalType: _portalType, updatedAt: _updatedAt, ...settings } = view;
  return settings;
}

/** Whether the form differs from what is saved. */
export function isDirty(form: SettingsForm, saved: CustomerPageConfigView): boolean {
  return JSON.stringify(bodyOf(form)) !== JSON.stringify(bodyOf(formOf(saved)));
}

/**
 * The field errors of a 400 answer, by the form field they belong to: `visibleDaysAfterClose`,
 * `colors.menuText`, `newsFilter` (any of its items) …; anything else under `form`. `describe` gives
 * an issue's text in the reader's language (`own`: shown beside its field, so without its name).
 */
export function fieldErrorsOf(
  error: unknown,
  describe: (field: ApiFieldIssue, own: boolean) => string,
): Record<string, string> {
  if (!(error instanceof ApiError) || error.fields.length === 0) return {};
  const errors: Record<string, string> = {};
  for (const field of error.fields) {
    const path = field.path.replace(/^body\.?/, '').split('.');
    const [first = '', second] = path;
    const key = first === 'colors' && second ? `colors.${second}` : first in fieldNames ? first : 'form';
    const text = describe(field, key !== 'form');
    errors[key] = errors[key] ? `${errors[key]}; ${text}` : text;
  }
  return errors;
}

const fieldNames: Record<SettingName, true> = {
  smsSecurityCode: true,
  bankIdSignIn: true,
  accessFor: true,
  sendLink: true,
  visibleDaysAfterClose: true,
  showBudget: true,
  showNews: true,
  newsFilter: true,
  showPlanOnDashboard: true,
  showProjectPlan: true,
  showCommunication: true,
  communicationMethod: true,
  showDocuments: true,
  showInspectionReport: true,
  showSettlementReport: true,
  showCaseHandler: true,
  showCaseHandlerPhone: true,
  showPartnerContact: true,
  contactForMoreInfo: true,
  colors: true,
  useCompanyLogo: true,
  showDecisionOutcome: true,
  reconsiderationText: true,
  nextStepTexts: true,
};
