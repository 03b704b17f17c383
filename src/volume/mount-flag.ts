// The CLI side of --mount (docker/cli opts.MountOpt): a CSV of key=value fields → a HostConfig.Mounts entry.
import path from 'node:path';
import { invalidArgument } from '../errors.js';
import { parseRamSize } from './mount-options.js';
import type { MountConfig } from './types.js';

/** One CSV record (encoding/csv): fields split on commas, double quotes protect commas and "" is a quote. */
function csvFields(value: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (quoted) {
      if (c === '"' && value[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"' && field === '') {
      quoted = true;
    } else if (c === ',') {
      fields.push(field);
      field = '';
    } else {
      field += c;
    }
  }
  if (quoted) throw invalidArgument(`extraneous or missing " in quoted-field: ${value}`);
  fields.push(field);
  return fields;
}

function parseBool(key: string, val: string): boolean {
  const v = val.toLowerCase();
  if (['1', 't', 'true'].includes(v)) return true;
  if (['0', 'f', 'false'].includes(v)) return false;
  throw invalidArgument(`invalid value for ${key}: ${val}`);
}

function setKeyValue(target: Record<string, string>, value: string): void {
  const eq = value.indexOf('=');
  const k = eq === -1 ? value : value.slice(0, eq);
  if (k !== '') target[k] = eq === -1 ? '' : value.slice(eq + 1);
}

/** Parses `--mount type=bind,source=/a,target=/b,readonly,...`; relative "./x" sources become absolute. */
export function parseMountFlag(value: string, cwd = process.cwd()): MountConfig {
  const m: MountConfig = { Type: 'volume' };
  const volume = () => (m.VolumeOptions ??= {});
  const bind = () => (m.BindOptions ??= {});
  const tmpfs = () => (m.TmpfsOptions ??= {});
  const driver = () => (volume().DriverConfig ??= {});

  for (const field of csvFields(value)) {
    const eq = field.indexOf('=');
    const key = (eq === -1 ? field : field.slice(0, eq)).toLowerCase();
    const val = eq === -1 ? '' : field.slice(eq + 1);
    if (eq === -1) {
      if (key === 'readonly' || key === 'ro') m.ReadOnly = true;
      else if (key === 'volume-nocopy') volume().NoCopy = true;
      else if (key === 'bind-nonrecursive') bind().NonRecursive = true;
      else throw invalidArgument(`invalid field '${field}' must be a key=value pair`);
      continue;
    }
    switch (key) {
      case 'type': m.Type = val.toLowerCase(); break;
      case 'source': case 'src':
        m.Source = val === '.' || val.startsWith('./') ? path.resolve(cwd, val) : val;
        break;
      case 'target': case 'dst': case 'destination': m.Target = val; break;
      case 'readonly': case 'ro': m.ReadOnly = parseBool(key, val); break;
      case 'consistency': m.Consistency = val.toLowerCase(); break;
      case 'bind-propagation': bind().Propagation = val.toLowerCase(); break;
      case 'bind-nonrecursive': bind().NonRecursive = parseBool(key, val); break;
      case 'bind-create-src': bind().CreateMountpoint = parseBool(key, val); break;
      case 'bind-recursive':
        switch (val) {
          case 'enabled': break;
          case 'disabled': bind().NonRecursive = true; break;
          case 'writable': bind().ReadOnlyNonRecursive = true; break;
          case 'readonly': bind().ReadOnlyForceRecursive = true; break;
          default: throw invalidArgument(`invalid value for ${key}: ${val} (must be "enabled", "disabled", "writable", or "readonly")`);
        }
        break;
      case 'volume-subpath': volume().Subpath = val; break;
      case 'volume-nocopy': volume().NoCopy = parseBool(key, val); break;
      case 'volume-label': setKeyValue((volume().Labels ??= {}), val); break;
      case 'volume-driver': driver().Name = val; break;
      case 'volume-opt': setKeyValue((driver().Options ??= {}), val); break;
      case 'tmpfs-size':
        try {
          tmpfs().SizeBytes = parseRamSize(val);
        } catch {
          throw invalidArgument(`invalid value for ${key}: ${val}`);
        }
        break;
      case 'tmpfs-mode':
        if (!/^[0-7]+$/.test(val) || parseInt(val, 8) > 0xffffffff) throw invalidArgument(`invalid value for ${key}: ${val}`);
        tmpfs().Mode = parseInt(val, 8);
        break;
      default:
        throw invalidArgument(`unexpected key '${key}' in '${field}'`);
    }
  }

  if (!m.Type) throw invalidArgument('type is required');
  if (!m.Target) throw invalidArgument('target is required');
  for (const [opts, type] of [
    [m.VolumeOptions, 'volume'],
    [m.BindOptions, 'bind'],
    [m.TmpfsOptions, 'tmpfs'],
  ] as const) {
    if (opts !== undefined && m.Type !== type) throw invalidArgument(`cannot mix '${type}-*' options with mount type '${m.Type}'`);
  }
  return m;
}
