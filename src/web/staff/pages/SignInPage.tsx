import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { LanguageSwitch, useLanguage } from '../../shared/language.tsx';
import { api, ApiError } from '../api.ts';
import { Field, Notice } from '../components.tsx';

/**
 * E-mail and password sign-in. The server gives one message for every wrong combination; "keep me
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
        <p>{t('signIn.intro')}</p>
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
      </main>
    </div>
  );
}
