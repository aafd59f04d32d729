#!/usr/bin/env python3
# Test support for tcp-goodput.netns.test.ts: an L2 relay between two interfaces of a
# namespace that delays every frame by a fixed time and drops a share of those going
# a -> b, because the reference kernel here has no sch_netem. Frames keep their order.
# Usage: delay-relay.py IFACE_A IFACE_B DELAY_MS LOSS_PERCENT_A_TO_B SEED
import collections
import random
import select
import socket
import sys
import time

ETH_P_ALL = 3
PACKET_OUTGOING = 4


def open_packet_socket(ifname):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.bind((ifname, 0))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16 << 20)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 16 << 20)
    s.setblocking(False)
    return s


def main():
    a, b, delay_ms, loss_ab, seed = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
    rnd = random.Random(seed)
    sa, sb = open_packet_socket(a), open_packet_socket(b)
    delay = delay_ms / 1000.0
    # Frames from a waiting to leave by b, and from b to leave by a: (due time, frame).
    qa, qb = collections.deque(), collections.deque()
    print('ready', flush=True)
    while True:
        now = time.monotonic()
        timeout = None
        for q in (qa, qb):
            if q:
                t = max(0.0, q[0][0] - now)
                timeout = t if timeout is None else min(timeout, t)
        readable, _, _ = select.select([sa, sb], [], [], timeout)
        now = time.monotonic()
        for s in readable:
            while True:
                try:
                    frame, addr = s.recvfrom(65535)
                except BlockingIOError:
                    break
                if addr[2] == PACKET_OUTGOING:
                    continue
                if s is sa:
                    if loss_ab > 0 and rnd.random() * 100.0 < loss_ab:
                        continue
                    qa.append((now + delay, frame))
                else:
                    qb.append((now + delay, frame))
        now = time.monotonic()
        for q, out in ((qa, sb), (qb, sa)):
            while q and q[0][0] <= now:
                out.send(q.popleft()[1])


if __name__ == '__main__':
    main()
