/** `kefu import members`: member profiles from a CSV through the same code path as the shop-events consumer. */

import { memberEvents, timestampOf } from '#shared/members/import.ts';
import { type Command, UsageError } from '../cli-kit.ts';
import { applyRows, concurrencyOf, configureStore, IMPORT_OPTIONS, type ProgressSink, printSummary, readCsv, stderrSink } from './import-kit.ts';

/** Runs the import (the sink is injectable for tests); returns the summary it printed. */
export async function importMembers(
  values: Record<string, string | boolean | undefined>,
  io: Parameters<Command['run']>[1],
  sink: ProgressSink = stderrSink(),
) {
  const shop = typeof values.shop === 'string' ? values.shop : 'demo';
  const concurrency = concurrencyOf(values);
  const { path, table, modifiedAt } = readCsv(values);
  const asOf = typeof values['as-of'] === 'string' ? timestampOf(values['as-of']) : modifiedAt;
  if (!asOf) throw new UsageError('--as-of must be a date (YYYY-MM-DD) or an ISO timestamp');
  let rows;
  try {
    rows = memberEvents(table, shop, asOf);
  } catch (error) {
    throw new UsageError(`${path}: ${(error as Error).message}`);
  }
  configureStore(values);
  const { applyShopEvent } = await import('#shared/store/shop-events.ts');
  const summary = await applyRows('import members', rows, applyShopEvent, { concurrency, sink });
  printSummary(summary, io, values.json === true);
  return summary;
}

/** Subcommand definition registered in bin/kefu.ts. */
export const command: Command = {
  name: 'import members',
  summary:
    'Import member profiles (customer_id[,name,email,phone,locale,birthday,updated_at]). Rows without updated_at are stamped with the file time, so re-running an unchanged file changes nothing.',
  usage: 'kefu import members --file members.csv [--shop demo] [--table Kefu] [--endpoint http://127.0.0.1:8000]',
  options: { ...IMPORT_OPTIONS, 'as-of': { type: 'string', description: 'time of rows without updated_at (default: the file’s modification time)' } },
  async run(values, io) {
    await importMembers(values, io);
  },
};
