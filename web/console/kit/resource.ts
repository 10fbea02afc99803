import { useEffect, useRef, useState } from 'preact/hooks';
import { errorMessage } from './text.ts';

/** What `useResource` gives a screen: the data (kept while reloading), the last error, and reload. */
export interface Resource<T> {
  data: T | undefined;
  /** The last load's failure as text (cleared by the next successful load). */
  error: string | undefined;
  loading: boolean;
  /** Loads again; resolves when done (never rejects: a failure lands in `error`). */
  reload: () => Promise<void>;
  /** Replaces the data locally (after a save that returned the new state). */
  set: (data: T) => void;
}

/**
 * Loads data for a screen when it mounts and whenever `deps` change. An answer that arrives after
 * a newer load started (or after unmount) is dropped, so a slow first request never overwrites a
 * fresh one. The data stays on screen while it reloads; the error is text, ready for `<Async>`.
 */
export function useResource<T>(load: () => Promise<T>, deps: readonly unknown[]): Resource<T> {
  const [state, setState] = useState<{ data: T | undefined; error: string | undefined; loading: boolean }>({
    data: undefined,
    error: undefined,
    loading: true,
  });
  const seq = useRef(0);
  const loader = useRef(load);
  loader.current = load;

  const run = async () => {
    const mine = ++seq.current;
    setState((s) => ({ ...s, loading: true }));
    try {
      const data = await loader.current();
      if (mine === seq.current) setState({ data, error: undefined, loading: false });
    } catch (err) {
      if (mine === seq.current) setState((s) => ({ data: s.data, error: errorMessage(err), loading: false }));
    }
  };

  useEffect(() => {
    void run();
    return () => {
      seq.current++;
    };
  }, deps);

  return { ...state, reload: run, set: (data: T) => setState({ data, error: undefined, loading: false }) };
}
