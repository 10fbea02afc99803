import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { type BuildOptions, build, type OutputFile } from 'esbuild';

/** Gzipped size limits (bytes) of what a shop page downloads. */
export const BUDGETS = {
  loader: 10 * 1024,
  openedWidget: 60 * 1024,
  /** Console app.js + app.css + the chunks app.js imports statically (the shell, sign-in, inbox, a conversation); other sections are lazy chunks. */
  consoleInitial: 50 * 1024,
} as const;

export interface FileSize {
  path: string;
  raw: number;
  gzip: number;
}

export interface WebBuildResult {
  outDir: string;
  files: FileSize[];
  /** loader.js alone: what every page of the shop pays. */
  loader: Omit<FileSize, 'path'>;
  /** loader.js + widget.js (the panel's CSS is inlined in widget.js): what an opened widget costs. */
  openedWidget: Omit<FileSize, 'path'>;
  /** app.js, the chunks it imports statically and app.css: what the console loads before its first screen (section chunks come later). */
  consoleInitial: Omit<FileSize, 'path'>;
  /** The source modules of the console's first load, biggest first (minified bytes before gzip): where to look when it grows. */
  consoleInitialModules: { path: string; bytes: number }[];
  /** Budgets exceeded, as human-readable lines (empty when within budget). */
  overBudget: string[];
  ms: number;
}

export interface WebBuildOptions {
  /** Where to write; defaults to web/dist. */
  outDir?: string;
  /** Skip minification (easier debugging); budgets are still checked. */
  minify?: boolean;
}

const WEB = dirname(fileURLToPath(import.meta.url));

const common: BuildOptions = {
  bundle: true,
  write: false,
  target: 'es2022',
  platform: 'browser',
  legalComments: 'none',
  charset: 'utf8',
  logLevel: 'silent',
  loader: { '.css': 'text' },
  jsx: 'automatic',
  jsxImportSource: 'preact',
};

function sizeOf(path: string, contents: Uint8Array): FileSize {
  return { path, raw: contents.byteLength, gzip: gzipSync(contents, { level: 9 }).byteLength };
}

function shortHash(contents: Uint8Array | string): string {
  return createHash('sha256').update(contents).digest('hex').slice(0, 10);
}

function single(files: OutputFile[] | undefined, ext: string): OutputFile {
  const file = files?.find((f) => f.path.endsWith(ext));
  if (!file) throw new Error(`esbuild produced no ${ext} output`);
  return file;
}

/**
 * Bundles the widget (loader.js + widget.js, IIFE so they run on any shop page without CORS
 * module rules), the console (ESM + CSS) and the demo shop page into `outDir`. Pure file work:
 * no server needed. Returns sizes and any budget overrun.
 */
export async function buildWeb(options: WebBuildOptions = {}): Promise<WebBuildResult> {
  const started = performance.now();
  const outDir = resolve(options.outDir ?? join(WEB, 'dist'));
  const minify = options.minify ?? true;
  const opts: BuildOptions = { ...common, minify };

  const [widgetOut, consoleJs, consoleCss, demoJs, demoQueueJs, demoCssOut] = await Promise.all([
    build({ ...opts, entryPoints: [join(WEB, 'widget/widget.ts')], format: 'iife', outfile: 'widget.js' }),
    // The console is split: app.js (and the chunks it imports statically) holds the shell, sign-in,
    // inbox and a conversation; tickets, the knowledge base and the sections only some roles open
    // (reports, marketing, settings) are chunks loaded on first visit.
    build({
      ...opts,
      entryPoints: { app: join(WEB, 'console/main.tsx') },
      format: 'esm',
      splitting: true,
      outdir: join(WEB, '.console-out'),
      entryNames: '[name]',
      chunkNames: '[name]-[hash]',
      metafile: true,
    }),
    build({ ...opts, entryPoints: [join(WEB, 'console/app.css')], loader: { '.css': 'css' }, outfile: 'app.css' }),
    build({ ...opts, entryPoints: [join(WEB, 'demo/demo.ts')], format: 'iife', outfile: 'demo.js' }),
    // The pages are served with a CSP without 'unsafe-inline' (infra/web-headers.ts): no inline script or style.
    build({ ...opts, entryPoints: [join(WEB, 'demo/kefu-queue.ts')], format: 'iife', outfile: 'kefu-queue.js' }),
    build({ ...opts, entryPoints: [join(WEB, 'demo/demo.css')], loader: { '.css': 'css' }, outfile: 'demo.css' }),
  ]);
  const widget = single(widgetOut.outputFiles, '.js').contents;
  const loaderOut = await build({
    ...opts,
    entryPoints: [join(WEB, 'widget/loader.ts')],
    format: 'iife',
    outfile: 'loader.js',
    define: { WIDGET_VERSION: JSON.stringify(shortHash(widget)) },
  });
  const loader = single(loaderOut.outputFiles, '.js').contents;
  const consoleFiles = (consoleJs.outputFiles ?? []).filter((f) => f.path.endsWith('.js'));
  const appJs = consoleFiles.find((f) => basename(f.path) === 'app.js')?.contents;
  if (!appJs) throw new Error('esbuild produced no console app.js');
  const chunks = consoleFiles.filter((f) => basename(f.path) !== 'app.js').map((f): [string, Uint8Array] => [`console/${basename(f.path)}`, f.contents]);
  const preloaded = initialChunks(consoleJs.metafile?.outputs ?? {}, consoleFiles);
  const consoleInitialModules = initialModules(consoleJs.metafile?.outputs ?? {}, ['app.js', ...preloaded.map((f) => basename(f.path))]);
  const appCss = single(consoleCss.outputFiles, '.css').contents;
  const demo = single(demoJs.outputFiles, '.js').contents;
  const demoQueue = single(demoQueueJs.outputFiles, '.js').contents;
  const demoCss = single(demoCssOut.outputFiles, '.css').contents;

  const [consoleHtml, demoHtml] = await Promise.all([readFile(join(WEB, 'console/index.html'), 'utf8'), readFile(join(WEB, 'demo/index.html'), 'utf8')]);
  const outputs: [string, Uint8Array | string][] = [
    ['widget/loader.js', loader],
    ['widget/widget.js', widget],
    ['console/app.js', appJs],
    ...chunks,
    ['console/app.css', appCss],
    [
      'console/index.html',
      consoleHtml
        .replace('app.js"', `app.js?v=${shortHash(appJs)}"`)
        .replace('app.css"', `app.css?v=${shortHash(appCss)}"`)
        .replace(
          '<script type="module"',
          // chunk names carry their content hash; preloading them saves a round trip after app.js
          preloaded.map((f) => `<link rel="modulepreload" href="${basename(f.path)}" />\n    `).join('') + '<script type="module"',
        ),
    ],
    ['demo/demo.js', demo],
    ['demo/kefu-queue.js', demoQueue],
    ['demo/demo.css', demoCss],
    [
      'demo/index.html',
      demoHtml
        .replace('demo.js"', `demo.js?v=${shortHash(demo)}"`)
        .replace('kefu-queue.js"', `kefu-queue.js?v=${shortHash(demoQueue)}"`)
        .replace('demo.css"', `demo.css?v=${shortHash(demoCss)}"`),
    ],
  ];

  await rm(outDir, { recursive: true, force: true });
  await Promise.all(['widget', 'console', 'demo'].map((dir) => mkdir(join(outDir, dir), { recursive: true })));
  await Promise.all(outputs.map(([path, contents]) => writeFile(join(outDir, path), contents)));

  const files = outputs.map(([path, contents]) => sizeOf(path, typeof contents === 'string' ? Buffer.from(contents) : contents));
  const loaderSize = sizeOf('loader', loader);
  const openedBytes = Buffer.concat([loader, widget]);
  const openedSize = { raw: openedBytes.byteLength, gzip: loaderSize.gzip + sizeOf('widget', widget).gzip };
  const consoleInitial = [appJs, appCss, ...preloaded.map((f) => f.contents)]
    .map((c, i) => sizeOf(String(i), c))
    .reduce((a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip }), { raw: 0, gzip: 0 });
  const overBudget: string[] = [];
  if (loaderSize.gzip > BUDGETS.loader) overBudget.push(`loader.js is ${loaderSize.gzip} B gzipped (budget ${BUDGETS.loader} B)`);
  if (openedSize.gzip > BUDGETS.openedWidget) overBudget.push(`opened widget is ${openedSize.gzip} B gzipped (budget ${BUDGETS.openedWidget} B)`);
  if (consoleInitial.gzip > BUDGETS.consoleInitial)
    overBudget.push(`console first load is ${consoleInitial.gzip} B gzipped (budget ${BUDGETS.consoleInitial} B)`);
  return {
    outDir,
    files,
    loader: { raw: loaderSize.raw, gzip: loaderSize.gzip },
    openedWidget: openedSize,
    consoleInitial,
    consoleInitialModules,
    overBudget,
    ms: Math.round(performance.now() - started),
  };
}

/** The chunks app.js imports statically (transitively): downloaded before the console's first screen. */
function initialChunks(outputs: Record<string, { imports: { path: string; kind: string }[] }>, files: readonly OutputFile[]): OutputFile[] {
  const byName = new Map(Object.entries(outputs).map(([path, meta]) => [basename(path), meta]));
  const seen = new Set<string>();
  const visit = (name: string) => {
    for (const imported of byName.get(name)?.imports ?? []) {
      const child = basename(imported.path);
      if (imported.kind !== 'import-statement' || seen.has(child)) continue;
      seen.add(child);
      visit(child);
    }
  };
  visit('app.js');
  return files.filter((f) => seen.has(basename(f.path)));
}

/** The input modules of the given console outputs with their bytes in them, biggest first. */
function initialModules(outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }>, names: readonly string[]) {
  const wanted = new Set(names);
  return Object.entries(outputs)
    .filter(([path]) => wanted.has(basename(path)))
    .flatMap(([, meta]) => Object.entries(meta.inputs).map(([path, input]) => ({ path, bytes: input.bytesInOutput })))
    .sort((a, b) => b.bytes - a.bytes);
}

/** Human-readable size report. */
export function formatReport(result: WebBuildResult): string {
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  const lines = result.files.map((f) => `  ${f.path.padEnd(28)} ${kb(f.raw).padStart(9)}  gzip ${kb(f.gzip).padStart(8)}`);
  lines.push(
    `  ${'loader.js'.padEnd(28)} ${kb(result.loader.raw).padStart(9)}  gzip ${kb(result.loader.gzip).padStart(8)}  (budget ${kb(BUDGETS.loader)})`,
    `  ${'opened widget'.padEnd(28)} ${kb(result.openedWidget.raw).padStart(9)}  gzip ${kb(result.openedWidget.gzip).padStart(8)}  (budget ${kb(BUDGETS.openedWidget)}; loader + widget.js incl. CSS)`,
    `  ${'console first load'.padEnd(28)} ${kb(result.consoleInitial.raw).padStart(9)}  gzip ${kb(result.consoleInitial.gzip).padStart(8)}  (budget ${kb(BUDGETS.consoleInitial)}; app.js + app.css; sections in chunks)`,
  );
  return `web build → ${relative(process.cwd(), result.outDir) || '.'} in ${result.ms} ms\n${lines.join('\n')}`;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = await buildWeb();
  console.log(formatReport(result));
  // `node web/build.ts --analyze`: what the console's first load is made of
  if (process.argv.includes('--analyze')) {
    console.log('console first load, biggest modules (minified bytes, before gzip):');
    for (const m of result.consoleInitialModules.slice(0, 30)) console.log(`  ${String(m.bytes).padStart(7)}  ${m.path}`);
  }
  if (result.overBudget.length) {
    console.error(`over budget:\n  ${result.overBudget.join('\n  ')}`);
    process.exitCode = 1;
  }
}
