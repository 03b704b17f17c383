// Engine containers as Docker's ContainerInspectResponse and ContainerSummary JSON.
import type { Container, HostOptions } from '../engine/types.js';
import { stateText } from './state-text.js';
import { mountPointsJson } from './mounts-json.js';
import { containerSummaryNetworkJson, hostConfigNetworkJson, networkSettingsJson } from './network-json.js';

const nullIfEmpty = <T>(list: T[]): T[] | null => (list.length > 0 ? list : null);

/** Docker's HostConfig with berth's options and Docker's defaults for what berth does not configure. */
function hostConfigJson(h: HostOptions): Record<string, unknown> {
  return {
    Binds: h.binds ?? null, ...(h.mounts ? { Mounts: h.mounts } : {}), ...(h.tmpfs ? { Tmpfs: h.tmpfs } : {}), ContainerIDFile: '', LogConfig: { Type: 'json-file', Config: {} },
    RestartPolicy: { Name: h.restartPolicy.name, MaximumRetryCount: h.restartPolicy.maximumRetryCount },
    AutoRemove: h.autoRemove, VolumeDriver: h.volumeDriver ?? '', VolumesFrom: h.volumesFrom ?? null,
    ConsoleSize: h.consoleSize ? [h.consoleSize.height, h.consoleSize.width] : [0, 0],
    CapAdd: nullIfEmpty(h.capAdd), CapDrop: nullIfEmpty(h.capDrop),
    CgroupnsMode: '', GroupAdd: null,
    IpcMode: 'private', Cgroup: '', Links: null, OomScoreAdj: 0, PidMode: '',
    Privileged: h.privileged, ReadonlyRootfs: h.readonlyRootfs,
    SecurityOpt: null, UTSMode: '', UsernsMode: '', ShmSize: h.shmSize ?? 64 * 1024 * 1024,
    Runtime: 'runc', Isolation: '',
    CpuShares: 0, Memory: 0, NanoCpus: 0, CgroupParent: '', BlkioWeight: 0,
    BlkioWeightDevice: [], BlkioDeviceReadBps: [], BlkioDeviceWriteBps: [], BlkioDeviceReadIOps: [], BlkioDeviceWriteIOps: [],
    CpuPeriod: 0, CpuQuota: 0, CpuRealtimePeriod: 0, CpuRealtimeRuntime: 0, CpusetCpus: '', CpusetMems: '',
    Devices: [], DeviceCgroupRules: null, DeviceRequests: null, MemoryReservation: 0, MemorySwap: 0,
    MemorySwappiness: null, OomKillDisable: null, PidsLimit: null, Ulimits: [], CpuCount: 0, CpuPercent: 0,
    IOMaximumIOps: 0, IOMaximumBandwidth: 0,
  };
}

function configJson(c: Container): Record<string, unknown> {
  const s = c.spec;
  return {
    Hostname: s.hostname ?? c.id.slice(0, 12),
    Domainname: s.domainname ?? '',
    User: c.user,
    AttachStdin: s.attachStdin, AttachStdout: s.attachStdout, AttachStderr: s.attachStderr,
    ...(s.exposedPorts.length > 0 ? { ExposedPorts: Object.fromEntries(s.exposedPorts.map((p) => [p, {}])) } : {}),
    Tty: s.tty, OpenStdin: s.openStdin, StdinOnce: s.stdinOnce,
    Env: c.env,
    Cmd: s.cmd ?? null,
    Image: c.imageRef,
    Volumes: s.volumes?.length ? Object.fromEntries(s.volumes.map((v) => [v, {}])) : null,
    WorkingDir: c.workingDir,
    Entrypoint: s.entrypoint ?? null,
    OnBuild: null,
    Labels: s.labels,
    ...(s.stopSignal ? { StopSignal: s.stopSignal } : {}),
    ...(s.stopTimeout !== undefined ? { StopTimeout: s.stopTimeout } : {}),
  };
}

/** volumeSources: host directories of the container's named volumes (see mounts-json.ts). */
export function containerInspectJson(c: Container, volumeSources: Record<string, string> = {}): Record<string, unknown> {
  const st = c.state;
  return {
    Id: c.id,
    Created: c.created,
    Path: c.path,
    Args: c.args,
    State: {
      Status: st.status, Running: st.running, Paused: st.paused, Restarting: st.restarting,
      OOMKilled: st.oomKilled, Dead: st.dead, Pid: st.pid, ExitCode: st.exitCode, Error: st.error,
      StartedAt: st.startedAt, FinishedAt: st.finishedAt,
    },
    Image: c.imageId,
    ResolvConfPath: c.resolvConfPath,
    HostnamePath: c.hostnamePath,
    HostsPath: c.hostsPath,
    LogPath: c.logPath,
    Name: `/${c.name}`,
    RestartCount: c.restartCount,
    Driver: 'overlay2',
    Platform: 'linux',
    MountLabel: '',
    ProcessLabel: '',
    AppArmorProfile: '',
    ExecIDs: nullIfEmpty(c.execIds),
    HostConfig: { ...hostConfigJson(c.spec.host), ...hostConfigNetworkJson(c) },
    GraphDriver: { Name: 'overlay2', Data: c.rootfs ? { MergedDir: c.rootfs } : null },
    Mounts: mountPointsJson(c, volumeSources),
    Config: configJson(c),
    NetworkSettings: networkSettingsJson(c),
  };
}

/** `docker ps`'s COMMAND: path and arguments, arguments holding spaces in single quotes. */
export function commandText(path: string, args: string[]): string {
  return [path, ...args.map((a) => (a.includes(' ') ? `'${a}'` : a))].join(' ');
}

export function containerSummaryJson(c: Container, now: number = Date.now(), volumeSources: Record<string, string> = {}): Record<string, unknown> {
  return {
    Id: c.id,
    Names: [`/${c.name}`],
    Image: c.imageRef,
    ImageID: c.imageId,
    Command: commandText(c.path, c.args),
    Created: Math.floor(Date.parse(c.created) / 1000),
    Labels: c.spec.labels,
    State: c.state.status,
    Status: stateText(c.state, now),
    ...containerSummaryNetworkJson(c),
    Mounts: mountPointsJson(c, volumeSources),
  };
}
