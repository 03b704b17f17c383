import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig, defaults, parseSize } from './config.js';

test('defaults match docker-style locations', async () => {
  const r = await loadConfig([]);
  assert.ok('config' in r);
  assert.deepEqual(r.config.hosts, ['unix:///run/berth/berth.sock']);
  assert.equal(r.config.dataRoot, '/var/lib/berth');
  assert.equal(r.config.execRoot, '/run/berth');
});

test('flags override daemon.json, -H repeats', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'berth-cfg-'));
  try {
    const file = path.join(dir, 'daemon.json');
    await writeFile(file, JSON.stringify({ 'data-root': '/d1', 'exec-root': '/e1', 'log-level': 'debug', 'insecure-registries': ['r:5000'], 'registry-mirror-map': { 'quay.io': ['https://m.example'] }, 'log-opts': { 'max-size': '10m' } }));
    const r = await loadConfig(['--config-file', file, '--data-root', '/d2', '-H', 'unix:///a.sock', '-H', 'tcp://127.0.0.1:2375']);
    assert.ok('config' in r);
    assert.equal(r.config.dataRoot, '/d2');
    assert.equal(r.config.execRoot, '/e1');
    assert.equal(r.config.logLevel, 'debug');
    assert.deepEqual(r.config.hosts, ['unix:///a.sock', 'tcp://127.0.0.1:2375']);
    assert.deepEqual(r.config.insecureRegistries, ['r:5000']);
    assert.deepEqual(r.config.registryMirrorMap, { 'quay.io': ['https://m.example'] });
    assert.equal(r.config.logSizeMax, 10 << 20);
  } finally {
    await rm(dir, { recursive: true });
  }
});

test('a named config file that is missing or broken is an error', async () => {
  await assert.rejects(loadConfig(['--config-file', '/nonexistent/daemon.json']), /unable to configure the daemon/);
  assert.throws(() => parseSize('ten'), /invalid size/);
  assert.equal(defaults.bridge, 'berth0');
});
