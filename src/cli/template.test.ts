import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTemplate, printValue } from './template.js';

const run = (src: string, data: unknown) => parseTemplate(src)(data);

test('fields, nested fields, methods with arguments and missing values', () => {
  const data = { ID: 'abc', State: { Status: 'running', Pid: 42 }, Label: (k: string) => ({ a: '1' })[k] ?? '' };
  assert.equal(run('{{.ID}} {{.State.Status}} {{.State.Pid}}', data), 'abc running 42');
  assert.equal(run('{{.Label "a"}}|{{.Label "b"}}', data), '1|');
  assert.equal(run('{{.Nope}} {{.State.Nope.Deeper}}', data), '<no value> <no value>');
});

test('json, join, index, upper, pipelines and Go-style printing', () => {
  const data = { Names: ['a', 'b'], Labels: { 'com.x': 'y' }, Cmd: null, Config: { Env: ['A=1'] } };
  assert.equal(run('{{json .}}', { a: 1, b: 'x<>' }), '{"a":1,"b":"x<>"}');
  assert.equal(run('{{json .Cmd}} {{json .Missing}}', data), 'null null');
  assert.equal(run('{{join .Names ","}}', data), 'a,b');
  assert.equal(run('{{index .Labels "com.x"}}', data), 'y');
  assert.equal(run('{{.Names | json}} {{index .Names 1 | upper}}', data), '["a","b"] B');
  assert.equal(run('{{.Config.Env}} {{.Labels}} {{.Cmd}}', data), '[A=1] map[com.x:y] <nil>');
  assert.equal(run('{{printf "%s=%d" "n" 3}} {{len .Names}}', data), 'n=3 2');
  assert.equal(run('{{(index .Names 0)}}', data), 'a');
  assert.equal(printValue({ b: [1, 2], a: true }), 'map[a:true b:[1 2]]');
});

test('if/else, range, with, comparison and trim markers', () => {
  const data = { Running: false, Code: 3, Mounts: [{ Source: '/a' }, { Source: '/b' }], State: { Status: 'exited' }, Empty: [] };
  assert.equal(run('{{if .Running}}up{{else}}down {{.Code}}{{end}}', data), 'down 3');
  assert.equal(run('{{range .Mounts}}{{.Source}};{{end}}', data), '/a;/b;');
  assert.equal(run('{{range .Empty}}x{{else}}none{{end}}', data), 'none');
  assert.equal(run('{{with .State}}{{.Status}}{{end}}', data), 'exited');
  assert.equal(run('{{if eq .State.Status "exited" "dead"}}stopped{{end}}', data), 'stopped');
  assert.equal(run('{{if and .Code (not .Running)}}y{{end}}', data), 'y');
  assert.equal(run('a  {{- .Code -}}  b', data), 'a3b');
  assert.equal(run('{{range .Mounts}}{{$.Code}}{{end}}', data), '33');
});

test('syntax errors are reported', () => {
  assert.throws(() => parseTemplate('{{.A'), /unclosed action/);
  assert.throws(() => parseTemplate('{{nosuch .A}}'), /function "nosuch" not defined/);
  assert.throws(() => parseTemplate('{{if .A}}x'), /missing \{\{end\}\}/);
  assert.throws(() => parseTemplate('{{end}}'), /unexpected \{\{end\}\}/);
  assert.throws(() => parseTemplate('{{}}'), /missing value/);
});
