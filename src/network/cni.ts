// Drives CNI plugins directly (no libcni): each plugin of a chain is exec'd with CNI_* variables and its
// configuration on stdin; ADD passes each result on as the next plugin's prevResult, DEL runs the chain
// backwards with the final ADD result. The plugins in /usr/lib/cni (1.1.x) speak CNI 1.0.0.
import { access, constants } from 'node:fs/promises';
import path from 'node:path';
import { BerthError } from '../errors.js';
import type { Logger } from '../util/logger.js';
import { run } from '../util/run.js';

export const cniVersion = '1.0.0';

export interface CniInterface {
  name: string;
  mac?: string;
  sandbox?: string;
}

export interface CniIp {
  address: string; // CIDR
  gateway?: string;
  interface?: number;
}

export interface CniResult {
  cniVersion: string;
  interfaces?: CniInterface[];
  ips?: CniIp[];
  routes?: { dst: string; gw?: string }[];
  dns?: Record<string, unknown>;
}

/** One plugin's complete configuration as given on stdin, minus prevResult. */
export type CniPluginConfig = { type: string; name: string; cniVersion: string } & Record<string, unknown>;

export interface CniTarget {
  containerId: string;
  netns: string;
  ifName: string;
}

export interface Cni {
  /** Runs the chain; onStep sees the result after each plugin (to persist it). On failure the chain is deleted. */
  add(
    plugins: CniPluginConfig[],
    target: CniTarget,
    onStep: (result: CniResult, done: number) => Promise<void>,
    signal?: AbortSignal,
  ): Promise<CniResult>;
  /** Tolerates what is already gone. */
  del(plugins: CniPluginConfig[], target: CniTarget, prevResult?: CniResult): Promise<void>;
}

export function createCni(opts: { paths: string[]; logger: Logger }): Cni {
  const found = new Map<string, string>();

  async function locate(type: string): Promise<string> {
    const known = found.get(type);
    if (known) return known;
    for (const dir of opts.paths) {
      const file = path.join(dir, type);
      try {
        await access(file, constants.X_OK);
        found.set(type, file);
        return file;
      } catch {
        // next directory
      }
    }
    throw new BerthError('unavailable', `CNI plugin "${type}" not found in ${opts.paths.join(':')}`);
  }

  async function exec(command: 'ADD' | 'DEL', conf: CniPluginConfig, target: CniTarget, prevResult?: CniResult) {
    const stdin = JSON.stringify(prevResult ? { ...conf, prevResult } : conf);
    const env = {
      ...process.env,
      CNI_COMMAND: command,
      CNI_CONTAINERID: target.containerId,
      CNI_NETNS: target.netns,
      CNI_IFNAME: target.ifName,
      CNI_PATH: opts.paths.join(':'),
    };
    const r = await run(await locate(conf.type), [], { input: stdin, env });
    if (r.code === 0) return r.stdout.trim() === '' ? undefined : (JSON.parse(r.stdout) as CniResult);
    let detail = (r.stdout || r.stderr).trim();
    try {
      const e = JSON.parse(r.stdout) as { msg?: string; details?: string };
      detail = [e.msg, e.details].filter(Boolean).join(': ');
    } catch {
      // not a CNI error object: keep the raw output
    }
    throw new BerthError('internal', `CNI plugin ${conf.type} ${command} failed for ${target.ifName}: ${detail}`);
  }

  async function del(plugins: CniPluginConfig[], target: CniTarget, prevResult?: CniResult): Promise<void> {
    const failures: string[] = [];
    for (const conf of [...plugins].reverse()) {
      try {
        await exec('DEL', conf, target, prevResult);
      } catch (err) {
        failures.push((err as Error).message);
      }
    }
    if (failures.length > 0) throw new BerthError('internal', failures.join('; '));
  }

  async function add(
    plugins: CniPluginConfig[],
    target: CniTarget,
    onStep: (result: CniResult, done: number) => Promise<void>,
    signal?: AbortSignal,
  ): Promise<CniResult> {
    let result: CniResult | undefined;
    try {
      for (const [i, conf] of plugins.entries()) {
        signal?.throwIfAborted();
        result = (await exec('ADD', conf, target, result)) ?? result;
        if (!result) throw new BerthError('internal', `CNI plugin ${conf.type} returned no result`);
        await onStep(result, i + 1);
      }
    } catch (err) {
      await del(plugins, target, result).catch((delErr: unknown) =>
        opts.logger.warn('cni: cleanup after failed ADD', { ifName: target.ifName, error: (delErr as Error).message }),
      );
      throw err;
    }
    if (!result) throw new BerthError('internal', 'empty CNI plugin chain');
    return result;
  }

  return { add, del };
}

/** The container-side interface of a result: its name, MAC and first IPv4 address. */
export function containerInterface(result: CniResult, ifName: string): { mac: string; address: string; gateway: string } {
  const idx = (result.interfaces ?? []).findIndex((i) => i.name === ifName && i.sandbox);
  const ip = (result.ips ?? []).find((i) => i.interface === idx && !i.address.includes(':'));
  if (idx < 0 || !ip) throw new BerthError('internal', `CNI result has no IPv4 address for ${ifName}`);
  return { mac: result.interfaces![idx].mac ?? '', address: ip.address, gateway: ip.gateway ?? '' };
}
