/** The API stages' throttle: a small shop's default, raised for a large shop's peak with `-c kefu:apiRateLimit=N`. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { API_THROTTLE } from '#infra/aws/kefu-stack.ts';
import { synthesizeKefu } from '#infra/aws/synth.ts';

type Template = { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> };

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Steady and burst limits of both stages (HTTP and WebSocket) of an app synthesized with this context. */
function stageLimits(context: Record<string, unknown>): { rate: unknown; burst: unknown }[] {
  const outdir = mkdtempSync(join(tmpdir(), 'kefu-throttle-'));
  dirs.push(outdir);
  const { index } = synthesizeKefu({ outdir, stage: 'test', bundle: false, nag: false, context });
  const template = JSON.parse(readFileSync(index.templateFile, 'utf8')) as Template;
  return Object.values(template.Resources)
    .filter((r) => r.Type === 'AWS::ApiGatewayV2::Stage')
    .map((r) => {
      const settings = r.Properties?.DefaultRouteSettings as { ThrottlingRateLimit: unknown; ThrottlingBurstLimit: unknown };
      return { rate: settings.ThrottlingRateLimit, burst: settings.ThrottlingBurstLimit };
    });
}

describe('API stage throttle', () => {
  it('is the small-shop default without the setting, and N / 2N on both stages with -c kefu:apiRateLimit=N', () => {
    expect(stageLimits({})).toEqual([
      { rate: API_THROTTLE.rateLimit, burst: API_THROTTLE.burstLimit },
      { rate: API_THROTTLE.rateLimit, burst: API_THROTTLE.burstLimit },
    ]);
    expect(stageLimits({ 'kefu:apiRateLimit': '9200' })).toEqual([
      { rate: 9200, burst: 18400 },
      { rate: 9200, burst: 18400 },
    ]);
  }, 300_000);

  it('refuses a value that is not a whole number of requests per second, naming it', () => {
    for (const bad of ['0', 'fast', '12.5', '-3']) {
      expect(() => stageLimits({ 'kefu:apiRateLimit': bad })).toThrow(`kefu:apiRateLimit "${bad}" must be a whole number`);
    }
  });
});
