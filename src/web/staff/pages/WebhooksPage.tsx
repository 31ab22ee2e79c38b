import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { WebhookView, WebhookWithSecretView } from '../../../common/contracts/webhook-api.ts';
import type { Page } from '../../../common/rules/pages.ts';
import { webhookEventKinds, type WebhookEventKind } from '../../../common/rules/webhook-events.ts';
import { useLanguage } from '../../shared/language.tsx';
import { api } from '../api.ts';
import { errorText, Field, Notice, Pager } from '../components.tsx';
import { ConfirmDialog } from '../dialog.tsx';
import { usePagedList } from '../paging.ts';

const KEYS = ['webhooks'] as const;
const dateTime = (iso: string) =>
  new Date(iso).toLocaleString('nb-NO', { dateStyle: 'short', timeStyle: 'medium' });

/** Outbound webhooks (level 6): the endpoints, a new one (its secret shown once), the delivery log. */
export function WebhooksPage() {
  const { t } = useLanguage();
  const queryClient = useQueryClient();
  const endpoints = usePagedList<Page<WebhookView>>(KEYS, (paging) => api.webhooks.list(paging));
  const [logOf, setLogOf] = useState<WebhookView | null>(null);
  const [deleting, setDeleting] = useState<WebhookView | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: KEYS });
  const toggle = useMutation({
    mutationFn: (endpoint: WebhookView) => api.webhooks.update(endpoint.id, { active: !endpoint.active }),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: (id: string) => api.webhooks.remove(id),
    onSuccess: (_, id) => {
      setDeleting(null);
      if (logOf?.id === id) setLogOf(null);
      void refresh();
    },
  });
  return (
    <section>
      <h1>{t('webhooks.title')}</h1>
      <p>{t('webhooks.intro')}</p>
      {!endpoints.data ? (
        <p role="status">{t('common.loading')}</p>
      ) : endpoints.data.total === 0 ? (
        <p>{t('webhooks.empty')}</p>
      ) : (
        <div>
          <ul className="webhook-list">
            {endpoints.data.items.map((endpoint) => (
              <li key={endpoint.id} className="card">
                <p className="webhook-url">
                  <strong>{endpoint.url}</strong>
                </p>
                {endpoint.description && <p className="muted">{endpoint.description}</p>}
                <p>
                  {t('webhooks.kindsCount', { count: endpoint.eventKinds.length })} ·{' '}
                  {endpoint.active
                    ? t('webhooks.active')
                    : endpoint.disabledReason === 'gone'
                      ? t('webhooks.gone')
                      : t('webhooks.inactive')}
                </p>
                <div className="button-row">
                  <button type="button" className="button-quiet" onClick={() => setLogOf(endpoint)}>
                    {t('webhooks.showLog')}
                    <span className="visually-hidden"> {endpoint.url}</span>
                  </button>
                  <button
                    type="button"
                    className="button-quiet"
                    disabled={toggle.isPending}
                    onClick={() => toggle.mutate(endpoint)}
                  >
                    {endpoint.active ? t('webhooks.switchOff') : t('webhooks.switchOn')}
                    <span className="visually-hidden"> {endpoint.url}</span>
                  </button>
                  <button type="button" className="button-quiet" onClick={() => setDeleting(endpoint)}>
                    {t('webhooks.delete')}
                    <span className="visually-hidden"> {endpoint.url}</span>
                  </button>
                </div>
              </li>
            ))}
          </ul>
          <Pager page={endpoints.page} pages={endpoints.pages} onGo={endpoints.setPage} />
        </div>
      )}
      {toggle.isError && <Notice kind="error">{errorText(toggle.error, t('common.errorGeneric'))}</Notice>}
      {logOf && <DeliveryLog endpoint={logOf} onClose={() => setLogOf(null)} />}
      <NewWebhookForm />
      {deleting && (
        <ConfirmDialog
          title={t('webhooks.deleteTitle')}
          message={<p>{t('webhooks.deleteMessage', { url: deleting.url })}</p>}
          confirmLabel={t('webhooks.delete')}
          busy={remove.isPending}
          error={
            remove.isError ? (
              <Notice kind="error">{errorText(remove.error, t('common.errorGeneric'))}</Notice>
            ) : undefined
          }
          onConfirm={() => remove.mutate(deleting.id)}
          onClose={() => setDeleting(null)}
        />
      )}
    </section>
  );
}

function NewWebhookForm() {
  const { t } = useLanguage();
  const queryClient = useQueryClient();
  const legendId = useId();
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [kinds, setKinds] = useState<Set<WebhookEventKind>>(new Set(['case_created', 'case_closed']));
  const [created, setCreated] = useState<WebhookWithSecretView | null>(null);
  const create = useMutation({
    mutationFn: () =>
      api.webhooks.create({
        url,
        eventKinds: webhookEventKinds.filter((kind) => kinds.has(kind)),
        ...(description.trim() && { description: description.trim() }),
      }),
    onSuccess: (answer) => {
      setCreated(answer);
      setUrl('');
      setDescription('');
      void queryClient.invalidateQueries({ queryKey: KEYS });
    },
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate();
  }
  const toggle = (kind: WebhookEventKind, on: boolean) =>
    setKinds((current) => {
      const next = new Set(current);
      if (on) next.add(kind);
      else next.delete(kind);
      return next;
    });
  const all = kinds.size === webhookEventKinds.length;
  return (
    <form className="card" onSubmit={submit}>
      <h2>{t('webhooks.add')}</h2>
      <p>{t('webhooks.addHint')}</p>
      <Field
        label={t('webhooks.url')}
        type="url"
        inputMode="url"
        value={url}
        required
        placeholder="https://"
        onChange={(event) => setUrl(event.target.value)}
      />
      <Field
        label={t('webhooks.description')}
        value={description}
        maxLength={200}
        onChange={(event) => setDescription(event.target.value)}
      />
      <fieldset className="webhook-kinds" aria-labelledby={legendId}>
        <legend id={legendId}>{t('webhooks.kinds')}</legend>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={all}
            onChange={(event) => setKinds(new Set(event.target.checked ? webhookEventKinds : []))}
          />
          {t('webhooks.allKinds')}
        </label>
        {webhookEventKinds.map((kind) => (
          <label key={kind} className="checkbox">
            <input
              type="checkbox"
              checked={kinds.has(kind)}
              onChange={(event) => toggle(kind, event.target.checked)}
            />
            {t(`webhooks.kind.${kind}`)}
          </label>
        ))}
      </fieldset>
      {create.isError && <Notice kind="error">{errorText(create.error, t('common.errorGeneric'))}</Notice>}
      {created && <SecretOnce secret={created.secret} onDone={() => setCreated(null)} />}
      <button type="submit" className="button-primary" disabled={create.isPending || kinds.size === 0}>
        {t('common.create')}
      </button>
    </form>
  );
}

/** The signing secret of a new endpoint, shown this once, with a copy button. */
function SecretOnce({ secret, onDone }: { secret: string; onDone: () => void }) {
  const { t } = useLanguage();
  const [copied, setCopied] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <div className="notice notice-success" role="status">
      <h3 ref={heading} tabIndex={-1}>
        {t('webhooks.secretTitle')}
      </h3>
      <p>{t('webhooks.showOnce')}</p>
      <code className="secret" data-testid="webhook-secret">
        {secret}
      </code>
      <div className="button-row">
        <button
          type="button"
          className="button-quiet"
          onClick={() =>
            void navigator.clipboard?.writeText(secret).then(
              () => setCopied(true),
              () => setCopied(false),
            )
          }
        >
          {copied ? t('webhooks.copied') : t('webhooks.copy')}
        </button>
        <button type="button" className="button-quiet" onClick={onDone}>
          {t('webhooks.secretDone')}
        </button>
      </div>
    </div>
  );
}

/** The delivery log of one endpoint, newest first, with "send again" on each delivery. */
function DeliveryLog({ endpoint, onClose }: { endpoint: WebhookView; onClose: () => void }) {
  const { t } = useLanguage();
  const queryClient = useQueryClient();
  const key = [...KEYS, endpoint.id, 'deliveries'];
  const log = usePagedList(key, (paging) => api.webhooks.deliveries(endpoint.id, paging));
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [endpoint.id]);
  const replay = useMutation({
    mutationFn: (deliveryId: string) => api.webhooks.replay(endpoint.id, deliveryId),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: key }),
  });
  const kindLabel = (kind: string) =>
    (webhookEventKinds as readonly string[]).includes(kind)
      ? t(`webhooks.kind.${kind as WebhookEventKind}`)
      : kind;
  return (
    <section className="card" aria-labelledby={`log-${endpoint.id}`}>
      <h2 id={`log-${endpoint.id}`} ref={heading} tabIndex={-1} className="webhook-url">
        {t('webhooks.logTitle', { url: endpoint.url })}
      </h2>
      {!log.data ? (
        <p role="status">{t('common.loading')}</p>
      ) : log.data.total === 0 ? (
        <p>{t('webhooks.logEmpty')}</p>
      ) : (
        <div>
          <ul className="webhook-deliveries">
            {log.data.items.map((delivery) => (
              <li key={delivery.id}>
                <p>
                  <strong>{kindLabel(delivery.eventKind)}</strong> · {t(`webhooks.state.${delivery.state}`)}
                  {delivery.replayOf && <> · {t('webhooks.replayOf')}</>}
                </p>
                <dl className="webhook-facts">
                  <dt>{t('webhooks.time')}</dt>
                  <dd>{dateTime(delivery.createdAt)}</dd>
                  <dt>{t('webhooks.attempts')}</dt>
                  <dd>{delivery.attempts}</dd>
                  <dt>{t('webhooks.lastStatus')}</dt>
                  <dd>{delivery.lastStatus ?? (delivery.attempts > 0 ? t('webhooks.noAnswer') : '–')}</dd>
                </dl>
                {delivery.lastError && <p className="muted">{delivery.lastError}</p>}
                <button
                  type="button"
                  className="button-quiet"
                  disabled={replay.isPending}
                  onClick={() => replay.mutate(delivery.id)}
                >
                  {t('webhooks.replay')}
                  <span className="visually-hidden">
                    {' '}
                    {kindLabel(delivery.eventKind)} {dateTime(delivery.createdAt)}
                  </span>
                </button>
              </li>
            ))}
          </ul>
          <Pager page={log.page} pages={log.pages} onGo={log.setPage} />
        </div>
      )}
      {replay.isError && <Notice kind="error">{errorText(replay.error, t('common.errorGeneric'))}</Notice>}
      {replay.isSuccess && <Notice kind="success">{t('webhooks.replayed')}</Notice>}
      <button type="button" className="button-quiet" onClick={onClose}>
        {t('webhooks.closeLog')}
      </button>
    </section>
  );
}
