import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alignColumns } from './table.js';
import { formatList, formatObjects } from './format.js';

test('alignColumns pads like tabwriter(minwidth 10, padding 3) and leaves the last cell as is', () => {
  assert.deepEqual(alignColumns(['CONTAINER ID\tIMAGE\tNAMES', 'abc\tbusybox:latest\tweb']), [
    'CONTAINER ID   IMAGE            NAMES',
    'abc            busybox:latest   web',
  ]);
  // Empty columns still take the minimum width; widths count characters, not bytes.
  assert.deepEqual(alignColumns(['A\t\tB', 'é…\t\tC']), [`A${' '.repeat(19)}B`, `é…${' '.repeat(18)}C`]);
});

const spec = { table: 'table {{.ID}}\t{{.Name}}', headers: { ID: 'CONTAINER ID', Name: 'NAMES' } };
const rows = [{ ID: 'abc', Name: 'web' }, { ID: 'defabcdefabc1', Name: 'db' }];

test('formatList: default table, custom table with headers, json lines and raw templates', () => {
  assert.equal(formatList(rows, undefined, spec), 'CONTAINER ID    NAMES\nabc             web\ndefabcdefabc1   db\n');
  assert.equal(formatList([], '', spec), 'CONTAINER ID   NAMES\n');
  assert.equal(formatList(rows, 'table {{.Name}}\\t{{.ID}}', spec), 'NAMES     CONTAINER ID\nweb       abc\ndb        defabcdefabc1\n');
  assert.equal(formatList(rows, 'json', spec), '{"ID":"abc","Name":"web"}\n{"ID":"defabcdefabc1","Name":"db"}\n');
  assert.equal(formatList(rows, '{{.ID}}:{{.Name}}', spec), 'abc:web\ndefabcdefabc1:db\n');
  assert.equal(formatList([], '{{.ID}}', spec), '');
  // A method's header can name its argument, as docker's {{.Label "com.example"}} column does.
  const labelled = { table: '', headers: { Label: (name: string) => name } };
  assert.equal(formatList([{ Label: () => 'v' }], 'table {{.Label "com.example"}}', labelled), 'com.example\nv\n');
});

test('formatObjects renders each object with the template, or as JSON', () => {
  assert.equal(formatObjects([{ State: { Status: 'running' } }], '{{.State.Status}}'), 'running\n');
  assert.equal(formatObjects([{ a: 1 }, { a: 2 }], 'json'), '{"a":1}\n{"a":2}\n');
});
