// What a `berth` command is: its names, flags, arguments and a run function. Commands register in commands.ts.
import type { Client } from '../client/index.js';
import type { FlagSet, FlagValues } from './flags.js';

export interface Io {
  stdin: NodeJS.ReadStream & { fd: number };
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

export interface CliContext extends Io {
  client: Client;
  env: Record<string, string | undefined>;
}

export interface Invocation<F extends FlagSet> {
  flags: FlagValues<F>;
  args: string[];
  /** Flags given on the command line. */
  changed: Set<keyof F>;
}

export interface Command<F extends FlagSet = FlagSet> {
  /** Every way to call it: the first is the canonical one, e.g. [['ps'], ['container', 'ls'], ['container', 'list']]. */
  names: string[][];
  /** After the command name in "Usage:", e.g. "[OPTIONS] CONTAINER [CONTAINER...]". */
  usage: string;
  description: string;
  flags: F;
  minArgs?: number;
  maxArgs?: number;
  /** false: flags end at the first argument (run IMAGE [COMMAND] [ARG...]). */
  interspersed?: boolean;
  /** Resolves with the exit status (0 when nothing is returned). */
  run(ctx: CliContext, inv: Invocation<F>): Promise<number | void>;
}

/** Identity that lets TypeScript infer the flag values' types from the flag set. */
export const defineCommand = <F extends FlagSet>(c: Command<F>): Command<F> => c;
