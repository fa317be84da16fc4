// Membership rules and the LogConfiguration data format. The codec must produce the exact bytes of
// hashicorp-raft-wire.md sample 2.8f (so Go followers decode entries a TS leader wrote) and accept Go's
// other encodings; nextConfiguration must follow hashicorp's per-command rules.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nextConfiguration } from '../../src/raft/core/configuration.ts';
import { decodeConfiguration, encodeConfiguration } from '../../src/raft/core/configuration-codec.ts';
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
