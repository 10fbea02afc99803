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

/** A page of a newest-first list: its rows and the cursor of the next page (absent on the last). */
export interface PageOf<T> {
  items: T[];
  cursor?: string;
}

/** What `usePagedResource` gives a screen: the first page as a resource, every row loaded so far, and "load more". */
export interface Paged<T> {
  first: Resource<PageOf<T>>;
  rows: T[];
  /** The next page's cursor (undefined when everything is loaded). */
  cursor: string | undefined;
  loadMore: () => Promise<void>;
  /** Why the last "load more" failed (the rows loaded so far stay). */
  moreError: string | undefined;
}

/**
 * A paged list: the first page loads like `useResource` (again when `deps` change, dropping the
 * pages loaded after it); `loadMore` appends the next page.
 */
export function usePagedResource<T>(load: (cursor?: string) => Promise<PageOf<T>>, deps: readonly unknown[]): Paged<T> {
  const first = useResource(() => load(), deps);
  const [older, setOlder] = useState<PageOf<T>>();
  const [moreError, setMoreError] = useState<string>();
  useEffect(() => setOlder(undefined), [first.data]);
  const cursor = older ? older.cursor : first.data?.cursor;
  const loadMore = async () => {
    if (!cursor) return;
    setMoreError(undefined);
    try {
      const page = await load(cursor);
      setOlder((x) => ({ items: [...(x?.items ?? []), ...page.items], ...(page.cursor ? { cursor: page.cursor } : {}) }));
    } catch (err) {
      setMoreError(errorMessage(err));
    }
  };
  return { first, rows: [...(first.data?.items ?? []), ...(older?.items ?? [])], cursor, loadMore, moreError };
}
