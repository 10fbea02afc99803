import type { WebConfig } from './types.ts';

const cache = new Map<string, Promise<WebConfig>>();

/** Fetches `/config.json` once per URL (apiUrl, wsUrl and how staff sign in). */
export function loadConfig(url: string): Promise<WebConfig> {
  let pending = cache.get(url);
  if (!pending) {
    pending = fetch(url, { cache: 'no-cache' }).then(async (response) => {
      if (!response.ok) throw new Error(`config ${url}: HTTP ${response.status}`);
      return (await response.json()) as WebConfig;
    });
    pending.catch(() => cache.delete(url));
    cache.set(url, pending);
  }
  return pending;
}
