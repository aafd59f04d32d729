// `virtnet run … --keep-files OUT.vnet` saves the document with the files the run changed
// on each node (as Stop in the app keeps them), says which on stderr, and loads back with
// them; a wrong extension is refused before anything runs.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli';

const PRP = resolve(__dirname, '../../assets/samples/pc-router-pc.vnet');

describe('virtnet run --keep-files', () => {
  it('writes the document with the changed nodes\' files', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'virtnet-keep-')), 'kept.vnet');
    const r = await cli('run', PRP, '--exec', 'pc1: echo "10.0.1.20 pc2" > /etc/hosts', '--exec', 'pc1: cat /etc/hosts | wc -l', '--keep-files', out);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('       1');
    expect(r.stderr).toContain('virtnet: kept the files of pc1: /etc/hosts\n');
    const doc = JSON.parse(readFileSync(out, 'utf8'));
    expect(doc.nodes.find((n: { name: string }) => n.name === 'pc1').files).toEqual({ '/etc/hosts': '10.0.1.20 pc2\n' });
    expect(doc.nodes.find((n: { name: string }) => n.name === 'pc2').files).toBeUndefined();
    // The kept files are there at the next start.
    const again = await cli('run', out, '--exec', 'pc1: cat /etc/hosts');
    expect(again.stdout).toContain('10.0.1.20 pc2');
  });

  it('refuses an output that is not a .vnet before running', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'virtnet-keep-')), 'kept.imn');
    const r = await cli('run', PRP, '--exec', 'pc1: echo x > /f', '--keep-files', out);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--keep-files '");
    expect(existsSync(out)).toBe(false);
  });
});
