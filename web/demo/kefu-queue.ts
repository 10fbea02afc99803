/**
 * The call queue a shop page sets up before `loader.js` (docs/web.md), as a file of its own so the
 * page runs under a CSP without `'unsafe-inline'`: calls made before the loader ran are queued in
 * `Kefu.q` and replayed by the loader in order.
 */
import type { KefuApi } from '../widget/bridge.ts';

const kefu: KefuApi = window.Kefu ?? ({ q: [] } as unknown as KefuApi);
const queue = (kefu.q ??= []);
for (const method of ['open', 'close', 'setUser', 'on', 'off'] as const) {
  kefu[method] ??= ((...args: unknown[]) => void queue.push([method, args])) as never;
}
window.Kefu = kefu;
