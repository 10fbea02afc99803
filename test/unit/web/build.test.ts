import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BUDGETS, buildWeb, formatReport, type WebBuildResult } from '../../../web/build.ts';

let outDir: string;
let result: WebBuildResult;

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'kefu-web-build-'));
  result = await buildWeb({ outDir });
}, 20_000);

afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

describe('web build', () => {
  test('writes every app', () => {
    const paths = result.files.map((f) => f.path);
    const chunk = /^console\/[a-z0-9-]+-[A-Z0-9]{8}\.js$/;
    expect(paths.filter((p) => !chunk.test(p)).sort()).toEqual(
      [
        'console/app.css',
        'console/app.js',
        'console/index.html',
        'demo/demo.css',
        'demo/demo.js',
        'demo/index.html',
        'demo/kefu-queue.js',
        'widget/loader.js',
        'widget/widget.js',
      ].sort(),
    );
    expect(paths.filter((p) => chunk.test(p)).map((p) => p.replace(/^console\/|-[A-Z0-9]{8}\.js$/g, ''))).toEqual(
      expect.arrayContaining(['settings', 'quality', 'marketing', 'tickets', 'kb', 'chunk']),
    );
    expect(formatReport(result)).toContain('opened widget');
  });

  test('stays within the size budgets', () => {
    expect(result.overBudget).toEqual([]);
    expect(result.loader.gzip).toBeLessThanOrEqual(BUDGETS.loader);
    expect(result.openedWidget.gzip).toBeLessThanOrEqual(BUDGETS.openedWidget);
    expect(result.consoleInitial.gzip).toBeLessThanOrEqual(BUDGETS.consoleInitial);
  });

  test('the console loads reports, marketing and settings only when opened (their own chunks, preloaded shell chunks)', async () => {
    const html = await readFile(join(outDir, 'console/index.html'), 'utf8');
    const app = await readFile(join(outDir, 'console/app.js'), 'utf8');
    const lazy = [...app.matchAll(/import\("\.\/([a-z0-9-]+-[A-Z0-9]{8}\.js)"\)/g)].map((m) => m[1]);
    expect(lazy.length).toBeGreaterThanOrEqual(3);
    for (const chunk of lazy) expect(html).not.toContain(chunk);
    const preloaded = [...html.matchAll(/modulepreload" href="([a-z0-9-]+-[A-Z0-9]{8}\.js)"/g)].map((m) => m[1]);
    expect(preloaded.length).toBeGreaterThan(0);
    const settings = (await Promise.all(lazy.map((c) => readFile(join(outDir, 'console', c!), 'utf8')))).join('\n');
    expect(settings).toContain('ticket-config/routing-rules');
    expect(app).not.toContain('ticket-config/routing-rules');
    // the ticket screens and the knowledge base, their strings included, are not part of the first load
    const read = (names: readonly string[]) => Promise.all(names.map((c) => readFile(join(outDir, 'console', c), 'utf8'))).then((t) => t.join('\n'));
    const first = `${app}\n${await read(preloaded.map((c) => c!))}`;
    const chunks = result.files.map((f) => f.path.replace(/^console\//, '')).filter((c) => /^[a-z0-9-]+-[A-Z0-9]{8}\.js$/.test(c) && !preloaded.includes(c));
    const later = await read(chunks);
    for (const text of ['mergeInto', 'ticketNewIntro', 'kbArticleIdHint', 'kbVersionOf']) {
      expect(later).toContain(text);
      expect(first).not.toContain(text);
    }
    expect(result.consoleInitialModules.map((m) => m.path)).toContain('web/console/conversation.tsx');
    expect(result.consoleInitialModules.map((m) => m.path)).not.toContain('web/console/tickets/detail.tsx');
  });

  test('the loader pins the widget version and the pages reference their bundles', async () => {
    const loader = await readFile(join(outDir, 'widget/loader.js'), 'utf8');
    expect(loader).toMatch(/widget\.js\?v=[0-9a-f]{10}/);
    const consoleHtml = await readFile(join(outDir, 'console/index.html'), 'utf8');
    expect(consoleHtml).toMatch(/app\.js\?v=[0-9a-f]{10}/);
    const demo = await readFile(join(outDir, 'demo/index.html'), 'utf8');
    expect(demo).toContain('widget/loader.js" data-shop="demo" async');
  });

  test('no web code feeds text to HTML parsing (message, bot and article text are text nodes only)', async () => {
    const { readdir } = await import('node:fs/promises');
    const web = join(import.meta.dirname, '../../../web');
    const files: string[] = [];
    for (const dir of ['widget', 'lib', 'console', 'demo']) {
      // every source file, subfolders (console/kit, console/settings, console/tickets) included
      for (const name of await readdir(join(web, dir), { recursive: true })) if (/\.tsx?$/.test(name)) files.push(join(dir, name));
    }
    expect(files).toEqual(
      expect.arrayContaining([
        'widget/widget.ts',
        'widget/help.ts',
        'widget/dom.ts',
        'lib/article-text.ts',
        'console/kb.tsx',
        'console/kit/async.tsx',
        'console/settings/macros.tsx',
        'console/reply-box.tsx',
      ]),
    );
    for (const file of files) {
      const source = await readFile(join(web, file), 'utf8');
      expect(source, file).not.toMatch(/dangerouslySetInnerHTML|insertAdjacentHTML|outerHTML|document\.write|DOMParser|createContextualFragment/);
      for (const line of source.split('\n').filter((l) => l.includes('innerHTML'))) {
        expect(`${file}: ${line.trim()}`).toMatch(/^widget\/loader\.ts: icon\.innerHTML = (CHAT_ICON|isOpen \? CLOSE_ICON : CHAT_ICON);$/);
      }
    }
  });
});
