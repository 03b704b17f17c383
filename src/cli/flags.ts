// Docker-style (pflag) command-line flags: -a, -abc, -e VAL, -eVAL, -e=VAL, --name VAL, --name=VAL, --bool=false, --.
import { UsageError } from './errors.js';

export type FlagKind = 'bool' | 'string' | 'list' | 'int';

export interface FlagDef<T> {
  kind: FlagKind;
  long: string;
  short?: string;
  description: string;
  default: T;
  /** Shown in help in place of the kind (e.g. "list"). */
  valueName?: string;
}

export type FlagSet = Record<string, FlagDef<unknown>>;
export type FlagValues<F extends FlagSet> = { [K in keyof F]: F[K] extends FlagDef<infer T> ? T : never };

interface Extra {
  short?: string;
  valueName?: string;
}

export const bool = (long: string, description: string, o: Extra & { default?: boolean } = {}): FlagDef<boolean> => ({
  kind: 'bool', long, description, short: o.short, default: o.default ?? false,
});

export function str(long: string, description: string, o: Extra & { default: string }): FlagDef<string>;
export function str(long: string, description: string, o?: Extra): FlagDef<string | undefined>;
export function str(long: string, description: string, o: Extra & { default?: string } = {}): FlagDef<string | undefined> {
  return { kind: 'string', long, description, short: o.short, default: o.default, valueName: o.valueName };
}

export function int(long: string, description: string, o: Extra & { default: number }): FlagDef<number>;
export function int(long: string, description: string, o?: Extra): FlagDef<number | undefined>;
export function int(long: string, description: string, o: Extra & { default?: number } = {}): FlagDef<number | undefined> {
  return { kind: 'int', long, description, short: o.short, default: o.default, valueName: o.valueName };
}

export const list = (long: string, description: string, o: Extra = {}): FlagDef<string[]> => ({
  kind: 'list', long, description, short: o.short, default: [], valueName: o.valueName,
});

export interface Parsed<F extends FlagSet> {
  flags: FlagValues<F>;
  args: string[];
  /** Flags given on the command line (docker's flags.Changed). */
  changed: Set<keyof F>;
  help: boolean;
}

const boolValues: Record<string, boolean> = { true: true, '1': true, t: true, TRUE: true, True: true, false: false, '0': false, f: false, FALSE: false, False: false };

/** Parses argv against the flag set; with interspersed false, flags end at the first argument (run IMAGE CMD...). */
export function parseFlags<F extends FlagSet>(defs: F, argv: string[], { interspersed = true } = {}): Parsed<F> {
  const values: Record<string, unknown> = {};
  for (const [key, def] of Object.entries(defs)) values[key] = def.kind === 'list' ? [] : def.default;
  const byLong = new Map(Object.entries(defs).map(([key, def]) => [def.long, key]));
  const byShort = new Map(Object.entries(defs).filter(([, d]) => d.short).map(([key, def]) => [def.short as string, key]));
  const changed = new Set<keyof F>();
  const args: string[] = [];
  let help = false;

  function assign(key: string, raw: string): void {
    const def = defs[key];
    const flagName = def.short ? `-${def.short}, --${def.long}` : `--${def.long}`;
    changed.add(key);
    if (def.kind === 'bool') {
      if (!(raw in boolValues)) throw new UsageError(`invalid argument "${raw}" for "${flagName}" flag: strconv.ParseBool: parsing "${raw}": invalid syntax`);
      values[key] = boolValues[raw];
    } else if (def.kind === 'int') {
      if (!/^[+-]?\d+$/.test(raw)) throw new UsageError(`invalid argument "${raw}" for "${flagName}" flag: strconv.ParseInt: parsing "${raw}": invalid syntax`);
      values[key] = Number(raw);
    } else if (def.kind === 'list') (values[key] as string[]).push(raw);
    else values[key] = raw;
  }

  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      args.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq === -1 ? a.slice(2) : a.slice(2, eq);
      if (name === 'help') {
        help = true;
        continue;
      }
      const key = byLong.get(name);
      if (key === undefined) throw new UsageError(`unknown flag: --${name}`);
      if (eq !== -1) assign(key, a.slice(eq + 1));
      else if (defs[key].kind === 'bool') assign(key, 'true');
      else if (i + 1 < argv.length) assign(key, argv[++i]);
      else throw new UsageError(`flag needs an argument: --${name}`);
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j];
        const key = byShort.get(c);
        if (key === undefined && c === 'h') {
          help = true;
          continue;
        }
        if (key === undefined) throw new UsageError(`unknown shorthand flag: '${c}' in ${a}`);
        if (defs[key].kind === 'bool') {
          if (a[j + 1] === '=') {
            assign(key, a.slice(j + 2));
            break;
          }
          assign(key, 'true');
          continue;
        }
        const rest = a.slice(j + 1);
        if (rest) assign(key, rest.startsWith('=') ? rest.slice(1) : rest);
        else if (i + 1 < argv.length) assign(key, argv[++i]);
        else throw new UsageError(`flag needs an argument: '${c}' in -${c}`);
        break;
      }
      continue;
    }
    args.push(a);
    if (!interspersed) {
      args.push(...argv.slice(i + 1));
      break;
    }
  }
  return { flags: values as FlagValues<F>, args, changed, help };
}

/** The "Options:" lines of a command's help, aligned like docker's. */
export function flagUsages(defs: FlagSet): string[] {
  const rows = Object.values(defs).map((d) => {
    const type = d.kind === 'bool' ? '' : ` ${d.valueName ?? d.kind}`;
    const left = `${d.short ? `-${d.short}, ` : '    '}--${d.long}${type}`;
    const dflt = d.kind !== 'bool' && d.kind !== 'list' && d.default !== undefined && d.default !== '' ? ` (default ${JSON.stringify(d.default)})` : d.kind === 'bool' && d.default ? ' (default true)' : '';
    return { left, right: d.description + dflt };
  });
  const width = Math.max(0, ...rows.map((r) => r.left.length));
  return rows.map((r) => `  ${r.left.padEnd(width)}   ${r.right}`);
}
