// Membership rules and the LogConfiguration data format. The codec must produce the exact bytes of
// hashicorp-raft-wire.md sample 2.8f (so Go followers decode entries a TS leader wrote) and accept Go's
// other encodings; nextConfiguration must follow hashicorp's per-command rules.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nextConfiguration } from '../../src/raft/core/configuration.ts';
import {
  decodeConfiguration,
  decodeLegacyPeers,
  encodeConfiguration,
  encodeLegacyPeers,
} from '../../src/raft/core/configuration-codec.ts';
import { RaftError } from '../../src/raft/core/errors.ts';
import { type Configuration, Suffrage } from '../../src/raft/core/types.ts';

const ascii = (s: string): number[] => [...new TextEncoder().encode(s)];

test('configuration codec: byte-identical to the Go sample with one voter, and round-trips', () => {
  const c: Configuration = {
    servers: [{ suffrage: Suffrage.Voter, id: 'node1', address: '10.0.0.1:50050' }],
  };
  const expected = [
    0x81,
    0xa7,
    ...ascii('Servers'),
    0x91,
    0x83,
    0xa7,
    ...ascii('Address'),
    0xae,
    ...ascii('10.0.0.1:50050'),
    0xa2,
    ...ascii('ID'),
    0xa5,
    ...ascii('node1'),
    0xa8,
    ...ascii('Suffrage'),
    0x00,
  ];
  assert.deepEqual([...encodeConfiguration(c)], expected);
  assert.deepEqual(decodeConfiguration(encodeConfiguration(c)), c);
  const many: Configuration = {
    servers: Array.from({ length: 20 }, (_, i) => ({
      suffrage: (i % 3) as Suffrage,
      id: `n${i}`,
      address: `h${i}:1`,
    })),
  };
  assert.deepEqual(decodeConfiguration(encodeConfiguration(many)), many);
});

test('configuration codec: accepts str8/bin strings, signed ints and unknown keys like Go output', () => {
  const bytes = [
    0x82,
    0xa5,
    ...ascii('Extra'),
    0xc0,
    0xa7,
    ...ascii('Servers'),
    0x91,
    0x83,
    0xd9,
    7,
    ...ascii('Address'),
    0xc4,
    3,
    ...ascii('a:1'),
    0xa2,
    ...ascii('ID'),
    0xa1,
    ...ascii('x'),
    0xa8,
    ...ascii('Suffrage'),
    0xd0,
    0x01,
  ];
  assert.deepEqual(decodeConfiguration(Uint8Array.from(bytes)), {
    servers: [{ suffrage: Suffrage.Nonvoter, id: 'x', address: 'a:1' }],
  });
  assert.throws(() => decodeConfiguration(Uint8Array.from([0x81, 0xa7])), /truncated/);
});

test('configuration codec: Go zero values for nil/missing fields; wrong shapes and trailing bytes rejected', () => {
  // {Servers: [{ID: nil, Other: 1.5}]} → one voter with empty ID and address, as Go's decoder leaves it.
  const zeroes = [0x81, 0xa7, ...ascii('Servers'), 0x91, 0x82, 0xa2, ...ascii('ID'), 0xc0];
  zeroes.push(0xa5, ...ascii('Other'), 0xcb, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0);
  assert.deepEqual(decodeConfiguration(Uint8Array.from(zeroes)), {
    servers: [{ suffrage: Suffrage.Voter, id: '', address: '' }],
  });
  assert.deepEqual(decodeConfiguration(Uint8Array.from([0xc0])), { servers: [] });
  const one = encodeConfiguration({ servers: [{ suffrage: Suffrage.Voter, id: 'a', address: 'a:1' }] });
  assert.throws(() => decodeConfiguration(Uint8Array.from([...one, 0x00])), /trailing/);
  assert.throws(() => decodeConfiguration(Uint8Array.from([0x01])), /must be a map/);
  const badSuffrage = [0x81, 0xa7, ...ascii('Servers'), 0x91, 0x81, 0xa8, ...ascii('Suffrage'), 0x03];
  assert.throws(() => decodeConfiguration(Uint8Array.from(badSuffrage)), /unknown suffrage 3/);
});

test('legacy peers blob: voters only on encode; ID = address, all voters on decode', () => {
  const c: Configuration = {
    servers: [
      { suffrage: Suffrage.Voter, id: 'a', address: 'a:1' },
      { suffrage: Suffrage.Nonvoter, id: 'b', address: 'b:1' },
      { suffrage: Suffrage.Voter, id: 'c', address: 'c:1' },
    ],
  };
  assert.deepEqual([...encodeLegacyPeers(c)], [0x92, 0xa3, ...ascii('a:1'), 0xa3, ...ascii('c:1')]);
  // Any str/bin form is accepted for an address.
  assert.deepEqual(
    decodeLegacyPeers(Uint8Array.from([0x92, 0xa3, ...ascii('a:1'), 0xc4, 3, ...ascii('c:1')])),
    {
      servers: [
        { suffrage: Suffrage.Voter, id: 'a:1', address: 'a:1' },
        { suffrage: Suffrage.Voter, id: 'c:1', address: 'c:1' },
      ],
    },
  );
  assert.deepEqual(decodeLegacyPeers(Uint8Array.from([0xc0])), { servers: [] });
  assert.throws(() => decodeLegacyPeers(Uint8Array.from([0x81, 0xa1, 0x61, 0x01])), /must be an array/);
  assert.throws(() => decodeLegacyPeers(Uint8Array.from([0x91, 0x01])), /must be a string/);
  assert.throws(() => decodeLegacyPeers(Uint8Array.from([0x91, 0xa3, 0x61])), /truncated/);
});

test('nextConfiguration follows hashicorp: re-add, AddNonvoter on a voter, demote, remove, validity', () => {
  const base: Configuration = {
    servers: [
      { suffrage: Suffrage.Voter, id: 'a', address: 'a:1' },
      { suffrage: Suffrage.Nonvoter, id: 'b', address: 'b:1' },
    ],
  };
  const readd = nextConfiguration(base, { kind: 'addVoter', id: 'a', address: 'a:2' }) as Configuration;
  assert.deepEqual(readd.servers[0], { suffrage: Suffrage.Voter, id: 'a', address: 'a:2' });
  const promoted = nextConfiguration(base, { kind: 'addVoter', id: 'b', address: 'b:1' }) as Configuration;
  assert.equal(promoted.servers[1]!.suffrage, Suffrage.Voter);
  const stays = nextConfiguration(base, { kind: 'addNonvoter', id: 'a', address: 'a:9' }) as Configuration;
  assert.deepEqual(stays.servers[0], { suffrage: Suffrage.Voter, id: 'a', address: 'a:9' });
  const demoted = nextConfiguration(promoted, { kind: 'demoteVoter', id: 'a' }) as Configuration;
  assert.equal(demoted.servers[0]!.suffrage, Suffrage.Nonvoter);
  const removed = nextConfiguration(base, { kind: 'removeServer', id: 'b' }) as Configuration;
  assert.equal(removed.servers.length, 1);
  assert.ok(nextConfiguration(base, { kind: 'removeServer', id: 'a' }) instanceof RaftError, 'no voter left');
  assert.ok(
    nextConfiguration(base, { kind: 'addVoter', id: 'c', address: 'a:1' }) instanceof RaftError,
    'duplicate address',
  );
});
