import type { ComponentChildren, RefObject } from 'preact';
import type { FieldError } from '../../lib/http.ts';
import { messagesFor } from '../tickets-state.ts';

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

export type FieldHelpers = ReturnType<typeof fieldHelpers>;

export interface Option {
  value: string;
  label: string;
}

interface FieldProps {
  id: string;
  label: ComponentChildren;
  /** Server error helpers and the body path this field fills (messages appear under it). */
  errors?: FieldHelpers;
  path?: string;
  /** A hint under the field (the field points to it when it has no error). */
  hint?: ComponentChildren;
  class?: string;
}

function describedBy(props: FieldProps) {
  const invalid = props.errors && props.path ? props.errors.invalidOf(props.path) : {};
  return 'aria-invalid' in invalid ? invalid : props.hint ? { 'aria-describedby': `${props.id}-hint` } : {};
}

function FieldFoot(props: FieldProps) {
  return (
    <>
      {props.hint && (
        <span id={`${props.id}-hint`} class="muted small">
          {props.hint}
        </span>
      )}
      {props.errors && props.path && props.errors.errorOf(props.path)}
    </>
  );
}

/**
 * A labelled select with its hint and server error: the options, an optional first "none" option
 * (`blank`), and the current value kept visible even when it is not among the options (a team or
 * agent that was removed meanwhile).
 */
export function SelectField(
  props: FieldProps & { value: string; options: readonly Option[]; onChange: (value: string) => void; blank?: string; disabled?: boolean },
) {
  const known = props.value === '' || props.options.some((o) => o.value === props.value);
  return (
    <div class={`field ${props.class ?? ''}`}>
      <label for={props.id}>{props.label}</label>
      <select id={props.id} value={props.value} disabled={props.disabled} {...describedBy(props)} onChange={(e) => props.onChange(e.currentTarget.value)}>
        {props.blank !== undefined && <option value="">{props.blank}</option>}
        {!known && <option value={props.value}>{props.value}</option>}
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldFoot {...props} />
    </div>
  );
}

/** A labelled text input (or textarea with `rows`) with its hint and server error. */
export function TextField(
  props: FieldProps & {
    value: string;
    onInput: (value: string) => void;
    type?: 'text' | 'email' | 'number' | 'date' | 'search' | 'tel';
    rows?: number;
    maxLength?: number;
    placeholder?: string;
    lang?: string;
    readOnly?: boolean;
    inputClass?: string;
    required?: boolean;
    min?: number;
    max?: number;
    autocomplete?: string;
    inputRef?: RefObject<HTMLTextAreaElement | HTMLInputElement | null>;
    disabled?: boolean;
  },
) {
  const common = {
    id: props.id,
    value: props.value,
    maxLength: props.maxLength,
    placeholder: props.placeholder,
    lang: props.lang,
    readOnly: props.readOnly,
    required: props.required,
    class: props.inputClass,
    autocomplete: props.autocomplete,
    disabled: props.disabled,
    ...describedBy(props),
  };
  return (
    <div class={`field ${props.class ?? ''}`}>
      <label for={props.id}>{props.label}</label>
      {props.rows ? (
        <textarea
          {...common}
          ref={props.inputRef as RefObject<HTMLTextAreaElement | null> | undefined}
          rows={props.rows}
          onInput={(e) => props.onInput(e.currentTarget.value)}
        />
      ) : (
        <input
          {...common}
          ref={props.inputRef as RefObject<HTMLInputElement | null> | undefined}
          type={(props.type ?? 'text') as 'text'}
          min={props.min}
          max={props.max}
          onInput={(e) => props.onInput(e.currentTarget.value)}
        />
      )}
      <FieldFoot {...props} />
    </div>
  );
}
