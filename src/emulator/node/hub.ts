// The hub node: a repeater that sends every frame arriving on one port out of all the
// others, unchanged. It learns nothing and never parses the frame (IEEE 802.3 §9).

import { PortedNode } from './bridge';

export class Hub extends PortedNode {
  constructor(o: { ports: string[]; transmit(port: number, frame: Uint8Array): void }) {
    super(o.ports, o.transmit);
  }

  input(port: number, frame: Uint8Array): void {
    this.countRx(port, frame);
    this.flood(port, frame);
  }
}
