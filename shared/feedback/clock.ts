import { config } from '#shared/config.ts';

/**
 * The time surveys run on: real time, shifted by KEFU_CLOCK_OFFSET_MS on the local stage only (the
 * test knob tickets and campaigns read too), so a test can stand past a survey's due time.
 */
export function feedbackNow(): Date {
  const cfg = config();
  const offset = cfg.KEFU_STAGE === 'local' && cfg.KEFU_CLOCK_OFFSET_MS ? Number(cfg.KEFU_CLOCK_OFFSET_MS) : 0;
  return new Date(Date.now() + offset);
}
