import type { StaffApi } from './auth.ts';
import type { Macro } from './macros-state.ts';

/** How long the reply box trusts the macros it read (the settings screen forgets them on every save). */
const FRESH_MS = 60_000;

let cached: { at: number; macros: Promise<Macro[]> } | undefined;

/** Shared and personal macros (`GET /macros`), read at most once a minute per page. */
export function loadMacros(api: StaffApi, now = Date.now()): Promise<Macro[]> {
  if (!cached || now - cached.at > FRESH_MS) {
    const macros = api.call<{ macros: Macro[] }>('/macros').then((r) => r.macros);
    cached = { at: now, macros };
    macros.catch(() => {
      if (cached?.macros === macros) cached = undefined;
    });
  }
  return cached.macros;
}

/** Forgets the macros read (after a save or delete), so the next picker reads them again. */
export function forgetMacros(): void {
  cached = undefined;
}
