import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { type BuildOptions, buildSync } from 'esbuild';
import type { FunctionDef } from '#infra/manifest.ts';

/**
 * The one definition of how a Lambda is bundled: ESM for Node 24, minified, AWS SDK v3 bundled
 * (AWS guidance: pinned version, faster cold start than the runtime's copy), `module` entry points
 * first (smaller, faster-loading builds of zod/middy/SDK), and a `require` shim so CommonJS
 * dependencies still load inside the ESM bundle. The stack, the bundle test and the cold-start
 * benchmark all use it.
 */
export const BUNDLE = {
  target: 'node24',
  format: 'esm',
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  mainFields: ['module', 'main'],
  external: [] as string[],
  banner: "import { createRequire as __kefuCreateRequire } from 'node:module'; const require = __kefuCreateRequire(import.meta.url);",
  outFile: 'index.mjs',
} as const;

/** esbuild options shared by the one-pass build of every function and by ad-hoc bundles (benchmarks). */
function sharedOptions(): BuildOptions {
  return {
    bundle: true,
    platform: 'node',
    target: BUNDLE.target,
    format: BUNDLE.format,
    minify: BUNDLE.minify,
    sourcemap: BUNDLE.sourcemap,
    sourcesContent: BUNDLE.sourcesContent,
    mainFields: [...BUNDLE.mainFields],
    external: [...BUNDLE.external],
    banner: { js: BUNDLE.banner },
    logLevel: 'warning',
  };
}

/** esbuild options for one entry bundled like a Lambda (`outdir/index.mjs`). */
export function esbuildOptions(entry: string, outdir: string): BuildOptions {
  return { ...sharedOptions(), entryPoints: [entry], outfile: join(outdir, BUNDLE.outFile) };
}

const built = new Map<string, ReadonlyMap<string, string>>();

/**
 * Bundles every function in ONE esbuild run (many entry points share one parse of the common
 * modules and use every core) instead of one esbuild process per function as CDK's NodejsFunction
 * does — 117 sequential processes took more than 10 minutes on a busy 2-core machine. Returns the
 * folder of each function (`index.mjs`, its source map, and the manifest's data files). Not split
 * into chunks (`splitting`): in one run over every entry esbuild's tree shaking is global, so a shared
 * chunk keeps code any function uses: most chat-path functions then load as much or more at start
 * (issue 15, measured: 55–75 files; widget-messages-list 628 KB at start instead of 507 KB,
 * bot-consumer 1,076 KB instead of 1,134 KB), only the sends much less (S3 off their start), and 30
 * functions would carry settings readers they never call (test/bundle/settings.test.ts). Built once
 * per process and repository root; the folders live in a temp directory removed at exit, since CDK
 * copies each into the cloud assembly when the function is constructed.
 */
export function bundleFunctions(definitions: readonly FunctionDef[], root: string): ReadonlyMap<string, string> {
  const cacheKey = `${root}\n${definitions.map((d) => `${d.name}=${d.entry}`).join('\n')}`;
  const cached = built.get(cacheKey);
  if (cached) return cached;
  for (const def of definitions) checkedAssets(def, root);
  const outdir = mkdtempSync(join(tmpdir(), 'kefu-bundles-'));
  process.once('exit', () => rmSync(outdir, { recursive: true, force: true }));
  buildSync({
    ...sharedOptions(),
    absWorkingDir: root,
    entryPoints: Object.fromEntries(definitions.map((d) => [`${d.name}/index`, entryOf(d, root, outdir)])),
    outdir,
    outExtension: { '.js': '.mjs' },
  });
  const dirs = new Map<string, string>();
  for (const def of definitions) {
    const dir = join(outdir, def.name);
    for (const asset of def.assets ?? []) {
      const target = join(dir, posix.normalize(asset.to));
      mkdirSync(dirname(target), { recursive: true });
      copyFileSync(join(root, asset.from), target);
    }
    dirs.set(def.name, dir);
  }
  built.set(cacheKey, dirs);
  return dirs;
}

/**
 * The module a function's bundle starts from: its handler, or for a function that reads integration
 * settings (`access.settings`) a small entry that loads them from the settings secret with a
 * top-level await during the Lambda's init, before the first invocation. The handler is imported
 * statically (a dynamic import would make esbuild wrap every module lazily and keep code tree
 * shaking drops); that is safe because configuration is read per invocation through `config()`,
 * whose cache the loader resets — no module reads settings while it loads.
 */
function entryOf(definition: FunctionDef, root: string, outdir: string): string {
  const handler = join(root, definition.entry);
  if (!definition.access.settings?.length) return handler;
  const entry = join(outdir, 'entries', `${definition.name}.mjs`);
  mkdirSync(dirname(entry), { recursive: true });
  writeFileSync(
    entry,
    [
      `import { loadSettingsSecret } from ${JSON.stringify(join(root, 'shared/settings-secret.ts'))};`,
      `export { handler } from ${JSON.stringify(handler)};`,
      'await loadSettingsSecret();',
      '',
    ].join('\n'),
  );
  return entry;
}

type BundleAsset = NonNullable<FunctionDef['assets']>[number];

/** The manifest's data files for a function, checked: the source exists and the target stays inside the bundle. */
function checkedAssets(definition: FunctionDef, root: string): readonly BundleAsset[] {
  const assets = definition.assets ?? [];
  for (const asset of assets) {
    if (!existsSync(join(root, asset.from))) throw new Error(`${definition.name}: asset ${asset.from} does not exist`);
    const target = posix.normalize(asset.to);
    if (posix.isAbsolute(target) || target.startsWith('..')) {
      throw new Error(`${definition.name}: asset target ${asset.to} must be a relative path inside the bundle`);
    }
  }
  return assets;
}

let placeholder: string | undefined;

/**
 * The code of every function when bundling is skipped (`aws:cdk:bundling-stacks: []`, as CDK's own
 * `--exclusively` and fast template checks do): one tiny module that refuses to run.
 */
export function placeholderCode(): string {
  if (placeholder) return placeholder;
  const dir = mkdtempSync(join(tmpdir(), 'kefu-unbundled-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, BUNDLE.outFile), "export const handler = async () => { throw new Error('this stack was synthesized without bundling'); };\n");
  placeholder = dir;
  return dir;
}
