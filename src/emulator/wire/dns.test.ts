// DNS wire format: byte fixtures, compression, loops, and fast-check round trips.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hexToBytes } from './hex';
import { buildDns, DNS_TYPE, dnsQuery, formatDns, formatRdata, parseDns, type DnsMessage, type DnsRecord } from './dns';

// `dig @10.0.0.1 www.example.com A +noedns` as sent by BIND 9 (id 0x1234, RD).
const QUERY = '1234 0100 0001 0000 0000 0000 03777777076578616d706c6503636f6d00 0001 0001';
// The answer: QR AA RD RA, the question, one A record named by a pointer to offset 12.
const ANSWER = '1234 8580 0001 0001 0000 0000 03777777076578616d706c6503636f6d00 0001 0001 c00c 0001 0001 00000e10 0004 0a000005';

const hex = (s: string): Uint8Array => hexToBytes(s.replace(/\s+/g, ''))!;

describe('DNS messages', () => {
  it('parses a query fixture and emits the same bytes', () => {
    const b = hex(QUERY);
    const m = parseDns(b, 0, b.length);
    expect(typeof m).toBe('object');
    const msg = m as DnsMessage;
    expect(msg.id).toBe(0x1234);
    expect(msg.rd).toBe(true);
    expect(msg.questions).toEqual([{ name: 'www.example.com.', type: DNS_TYPE.A, class: 1 }]);
    expect(buildDns(msg)).toEqual(b);
    expect(buildDns(dnsQuery(0x1234, 'www.example.com.', DNS_TYPE.A))).toEqual(b);
  });

  it('follows a compression pointer and compresses on emit', () => {
    const b = hex(ANSWER);
    const m = parseDns(b, 0, b.length) as DnsMessage;
    expect(m.aa && m.ra && m.qr).toBe(true);
    expect(m.answers[0]).toMatchObject({ name: 'www.example.com.', ttl: 3600, data: { type: 1, addr: 0x0a000005 } });
    expect(buildDns(m)).toEqual(b);
    expect(formatDns(m)).toBe('Standard query response 0x1234 A www.example.com A 10.0.0.5');
  });

  it('refuses pointer loops and forward pointers instead of hanging', () => {
    const self = hex('0000 0100 0001 0000 0000 0000 c00c 0001 0001');
    expect(parseDns(self, 0, self.length)).toBe('name-loop');
    const forward = hex('0000 0100 0001 0000 0000 0000 c00e 0001 0001 00');
    expect(parseDns(forward, 0, forward.length)).toBe('name-loop');
  });

  it('returns reasons for truncated, bad RDATA and trailing bytes', () => {
    const b = hex(ANSWER);
    expect(parseDns(b, 0, b.length - 1)).toBe('truncated');
    const badA = hex(ANSWER.replace('0004 0a000005', '0003 0a0000'));
    expect(parseDns(badA, 0, badA.length)).toBe('bad-rdata');
    const trailing = hex(QUERY + '00');
    expect(parseDns(trailing, 0, trailing.length)).toBe('trailing-bytes');
  });

  it('formats RDATA as dig prints it', () => {
    expect(formatRdata({ type: DNS_TYPE.MX, preference: 10, exchange: 'mail.example.com.' })).toBe('10 mail.example.com.');
    expect(formatRdata({ type: DNS_TYPE.TXT, strings: ['v=spf1 -all', 'a"b'] })).toBe('"v=spf1 -all" "a\\"b"');
    expect(formatRdata({ type: 99, raw: Uint8Array.of(0xab, 0xcd) })).toBe('\\# 2 ABCD');
  });

  it('escapes odd bytes in labels and reads them back', () => {
    const m = dnsQuery(1, 'a\\.b\\032c.example.', DNS_TYPE.TXT);
    const b = buildDns(m);
    expect((parseDns(b, 0, b.length) as DnsMessage).questions[0].name).toBe('a\\.b\\032c.example.');
  });
});

const label = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,14}$/);
const name = fc.array(label, { minLength: 0, maxLength: 5 }).map((ls) => (ls.length === 0 ? '.' : ls.join('.') + '.'));
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const rdata = fc.oneof(
  fc.record({ type: fc.constant(DNS_TYPE.A), addr: u32 }),
  fc.record({ type: fc.constant(DNS_TYPE.AAAA), addr: fc.uint8Array({ minLength: 16, maxLength: 16 }) }),
  fc.record({ type: fc.constantFrom(DNS_TYPE.NS, DNS_TYPE.CNAME, DNS_TYPE.PTR), name }),
  fc.record({ type: fc.constant(DNS_TYPE.MX), preference: fc.integer({ min: 0, max: 0xffff }), exchange: name }),
  fc.record({ type: fc.constant(DNS_TYPE.SOA), mname: name, rname: name, serial: u32, refresh: u32, retry: u32, expire: u32, minimum: u32 }),
  fc.record({ type: fc.constant(DNS_TYPE.TXT), strings: fc.array(fc.string({ maxLength: 40 }).map((s) => s.replace(/[^\x00-\xff]/g, '?')), { minLength: 1, maxLength: 3 }) }),
  fc.record({ type: fc.constant(99), raw: fc.uint8Array({ maxLength: 20 }) }),
);
const rr: fc.Arbitrary<DnsRecord> = fc.record({ name, type: fc.constant(0), class: fc.constant(1), ttl: u32, data: rdata }).map((r) => ({ ...r, type: r.data.type }));
const message: fc.Arbitrary<DnsMessage> = fc.record({
  id: fc.integer({ min: 0, max: 0xffff }), qr: fc.boolean(), opcode: fc.integer({ min: 0, max: 15 }), aa: fc.boolean(), tc: fc.boolean(),
  rd: fc.boolean(), ra: fc.boolean(), z: fc.boolean(), ad: fc.boolean(), cd: fc.boolean(), rcode: fc.integer({ min: 0, max: 15 }),
  questions: fc.array(fc.record({ name, type: fc.integer({ min: 0, max: 0xffff }), class: fc.constant(1) }), { maxLength: 2 }),
  answers: fc.array(rr, { maxLength: 4 }), authority: fc.array(rr, { maxLength: 3 }), additional: fc.array(rr, { maxLength: 3 }),
});

describe('DNS round trips', () => {
  it('parse(build(m)) equals m and re-emits the same bytes', () => {
    fc.assert(
      fc.property(message, (m) => {
        const b = buildDns(m);
        const p = parseDns(b, 0, b.length);
        expect(p).toEqual(m);
        expect(buildDns(p as DnsMessage)).toEqual(b);
      }),
    );
  });

  it('never throws on mutated messages', () => {
    fc.assert(
      fc.property(message, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }), fc.nat(), (m, flips, cut) => {
        const b = buildDns(m);
        for (const [i, v] of flips) if (b.length) b[i % b.length] = v;
        const len = b.length === 0 ? 0 : cut % (b.length + 1);
        expect(() => parseDns(b, 0, len)).not.toThrow();
      }),
    );
  });
});
