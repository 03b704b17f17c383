// /version and /info in Docker's shapes (types/system.Info, types.Version).
import type { SystemInfo } from '../engine/types.js';
import type { DaemonInfo } from './types.js';

export function versionJson(d: DaemonInfo): Record<string, unknown> {
  const details = {
    ApiVersion: d.apiVersion, Arch: d.arch, BuildTime: d.buildTime ?? '', Experimental: 'false',
    GitCommit: d.gitCommit ?? '', GoVersion: `node ${process.version}`, KernelVersion: d.kernelVersion,
    MinAPIVersion: d.minApiVersion, Os: d.os,
  };
  return {
    Platform: { Name: 'Berth' },
    Components: [{ Name: 'Engine', Version: d.version, Details: details }],
    Version: d.version,
    ApiVersion: d.apiVersion,
    MinAPIVersion: d.minApiVersion,
    GitCommit: details.GitCommit,
    GoVersion: details.GoVersion,
    Os: d.os,
    Arch: d.arch,
    KernelVersion: d.kernelVersion,
    BuildTime: details.BuildTime,
  };
}

export interface InfoExtras {
  eventListeners: number;
  openFds: number;
  now: Date;
}

export function infoJson(i: SystemInfo, d: DaemonInfo, x: InfoExtras): Record<string, unknown> {
  const commit = { ID: '' };
  return {
    ID: i.id,
    Containers: i.containers,
    ContainersRunning: i.running,
    ContainersPaused: i.paused,
    ContainersStopped: i.stopped,
    Images: i.images,
    Driver: 'overlay2',
    DriverStatus: [['Backing Filesystem', 'overlayfs']],
    DockerRootDir: i.dataRoot,
    Plugins: { Volume: ['local'], Network: ['bridge', 'host', 'null'], Authorization: null, Log: ['json-file'] },
    // Fixed capability flags: berth limits containers with cgroups (v1 hybrid or v2).
    MemoryLimit: true,
    SwapLimit: false,
    KernelMemoryTCP: false,
    CpuCfsPeriod: true,
    CpuCfsQuota: true,
    CPUShares: true,
    CPUSet: true,
    PidsLimit: true,
    OomKillDisable: i.cgroupVersion === '1',
    IPv4Forwarding: true,
    Debug: false,
    NFd: x.openFds,
    NGoroutines: 0,
    SystemTime: x.now.toISOString(),
    LoggingDriver: 'json-file',
    CgroupDriver: 'cgroupfs',
    CgroupVersion: i.cgroupVersion,
    NEventsListener: x.eventListeners,
    KernelVersion: i.kernelVersion,
    OperatingSystem: i.operatingSystem,
    OSVersion: '',
    OSType: 'linux',
    Architecture: i.architecture,
    NCPU: i.ncpu,
    MemTotal: i.memTotal,
    IndexServerAddress: 'https://index.docker.io/v1/',
    RegistryConfig: {
      InsecureRegistryCIDRs: ['::1/128', '127.0.0.0/8'],
      IndexConfigs: { 'docker.io': { Name: 'docker.io', Mirrors: [], Secure: true, Official: true } },
      Mirrors: null,
    },
    GenericResources: null,
    HttpProxy: '',
    HttpsProxy: '',
    NoProxy: '',
    Name: i.name,
    Labels: [],
    ExperimentalBuild: false,
    ServerVersion: d.version,
    Runtimes: { [i.runtime]: { path: i.runtime } },
    DefaultRuntime: i.runtime,
    Swarm: { NodeID: '', NodeAddr: '', LocalNodeState: 'inactive', ControlAvailable: false, Error: '', RemoteManagers: null },
    LiveRestoreEnabled: true,
    Isolation: '',
    InitBinary: '',
    ContainerdCommit: commit,
    RuncCommit: commit,
    InitCommit: commit,
    SecurityOptions: [],
    CDISpecDirs: [],
    Warnings: null,
  };
}
