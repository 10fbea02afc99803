import type { RefObject } from 'preact';
import { useLayoutEffect, useRef } from 'preact/hooks';

/**
 * Puts the caret of a text field at a position once the text set in the same update is rendered:
 * in the same commit, not a frame later, so a selection made in between (select-all to clear the
 * box, a click) is never collapsed afterwards. Returns the function that asks for it.
 */
export function useCaretAfterRender(ref: RefObject<HTMLTextAreaElement | HTMLInputElement | null>): (at: number) => void {
  const pending = useRef<number | undefined>(undefined);
  useLayoutEffect(() => {
    const at = pending.current;
    if (at === undefined) return;
    pending.current = undefined;
    ref.current?.focus();
    ref.current?.setSelectionRange(at, at);
  });
  return (at) => {
    pending.current = at;
  };
}
