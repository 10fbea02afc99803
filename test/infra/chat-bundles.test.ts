/**
 * The chat path stays light (issue 15): the Lambda bundles that carry a chat message (bench/chat-path.ts:
 * send, read, list, the bot, the WebSocket routes) must not load email parsing or the S3 client when
 * they start.
 * Built exactly as the stack bundles them (infra/aws/bundle.ts), with esbuild's metafile telling which
 * module imports which:
 * - MIME parsing (mailparser and its charset tables) is not in these bundles at all;
 * - the S3 SDK may be in them, but only behind `import()` at its point of use (an attachment to
 *   check or sign), never in what the entry imports statically, i.e. what runs at cold start.
 */
import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { esbuildOptions } from '#infra/aws/bundle.ts';
import { REPO_ROOT } from '#infra/aws/kefu-function.ts';
import { functions } from '#infra/manifest.ts';
import { CHAT_PATH } from '../../bench/chat-path.ts';

/** Email parsing: never in a chat-path bundle. */
const NEVER = ['mailparser', 'iconv-lite', 'libmime', 'nodemailer'];
/** Loaded on first use only: never in the static import graph of a chat-path entry. */
const LAZY = ['@aws-sdk/client-s3', '@aws-sdk/s3-request-presigner'];
/** A bundle that must still contain mailparser: proves the check sees it. */
const CONTROL = 'email-inbound';

interface Bundle {
  /** Every module in the output. */
  inputs: string[];
  /** Modules the entry reaches through static imports (and require) only. */
  eager: Set<string>;
}

const packageOf = (path: string) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path)?.[1];

/** The modules an entry reaches without crossing an `import()`. */
function staticClosure(metafile: Metafile, entry: string): Set<string> {
  const seen = new Set([entry]);
  const stack = [entry];
  for (let file = stack.pop(); file !== undefined; file = stack.pop()) {
    for (const imported of metafile.inputs[file]?.imports ?? []) {
      if (imported.external || imported.kind === 'dynamic-import' || seen.has(imported.path)) continue;
      seen.add(imported.path);
      stack.push(imported.path);
    }
  }
  return seen;
}

const bundles = new Map<string, Bundle>();

beforeAll(async () => {
  const names = [...CHAT_PATH, CONTROL];
  const defs = names.map((name) => {
    const fn = functions.find((f) => f.name === name);
    if (!fn) throw new Error(`${name} is not in the manifest: update CHAT_PATH`);
    return fn;
  });
  const outdir = join(REPO_ROOT, '.chat-bundles-unwritten');
  const { entryPoints: _entry, outfile: _outfile, ...options } = esbuildOptions(join(REPO_ROOT, defs[0]!.entry), outdir);
  const result = await build({
    ...options,
    absWorkingDir: REPO_ROOT,
    entryPoints: Object.fromEntries(defs.map((d) => [`${d.name}/index`, join(REPO_ROOT, d.entry)])),
    outdir,
    outExtension: { '.js': '.mjs' },
    metafile: true,
    write: false,
  });
  for (const [path, output] of Object.entries(result.metafile.outputs)) {
    if (!output.entryPoint) continue;
    const name = path.split('/').at(-2)!;
    bundles.set(name, { inputs: Object.keys(output.inputs), eager: staticClosure(result.metafile, output.entryPoint) });
  }
}, 300_000);

describe('chat-path bundles do not load email parsing or the S3 client at start', () => {
  it(`the check sees mailparser where it belongs (${CONTROL})`, () => {
    const control = bundles.get(CONTROL);
    expect(control).toBeDefined();
    expect([...control!.eager].some((f) => packageOf(f) === 'mailparser')).toBe(true);
  });

  it.each(CHAT_PATH.map((name) => [name]))('%s bundles no email parsing', (name) => {
    const bundle = bundles.get(name);
    expect(bundle, `${name} was not built`).toBeDefined();
    const found = bundle!.inputs.filter((f) => NEVER.includes(packageOf(f) ?? ''));
    expect(found, `${name} bundles ${[...new Set(found.map(packageOf))].join(', ')}`).toEqual([]);
  });

  it.each(CHAT_PATH.map((name) => [name]))('%s imports the S3 SDK only at its point of use', (name) => {
    const bundle = bundles.get(name);
    expect(bundle, `${name} was not built`).toBeDefined();
    const eager = [...bundle!.eager].filter((f) => LAZY.includes(packageOf(f) ?? ''));
    expect(eager.slice(0, 3), `${name} imports ${[...new Set(eager.map(packageOf))].join(', ')} statically`).toEqual([]);
  });
});
