import { test } from 'node:test';
import assert from 'node:assert/strict';
import { humanDuration } from './human-duration.js';

test('humanDuration follows go-units', () => {
  const s = 1000;
  const h = 3600 * s;
  const cases: [number, string][] = [
    [500, 'Less than a second'], [s, '1 second'], [5 * s, '5 seconds'], [59 * s, '59 seconds'], [60 * s, 'About a minute'],
    [90 * s, 'About a minute'], [119 * s, 'About a minute'], [120 * s, '2 minutes'], [45 * 60 * s, '45 minutes'],
    [59 * 60 * s, '59 minutes'], [h, 'About an hour'], [1.6 * h, '2 hours'], [5 * h, '5 hours'], [47 * h, '47 hours'],
    [48 * h, '2 days'], [72 * h, '3 days'], [14 * 24 * h, '2 weeks'], [21 * 24 * h, '3 weeks'], [60 * 24 * h, '2 months'],
    [150 * 24 * h, '5 months'], [800 * 24 * h, '2 years'], [3 * 365 * 24 * h, '3 years'],
  ];
  for (const [ms, text] of cases) assert.equal(humanDuration(ms), text, `${ms}ms`);
});
