// The hub node: a repeater that sends every frame arriving on one port out of all the
// others, unchanged. It learns nothing and never parses the frame (IEEE 802.3 §9).

import { PortedNode } from './bridge';
import type { DropReason } from '../stack/env';

export class Hub extends PortedNode {
  constructor(o: { ports: string[]; transmit(port: number, frame: Uint8Array): void; drop?(port: number, frame: Uint8Array, reason: DropReason): void }) {
    super(o.ports, o.transmit, o.drop);
  }

  input(port: number, frame: Uint8Array): void {
    this.countRx(port, frame);
    if (this.explain !== null) {
      const outPorts = this.ports.filter((_, p) => p !== port && this.carrier[p]);
      this.explain.step(this.explainNode, { kind: 'repeat', layer: 'link', inPort: this.ports[port], outPorts });
    }
    this.flood(port, frame);
  }
}
