// The image config `docker commit` gives the new image: the container's settings (the image's defaults with what
// the user asked for at create), then the request's own config fields, then the --change instructions.
import type { Container, OciImageConfig } from '../engine/types.js';
import { applyChanges } from '../image/changes.js';
import { mergeEnv } from './resolve-config.js';

const portKey = (p: string) => (p.includes('/') ? p : `${p}/tcp`);

/** The container's config as an image config (Docker's container.Config after create merged in the image's). */
export function containerConfig(c: Container, image: OciImageConfig): OciImageConfig {
  const { spec } = c;
  // As at create: a non-empty entrypoint given by the user drops the image's cmd.
  const userEntrypoint = spec.entrypoint !== undefined && spec.entrypoint.length > 0;
  const cmd = spec.cmd?.length ? spec.cmd : userEntrypoint ? [] : (image.Cmd ?? []);
  const ports = { ...image.ExposedPorts, ...Object.fromEntries(spec.exposedPorts.map((p) => [portKey(p), {}])) };
  const labels = { ...image.Labels, ...spec.labels };
  return {
    ...image,
    User: c.user,
    Env: c.env,
    Entrypoint: spec.entrypoint ?? image.Entrypoint ?? null,
    Cmd: cmd.length ? cmd : null,
    WorkingDir: spec.workingDir || image.WorkingDir || '',
    ...(Object.keys(ports).length ? { ExposedPorts: ports } : {}),
    ...(Object.keys(labels).length ? { Labels: labels } : {}),
    ...(spec.stopSignal || image.StopSignal ? { StopSignal: spec.stopSignal || image.StopSignal } : {}),
  };
}

/** Fields of the request's config win over the container's (Env and ports merge, as Docker's); the changes apply last. */
export function commitConfig(c: Container, image: OciImageConfig, request: OciImageConfig | undefined, changes: string[]): OciImageConfig {
  const base = containerConfig(c, image);
  const given = Object.fromEntries(Object.entries(request ?? {}).filter(([, v]) => v !== undefined && v !== null)) as OciImageConfig;
  const merged: OciImageConfig = { ...base, ...given };
  if (given.Env) merged.Env = mergeEnv(base.Env ?? [], given.Env);
  if (given.ExposedPorts) merged.ExposedPorts = { ...base.ExposedPorts, ...given.ExposedPorts };
  return applyChanges(merged, changes);
}
