/**
 * msgpack codecs for hashicorp structures: the Configuration encoder must produce Go's exact bytes
 * (the spec's §2.8f sample, and the bootstrap configuration entry a real Go node wrote), raft.Log
 * decoding must accept both AppendedAt forms and Go's key order, and bad input must fail with
 * ERR_MSGPACK. Also the CRC-64/ECMA check of Go snapshot files (meta.json's CRC over state.bin).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { InitError } from '../../src/init/errors.ts';
import { scanGoSnapshots } from '../../src/init/go-snapshots.ts';
import { decodeConfiguration, encodeConfiguration } from '../../src/init/raftcodec/configuration-codec.ts';
import { decodeGoLog } from '../../src/init/raftcodec/raft-log-codec.ts';
import { type GoDump, runGobolt } from './gobolt-fixture.ts';

const s = (x: string) => Buffer.from(x).toString('hex');
const fix = (x: string) => (0xa0 | x.length).toString(16) + s(x);

describe('configuration codec', () => {
  it('encodes the spec sample byte for byte', () => {
    const want =
      '81' +
      fix('Servers') +
      '91' +
      '83' +
      fix('Address') +
      fix('10.0.0.1:50050') +
      fix('ID') +
      fix('node1') +
      fix('Suffrage') +
      '00';
    const got = encodeConfiguration({ servers: [{ suffrage: 0, id: 'node1', address: '10.0.0.1:50050' }] });
    assert.equal(Buffer.from(got).toString('hex'), want);
    assert.deepEqual(decodeConfiguration(got).servers, [
      { suffrage: 0, id: 'node1', address: '10.0.0.1:50050' },
    ]);
  });

  it('uses str16 for long strings and array16 for many servers', () => {
    const long = 'h'.repeat(40);
    const servers = Array.from({ length: 17 }, (_, i) => ({
      suffrage: (i % 3) as 0 | 1 | 2,
      id: `n${i}`,
      address: `${long}:${i}`,
    }));
    const bytes = encodeConfiguration({ servers });
    const hex = Buffer.from(bytes).toString('hex');
    assert.ok(hex.startsWith('81' + fix('Servers') + 'dc0011'));
    assert.ok(hex.includes('da00' + (long.length + 2).toString(16)));
    assert.deepEqual(decodeConfiguration(bytes).servers, servers);
  });
});

describe('raft.Log decoding', () => {
  it('decodes the spec sample with a legacy-form AppendedAt', () => {
    const hex =
      '86' +
      fix('AppendedAt') +
      'af01000000 0edd23f780 00000000 ffff'.replace(/ /g, '') +
      fix('Data') +
      'a26869' +
      fix('Extensions') +
      'c0' +
      fix('Index') +
      '2a' +
      fix('Term') +
      '07' +
      fix('Type') +
      '00';
    const e = decodeGoLog(Buffer.from(hex, 'hex'));
    assert.equal(e.index, 42);
    assert.equal(e.term, 7);
    assert.equal(e.type, 0);
    assert.equal(Buffer.from(e.data).toString(), 'hi');
    assert.equal(e.appendedAtMs, 1704067200000);
    assert.equal(e.extensions, undefined);
  });

  it('decodes the msgpack timestamp forms and the zero time', () => {
    const base = (at: string) =>
      Buffer.from(
        '84' + fix('AppendedAt') + at + fix('Index') + '01' + fix('Term') + '01' + fix('Type') + '01',
        'hex',
      );
    assert.equal(decodeGoLog(base('a4' + '65920080')).appendedAtMs, 1704067200000);
    // 8-byte form: nsec 5e8 in the top 30 bits, seconds in the low 34.
    const v = (500_000_000n << 34n) | 1704067200n;
    assert.equal(decodeGoLog(base('a8' + v.toString(16).padStart(16, '0'))).appendedAtMs, 1704067200500);
    assert.equal(decodeGoLog(base('d6ff' + '65920080')).appendedAtMs, 1704067200000);
    assert.equal(decodeGoLog(base('c0')).appendedAtMs, undefined);
    assert.equal(decodeGoLog(base('af01' + '00'.repeat(12) + 'ffff')).appendedAtMs, undefined);
    // Non-UTC zone offset (a Go leader in a UTC container writes 00 00): still the same instant.
    assert.equal(
      decodeGoLog(base('af01' + '0000000edd23f780' + '00000000' + '0000')).appendedAtMs,
      1704067200000,
    );
  });

  it('rejects truncated values, unknown types and bad times', () => {
    const ok = Buffer.from('83' + fix('Index') + '01' + fix('Term') + '01' + fix('Type') + '05', 'hex');
    assert.equal(decodeGoLog(ok).type, 5);
    const bad = [
      ok.subarray(0, ok.length - 1),
      Buffer.from('83' + fix('Index') + '01' + fix('Term') + '01' + fix('Type') + '06', 'hex'),
      Buffer.from('82' + fix('Index') + '01' + fix('AppendedAt') + 'a3010203', 'hex'),
      Buffer.from('c1', 'hex'),
      Buffer.from('93010203', 'hex'),
      Buffer.concat([ok, Buffer.from('00', 'hex')]),
    ];
    for (const b of bad) {
      assert.throws(
        () => decodeGoLog(b),
        (e: unknown) => e instanceof InitError && e.code === 'ERR_MSGPACK',
        b.toString('hex'),
      );
    }
  });
});

describe('against a real Go node', () => {
  let fixture: { dir: string; dump: GoDump } | undefined;
  before(() => {
    fixture = runGobolt(20);
  });
  after(() => {
    if (fixture) rmSync(fixture.dir, { recursive: true, force: true });
  });

  it('re-encodes the bootstrap configuration entry exactly as Go wrote it', (t) => {
    if (!fixture) return t.skip('go not installed');
    const first = fixture.dump['n2']!.log.logs[0]!;
    const e = decodeGoLog(Buffer.from(first.value, 'hex'));
    assert.equal(e.index, 1);
    assert.equal(e.type, 5);
    const cfg = decodeConfiguration(e.data);
    assert.deepEqual(
      cfg.servers.map((x) => x.id),
      ['n1', 'n2', 'n3'],
    );
    assert.equal(Buffer.from(encodeConfiguration(cfg)).toString('hex'), Buffer.from(e.data).toString('hex'));
  });
});

describe('Go snapshot CRC', () => {
  it('accepts state.bin whose CRC-64/XZ matches meta.json and skips one that does not', () => {
    const base = mkdtempSync(join(tmpdir(), 'go-snap-crc-'));
    try {
      // "123456789" is the CRC-64/XZ catalogue input; 0x995dc9bbdf1939fa its check value.
      const good = Buffer.from('995dc9bbdf1939fa', 'hex');
      const bad = Buffer.from('995dc9bbdf1939fb', 'hex');
      for (const [name, crc] of [
        ['2-10-1000', good],
        ['3-20-2000', bad],
      ] as const) {
        const dir = join(base, 'snapshots', name);
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, 'state.bin'), '123456789');
        const [term, index] = name.split('-').map(Number);
        const meta = { Version: 1, ID: name, Index: index, Term: term, ConfigurationIndex: 1, Size: 9 };
        writeFileSync(join(dir, 'meta.json'), JSON.stringify({ ...meta, CRC: crc.toString('base64') }));
      }
      const scan = scanGoSnapshots(base);
      assert.equal(scan.newest?.id, '2-10-1000');
      assert.deepEqual(scan.skipped, [{ name: '3-20-2000', reason: 'CRC mismatch' }]);
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
});
