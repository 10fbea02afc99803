/**
 * kefu admin CLI dispatcher. To add a subcommand, create bin/commands/NAME.ts exporting
 * `command: Command` (see bin/cli-kit.ts) and add one line to COMMANDS below.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Command, type CommandIo, helpText, parseCommandArgs, UsageError } from './cli-kit.ts';

/** Command table: words of the command path → lazy module loader. */
const COMMANDS: ReadonlyArray<{ path: string[]; summary: string; load: () => Promise<{ command: Command }> }> = [
  { path: ['kb', 'search'], summary: 'search a knowledge base for each query', load: () => import('./commands/kb-search.ts') },
  { path: ['kb', 'import'], summary: 'import JSONL articles into the knowledge base', load: () => import('./commands/kb-import.ts') },
  { path: ['kb', 'export'], summary: 'export the knowledge base as JSONL', load: () => import('./commands/kb-export.ts') },
  { path: ['classify'], summary: 'intent, category, hand-off, sentiment per message', load: () => import('./commands/classify.ts') },
  { path: ['churn', 'score'], summary: 'churn risk and reasons per customer', load: () => import('./commands/churn-score.ts') },
  { path: ['import', 'orders'], summary: 'import orders from CSV (idempotent)', load: () => import('./commands/import-orders.ts') },
  { path: ['import', 'members'], summary: 'import member profiles from CSV (idempotent)', load: () => import('./commands/import-members.ts') },
  { path: ['backup'], summary: 'consistent backup of the local runtime (while it runs)', load: () => import('./commands/backup.ts') },
  { path: ['restore'], summary: 'restore a backup into a fresh data folder', load: () => import('./commands/restore.ts') },
  { path: ['erasures', 'replay'], summary: 'erase again on a restored table what the old one erased', load: () => import('./commands/erasures-replay.ts') },
];

/** Top-level help listing every registered command. */
function mainHelp(): string {
  const lines = ['Usage: kefu <command> [options]', '', 'Commands:'];
  for (const c of COMMANDS) lines.push(`  ${c.path.join(' ').padEnd(16)}${c.summary}`);
  lines.push('', "Run 'kefu <command> --help' for a command's options.");
  return lines.join('\n');
}

/** Runs the CLI with the given argv (without node and script) and returns the exit code. */
export async function main(argv: string[], io: CommandIo): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    (argv.length === 0 ? io.err : io.out)(mainHelp());
    return argv.length === 0 ? 2 : 0;
  }
  const entry = COMMANDS.filter((c) => c.path.every((w, i) => argv[i] === w)).sort((a, b) => b.path.length - a.path.length)[0];
  if (!entry) {
    io.err(
      `kefu: unknown command '${argv
        .filter((a) => !a.startsWith('-'))
        .slice(0, 2)
        .join(' ')}'\n\n${mainHelp()}`,
    );
    return 2;
  }
  const { command } = await entry.load();
  try {
    const { help, values } = parseCommandArgs(command, argv.slice(entry.path.length));
    if (help) {
      io.out(helpText(command));
      return 0;
    }
    await command.run(values, io);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`kefu ${command.name}: ${e.message}\n\n${helpText(command)}`);
      return 2;
    }
    io.err(`kefu ${command.name}: ${(e as Error).stack ?? String(e)}`);
    return 1;
  }
}

/** Buffers stdout lines and flushes them in large writes (fast for thousands of JSON lines). */
function stdoutIo(): CommandIo & { flush: () => Promise<void> } {
  let buf: string[] = [];
  const flushBuffered = () => {
    if (buf.length > 0) {
      const chunk = buf.join('\n') + '\n';
      buf = [];
      return new Promise<void>((resolve) => process.stdout.write(chunk, () => resolve()));
    }
    return Promise.resolve();
  };
  return {
    out: (line) => {
      buf.push(line);
      if (buf.length >= 1000) void flushBuffered();
    },
    err: (line) => process.stderr.write(line + '\n'),
    flush: flushBuffered,
  };
}

/** True when this process was started as the kefu CLI (bin/kefu.js, bin/kefu.ts or an npm bin link). */
function startedAsCli(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  let real: string;
  try {
    real = realpathSync(script);
  } catch {
    return false;
  }
  return [new URL('./kefu.js', import.meta.url), new URL('./kefu.ts', import.meta.url)].some((u) => fileURLToPath(u) === real);
}

if (startedAsCli()) {
  const io = stdoutIo();
  const code = await main(process.argv.slice(2), io);
  await io.flush();
  process.exitCode = code;
}
