/** `kefu backup`: a consistent backup of a local data folder, taken from the running runtime (or from the folder when nothing runs). */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { backupDataDir } from '#infra/local/backup.ts';
import { type Command, requireString, UsageError } from '../cli-kit.ts';

/** Subcommand definition registered in bin/kefu.ts. */
export const command: Command = {
  name: 'backup',
  summary:
    'Write a consistent backup of the local runtime’s table and attachments to FILE, while `npm start` runs (writes are held for the copy) or from a stopped data folder. Erasures it knows are added to tombstones.jsonl beside FILE.',
  usage: 'kefu backup --to FILE [--data-dir .kefu/data]',
  options: {
    to: { type: 'string', description: 'the backup file to write (must not exist yet)' },
    'data-dir': { type: 'string', description: 'the data folder of the runtime', default: '.kefu/data' },
  },
  async run(values, io) {
    const to = resolve(requireString(values, 'to'));
    if (existsSync(to)) throw new UsageError(`${to} already exists: choose a new file name`);
    const dataDir = String(values['data-dir'] ?? '.kefu/data');
    let result: Awaited<ReturnType<typeof backupDataDir>>;
    try {
      result = await backupDataDir(dataDir, to);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    io.err(
      `backup: ${result.items} items, ${result.objects} attachment files, ${result.tombstones} erased contacts → ${to} (${result.live ? 'from the running runtime' : 'from the stopped data folder'})`,
    );
  },
};
