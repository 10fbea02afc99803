import { describe, expect, it } from 'vitest';
import { LogisticsSettingsBody } from '#shared/logistics/api.ts';
import { DEFAULT_LOGISTICS_SETTINGS } from '#shared/logistics/stall.ts';
import { translator } from '../../../web/console/i18n.ts';
import { lgsEn, lgsZh } from '../../../web/console/i18n-logistics.ts';
import { logisticsBody, logisticsForm, logisticsProblems } from '../../../web/console/settings/logistics-state.ts';

const bounds = { min: 1, max: 720 };

describe('催单 settings form', () => {
  it('round-trips the saved settings into a body the server accepts', () => {
    const settings = { ...DEFAULT_LOGISTICS_SETTINGS, carriers: [{ carrier: 'EMS', stallHours: 72, ticketHours: 96 }], version: 3 };
    const form = logisticsForm(settings);
    expect(logisticsProblems(form, bounds, translator('zh-CN'))).toEqual([]);
    const body = logisticsBody(form, settings.version);
    expect(LogisticsSettingsBody.safeParse(body).success).toBe(true);
    expect(body).toMatchObject({ version: 3, stallHours: 48, carriers: [{ carrier: 'EMS', stallHours: 72, ticketHours: 96 }] });
  });

  it('finds every problem next to its field, in Chinese for a Chinese reader', () => {
    const form = {
      ...logisticsForm(DEFAULT_LOGISTICS_SETTINGS),
      ticketHours: '24',
      dispatchHours: '1.5',
      carriers: [
        { carrier: ' ', stallHours: '10', ticketHours: '20' },
        { carrier: 'EMS', stallHours: '10', ticketHours: '20' },
        { carrier: 'ems', stallHours: '30', ticketHours: '800' },
      ],
    };
    const problems = logisticsProblems(form, bounds, translator('zh-CN'));
    expect(problems.map((p) => p.path)).toEqual(['ticketHours', 'dispatchHours', 'carriers.0.carrier', 'carriers.2.carrier', 'carriers.2.ticketHours']);
    for (const p of problems) expect(p.message.replace(/ems/i, '')).toMatch(/^[^A-Za-z]*[\u4e00-\u9fff][^A-Za-z]*$/);
  });

  it('has every string in both languages, the Chinese ones in Chinese', () => {
    expect(Object.keys(lgsZh).sort()).toEqual(Object.keys(lgsEn).sort());
    for (const [key, zh] of Object.entries(lgsZh)) expect(zh, key).toMatch(/[\u4e00-\u9fff]/);
    const names = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const [key, en] of Object.entries(lgsEn)) expect(names(lgsZh[key as keyof typeof lgsEn]), key).toEqual(names(en));
  });
});
