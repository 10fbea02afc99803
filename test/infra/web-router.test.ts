import { describe, expect, it } from 'vitest';
import { WEB_LANDING, WEB_ROUTER } from '#infra/aws/web-hosting.ts';

type Outcome = { uri?: string; statusCode?: number; headers?: Record<string, { value: string }> };

/** Runs the CloudFront Function source as CloudFront would: a global `handler(event)`. */
const handler = new Function(`${WEB_ROUTER}; return handler;`)() as (event: { request: { uri: string } }) => Outcome;

function route(uri: string): string {
  const outcome = handler({ request: { uri } });
  return outcome.statusCode ? `${outcome.statusCode} ${outcome.headers?.location?.value}` : String(outcome.uri);
}

describe('CloudFront router (viewer request)', () => {
  it.each([
    ['/', `302 ${WEB_LANDING}`],
    ['/console', '301 /console/'],
    ['/console/', '/console/index.html'],
    ['/demo/', '/demo/index.html'],
    ['/console/app.js', '/console/app.js'],
    ['/console/tickets/t-1', '/console/index.html'],
    ['/widget/loader.js', '/widget/loader.js'],
    ['/config.json', '/config.json'],
  ])('%s → %s', (uri, expected) => {
    expect(route(uri)).toBe(expected);
  });
});
