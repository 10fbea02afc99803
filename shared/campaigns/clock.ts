import { config } from '#shared/config.ts';

/**
 * The time churn and campaigns run on: real time, shifted by KEFU_CLOCK_OFFSET_MS on the local
 * stage only (the same test knob tickets use), so integration tests can stand days ahead.
 */
export function marketingNow(): Date {
  const cfg = config();
  const offset = cfg.KEFU_STAGE === 'local' && cfg.KEFU_CLOCK_OFFSET_MS ? Number(cfg.KEFU_CLOCK_OFFSET_MS) : 0;
  return new Date(Date.now() + offset);
}
