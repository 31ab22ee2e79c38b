import {
  Component,
  lazy,
  Suspense,
  type ComponentType,
  type LazyExoticComponent,
  type ReactNode,
} from 'react';
import { useLanguage } from '../shared/language.tsx';

// Code splitting of the staff app: every page (and the admin's customer-page preview) is its own
// chunk, loaded when first shown, so the first load carries only the shell. The shell must not import
// what pages need: src/common's schema modules pull in zod, phone.tsx libphonenumber
// (first-load.test.ts checks).

/** A component in a chunk of its own; preload() starts the download before it is first rendered. */
export type LazyComponent<P extends object> = LazyExoticComponent<ComponentType<P>> & {
  preload: () => Promise<unknown>;
};

/** A lazily loaded component from a dynamic import of a named export. */
export function lazyComponent<P extends object>(load: () => Promise<ComponentType<P>>): LazyComponent<P> {
  // One download for both preload() and the first render.
  let loading: Promise<{ default: ComponentType<P> }> | undefined;
  const preload = () => (loading ??= load().then((component) => ({ default: component })));
  return Object.assign(lazy(preload), { preload });
}

/** What stands in the place of a chunk that could not be loaded (offline, or a newer version deployed). */
function LoadFailed() {
  const { t } = useLanguage();
  return (
    <div className="notice notice-error" role="alert">
      <p>{t('errors.loadFailed')}</p>
      <button type="button" className="button-quiet" onClick={() => window.location.reload()}>
        {t('errors.reload')}
      </button>
    </div>
  );
}

class FailureBoundary extends Component<
  { resetKey: string | undefined; children: ReactNode },
  { failed: boolean }
> {
  override state = { failed: false };

  static getDerivedStateFromError() {
    return { failed: true };
  }

  // Another page may load fine: leave the failure behind when the address changes.
  override componentDidUpdate(previous: { resetKey: string | undefined }) {
    if (this.state.failed && previous.resetKey !== this.props.resetKey) this.setState({ failed: false });
  }

  override render() {
    return this.state.failed ? <LoadFailed /> : this.props.children;
  }
}

/**
 * Shows `loading` (announced as a status) while a lazy child's chunk downloads and an alert with a
 * reload button if it fails; `resetKey` clears the failure when it changes.
 */
export function LoadBoundary({
  loading,
  resetKey,
  children,
}: {
  loading: string;
  resetKey?: string;
  children: ReactNode;
}) {
  return (
    <FailureBoundary resetKey={resetKey}>
      <Suspense
        fallback={
          <p className="page-loading" role="status">
            {loading}
          </p>
        }
      >
        {children}
      </Suspense>
    </FailureBoundary>
  );
}
