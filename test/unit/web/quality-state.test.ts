import { describe, expect, it } from 'vitest';
import type { AgentRow } from '../../../web/console/quality-state.ts';
import { firstDirection, presetPeriod, sortAgents, zoneDay } from '../../../web/console/quality-state.ts';

const row = (name: string, over: Partial<AgentRow> = {}): AgentRow => ({
  sub: name.toLowerCase(),
  name,
  email: `${name}@x`,
  handled: 0,
  replies: 0,
  resolved: 0,
  openNow: 0,
  firstResponse: { count: 0, meanSeconds: null, medianSeconds: null },
  responseTime: { count: 0, meanSeconds: null, medianSeconds: null },
  resolutionRate: null,
  csat: { responses: 0, average: null, satisfiedRate: null },
  ...over,
});

describe('console periods in the shop’s time zone', () => {
  it('today is the shop’s today: 17:30 UTC on 3 December is 4 December in Beijing', () => {
    const now = Date.parse('2026-12-03T17:30:00Z');
    expect(zoneDay(now, 'Asia/Shanghai')).toBe('2026-12-04');
    expect(presetPeriod(7, now, 'Asia/Shanghai')).toEqual({ from: '2026-11-28', to: '2026-12-04' });
    expect(presetPeriod(7, now)).toEqual({ from: '2026-11-27', to: '2026-12-03' });
  });
});

describe('sorting the per-agent table', () => {
  const rows = [
    row('Li Na', { handled: 3, firstResponse: { count: 3, meanSeconds: 40, medianSeconds: 30 } }),
    row('Alex Kim', { handled: 0 }),
    row('Chen Wei', { handled: 5, firstResponse: { count: 5, meanSeconds: 90, medianSeconds: 80 } }),
  ];

  it('by a count, both ways', () => {
    expect(sortAgents(rows, 'handled', 'desc').map((r) => r.name)).toEqual(['Chen Wei', 'Li Na', 'Alex Kim']);
    expect(sortAgents(rows, 'handled', 'asc').map((r) => r.name)).toEqual(['Alex Kim', 'Li Na', 'Chen Wei']);
  });

  it('rows without the figure go last in either direction', () => {
    expect(sortAgents(rows, 'frtMean', 'asc').map((r) => r.name)).toEqual(['Li Na', 'Chen Wei', 'Alex Kim']);
    expect(sortAgents(rows, 'frtMean', 'desc').map((r) => r.name)).toEqual(['Chen Wei', 'Li Na', 'Alex Kim']);
  });

  it('by name, and times start with the fastest', () => {
    expect(sortAgents(rows, 'name', 'asc').map((r) => r.name)).toEqual(['Alex Kim', 'Chen Wei', 'Li Na']);
    expect(firstDirection('frtMedian')).toBe('asc');
    expect(firstDirection('csat')).toBe('desc');
  });
});
