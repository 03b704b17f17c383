// What the network service persists, one JSON file per record written atomically, so that networks survive
// restarts and every container's CNI ADDs can be replayed as DELs after berthd was killed.
import { mkdir, readdir, readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import { isErrno } from '../errors.js';
import { atomicWriteJson, fsyncDir, replaceFile } from '../util/atomic-write.js';
import type { CniPluginConfig, CniResult } from './cni.js';
import type { IpamPool, NetworkDriver, PublishedPort } from './types.js';

export interface NetworkRecord {
  id: string;
  name: string;
  driver: NetworkDriver;
  created: string;
  internal: boolean;
  attachable: boolean;
  labels: Record<string, string>;
  options: Record<string, string>;
  ipamOptions: Record<string, string>;
  /** bridge driver: the address space. */
  pool?: IpamPool;
  /** The subnet was given by the user (--ip is allowed only then). */
  userSubnet: boolean;
  bridge?: string;
  mtu?: number;
  ipMasq: boolean;
  /** bridge, host and none. */
  predefined: boolean;
}

export interface EndpointRecord {
  networkId: string;
  networkName: string;
  endpointId: string;
  ifName: string;
  aliases: string[];
  /** The exact plugin configurations given to ADD; DEL replays them. Empty on host and none. */
  plugins: CniPluginConfig[];
  /** The result after the last plugin that succeeded (prevResult for DEL). */
  result?: CniResult;
  /** Plugins of the chain that completed ADD. */
  done: number;
  defaultGateway: boolean;
  ipAddress: string;
  prefixLen: number;
  gateway: string;
  macAddress: string;
}

export interface ContainerRecord {
  containerId: string;
  containerName: string;
  networkMode: string;
  netnsPath: string | null;
  endpoints: EndpointRecord[];
  ports: PublishedPort[];
  hostname: string;
  domainname: string;
  dns: string[];
  dnsSearch: string[];
  dnsOptions: string[];
  extraHosts: string[];
}

export interface RecordStore<T> {
  loadAll(): Promise<T[]>;
  save(id: string, value: T): Promise<void>;
  remove(id: string): Promise<void>;
}

/** durable: flushed to disk as it is written; otherwise only atomic (for what a reboot ends anyway). */
export function createRecordStore<T>(dir: string, opts: { durable: boolean }): RecordStore<T> {
  const file = (id: string) => path.join(dir, `${id}.json`);
  return {
    async loadAll() {
      await mkdir(dir, { recursive: true });
      const names = (await readdir(dir)).filter((n) => n.endsWith('.json') && !n.startsWith('.'));
      return Promise.all(names.map(async (n) => JSON.parse(await readFile(path.join(dir, n), 'utf8')) as T));
    },
    save: (id, value) => (opts.durable ? atomicWriteJson(file(id), value) : replaceFile(file(id), JSON.stringify(value))),
    async remove(id) {
      try {
        await unlink(file(id));
      } catch (err) {
        if (isErrno(err, 'ENOENT')) return;
        throw err;
      }
      if (opts.durable) await fsyncDir(dir);
    },
  };
}
