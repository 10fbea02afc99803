import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useI18n } from '../i18n.ts';
import { LoadError, Loading } from './async.tsx';

/**
 * A screen loaded on first visit (its own chunk): sections only some roles or some moments need
 * stay out of the console's first load. A failed download shows a Retry.
 */
export function lazyPage<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  let loaded: ComponentType<P> | undefined;
  let pending: Promise<ComponentType<P>> | undefined;
  return function LazyPage(props: P) {
    const { t } = useI18n();
    const [, setReady] = useState(0);
    const [failed, setFailed] = useState(false);
    useEffect(() => {
      if (loaded) return;
      pending ??= load();
      pending.then(
        (component) => {
          loaded = component;
          setReady(1);
        },
        () => {
          pending = undefined;
          setFailed(true);
        },
      );
    }, [failed]);
    if (loaded) {
      const Page = loaded;
      return <Page {...props} />;
    }
    return failed ? <LoadError class="center" message={t('sectionFailed')} onRetry={() => setFailed(false)} /> : <Loading class="center" />;
  };
}
