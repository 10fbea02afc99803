/** `kefu restore`: a backup into a fresh data folder; every known erasure runs again so erased contacts stay erased. */
import { resolve } from 'node:path';
import { restoreBackup } from '#infra/local/restore.ts';
import { type Command, requireString, UsageError } from '../cli-kit.ts';

/** Subcommand definition registered in bin/kefu.ts. */
export const command: Command = {
  name: 'restore',
  summary:
    'Restore a backup file into a fresh data folder, then run again every erasure the backup, tombstones.jsonl beside it and the --tombstones sources know. Start the runtime on it afterwards: npm start -- --data-dir DIR.',
  usage: 'kefu restore --from FILE --data-dir DIR [--tombstones PATH[,PATH…]]',
  options: {
    from: { type: 'string', description: 'the backup file' },
    'data-dir': { type: 'string', description: 'a new (absent or empty) data folder' },
    tombstones: { type: 'string', description: 'more erasures: a tombstones.jsonl, a newer backup file or the old data folder (comma-separated)' },
  },
  async run(values, io) {
    const from = requireString(values, 'from');
    const dataDir = requireString(values, 'data-dir');
    const tombstones = typeof values.tombstones === 'string' ? values.tombstones.split(',').filter(Boolean) : [];
    try {
      const report = await restoreBackup({ from, dataDir, tombstones, log: io.err });
      io.out(JSON.stringify({ dataDir: resolve(report.dataDir), items: report.items, files: report.objects, erasuresReplayed: report.replayed }));
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  },
};
