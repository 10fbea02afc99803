/**
 * Shared machinery of `kefu import orders|members`: points the store at the chosen table and
 * endpoint, applies events through the same `applyShopEvent` as the queue consumer (customers in
 * parallel lanes, each customer's rows in file order), draws progress on stderr and summarises.
 */
import { statSync } from 'node:fs';
import type { ShopEventMessage } from '#shared/api/shop-events.ts';
import { resetConfig } from '#shared/config.ts';
import { byCustomer, type CsvTable, parseCsv, type RowResult } from '#shared/members/import.ts';
import { type CommandIo, type OptionSpec, readInput, requireString, UsageError } from '../cli-kit.ts';

/** Options every import command takes. */
export const IMPORT_OPTIONS: Record<string, OptionSpec> = {
  file: { type: 'string', description: 'CSV file to import' },
  shop: { type: 'string', description: 'shop id the rows belong to', default: 'demo' },
  table: { type: 'string', description: 'DynamoDB table (default: $TABLE_NAME or Kefu)' },
  endpoint: { type: 'string', description: 'DynamoDB endpoint, e.g. a local one; AWS credentials/region from the environment otherwise' },
  concurrency: { type: 'string', description: 'customers applied in parallel', default: '8' },
  json: { type: 'boolean', description: 'print the summary as JSON' },
};

export interface ImportSummary {
  rows: number;
  imported: number;
  unchanged: number;
  skipped: number;
  failed: number;
  /** Reason → how many rows, for skipped and failed rows. */
  reasons: Record<string, number>;
  /** First lines of each reason (for the operator to find them). */
  examples: Record<string, number[]>;
  seconds: number;
  rowsPerSecond: number;
}

/** Where progress goes: a redrawn bar on a terminal, a plain line every 10 % otherwise. */
export interface ProgressSink {
  tty: boolean;
  write: (text: string) => void;
}

/** The real stderr as a progress sink. */
export function stderrSink(): ProgressSink {
  return { tty: process.stderr.isTTY === true, write: (text) => process.stderr.write(text) };
}

/** Tracks and draws progress: a terminal gets at most ~10 redraws per second, a pipe one line per 10 %. */
export function progress(label: string, total: number, sink: ProgressSink, started = performance.now()) {
  let done = 0;
  let lastDraw = 0;
  let lastDecile = -1;
  const draw = (final: boolean) => {
    const ratio = total === 0 ? 1 : done / total;
    const rate = done / Math.max(0.001, (performance.now() - started) / 1000);
    if (sink.tty) {
      const width = 30;
      const filled = Math.round(ratio * width);
      sink.write(
        `\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.floor(ratio * 100)).padStart(3)}% ${done}/${total} ${Math.round(rate)}/s${final ? '\n' : ''}`,
      );
      return;
    }
    const decile = Math.floor(ratio * 10);
    if (decile !== lastDecile) {
      lastDecile = decile;
      sink.write(`${label}: ${Math.floor(ratio * 100)}% (${done}/${total})\n`);
    }
  };
  return {
    tick() {
      done++;
      const now = performance.now();
      if (!sink.tty || now - lastDraw > 100 || done === total) {
        lastDraw = now;
        draw(false);
      }
    },
    finish() {
      if (sink.tty || lastDecile !== 10) draw(true);
    },
  };
}

/** Points the store at the table and endpoint from the options (before the first DynamoDB call). */
export function configureStore(values: Record<string, string | boolean | undefined>): void {
  const endpoint = values.endpoint;
  if (typeof endpoint === 'string') {
    if (!/^https?:\/\//.test(endpoint)) throw new UsageError('--endpoint must be an http(s) URL');
    process.env.AWS_ENDPOINT_URL_DYNAMODB = endpoint;
    process.env.AWS_ACCESS_KEY_ID ??= 'local';
    process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
  }
  process.env.AWS_REGION ??= process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  process.env.TABLE_NAME = typeof values.table === 'string' ? values.table : (process.env.TABLE_NAME ?? 'Kefu');
  resetConfig();
}

/** Reads and parses the CSV named by --file. */
export function readCsv(values: Record<string, string | boolean | undefined>): { path: string; table: CsvTable; modifiedAt: string } {
  const path = requireString(values, 'file');
  const text = readInput(path);
  return { path, table: parseCsv(text), modifiedAt: new Date(Math.floor(statSync(path).mtimeMs / 1000) * 1000).toISOString() };
}

/** Applies the rows' events and returns the summary (rows that failed do not stop the import). */
/** An empty summary of an import of `rows` rows, and `note(reason, line)`, which counts a reason and keeps up to 5 example lines. */
export function startSummary(rows: number): { summary: ImportSummary; note: (reason: string, line: number) => void } {
  const summary: ImportSummary = { rows, imported: 0, unchanged: 0, skipped: 0, failed: 0, reasons: {}, examples: {}, seconds: 0, rowsPerSecond: 0 };
  const note = (reason: string, line: number) => {
    summary.reasons[reason] = (summary.reasons[reason] ?? 0) + 1;
    const lines = (summary.examples[reason] ??= []);
    if (lines.length < 5) lines.push(line);
  };
  return { summary, note };
}

export async function applyRows(
  label: string,
  results: readonly RowResult[],
  apply: (message: ShopEventMessage) => Promise<'applied' | 'stale'>,
  opts: { concurrency: number; sink: ProgressSink },
): Promise<ImportSummary> {
  const started = performance.now();
  const { summary, note } = startSummary(results.length);
  const bar = progress(label, results.length, opts.sink, started);
  const valid: { line: number; message: ShopEventMessage }[] = [];
  for (const r of results) {
    if (r.ok) valid.push({ line: r.line, message: r.message });
    else {
      summary.skipped++;
      note(r.reason, r.line);
      bar.tick();
    }
  }
  const lanes = byCustomer(valid);
  let next = 0;
  const worker = async () => {
    for (let lane = lanes[next++]; lane; lane = lanes[next++]) {
      for (const { line, message } of lane) {
        try {
          if ((await apply(message)) === 'applied') summary.imported++;
          else summary.unchanged++;
        } catch (error) {
          summary.failed++;
          note(`failed: ${(error as Error).name}: ${(error as Error).message}`, line);
        }
        bar.tick();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency) }, worker));
  bar.finish();
  summary.seconds = Math.round((performance.now() - started) / 10) / 100;
  summary.rowsPerSecond = Math.round(results.length / Math.max(0.001, summary.seconds));
  return summary;
}

/** The concurrency option as a number (1–64). */
export function concurrencyOf(values: Record<string, string | boolean | undefined>): number {
  const n = Number(values.concurrency ?? 8);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new UsageError('--concurrency must be a whole number from 1 to 64');
  return n;
}

/** Prints the summary: one line per figure, or JSON with --json. */
export function printSummary(summary: ImportSummary, io: CommandIo, json: boolean): void {
  if (json) {
    io.out(JSON.stringify(summary));
    return;
  }
  io.out(
    `rows ${summary.rows}: imported ${summary.imported}, unchanged ${summary.unchanged} (already imported or older), skipped ${summary.skipped}, failed ${summary.failed} in ${summary.seconds} s (${summary.rowsPerSecond} rows/s)`,
  );
  for (const [reason, count] of Object.entries(summary.reasons))
    io.out(`  ${count} × ${reason} (lines ${summary.examples[reason]?.join(', ')}${count > 5 ? ', …' : ''})`);
}
