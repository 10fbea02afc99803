/** `kefu import orders`: orders from a CSV through the same code path as the shop-events consumer. */

import { orderEvents } from '#shared/members/import.ts';
import { type Command, UsageError } from '../cli-kit.ts';
import { applyRows, concurrencyOf, configureStore, IMPORT_OPTIONS, type ProgressSink, printSummary, readCsv, stderrSink } from './import-kit.ts';

/** Runs the import (the sink is injectable for tests); returns the summary it printed. */
export async function importOrders(values: Record<string, string | boolean | undefined>, io: Parameters<Command['run']>[1], sink: ProgressSink = stderrSink()) {
  const shop = typeof values.shop === 'string' ? values.shop : 'demo';
  const concurrency = concurrencyOf(values);
  const { path, table } = readCsv(values);
  let rows;
  try {
    rows = orderEvents(table, shop);
  } catch (error) {
    throw new UsageError(`${path}: ${(error as Error).message}`);
  }
  configureStore(values);
  const { applyShopEvent } = await import('#shared/store/shop-events.ts');
  const summary = await applyRows('import orders', rows, applyShopEvent, { concurrency, sink });
  printSummary(summary, io, values.json === true);
  return summary;
}

/** Subcommand definition registered in bin/kefu.ts. */
export const command: Command = {
  name: 'import orders',
  summary:
    'Import orders (customer_id,date,quantity,amount[,order_id,status,currency]; status defaults to paid). Ids are derived from the rows, so re-running changes nothing.',
  usage: 'kefu import orders --file orders.csv [--shop demo] [--table Kefu] [--endpoint http://127.0.0.1:8000]',
  options: IMPORT_OPTIONS,
  async run(values, io) {
    await importOrders(values, io);
  },
};
