import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aRecord, decode, DnsFormatError, encode, ptrRecord, query, QTYPE, RCODE, reverseIPv4 } from './dns-wire.js';

test('a query round-trips and an answer carries A and PTR records', () => {
  const q = decode(query(0x1234, 'Web.Example.', QTYPE.A));
  assert.equal(q.id, 0x1234);
  assert.equal(q.rd, true);
  assert.deepEqual(q.questions, [{ name: 'web.example', type: QTYPE.A, class: 1 }]);
  const answer = decode(
    encode({ ...q, qr: true, ra: true, rcode: RCODE.NOERROR, answers: [aRecord('web.example', '10.1.2.3', 600), ptrRecord('3.2.1.10.in-addr.arpa', 'web.net', 600)] }),
  );
  assert.equal(answer.qr, true);
  assert.deepEqual([...answer.answers[0].data], [10, 1, 2, 3]);
  assert.equal(answer.answers[0].ttl, 600);
  assert.deepEqual(answer.answers[1].data, ptrRecord('x', 'web.net', 1).data);
});

test('compressed names are followed; loops and truncation are format errors', () => {
  // Header, question "a.example" A IN, answer named by a pointer to offset 12.
  const msg = Buffer.concat([
    Buffer.from([0, 1, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0]),
    Buffer.from([1, 97, 7, ...Buffer.from('example'), 0, 0, 1, 0, 1]),
    Buffer.from([0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 1]),
  ]);
  const m = decode(msg);
  assert.equal(m.answers[0].name, 'a.example');
  const loop = Buffer.concat([Buffer.from([0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0]), Buffer.from([0xc0, 12, 0, 1, 0, 1])]);
  assert.throws(() => decode(loop), DnsFormatError);
  assert.throws(() => decode(msg.subarray(0, 20)), DnsFormatError);
});

test('answers that do not fit are dropped with TC set', () => {
  const q = decode(query(7, 'many', QTYPE.A));
  const answers = Array.from({ length: 60 }, (_, i) => aRecord('many', `10.0.0.${i + 1}`, 600));
  const m = decode(encode({ ...q, qr: true, answers }, 512));
  assert.equal(m.tc, true);
  assert.ok(m.answers.length > 0 && m.answers.length < 60);
});

test('reverse names', () => {
  assert.equal(reverseIPv4('4.3.2.10.in-addr.arpa'), '10.2.3.4');
  assert.equal(reverseIPv4('example.com'), undefined);
});
