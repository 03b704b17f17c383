import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyChanges, splitWords } from './changes.js';
import { globToRegExp } from './filters.js';
import { chainIds, convertManifest, parseManifest, selectPlatform } from './manifest.js';
import { isBerthError } from '../errors.js';
import { MediaType } from './types.js';
import { sha256 } from '../content/digest.js';

test('changes: JSON and shell forms, key=value and legacy forms, merging with the existing config', () => {
  const base = { Env: ['PATH=/bin', 'A=old'], Labels: { keep: 'me' }, WorkingDir: '/app' };
  const out = applyChanges(base, [
    'CMD echo "hello world"',
    'ENTRYPOINT ["/bin/tini", "--"]',
    'ENV A=new B="x y" C=a\\ b',
    'ENV LEGACY value with spaces',
    "LABEL version=1.0 'quoted key'=v",
    'EXPOSE 80 53/udp 8000-8010/TCP',
    'VOLUME ["/data", "/logs"]',
    'VOLUME /cache',
    'USER nobody:nogroup',
    'WORKDIR sub',
    'stopsignal SIGINT',
  ]);
  assert.deepEqual(out.Cmd, ['/bin/sh', '-c', 'echo "hello world"']);
  assert.deepEqual(out.Entrypoint, ['/bin/tini', '--']);
  assert.deepEqual(out.Env, ['PATH=/bin', 'A=new', 'B=x y', 'C=a b', 'LEGACY=value with spaces']);
  assert.deepEqual(out.Labels, { keep: 'me', version: '1.0', 'quoted key': 'v' });
  assert.deepEqual(out.ExposedPorts, { '80/tcp': {}, '53/udp': {}, '8000-8010/tcp': {} });
  assert.deepEqual(out.Volumes, { '/data': {}, '/logs': {}, '/cache': {} });
  assert.equal(out.User, 'nobody:nogroup');
  assert.equal(out.WorkingDir, '/app/sub');
  assert.equal(out.StopSignal, 'SIGINT');
  assert.deepEqual(base.Env, ['PATH=/bin', 'A=old'], 'the input is not modified');
  for (const bad of ['FROM scratch', 'EXPOSE http', 'ENV =x', 'ENV ONLYKEY', 'LABEL "open=1']) {
    assert.throws(() => applyChanges({}, [bad]), (e) => isBerthError(e, 'invalid_argument'), bad);
  }
  assert.deepEqual(splitWords(`a "b c" 'd e' f\\ g`), ['a', 'b c', 'd e', 'f g']);
});

test('reference filter globs follow Go path.Match', () => {
  assert.ok(globToRegExp('busy*').test('busybox'));
  assert.ok(!globToRegExp('*').test('library/busybox'));
  assert.ok(globToRegExp('*/*:v?').test('a/b:v1'));
  assert.ok(globToRegExp('img[0-9]').test('img5'));
  assert.ok(!globToRegExp('img[!0-9]').test('img5'));
  assert.ok(globToRegExp('a.b').test('a.b') && !globToRegExp('a.b').test('axb'));
});

test('manifests: parsing, platform choice, Docker ⇄ OCI conversion, chain IDs', () => {
  const d = (s: string) => sha256(s);
  const index = {
    schemaVersion: 2 as const,
    mediaType: MediaType.dockerManifestList,
    manifests: [
      { mediaType: MediaType.dockerManifest, digest: d('arm'), size: 1, platform: { os: 'linux', architecture: 'arm', variant: 'v7' } },
      { mediaType: MediaType.dockerManifest, digest: d('arm6'), size: 1, platform: { os: 'linux', architecture: 'arm', variant: 'v6' } },
      { mediaType: MediaType.dockerManifest, digest: d('amd'), size: 1, platform: { os: 'linux', architecture: 'amd64' } },
    ],
  };
  const parsed = parseManifest({ bytes: Buffer.from(JSON.stringify(index)), mediaType: '' });
  assert.equal(parsed.kind, 'index');
  assert.equal(selectPlatform(index, { os: 'linux', architecture: 'amd64' }).digest, d('amd'));
  assert.equal(selectPlatform(index, { os: 'linux', architecture: 'arm', variant: 'v6' }).digest, d('arm6'));
  assert.throws(() => selectPlatform(index, { os: 'windows', architecture: 'amd64' }), /no matching manifest for windows\/amd64/);
  assert.throws(() => parseManifest({ bytes: Buffer.from('{"schemaVersion":1}'), mediaType: '' }), (e) => isBerthError(e, 'invalid_argument'));

  const docker = {
    schemaVersion: 2 as const,
    mediaType: MediaType.dockerManifest,
    config: { mediaType: MediaType.dockerConfig, digest: d('c'), size: 2 },
    layers: [
      { mediaType: MediaType.dockerLayerGzip, digest: d('l1'), size: 3 },
      { mediaType: MediaType.dockerLayer, digest: d('l2'), size: 4 },
    ],
  };
  const oci = convertManifest(docker, true);
  assert.equal(oci.mediaType, MediaType.ociManifest);
  assert.equal(oci.config.mediaType, MediaType.ociConfig);
  assert.deepEqual(oci.layers.map((l) => l.mediaType), [MediaType.ociLayerGzip, MediaType.ociLayer]);
  assert.deepEqual(convertManifest(oci, false), docker);

  const [a, b] = [d('a'), d('b')];
  assert.deepEqual(chainIds([a, b]), [a, sha256(`${a} ${b}`)]);
});
