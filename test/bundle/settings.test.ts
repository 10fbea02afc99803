import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invokeBundle, LOCAL_SETTINGS_SECRET_ARN, localEnvironment, type Sink, startSink } from '#infra/aws/invoke-bundle.ts';
import { type FunctionDef, functions, SETTINGS_GROUPS, type SettingsGroup } from '#infra/manifest.ts';
import { type Synthesized, synthesized } from '../infra/synthesized.ts';
import { httpEvent } from '../support/events.ts';

/**
 * The modules that read each settings group's keys (grep shared/ and functions/ for the keys):
 * a function whose deployed bundle holds one of them must declare the group, and only then.
 */
const READERS: Record<SettingsGroup, readonly string[]> = {
  llm: ['shared/bot/service.ts', 'shared/bot/llm.ts', 'shared/ai/embeddings.ts', 'shared/kb/vectors.ts'],
  email: ['shared/channels/mail-transport.ts', 'shared/channels/mail-message.ts', 'shared/channels/mail-config.ts', 'shared/tickets/email-sender.ts'],
  wecom: ['shared/channels/wecom-api.ts', 'functions/http/wecom-verify.ts', 'functions/http/wecom-callback.ts'],
};

/** The WeCom SDK's published sample (Sample.py), as in test/unit/channels/wecom-crypto.test.ts. */
const WECOM = {
  KEFU_WECOM_CORP_ID: 'ww1436e0e65a779aee',
  KEFU_WECOM_TOKEN: 'hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo',
  KEFU_WECOM_AES_KEY: '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt',
};
const VERIFY = {
  msg_signature: '012bc692d0a58dd4b10f8dfe5c4ac00ae211ebeb',
  timestamp: '1476416373',
  nonce: '47744683',
  echostr: 'fsi1xnbH4yQh0+PJxcOdhhK6TDXkjMyhEPA7xB2TGz6b+g7xyAbEkRxN/3cNXW9qdqjnoVzEtpbhnFyq6SVHyA==',
};

interface SecretsStandIn {
  url: string;
  /** SecretIds asked for through GetSecretValue. */
  asked: string[];
  value: string;
  server: Server;
}

/** A Secrets Manager stand-in speaking its JSON protocol (GetSecretValue only), so the bundle's SDK client really calls it. */
async function secretsManager(value: string): Promise<SecretsStandIn> {
  const standIn = { asked: [] as string[], value } as SecretsStandIn;
  standIn.server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const { SecretId } = JSON.parse(body || '{}') as { SecretId?: string };
      if (target !== 'secretsmanager.GetSecretValue' || !SecretId) {
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify({ __type: 'InvalidRequestException', message: `unexpected ${target}` }));
        return;
      }
      standIn.asked.push(SecretId);
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ ARN: SecretId, Name: 'kefu-settings', VersionId: 'v1', SecretString: standIn.value, CreatedDate: 1_700_000_000 }));
    });
  });
  await new Promise<void>((resolve) => standIn.server.listen(0, '127.0.0.1', resolve));
  standIn.url = `http://127.0.0.1:${(standIn.server.address() as AddressInfo).port}`;
  return standIn;
}

let synth: Synthesized;
let sink: Sink;
let secrets: SecretsStandIn;

beforeAll(async () => {
  [synth, sink, secrets] = await Promise.all([synthesized(), startSink(), secretsManager('{}')]);
}, 1_200_000);

afterAll(async () => {
  await sink?.stop();
  await new Promise((resolve) => secrets?.server.close(resolve));
});

/**
 * Repository paths of the sources in a deployed bundle, from the source maps of every file in its
 * folder: index.mjs and the chunks it imports, at the cold start or later through `import()`.
 */
function sourcesOf(fn: FunctionDef): Set<string> {
  const dir = synth.functions[fn.name]!.assetDir!;
  const out = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.mjs.map'))) {
    const map = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { sources: string[] };
    for (const source of map.sources) {
      const at = source.search(/(^|\/)(shared|functions)\//);
      if (at >= 0 && !source.includes('node_modules/')) out.add(source.slice(source[at] === '/' ? at + 1 : at));
    }
  }
  return out;
}

describe('integration settings in the deployed bundles', () => {
  it.each(functions.map((fn) => [fn.name, fn] as const))('%s declares exactly the settings groups its code reads', (_name, fn) => {
    const sources = sourcesOf(fn);
    expect(sources.size, 'the source map names the repository files').toBeGreaterThan(0);
    const reads = (Object.keys(READERS) as SettingsGroup[]).filter((group) => READERS[group].some((file) => sources.has(file)));
    const declared = [...(fn.access.settings ?? [])].sort();
    expect(declared, `${fn.name}: its bundle reads ${reads.join(', ') || 'no settings'}; set access.settings to match in infra/manifest.ts`).toEqual(
      reads.sort(),
    );
  });

  it('every key the configuration knows for an integration belongs to a group', () => {
    const grouped = new Set<string>(Object.values(SETTINGS_GROUPS).flat());
    const config = readFileSync(join(process.cwd(), 'shared/config.ts'), 'utf8');
    for (const key of config.match(/\b(OPENAI_\w+|KEFU_(LLM|EMBEDDINGS|SMTP|EMAIL|SES|WECOM|MAIL)_\w+|KEFU_ALLOWED_LINK_HOSTS)\b/g) ?? []) {
      expect(grouped.has(key), key).toBe(true);
    }
  });

  it('the WeCom URL check answers with the keys from the secret, read once at the cold start', async () => {
    const fn = functions.find((f) => f.name === 'wecom-verify')!;
    const artifact = synth.functions[fn.name]!;
    secrets.value = JSON.stringify({ ...WECOM, OPENAI_API_KEY: 'sk-not-for-this-function' });
    secrets.asked.length = 0;
    const event = httpEvent({ method: 'GET', path: '/wecom/callback', query: VERIFY });
    const outcome = await invokeBundle({
      bundleDir: artifact.assetDir!,
      functionName: `${synth.stackName}-${fn.name}`,
      memoryMb: artifact.memoryMb,
      timeoutMs: artifact.timeoutSeconds * 1000,
      events: [event, event],
      env: localEnvironment(artifact.environment, { dynamo: sink.url, fallback: sink.url, secrets: secrets.url }),
    });
    const why = `${outcome.stderr.slice(-1500)}\n${outcome.stdout.slice(-1500)}`;
    expect(outcome.loadError, why).toBeUndefined();
    for (const invocation of outcome.invocations) {
      expect(invocation.ok, why).toBe(true);
      expect(invocation.value, why).toMatchObject({ statusCode: 200, body: '1288432023552776189' });
    }
    expect(secrets.asked).toEqual([LOCAL_SETTINGS_SECRET_ARN]);
  });

  it('a secret that is not JSON stops the cold start with a message that names it, not its value', async () => {
    const fn = functions.find((f) => f.name === 'wecom-verify')!;
    const artifact = synth.functions[fn.name]!;
    secrets.value = 'KEFU_WECOM_TOKEN=hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo';
    const outcome = await invokeBundle({
      bundleDir: artifact.assetDir!,
      functionName: `${synth.stackName}-${fn.name}`,
      memoryMb: artifact.memoryMb,
      timeoutMs: artifact.timeoutSeconds * 1000,
      events: [httpEvent({ method: 'GET', path: '/wecom/callback', query: VERIFY })],
      env: localEnvironment(artifact.environment, { dynamo: sink.url, fallback: sink.url, secrets: secrets.url }),
    });
    expect(outcome.loadError?.message).toMatch(/settings secret .*not JSON/);
    expect(JSON.stringify(outcome.loadError)).not.toContain('hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo');
  });
});
