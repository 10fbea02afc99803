import { useEffect, useRef } from 'preact/hooks';
import type { FieldError } from '../lib/http.ts';
import { messagesFor } from './tickets-state.ts';

/**
 * Server validation next to fields: `errorOf(path)` renders the messages for a body path (and its
 * children) under an id the field points to; `invalidOf(path)` gives the field `aria-invalid` and
 * `aria-describedby`. Paths are the request body's (`targets.low.first_response`).
 */
export function fieldHelpers(errors: readonly FieldError[], prefix: string) {
  const id = (path: string) => `${prefix}-${path.replace(/[^A-Za-z0-9_-]/g, '_')}-error`;
  return {
    errorOf(path: string, extra: string[] = []) {
      const messages = [...extra, ...messagesFor(errors, path)];
      return messages.length ? (
        <span id={id(path)} class="field-error">
          {messages.join(' ')}
        </span>
      ) : null;
    },
    invalidOf(path: string, extra: string[] = []) {
      return extra.length || messagesFor(errors, path).length ? { 'aria-invalid': true as const, 'aria-describedby': id(path) } : {};
    },
  };
}

export type Notice = { kind: 'ok' | 'error' | 'conflict'; text: string; extra?: string[] };

/** A save result line that takes focus when it appears (status for success, alert otherwise). */
export function NoticeLine(props: { notice: Notice | undefined }) {
  const ref = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (props.notice) ref.current?.focus();
  }, [props.notice]);
  const n = props.notice;
  if (!n) return null;
  return (
    <p ref={ref} tabIndex={-1} class={n.kind === 'ok' ? 'notice ok' : n.kind === 'conflict' ? 'notice' : 'error'} role={n.kind === 'ok' ? 'status' : 'alert'}>
      {n.text}
      {n.extra?.map((line, i) => (
        <span key={i} class="block">
          {line}
        </span>
      ))}
    </p>
  );
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
