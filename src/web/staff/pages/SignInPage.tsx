import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { matchPath, useLocation } from 'react-router';
import { ssoErrorCodes, type SsoErrorCode } from '../../../common/rules/sso.ts';
import { LanguageSwitch, useLanguage } from '../../shared/language.tsx';
import { api, ApiError } from '../api.ts';
import { Field, Notice } from '../components.tsx';

/**
 * Sign-in with the company's identity provider, on the company's sign-in link
 * (`/sign-in/sso/<companyId>`, which its admin hands out: no step asks for an e-mail address, so
 * nothing tells which addresses exist), and e-mail and password sign-in. The server gives one message for every wrong combination; "keep me
 * signed in" keeps the session cookie when the browser closes.
 */
export function SignInPage() {
  const { t } = useLanguage();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [remember, setRemember] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const location = useLocation();
  const ssoCompanyId = matchPath('/sign-in/sso/:companyId', location.pathname)?.params.companyId;
  const ssoError = new URLSearchParams(location.search).get('sso_error');
  const ssoProblem = ssoErrorCodes.includes(ssoError as SsoErrorCode) ? (ssoError as SsoErrorCode) : null;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const me = await api.auth.login({ email, password, remember });
      queryClient.setQueryData(['me'], me);
    } catch (caught) {
      const status = caught instanceof ApiError ? caught.status : 0;
      setError(
        status === 429
          ? t('signIn.tooManyAttempts')
          : status === 403 && caught instanceof ApiError && caught.code === 'sso_required'
            ? t('sso.passwordRefused')
            : status === 401
              ? t('signIn.invalidCredentials')
              : t('common.errorGeneric'),
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="sign-in">
      <header className="sign-in-header">
        <span className="brand-name">{t('common.appName')}</span>
        <LanguageSwitch className="button-quiet" />
      </header>
      <main className="sign-in-card">
        <h1>{t('signIn.title')}</h1>
        {ssoProblem && <Notice kind="error">{t(`sso.errors.${ssoProblem}`)}</Notice>}
        {ssoCompanyId ? (
          <>
            <p>{t('sso.companyIntro')}</p>
            {/* A link, not a form: the redirect to the provider is another origin (CSP form-action 'self'). */}
            <a className="button-primary button-link" href={api.sso.startUrl(ssoCompanyId)}>
              {t('sso.signInWithCompany')}
            </a>
            <h2 className="sign-in-or">{t('sso.orPassword')}</h2>
          </>
        ) : (
          <p>{t('signIn.intro')}</p>
        )}
        <form onSubmit={(event) => void submit(event)} noValidate>
          <Field
            label={t('signIn.email')}
            type="email"
            name="email"
            autoComplete="username"
            required
            value={email}
            onChange={(event) => setEmail(event.target.value)}
          />
          <Field
            label={t('signIn.password')}
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
          {/* Unticked, the session ends when the browser closes (shared computers). */}
          <div className="check-field">
            <input
              id="sign-in-remember"
              type="checkbox"
              name="remember"
              checked={remember}
              onChange={(event) => setRemember(event.target.checked)}
            />
            <label htmlFor="sign-in-remember">{t('signIn.remember')}</label>
          </div>
          {error && <Notice kind="error">{error}</Notice>}
          <button type="submit" className="button-primary" disabled={busy}>
            {busy ? t('signIn.submitting') : t('signIn.submit')}
          </button>
        </form>
        {!ssoCompanyId && <p className="field-hint">{t('sso.hint')}</p>}
      </main>
    </div>
  );
}
