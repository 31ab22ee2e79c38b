import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type {
  CustomerSatisfactionView,
  SatisfactionAnswerInput,
} from '../../../common/contracts/satisfaction-api.ts';
import { MAX_SATISFACTION_COMMENT_CHARS } from '../../../common/rules/upload-limits.ts';
import type { Translate } from './text.ts';

/** Loads and answers the satisfaction question (the real page; the admin preview has none). */
export interface SatisfactionSlot {
  load: () => Promise<CustomerSatisfactionView>;
  answer: (input: SatisfactionAnswerInput) => Promise<CustomerSatisfactionView>;
}

/** The five answers, 1–5, and their words. */
const SCORES = [
  [1, 'veryDissatisfied'],
  [2, 'dissatisfied'],
  [3, 'neutral'],
  [4, 'satisfied'],
  [5, 'verySatisfied'],
] as const;

/**
 * "How satisfied are you?" on the dashboard of a closed case (issue 19, item 4): five choices and an
 * optional comment, answered once; afterwards a thank-you with the answer. Nothing while the case is
 * open. Loaded again whenever the page's model changes (a live update may have closed the case).
 */
export function SatisfactionQuestion({
  slot,
  refreshKey,
  t,
}: {
  slot: SatisfactionSlot;
  refreshKey: unknown;
  t: Translate;
}) {
  const id = useId();
  const [view, setView] = useState<CustomerSatisfactionView | null>(null);
  const [score, setScore] = useState<number | null>(null);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const firstChoice = useRef<HTMLInputElement>(null);
  const thanks = useRef<HTMLParagraphElement>(null);
  const focusThanks = useRef(false);

  useEffect(() => {
    let current = true;
    slot.load().then(
      (loaded) => current && setView(loaded),
      () => current && setView(null),
    );
    return () => {
      current = false;
    };
  }, [slot, refreshKey]);

  // After an answer the form is gone: the thank-you takes the focus, so a keyboard or screen-reader
  // user hears it (not on a page that opens answered).
  useEffect(() => {
    if (view?.state !== 'answered' || !focusThanks.current) return;
    focusThanks.current = false;
    thanks.current?.focus();
  }, [view]);

  if (!view || view.state === 'not_asked') return null;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    if (score === null) {
      setError(t('customer.satisfaction.chooseScore'));
      firstChoice.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      focusThanks.current = true;
      setView(await slot.answer({ score, comment: comment.trim() || null }));
    } catch (failure) {
      const code = (failure as { code?: unknown } | null)?.code;
      if (code === 'satisfaction_answered') setView(await slot.load().catch(() => view));
      else setError(t('customer.satisfaction.failed'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="cp-section cp-satisfaction" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} className="cp-section-title">
        {t('customer.satisfaction.title')}
      </h3>
      {view.state === 'answered' && view.answer ? (
        <p ref={thanks} tabIndex={-1} className="cp-satisfaction-thanks">
          {t('customer.satisfaction.thanks', { score: view.answer.score })}
        </p>
      ) : (
        <form className="cp-compose" onSubmit={(event) => void submit(event)} noValidate>
          <fieldset className="cp-scores" aria-describedby={error ? `${id}-error` : undefined}>
            <legend className="cp-label">{t('customer.satisfaction.question')}</legend>
            {SCORES.map(([value, word]) => (
              <label key={value} className="cp-score">
                <input
                  ref={value === 1 ? firstChoice : undefined}
                  type="radio"
                  name={`${id}-score`}
                  value={value}
                  checked={score === value}
                  onChange={() => {
                    setScore(value);
                    setError(null);
                  }}
                />
                <span className="cp-score-number">{value}</span>
                <span className="cp-score-label">{t(`customer.satisfaction.scores.${word}`)}</span>
              </label>
            ))}
          </fieldset>
          <label htmlFor={`${id}-comment`} className="cp-label">
            {t('customer.satisfaction.comment')}
          </label>
          <textarea
            id={`${id}-comment`}
            rows={3}
            value={comment}
            maxLength={MAX_SATISFACTION_COMMENT_CHARS}
            onChange={(event) => setComment(event.target.value)}
          />
          {error && (
            <div role="alert" id={`${id}-error`} className="cp-alert">
              {error}
            </div>
          )}
          <button type="submit" className="cp-button" aria-disabled={busy || undefined}>
            {busy ? t('customer.satisfaction.sending') : t('customer.satisfaction.send')}
          </button>
        </form>
      )}
    </section>
  );
}
