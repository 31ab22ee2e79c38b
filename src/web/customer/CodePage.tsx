import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { translateCustomer, type CustomerMessageKey } from '../i18n/customer-i18n.ts';
import { useLanguageChoice } from '../shared/language-core.tsx';
import { ApiError, sendCode, verifyCode, type SessionView } from './api.ts';
import { NoticeFrame } from './NoticePage.tsx';

type Problem = { key: CustomerMessageKey; values?: Record<string, string | number> };

/** The error text of a failed send or check. */
function problemOf(error: unknown): Problem {
  if (error instanceof ApiError) {
    if (error.code === 'code_wrong') {
      const left = /(\d+) tr/.exec(error.message)?.[1];
      return left
        ? { key: 'customer.code.wrong', values: { count: Number(left) } }
        : { key: 'customer.code.wrongPlain' };
    }
    if (error.code === 'code_expired') return { key: 'customer.code.expired' };
    if (error.code === 'code_locked') return { key: 'customer.code.locked' };
    if (error.status === 429) {
      // The daily limit waits hours: say so in hours, the hourly one in minutes.
      return error.retryAfterSeconds && error.retryAfterSeconds > 5400
        ? {
            key: 'customer.code.tooManyForHours',
            values: { count: Math.ceil(error.retryAfterSeconds / 3600) },
          }
        : error.retryAfterSeconds && error.retryAfterSeconds > 60
          ? { key: 'customer.code.tooManyFor', values: { minutes: Math.ceil(error.retryAfterSeconds / 60) } }
          : error.retryAfterSeconds
            ? { key: 'customer.code.resendIn', values: { count: error.retryAfterSeconds } }
            : { key: 'customer.code.tooMany' };
    }
    if (error.status === 400) return { key: 'customer.code.format' };
  }
  return { key: 'common.errorGeneric' };
}

/**
 * The SMS security code (spec §5): the masked phone, "send code", a 6-digit field the phone fills
 * from the SMS (one-time-code), clear errors for a wrong, expired or over-used code and the resend
 * limits, and the company's contact text for a code that does not arrive. When too many wrong codes
 * lock the access, the page says so and how to get in again (contact the company for a new link).
 */
export function CodePage({ session, onVerified }: { session: SessionView; onVerified: () => void }) {
  const { language } = useLanguageChoice();
  const t = (key: CustomerMessageKey, values?: Record<string, string | number>) =>
    translateCustomer(language, key, values);
  const inputId = useId();
  const hintId = useId();
  const errorId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [code, setCode] = useState('');
  const [sent, setSent] = useState<{ phone: string; minutes: number } | null>(null);
  const [waitUntil, setWaitUntil] = useState(0);
  const [now, setNow] = useState(() => Date.now());
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const [locked, setLocked] = useState(false);
  const phone = session.phoneHint ?? '';
  const waitSeconds = Math.max(0, Math.ceil((waitUntil - now) / 1000));

  useEffect(() => {
    if (waitSeconds <= 0) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [waitSeconds]);

  async function onSend() {
    setBusy(true);
    setProblem(null);
    try {
      const result = await sendCode();
      setSent({ phone: result.phoneHint, minutes: Math.round(result.expiresInSeconds / 60) });
      setWaitUntil(Date.now() + result.resendAfterSeconds * 1000);
      setNow(Date.now());
      inputRef.current?.focus();
    } catch (error) {
      if (error instanceof ApiError && error.retryAfterSeconds) {
        setWaitUntil(Date.now() + error.retryAfterSeconds * 1000);
        setNow(Date.now());
      }
      if (error instanceof ApiError && error.code === 'code_locked') setLocked(true);
      setProblem(problemOf(error));
    } finally {
      setBusy(false);
    }
  }

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const digits = code.replace(/\s/g, '');
    if (!/^\d{6}$/.test(digits)) {
      setProblem({ key: 'customer.code.format' });
      inputRef.current?.focus();
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      await verifyCode(digits);
      onVerified();
    } catch (error) {
      if (error instanceof ApiError && error.code === 'code_locked') setLocked(true);
      setProblem(problemOf(error));
      setCode('');
      inputRef.current?.focus();
    } finally {
      setBusy(false);
    }
  }

  if (locked) return <CodeLockedPage session={session} />;

  return (
    <NoticeFrame company={session.company?.name ?? null}>
      <h1>{t('customer.code.title')}</h1>
      <p>{t('customer.code.intro', { phone })}</p>
      <p role="status" className="customer-status">
        {sent ? t('customer.code.sent', { phone: sent.phone, minutes: sent.minutes }) : ''}
      </p>
      <div className="customer-actions">
        <button
          type="button"
          className="customer-button customer-button-secondary"
          onClick={() => void onSend()}
          disabled={busy || waitSeconds > 0}
        >
          {sent ? t('customer.code.resend') : t('customer.code.send')}
        </button>
        {waitSeconds > 0 && (
          <p className="customer-hint">{t('customer.code.resendIn', { count: waitSeconds })}</p>
        )}
      </div>
      <form className="customer-form" onSubmit={(event) => void onSubmit(event)} noValidate>
        <label htmlFor={inputId}>{t('customer.code.label')}</label>
        <p id={hintId} className="customer-hint">
          {t('customer.code.hint')}
        </p>
        <input
          ref={inputRef}
          id={inputId}
          className="customer-code-input"
          name="code"
          type="text"
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9]*"
          maxLength={6}
          value={code}
          onChange={(event) => setCode(event.target.value.replace(/\D/g, '').slice(0, 6))}
          aria-describedby={problem ? `${hintId} ${errorId}` : hintId}
          aria-invalid={problem ? true : undefined}
        />
        <p id={errorId} className="customer-error" role="alert">
          {problem ? t(problem.key, problem.values) : ''}
        </p>
        <button type="submit" className="customer-button" disabled={busy}>
          {busy ? t('customer.code.checking') : t('customer.code.submit')}
        </button>
      </form>
      <h2 className="customer-subtitle">{t('customer.code.notArriving')}</h2>
      {session.contactForMoreInfo ? (
        <p className="customer-pre-line">{session.contactForMoreInfo}</p>
      ) : (
        <p>{t('customer.invalidLinkHelp')}</p>
      )}
    </NoticeFrame>
  );
}

/** Too many wrong codes: the access is locked until the company sends a new link. */
export function CodeLockedPage({ session }: { session: SessionView }) {
  const { language } = useLanguageChoice();
  const t = (key: CustomerMessageKey) => translateCustomer(language, key);
  return (
    <NoticeFrame company={session.company?.name ?? null}>
      <h1>{t('customer.code.lockedTitle')}</h1>
      <p role="alert">{t('customer.code.locked')}</p>
      {session.contactForMoreInfo ? (
        <p className="customer-pre-line">{session.contactForMoreInfo}</p>
      ) : (
        <p>{t('customer.invalidLinkHelp')}</p>
      )}
    </NoticeFrame>
  );
}
