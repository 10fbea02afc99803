/**
 * `kefu import orders`: orders from a CSV. Customers the store has never seen take the batch path
 * (folded in memory with the consumer's pure functions, BatchWriteItem, per-customer watermark;
 * shared/members/import-batch.ts); customers with live data go through the consumer's own code.
 */

import { byCustomer, orderEvents } from '#shared/members/import.ts';
import { type Command, UsageError } from '../cli-kit.ts';
import { concurrencyOf, configureStore, IMPORT_OPTIONS, type ProgressSink, printSummary, progress, readCsv, startSummary, stderrSink } from './import-kit.ts';

/** Runs the import (the sink is injectable for tests); returns the summary it printed. */
export async function importOrders(values: Record<string, string | boolean | undefined>, io: Parameters<Command['run']>[1], sink: ProgressSink = stderrSink()) {
  const shop = typeof values.shop === 'string' ? values.shop : 'demo';
  const concurrency = concurrencyOf(values);
  const { path, table } = readCsv(values);
  let rows: ReturnType<typeof orderEvents>;
  try {
    rows = orderEvents(table, shop);
  } catch (error) {
    throw new UsageError(`${path}: ${(error as Error).message}`);
  }
  configureStore(values);
  const [{ applyShopEvent }, { importOrderLanes }] = await Promise.all([import('#shared/store/shop-events.ts'), import('#shared/members/import-batch.ts')]);
  const started = performance.now();
  const { summary, note } = startSummary(rows.length);
  const bar = progress('import orders', rows.length, sink, started);
  const valid = [];
  for (const r of rows) {
    if (r.ok) valid.push({ line: r.line, message: r.message });
    else {
      summary.skipped++;
      note(r.reason, r.line);
      bar.tick();
    }
  }
  const outcomes = await importOrderLanes(shop, byCustomer(valid), (message) => applyShopEvent(message), { parallel: concurrency, tick: bar.tick });
  for (const [line, outcome] of outcomes) {
    if (outcome === 'applied') summary.imported++;
    else if (outcome === 'stale') summary.unchanged++;
    else {
      summary.failed++;
      note(`failed: ${outcome.error.name}: ${outcome.error.message}`, line);
    }
  }
  bar.finish();
  summary.seconds = Math.round((performance.now() - started) / 10) / 100;
  summary.rowsPerSecond = Math.round(rows.length / Math.max(0.001, summary.seconds));
  printSummary(summary, io, values.json === true);
  return summary;
}

/** Subcommand definition registered in bin/kefu.ts. */
export const command: Command = {
  name: 'import orders',
  summary:
    'Import orders (customer_id,date,quantity,amount[,order_id,status,currency]; status defaults to paid). New customers in batches, known ones through the live path; ids are derived from the rows, so re-running changes nothing.',
  usage: 'kefu import orders --file orders.csv [--shop demo] [--table Kefu] [--endpoint http://127.0.0.1:8000]',
  options: IMPORT_OPTIONS,
  async run(values, io) {
    await importOrders(values, io);
  },
};
