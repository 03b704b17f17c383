import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Container, ContainerSpec, OciImageConfig } from '../engine/types.js';
import { commitConfig } from './commit-config.js';

const image: OciImageConfig = {
  Cmd: ['sh'],
  Env: ['PATH=/bin', 'MODE=image'],
  WorkingDir: '/srv',
  Labels: { from: 'image' },
  ExposedPorts: { '80/tcp': {} },
  StopSignal: 'SIGQUIT',
};

function container(spec: Partial<ContainerSpec>, resolved: Partial<Container> = {}): Container {
  return {
    spec: { image: 'x', env: [], tty: false, openStdin: false, stdinOnce: false, attachStdin: false, attachStdout: true, attachStderr: true, labels: {}, exposedPorts: [], ...spec },
    env: ['PATH=/bin', 'MODE=image'],
    user: '',
    ...resolved,
  } as Container;
}

test("commit config: the container's settings over the image's, then the request's fields, then the changes", () => {
  const c = container({ cmd: ['echo', 'hi'], labels: { by: 'run' }, exposedPorts: ['8080'] }, { env: ['PATH=/bin', 'MODE=run'], user: '1000' });
  assert.deepEqual(commitConfig(c, image, undefined, []), {
    Cmd: ['echo', 'hi'],
    Entrypoint: null,
    Env: ['PATH=/bin', 'MODE=run'],
    User: '1000',
    WorkingDir: '/srv',
    Labels: { from: 'image', by: 'run' },
    ExposedPorts: { '80/tcp': {}, '8080/tcp': {} },
    StopSignal: 'SIGQUIT',
  });
  // A user entrypoint drops the image's cmd, as at create.
  assert.deepEqual(commitConfig(container({ entrypoint: ['top'] }), image, undefined, []).Cmd, null);
  const changed = commitConfig(c, image, { Env: ['EXTRA=1'], User: 'nobody' }, ['CMD ["cat"]', 'ENV MODE=changed']);
  assert.deepEqual(changed.Cmd, ['cat']);
  assert.deepEqual(changed.Env, ['PATH=/bin', 'EXTRA=1', 'MODE=changed']);
  assert.equal(changed.User, 'nobody');
});
