import { useEffect, useRef } from 'preact/hooks';
import { ApiError, fieldErrors } from '../../lib/http.ts';
import type { Translate } from '../i18n.ts';
import { errorMessage } from './text.ts';

/** The result of an action: saved, failed, or lost to someone else's change (409). */
export type Notice = { kind: 'ok' | 'error' | 'conflict'; text: string; extra?: string[] };

/**
 * The one notice line of the console: success is a status, failure and conflict an alert; it takes
 * focus when it appears so keyboard and screen-reader users hear the outcome of what they did.
 */
export function NoticeLine(props: { notice: Notice | undefined; id?: string }) {
  const ref = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (props.notice) ref.current?.focus();
  }, [props.notice]);
  const n = props.notice;
  if (!n) return null;
  return (
    <p
      ref={ref}
      id={props.id}
      tabIndex={-1}
      class={n.kind === 'ok' ? 'notice ok' : n.kind === 'conflict' ? 'notice' : 'error'}
      role={n.kind === 'ok' ? 'status' : 'alert'}
    >
      {n.text}
      {n.extra?.map((line, i) => (
        <span key={i} class="block">
          {line}
        </span>
      ))}
    </p>
  );
}

/**
 * A failed save as a notice: a 409 says someone else changed it (`conflict` overrides the text),
 * a 400 with field messages points at the fields, anything else quotes the server.
 */
export function failureNotice(err: unknown, t: Translate, conflict?: string): Notice {
  if (err instanceof ApiError && err.status === 409) return { kind: 'conflict', text: conflict ?? t('kitConflict') };
  if (fieldErrors(err).length) return { kind: 'error', text: t('kitInvalid') };
  return { kind: 'error', text: t('kitSaveFailed', { message: errorMessage(err) }) };
}

/** A notice for the editor that opens next (a new item's editor reopens under its id after the first save). */
const carried = new Map<string, Notice>();

export function carryNotice(key: string, notice: Notice): void {
  carried.set(key, notice);
}

/** The notice carried to this editor, once. */
export function takeNotice(key: string): Notice | undefined {
  const notice = carried.get(key);
  carried.delete(key);
  return notice;
}
