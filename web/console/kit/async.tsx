import type { ComponentChildren } from 'preact';
import { useI18n } from '../i18n.ts';
import type { Resource } from './resource.ts';

/**
 * The three states every list and page has, drawn one way: "Loading…" (a polite status) until the
 * first answer, the failure with a Retry button (an alert), an empty message, else the content.
 * A failed reload keeps the content and shows the failure above it.
 */
export function Async<T>(props: {
  resource: Pick<Resource<T>, 'data' | 'error' | 'reload'>;
  children: (data: T) => ComponentChildren;
  /** When the data counts as empty (then `empty` is shown instead of the children). */
  isEmpty?: (data: T) => boolean;
  empty?: ComponentChildren;
}) {
  const { resource, isEmpty } = props;
  const failed = resource.error !== undefined && <LoadError message={resource.error} onRetry={() => void resource.reload()} />;
  if (resource.data === undefined) return failed || <Loading />;
  return (
    <>
      {failed}
      {isEmpty?.(resource.data) ? <p class="muted empty">{props.empty}</p> : props.children(resource.data)}
    </>
  );
}

/** "Loading…", announced politely. */
export function Loading(props: { class?: string }) {
  const { t } = useI18n();
  return (
    <p class={`muted ${props.class ?? ''}`} role="status">
      {t('loading')}
    </p>
  );
}

/** "Could not load: …" with a Retry button. */
export function LoadError(props: { message: string; onRetry?: () => void; class?: string }) {
  const { t } = useI18n();
  return (
    <p class={`error ${props.class ?? ''}`} role="alert">
      {t('loadFailed', { message: props.message })}{' '}
      {props.onRetry && (
        <button type="button" class="btn small" onClick={props.onRetry}>
          {t('retry')}
        </button>
      )}
    </p>
  );
}
