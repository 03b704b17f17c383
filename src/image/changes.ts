// `docker import --change` / `docker commit --change`: Dockerfile instructions applied to an image config.
import { invalidArgument } from '../errors.js';
import type { OciImageConfig } from '../engine/types.js';

const allowed = ['CMD', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'LABEL', 'USER', 'VOLUME', 'WORKDIR', 'STOPSIGNAL'];

/** The JSON-array form (["a","b"]) or undefined when args are not a JSON array of strings. */
function jsonForm(args: string): string[] | undefined {
  if (!args.startsWith('[')) return undefined;
  try {
    const v: unknown = JSON.parse(args);
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  } catch {
    // not JSON: the shell form
  }
  return undefined;
}

/** Splits words the way the Dockerfile parser does for ENV/LABEL/EXPOSE: quotes group, backslash escapes. */
export function splitWords(s: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: string | undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < s.length) cur += s[++i];
      else cur += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < s.length) {
      cur += s[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (quote) throw invalidArgument(`unmatched quote in ${JSON.stringify(s)}`);
  if (inWord) words.push(cur);
  return words;
}

/** KEY=VALUE pairs, or the legacy "KEY VALUE" form with a single pair. */
function keyValues(instr: string, args: string): Array<[string, string]> {
  const words = splitWords(args);
  if (words.length === 0) throw invalidArgument(`${instr} requires at least one argument`);
  if (!words[0].includes('=')) {
    const trimmed = args.trim();
    const sp = trimmed.search(/\s/);
    if (sp < 0) throw invalidArgument(`${instr} ${words[0]} needs a value`);
    return [[trimmed.slice(0, sp), trimmed.slice(sp).trim()]];
  }
  return words.map((w) => {
    const eq = w.indexOf('=');
    if (eq <= 0) throw invalidArgument(`${instr} names can not be blank: ${JSON.stringify(w)}`);
    return [w.slice(0, eq), w.slice(eq + 1)];
  });
}

function command(args: string): string[] {
  return jsonForm(args) ?? ['/bin/sh', '-c', args];
}

/** Applies changes to a copy of config. Unknown instructions are an invalid_argument error, as with Docker. */
export function applyChanges(config: OciImageConfig, changes: string[]): OciImageConfig {
  const out: OciImageConfig = structuredClone(config);
  for (const change of changes) {
    const line = change.trim();
    if (!line) continue;
    const m = /^(\S+)\s*([\s\S]*)$/.exec(line)!;
    const instr = m[1].toUpperCase();
    const args = m[2].trim();
    if (!allowed.includes(instr)) throw invalidArgument(`${m[1]} is not a valid change command`);
    switch (instr) {
      case 'CMD':
        out.Cmd = command(args);
        break;
      case 'ENTRYPOINT':
        out.Entrypoint = command(args);
        break;
      case 'ENV':
        for (const [k, v] of keyValues(instr, args)) {
          out.Env = [...(out.Env ?? []).filter((e) => e.split('=')[0] !== k), `${k}=${v}`];
        }
        break;
      case 'LABEL':
        for (const [k, v] of keyValues(instr, args)) out.Labels = { ...out.Labels, [k]: v };
        break;
      case 'EXPOSE':
        for (const p of splitWords(args)) {
          if (!/^\d+(-\d+)?(\/(tcp|udp|sctp))?$/i.test(p)) throw invalidArgument(`invalid containerPort: ${p}`);
          out.ExposedPorts = { ...out.ExposedPorts, [p.includes('/') ? p.toLowerCase() : `${p}/tcp`]: {} };
        }
        break;
      case 'VOLUME':
        for (const v of jsonForm(args) ?? splitWords(args)) {
          if (!v) throw invalidArgument('VOLUME specified can not be an empty string');
          out.Volumes = { ...out.Volumes, [v]: {} };
        }
        break;
      case 'USER':
        out.User = args;
        break;
      case 'WORKDIR':
        out.WorkingDir = args.startsWith('/') ? args : `${out.WorkingDir || '/'}/${args}`.replace(/\/+/g, '/');
        break;
      case 'STOPSIGNAL':
        out.StopSignal = args;
        break;
    }
  }
  return out;
}
