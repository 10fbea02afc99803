/** Request schemas of the logistics routes (strict: unknown fields are refused). */
import * as z from 'zod/mini';
import { cleanLine } from '#shared/text/hygiene.ts';

/** Hours a threshold may be: from 1 hour to 30 days. */
export const HOURS = { min: 1, max: 720 } as const;
const Hours = z.int().check(z.minimum(HOURS.min), z.maximum(HOURS.max));

export const CarrierThresholdsBody = z.strictObject({
  carrier: z.string().check(cleanLine(), z.minLength(1), z.maxLength(40)),
  stallHours: Hours,
  ticketHours: Hours,
});

/** `PUT /logistics/settings`: the version read and the whole settings (a save replaces them). */
export const LogisticsSettingsBody = z.strictObject({
  version: z.int().check(z.minimum(0)),
  enabled: z.boolean(),
  stallHours: Hours,
  ticketHours: Hours,
  dispatchHours: Hours,
  dispatchTicketHours: Hours,
  carriers: z.array(CarrierThresholdsBody).check(z.maxLength(20)),
  /** A coupon pool for the apology coupon with the quiet-parcel message; absent: none. */
  apologyPoolId: z.optional(z.string().check(z.regex(/^cpn_[0-9a-z]{26}$/, 'not a coupon pool id'))),
});
export type LogisticsSettingsBody = z.infer<typeof LogisticsSettingsBody>;

type Problem = { path: string; 'zh-CN': string; en: string };

/** Rules across fields (a ticket comes after the care message; one row per carrier), in both languages. */
export function settingsProblems(body: Omit<LogisticsSettingsBody, 'version'>): Problem[] {
  const problems: Problem[] = [];
  const after = (path: string) => ({
    path,
    'zh-CN': '转工单的时间必须晚于提醒顾客的时间。',
    en: 'The ticket must come later than the message to the shopper.',
  });
  if (body.ticketHours <= body.stallHours) problems.push(after('ticketHours'));
  const seen = new Set<string>();
  body.carriers.forEach((c, i) => {
    if (c.ticketHours <= c.stallHours) problems.push(after(`carriers.${i}.ticketHours`));
    const name = c.carrier.toLowerCase();
    if (seen.has(name))
      problems.push({ path: `carriers.${i}.carrier`, 'zh-CN': `快递公司“${c.carrier}”重复了。`, en: `Carrier “${c.carrier}” is listed twice.` });
    seen.add(name);
  });
  return problems;
}
