import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../src/config.ts';

test('TRUST_PROXY: none, a number of proxies in front, or their addresses; anything else stops the start', () => {
  const trust = (value?: string) => loadConfig(value === undefined ? {} : { TRUST_PROXY: value }).trustProxy;
  assert.equal(trust(), false);
  assert.equal(trust('false'), false);
  assert.equal(trust('0'), false);
  assert.deepEqual(trust('true'), { hops: 1 }, 'true is the one proxy in front, not every entry of the header');
  assert.deepEqual(trust('2'), { hops: 2 });
  assert.deepEqual(trust('127.0.0.1, 10.0.0.0/8,::1,fd00::/8,loopback'), {
    addresses: ['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8', 'loopback'],
  });
  for (const value of [
    'yes',
    'TRUE',
    '-1',
    '1.5',
    '10.0.0.0/33',
    '::1/129',
    '10.0.0.0/8/8',
    'example.org',
    '127.0.0.1,',
    '*',
  ])
    assert.throws(
      () => trust(value),
      new RegExp(`^Error: TRUST_PROXY must be .* not ${value.replace(/[.*+?^$()|[\]\\]/g, '\\$&')}$`),
    );
});
