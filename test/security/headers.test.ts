/**
 * Security headers of the web apps (console, demo shop, widget files): the local runtime and
 * CloudFront send the same CSP, frame, sniffing and referrer headers, taken from one module, and
 * the built pages need no inline script or style for that CSP to hold.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthesizeKefu } from '#infra/aws/synth.ts';
import { type LocalStack, startLocalStack } from '#infra/local/stack.ts';
import { buildWeb } from '../../web/build.ts';

type Json = Record<string, unknown>;

/** The directives of a CSP by name, each with its source list. */
function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...sources]) => [name!, sources]),
  );
}

/** What a strict CSP for these pages must say, whoever serves it. */
function expectStrictCsp(csp: string | null | undefined): void {
  expect(csp, 'content-security-policy header').toBeTruthy();
  const d = directives(csp!);
  expect(d.get('default-src')).toEqual(["'none'"]);
  expect(d.get('script-src')).toEqual(["'self'"]);
  expect(d.get('style-src')).toEqual(["'self'"]);
  expect(d.get('frame-ancestors')).toEqual(["'none'"]);
  expect(d.get('object-src')).toEqual(["'none'"]);
  expect(d.get('base-uri')).toEqual(["'none'"]);
  expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
}

let webRoot: string;
let stack: LocalStack;

beforeAll(async () => {
  webRoot = await mkdtemp(join(tmpdir(), 'kefu-headers-web-'));
  await buildWeb({ outDir: webRoot });
  stack = await startLocalStack({ port: 0, memory: true, quiet: true, failedRetryDelaySeconds: 0, webRoot });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await rm(webRoot, { recursive: true, force: true });
});

describe('local runtime: web app headers', () => {
  it.each(['/console/', '/console/tickets/mine', '/demo/'])('%s: strict CSP, never framed, no sniffing, no referrer leak', async (path) => {
    const res = await fetch(`${stack.urls.api}${path}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expectStrictCsp(res.headers.get('content-security-policy'));
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('the console CSP lets the page reach its API and live socket (same gateway) and nothing else', async () => {
    const csp = directives((await fetch(stack.urls.console)).headers.get('content-security-policy') ?? '');
    expect(csp.get('connect-src')).toEqual(["'self'", stack.urls.api, stack.urls.api.replace(/^http/, 'ws')]);
    expect(csp.get('img-src')).toEqual(["'self'", 'data:', 'blob:', stack.urls.api]);
  });

  it('the widget files load from any shop page: CORS and cross-origin resource policy, never sniffed', async () => {
    for (const file of ['/widget/loader.js', '/widget/widget.js']) {
      const res = await fetch(`${stack.urls.api}${file}`, { headers: { origin: 'https://shop.example' } });
      expect(res.status, file).toBe(200);
      expect(res.headers.get('access-control-allow-origin'), file).toBe('*');
      expect(res.headers.get('cross-origin-resource-policy'), file).toBe('cross-origin');
      expect(res.headers.get('x-content-type-options'), file).toBe('nosniff');
      expect(res.headers.get('content-type'), file).toMatch(/^text\/javascript/);
    }
  });

  it('the header values come from the one shared module (infra/web-headers.ts)', async () => {
    const { webSecurityHeaders } = await import('#infra/web-headers.ts');
    const expected = webSecurityHeaders({ connect: [stack.urls.api, stack.urls.api.replace(/^http/, 'ws')], img: [stack.urls.api] });
    const res = await fetch(stack.urls.console);
    for (const [name, value] of Object.entries(expected)) expect(res.headers.get(name), name).toBe(value);
  });
});

describe('built pages: nothing inline for the CSP to block', () => {
  it('no inline <script>, <style>, style= or on*= handler in any built HTML page', async () => {
    for (const app of ['console', 'demo']) {
      const files = (await readdir(join(webRoot, app))).filter((f) => f.endsWith('.html'));
      expect(files.length, app).toBeGreaterThan(0);
      for (const file of files) {
        const html = await readFile(join(webRoot, app, file), 'utf8');
        const where = `${app}/${file}`;
        for (const tag of html.match(/<script\b[^>]*>/g) ?? []) expect(tag, where).toMatch(/\bsrc=/);
        expect(html, where).not.toMatch(/<script\b[^>]*>\s*[^<\s]/);
        expect(html, where).not.toMatch(/<style\b/i);
        expect(html, where).not.toMatch(/\sstyle=/i);
        expect(html, where).not.toMatch(/\son[a-z]+=/i);
        expect(html, where).not.toMatch(/javascript:/i);
      }
    }
  });
});

describe('CloudFront: the same headers from the response-headers policy', () => {
  let template: { Resources: Record<string, { Type: string; Properties?: Json }> };
  let outdir: string;
  let ids: { http: string; ws: string };

  beforeAll(async () => {
    outdir = await mkdtemp(join(tmpdir(), 'kefu-headers-synth-'));
    const { index } = synthesizeKefu({ outdir, bundle: false });
    ids = { http: index.httpApiLogicalId, ws: index.webSocketApiLogicalId };
    template = JSON.parse(await readFile(index.templateFile, 'utf8')) as typeof template;
  }, 300_000);

  afterAll(async () => {
    await rm(outdir, { recursive: true, force: true });
  });

  /** A template value as text: intrinsic references become `<LogicalId.Attr>`. */
  function text(value: unknown): string {
    if (typeof value === 'string') return value;
    const v = value as Json;
    if (Array.isArray(v['Fn::Join'])) {
      const [sep, parts] = v['Fn::Join'] as [string, unknown[]];
      return parts.map(text).join(sep);
    }
    if (typeof v.Ref === 'string') return `<${v.Ref}>`;
    if (Array.isArray(v['Fn::GetAtt'])) return `<${(v['Fn::GetAtt'] as string[]).join('.')}>`;
    return JSON.stringify(value);
  }

  function policyConfig(): Json {
    const policies = Object.values(template.Resources).filter((r) => r.Type === 'AWS::CloudFront::ResponseHeadersPolicy');
    expect(policies).toHaveLength(1);
    return policies[0]!.Properties!.ResponseHeadersPolicyConfig as Json;
  }

  it('sends the strict CSP with frame-ancestors none, DENY, nosniff and no-referrer', () => {
    const security = policyConfig().SecurityHeadersConfig as Json;
    expect(security, 'SecurityHeadersConfig').toBeTruthy();
    const csp = security.ContentSecurityPolicy as { ContentSecurityPolicy: unknown; Override: boolean } | undefined;
    expect(csp?.Override).toBe(true);
    expectStrictCsp(text(csp?.ContentSecurityPolicy).replace(/<[^>]+>/g, 'ref'));
    expect(security.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
    expect(security.ContentTypeOptions).toEqual({ Override: true });
    expect(security.ReferrerPolicy).toEqual({ ReferrerPolicy: 'no-referrer', Override: true });
  });

  it('the CSP lets pages reach the HTTP API, the WebSocket API, Cognito and the attachments bucket only', () => {
    const csp = text(((policyConfig().SecurityHeadersConfig as Json).ContentSecurityPolicy as Json).ContentSecurityPolicy);
    const connect = directives(csp).get('connect-src') ?? [];
    expect(connect[0]).toBe("'self'");
    expect(connect, 'self, HTTP API, WebSocket API, Cognito, attachments').toHaveLength(5);
    expect(connect).toContain(`<${ids.http}.ApiEndpoint>`);
    expect(connect).toContain(`<${ids.ws}.ApiEndpoint>`);
    expect(
      connect.some((s) => /^https:\/\/cognito-idp\.<AWS::Region>\.amazonaws\.com$/.test(s)),
      connect.join(' '),
    ).toBe(true);
    expect(
      connect.some((s) => /^https:\/\/<\w*attachments\w*\.RegionalDomainName>$/.test(s)),
      connect.join(' '),
    ).toBe(true);
    expect(
      directives(csp)
        .get('img-src')
        ?.some((s) => /^https:\/\/<\w*attachments\w*\.RegionalDomainName>$/.test(s)),
    ).toBe(true);
  });

  it('the widget files stay loadable cross-origin (CORS *, CORP cross-origin)', () => {
    const config = policyConfig();
    expect((config.CorsConfig as Json).AccessControlAllowOrigins).toEqual({ Items: ['*'] });
    expect(((config.CustomHeadersConfig as Json)?.Items as Json[] | undefined) ?? []).toContainEqual({
      Header: 'Cross-Origin-Resource-Policy',
      Value: 'cross-origin',
      Override: true,
    });
  });

  it('every directive comes from the shared module (infra/web-headers.ts)', async () => {
    const { contentSecurityPolicy } = await import('#infra/web-headers.ts');
    const fromModule = directives(contentSecurityPolicy({ connect: [], img: [] }));
    const fromTemplate = directives(text(((policyConfig().SecurityHeadersConfig as Json).ContentSecurityPolicy as Json).ContentSecurityPolicy));
    expect([...fromTemplate.keys()]).toEqual([...fromModule.keys()]);
    for (const [name, sources] of fromModule) expect(fromTemplate.get(name)?.slice(0, sources.length), name).toEqual(sources);
  });
});
