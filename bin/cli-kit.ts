/**
 * Small helpers shared by kefu CLI subcommands: the command contract, usage errors,
 * option parsing with per-command --help, and JSONL/CSV input handling.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

/** Thrown for bad usage; the dispatcher prints it with the command's help and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Where a command writes; injectable so tests can capture output without spawning. */
export interface CommandIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** One option of a subcommand, described for --help. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  description: string;
  default?: string;
  short?: string;
}

/** One subcommand: help text, node:util parseArgs options and the action. */
export interface Command {
  /** e.g. "kb search" */
  name: string;
  summary: string;
  usage: string;
  options: Record<string, OptionSpec>;
  run: (values: Record<string, string | boolean | undefined>, io: CommandIo) => Promise<void> | void;
}

/** Parses a command's arguments strictly, turning parse failures into UsageError. */
export function parseCommandArgs(cmd: Command, argv: string[]): { help: boolean; values: Record<string, string | boolean | undefined> } {
  try {
    const options: Record<string, { type: 'string' | 'boolean'; short?: string; default?: string }> = {
      help: { type: 'boolean', short: 'h' },
    };
    for (const [name, o] of Object.entries(cmd.options)) {
      options[name] = { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.default !== undefined ? { default: o.default } : {}) };
    }
    const { values, positionals } = parseArgs({
      args: argv,
      options,
      strict: true,
      allowPositionals: true,
    });
    if (positionals.length > 0 && !values.help) throw new UsageError(`unexpected argument: ${positionals[0]}`);
    const { help, ...rest } = values as Record<string, string | boolean | undefined>;
    return { help: help === true, values: rest };
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError((e as Error).message);
  }
}

/** Returns a required string option or throws a UsageError naming it. */
export function requireString(values: Record<string, string | boolean | undefined>, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new UsageError(`missing required option --${name}`);
  return v;
}

/** Reads a file for a command, reporting a missing file as a usage error. */
export function readInput(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** Parses JSON Lines (blank lines skipped), with the line number in errors. */
export function parseJsonl<T>(text: string, path: string): T[] {
  const out: T[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      out.push(JSON.parse(line) as T);
    } catch {
      throw new UsageError(`${path}:${i + 1}: not valid JSON`);
    }
  });
  return out;
}

/** Formats a command's --help text from its usage, summary and options. */
export function helpText(cmd: Command): string {
  const lines = [`Usage: ${cmd.usage}`, '', cmd.summary, '', 'Options:'];
  for (const [name, o] of Object.entries(cmd.options)) {
    const def = o.default !== undefined ? ` (default ${o.default})` : '';
    lines.push(`  --${name}${o.type === 'string' ? ' VALUE' : ''}`.padEnd(28) + o.description + def);
  }
  lines.push('  -h, --help'.padEnd(28) + 'show this help');
  return lines.join('\n');
}
