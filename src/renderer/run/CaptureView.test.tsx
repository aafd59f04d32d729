// The capture tab in happy-dom with real decoding: list, filter, detail tree, hex highlight.
import { act } from 'react';
import { createRoot } from 'react-dom/client';
import { afterEach, describe, expect, it } from 'vitest';
import { summarizeFrame } from '../../emulator/wire/decode';
import { buildEthernetFrame, ETHERTYPE } from '../../emulator/wire/ethernet';
import { buildIpv4Packet, IP_PROTO } from '../../emulator/wire/ipv4';
import { buildTcp, TCP_FLAG } from '../../emulator/wire/tcp';
import type { CapturedFrameEvent } from '../../emulator/engine/protocol';
import { CaptureView } from './CaptureView';
import { appendFrames, newCaptureInfo } from './capture-store';
import { createRunStore } from './run-store';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const hex = (s: string) => new Uint8Array(s.replace(/\s+/g, '').match(/../g)!.map((b) => parseInt(b, 16)));
const echo = (type: '08' | '00', src: string, dst: string) =>
  hex(`420000aa0002 420000aa0001 0800 4500 0054 0001 0000 4001 0000 ${src} ${dst} ${type}00 0000 0001 0000` + '00'.repeat(56));
const arp = hex('ffffffffffff 420000aa0001 0806 0001 0800 0604 0001 420000aa0001 0a000014 000000000000 0a000001' + '00'.repeat(18));

let root: ReturnType<typeof createRoot> | null = null;
afterEach(() => {
  act(() => root?.unmount());
  document.body.innerHTML = '';
});

describe('CaptureView', () => {
  it('lists, filters, decodes and highlights bytes of captured frames', async () => {
    const store = createRunStore({ createPort: () => { throw new Error('unused'); }, summarize: summarizeFrame, schedule: (cb) => cb(), nowMs: () => 0 });
    store.captureMap.set(1, newCaptureInfo(1, 'pc1:eth0', { kind: 'iface', node: 'n0', iface: 'eth0' }));
    appendFrames(store.captureMap, [
      { type: 'capture/frame', capture: 1, index: 0, timeNs: 1000, where: 'pc1:eth0', direction: 'out', frame: 1, bytes: arp },
      { type: 'capture/frame', capture: 1, index: 1, timeNs: 2000, where: 'pc1:eth0', direction: 'out', frame: 2, bytes: echo('08', '0a000014', '0a000114') },
      { type: 'capture/frame', capture: 1, index: 2, timeNs: 3000, where: 'pc1:eth0', direction: 'in', frame: 3, bytes: echo('00', '0a000114', '0a000014') },
    ], summarizeFrame);
    const el = document.createElement('div');
    el.style.height = '400px';
    document.body.appendChild(el);
    root = createRoot(el);
    act(() => root!.render(<CaptureView store={store} capture={1} />));
    const rows = () => [...el.querySelectorAll('.run-packet-row')];
    expect(rows()).toHaveLength(3);
    expect(rows()[1]!.textContent).toContain('10.0.0.20');
    expect(rows()[1]!.textContent).toMatch(/ICMP/);

    const input = el.querySelector<HTMLInputElement>('[data-testid=capture-filter]')!;
    const setFilter = (v: string) => act(() => {
      const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
      setter.call(input, v);
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    setFilter('icmp && ip.src==10.0.1.20');
    expect(rows()).toHaveLength(1);
    expect(rows()[0]!.getAttribute('data-no')).toBe('3');
    setFilter('ip.addr==');
    expect(el.querySelector('.run-filter-error')).not.toBeNull();
    setFilter('');
    expect(rows()).toHaveLength(3);

    act(() => (rows()[1] as HTMLElement).click());
    const fields = [...el.querySelectorAll<HTMLElement>('.run-field')];
    expect(fields.some((f) => /Internet Protocol/i.test(f.textContent ?? ''))).toBe(true);
    expect(fields.some((f) => /Echo/i.test(f.textContent ?? ''))).toBe(true);
    const srcField = fields.find((f) => /Source.*10\.0\.0\.20/.test(f.textContent ?? ''))!;
    expect(srcField).toBeDefined();
    act(() => srcField.click());
    const hl = [...el.querySelectorAll('.run-hex-bytes .hl')].map((s) => s.textContent).join(' ');
    expect(hl).toBe('0a 00 00 14');
    expect(store.getState().highlight?.node).toBeUndefined(); // doc not loaded: no node to flash
  });

  it('follows a TCP stream: relative numbers in the tree, tcp.stream filter, both sides in their colours, ASCII and hex', () => {
    const A = 0x0a000014;
    const B = 0x0a000114;
    const seg = (k: number, from: 'a' | 'b', flags: number, seq: number, ack: number, text = ''): CapturedFrameEvent => {
      const [src, dst, sp, dp] = from === 'a' ? [A, B, 40000, 80] : [B, A, 80, 40000];
      const tcp = buildTcp({ srcPort: sp, dstPort: dp, seq, ack, flags, window: 65535, urgent: 0, payload: new TextEncoder().encode(text) }, src, dst);
      const ip = buildIpv4Packet({ src, dst, proto: IP_PROTO.TCP, ttl: 64, tos: 0, id: k, dontFragment: true, moreFragments: false, fragOffset: 0 }, tcp);
      const bytes = buildEthernetFrame({ dst: 0x420000aa0002, src: 0x420000aa0001, etherType: ETHERTYPE.IPV4 }, ip);
      return { type: 'capture/frame', capture: 1, index: k, timeNs: k * 1000, where: 'pc1:eth0', direction: from === 'a' ? 'out' : 'in', frame: k + 1, bytes };
    };
    const S = TCP_FLAG.SYN;
    const AK = TCP_FLAG.ACK;
    const store = createRunStore({ createPort: () => { throw new Error('unused'); }, summarize: summarizeFrame, schedule: (cb) => cb(), nowMs: () => 0 });
    store.captureMap.set(1, newCaptureInfo(1, 'pc1:eth0', { kind: 'iface', node: 'n0', iface: 'eth0' }));
    appendFrames(store.captureMap, [
      { type: 'capture/frame', capture: 1, index: 0, timeNs: 0, where: 'pc1:eth0', direction: 'out', frame: 0, bytes: arp },
      seg(1, 'a', S, 1000, 0),
      seg(2, 'b', S | AK, 5000, 1001),
      seg(3, 'a', AK, 1001, 5001),
      seg(4, 'a', AK | TCP_FLAG.PSH, 1001, 5001, 'GET / HTTP/1.0\r\n\r\n'),
      seg(5, 'b', AK | TCP_FLAG.PSH, 5001, 1019, 'HTTP/1.0 200 OK\r\n'),
      seg(6, 'a', AK | TCP_FLAG.PSH, 1001, 5001, 'GET / HTTP/1.0\r\n\r\n'),
    ], summarizeFrame);
    const el = document.createElement('div');
    document.body.appendChild(el);
    root = createRoot(el);
    act(() => root!.render(<CaptureView store={store} capture={1} />));
    const rows = () => [...el.querySelectorAll<HTMLElement>('.run-packet-row')];
    expect(rows()[4]!.textContent).toContain('40000 → 80 [PSH, ACK] Seq=1 Ack=1 Win=65535 Len=18');
    expect(rows()[6]!.textContent).toContain('[TCP Retransmission]');
    const followButton = el.querySelector<HTMLButtonElement>('[data-testid=follow-tcp]')!;
    expect(followButton.disabled).toBe(true);
    act(() => rows()[5]!.click());
    const fields = [...el.querySelectorAll<HTMLElement>('.run-field')].map((f) => f.textContent);
    expect(fields).toContain('[Stream index: 0]');
    expect(fields).toContain('Sequence Number: 1    (relative sequence number)');
    expect(fields).toContain('Acknowledgment Number: 19    (relative ack number)');
    expect(fields).toContain('[TCP Segment Len: 17]');
    act(() => followButton.click());
    expect(el.querySelector<HTMLInputElement>('[data-testid=capture-filter]')!.value).toBe('tcp.stream eq 0');
    expect(rows()).toHaveLength(6);
    const dialog = el.querySelector('[data-testid=follow-stream]')!;
    const turns = [...dialog.querySelectorAll<HTMLElement>('.run-follow-turn')];
    expect(turns.map((t) => [t.dataset.dir, t.textContent])).toEqual([['0', 'GET / HTTP/1.0\n\n'], ['1', 'HTTP/1.0 200 OK\n']]);
    expect(dialog.textContent).toContain('10.0.0.20:40000 → 10.0.1.20:80: 18 bytes');
    const mode = dialog.querySelector<HTMLSelectElement>('[data-testid=follow-mode]')!;
    act(() => {
      mode.value = 'hex';
      mode.dispatchEvent(new Event('change', { bubbles: true }));
    });
    expect(dialog.querySelector('.run-follow-turn.dir1')!.textContent).toMatch(/^00000000  48 54 54 50 2f 31 2e 30 20 32 30 30 20 4f 4b 0d  HTTP\/1.0 200 OK\./);
    act(() => el.querySelector<HTMLButtonElement>('[data-testid=follow-close]')!.click());
    expect(el.querySelector('[data-testid=follow-stream]')).toBeNull();
  });
});
