import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBerthError } from '../errors.js';
import { normalizePort, toContainerSpec, validContainerName } from './container-spec.js';

const invalid = (fn: () => unknown, message?: RegExp) =>
  assert.throws(fn, (err) => isBerthError(err, 'invalid_argument') && (!message || message.test(err.message)));

// What `docker run -it --rm --name web -e A=1 busybox sh -c 'echo hi'` sends (abridged).
const cliBody = {
  Hostname: '', Domainname: '', User: '', AttachStdin: true, AttachStdout: true, AttachStderr: true,
  Tty: true, OpenStdin: true, StdinOnce: true, Env: ['A=1'], Cmd: ['sh', '-c', 'echo hi'], Image: 'busybox',
  Volumes: {}, WorkingDir: '', Entrypoint: null, OnBuild: null, Labels: {},
  HostConfig: {
    Binds: null, NetworkMode: 'default', RestartPolicy: { Name: 'no', MaximumRetryCount: 0 }, AutoRemove: true,
    ConsoleSize: [24, 80], CapAdd: null, CapDrop: null, Privileged: false, ReadonlyRootfs: false, ShmSize: 0,
  },
  NetworkingConfig: { EndpointsConfig: {} },
};

test('the docker CLI create body becomes a ContainerSpec', () => {
  assert.deepEqual(toContainerSpec(cliBody, 'web'), {
    name: 'web', image: 'busybox', cmd: ['sh', '-c', 'echo hi'], env: ['A=1'],
    tty: true, openStdin: true, stdinOnce: true, attachStdin: true, attachStdout: true, attachStderr: true,
    labels: {}, exposedPorts: [],
    host: {
      autoRemove: true, privileged: false, capAdd: [], capDrop: [], readonlyRootfs: false,
      restartPolicy: { name: 'no', maximumRetryCount: 0 }, consoleSize: { height: 24, width: 80 },
    },
  });
});

test('Entrypoint: null keeps the image one, [] and [""] clear it, a string is one element', () => {
  assert.equal('entrypoint' in toContainerSpec({ Image: 'x', Entrypoint: null }, undefined), false);
  assert.deepEqual(toContainerSpec({ Image: 'x', Entrypoint: [] }, undefined).entrypoint, []);
  assert.deepEqual(toContainerSpec({ Image: 'x', Entrypoint: [''] }, undefined).entrypoint, []);
  assert.deepEqual(toContainerSpec({ Image: 'x', Entrypoint: ['/bin/sh', '-c'] }, undefined).entrypoint, ['/bin/sh', '-c']);
  assert.deepEqual(toContainerSpec({ Image: 'x', Entrypoint: 'top -b' }, undefined).entrypoint, ['top -b']);
});

test('an empty Cmd means the image one', () => {
  assert.equal(toContainerSpec({ Image: 'x', Cmd: [] }, undefined).cmd, undefined);
  assert.equal(toContainerSpec({ Image: 'x', Cmd: null }, undefined).cmd, undefined);
  assert.deepEqual(toContainerSpec({ Image: 'x', Cmd: 'echo' }, undefined).cmd, ['echo']);
});

test('optional fields, labels, ports, stop settings and host options', () => {
  const spec = toContainerSpec(
    {
      Image: 'x', User: '1000:1000', WorkingDir: '/srv', Hostname: 'h', Domainname: 'example.org', Labels: { a: 'b' },
      ExposedPorts: { '80': {}, '53/UDP': {}, '8000-8001/tcp': {} }, StopSignal: 'SIGINT', StopTimeout: 0,
      HostConfig: { Privileged: true, CapAdd: ['NET_ADMIN'], CapDrop: ['ALL'], ReadonlyRootfs: true, ShmSize: 1048576,
        RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 3 }, ConsoleSize: [0, 0] },
    },
    '/named',
  );
  assert.equal(spec.name, 'named');
  assert.equal(spec.user, '1000:1000');
  assert.equal(spec.workingDir, '/srv');
  assert.equal(spec.hostname, 'h');
  assert.equal(spec.domainname, 'example.org');
  assert.deepEqual(spec.labels, { a: 'b' });
  assert.deepEqual(spec.exposedPorts, ['80/tcp', '53/udp', '8000-8001/tcp']);
  assert.equal(spec.stopSignal, 'SIGINT');
  assert.equal(spec.stopTimeout, 0);
  assert.deepEqual(spec.host, {
    autoRemove: false, privileged: true, capAdd: ['NET_ADMIN'], capDrop: ['ALL'], readonlyRootfs: true,
    restartPolicy: { name: 'on-failure', maximumRetryCount: 3 }, shmSize: 1048576,
  });
  const bare = toContainerSpec({ Image: 'x' }, undefined);
  assert.deepEqual(bare.host.restartPolicy, { name: 'no', maximumRetryCount: 0 });
  assert.equal(bare.name, undefined);
  assert.equal(bare.stopTimeout, undefined);
});

test('Docker validation errors are invalid arguments', () => {
  invalid(() => toContainerSpec({}, undefined), /config cannot be empty/);
  invalid(() => toContainerSpec(undefined, undefined), /config cannot be empty/);
  invalid(() => toContainerSpec({ Cmd: ['sh'] }, undefined), /Image/);
  invalid(() => toContainerSpec({ Image: 'x' }, 'a'), /^Invalid container name \(a\), only \[a-zA-Z0-9\]\[a-zA-Z0-9_.-\] are allowed$/);
  invalid(() => toContainerSpec({ Image: 'x' }, 'bad name'), /Invalid container name/);
  invalid(() => toContainerSpec({ Image: 'x', Env: ['=x'] }, undefined), /invalid environment variable: =x/);
  invalid(() => toContainerSpec({ Image: 'x', WorkingDir: 'rel' }, undefined), /needs to be an absolute path/);
  invalid(() => toContainerSpec({ Image: 'x', HostConfig: { RestartPolicy: { Name: 'sometimes' } } }, undefined), /unknown policy 'sometimes'/);
  invalid(() => toContainerSpec({ Image: 'x', HostConfig: { RestartPolicy: { Name: 'always', MaximumRetryCount: 2 } } }, undefined), /only be used with 'on-failure'/);
  invalid(() => toContainerSpec({ Image: 'x', HostConfig: { AutoRemove: true, RestartPolicy: { Name: 'always' } } }, undefined), /AutoRemove/);
  invalid(() => toContainerSpec({ Image: 'x', HostConfig: { ShmSize: -1 } }, undefined), /SHM size/);
  invalid(() => toContainerSpec({ Image: 'x', ExposedPorts: { http: {} } }, undefined), /invalid port/);
});

test('wrong JSON types name the field', () => {
  invalid(() => toContainerSpec({ Image: 'x', Tty: 'yes' }, undefined), /Config\.Tty must be a boolean/);
  invalid(() => toContainerSpec({ Image: 'x', Env: 'A=1' }, undefined), /Config\.Env must be an array of strings/);
  invalid(() => toContainerSpec({ Image: 'x', Labels: { a: 1 } }, undefined), /Config\.Labels must be an object of strings/);
  invalid(() => toContainerSpec({ Image: 'x', HostConfig: { CapAdd: 'X' } }, undefined), /Config\.HostConfig\.CapAdd/);
  invalid(() => toContainerSpec({ Image: 'x', StopTimeout: 1.5 }, undefined), /StopTimeout must be an integer/);
});

test('container names and ports', () => {
  assert.equal(validContainerName('/web-1.a_b'), 'web-1.a_b');
  assert.equal(validContainerName('ab'), 'ab');
  invalid(() => validContainerName('-ab'));
  invalid(() => validContainerName('a/b'));
  assert.equal(normalizePort('443'), '443/tcp');
  invalid(() => normalizePort('70000'));
});
