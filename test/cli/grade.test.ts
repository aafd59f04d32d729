// `virtnet grade` (issue 13): the gradebook's columns, a plain topology as a submission,
// tampered submissions that cannot fake a pass, lock violations, bad submissions that get a
// located error in their row while grading goes on, bad labs refused with exit 2, and
// 100 submissions of a 20-node lab within the 10 s budget.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli';
import { chainDoc } from '../../src/emulator/bench';
import { serializeVnet } from '../../src/emulator/topology/vnet';
import type { LabDoc } from '../../src/emulator/topology/lab';

const LABS = join(__dirname, '..', '..', 'assets', 'labs');

const tmp = () => mkdtempSync(join(tmpdir(), 'virtnet-grade-'));
const rows = (csv: string) => csv.trim().split('\n').map((l) => l.split(','));

describe('virtnet grade', () => {
  it('writes student, score, max, one column per check and time; a plain topology is a submission', async () => {
    const d = tmp();
    copyFileSync(join(LABS, 'static-routing.answer.vnet'), join(d, 'alice.vnet'));
    copyFileSync(join(LABS, 'static-routing.vnet'), join(d, 'bob.vnet'));
    const r = await cli('grade', join(LABS, 'static-routing.vnet'), join(d, 'alice.vnet'), join(d, 'bob.vnet'));
    expect(r.code).toBe(0);
    const [head, alice, bob] = rows(r.stdout);
    expect(head).toEqual(['student', 'score', 'max', 'r1addr', 'r2addr', 'r1route', 'r2route', 'ping', 'trace', 'time', 'error']);
    expect(alice!.slice(0, 9)).toEqual(['alice', '10', '10', '1', '1', '2', '2', '2', '2']);
    expect(bob!.slice(0, 3)).toEqual(['bob', '0', '10']);
    expect(alice![9]).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('a tampered submission cannot fake a pass: its stored results, checks and points are ignored', async () => {
    const d = tmp();
    const start = JSON.parse(readFileSync(join(LABS, 'static-routing.vnet'), 'utf8'));
    const lab = start.lab as LabDoc;
    // Checks cut to one trivially true check worth 1000, results claiming a pass, a name.
    const forged: LabDoc = {
      ...lab,
      student: 'mallory',
      checks: [{ id: 'r1addr', title: 'free points', points: 1000, predicate: { type: 'address', node: 'pc1', subnet: '0.0.0.0/0' } }],
      results: { score: 1000, max: 1000, passed: ['r1addr', 'r2addr', 'r1route', 'r2route', 'ping', 'trace'] },
    };
    writeFileSync(join(d, 'forged.vnet'), JSON.stringify({ ...start, lab: forged }));
    // A lab section broken on purpose must not make the file ungradable either.
    writeFileSync(join(d, 'broken-lab.vnet'), JSON.stringify({ ...start, lab: { checks: 'all passed', student: 'eve' } }));
    const out = join(d, 'grades.csv');
    const r = await cli('grade', join(LABS, 'static-routing.vnet'), join(d, 'forged.vnet'), join(d, 'broken-lab.vnet'), '--csv', out);
    expect(r.code).toBe(0);
    const [head, mallory, eve] = rows(readFileSync(out, 'utf8'));
    expect(head!.slice(3, 9)).toEqual(['r1addr', 'r2addr', 'r1route', 'r2route', 'ping', 'trace']);
    expect(mallory!.slice(0, 9)).toEqual(['mallory', '0', '10', '0', '0', '0', '0', '0', '0']);
    expect(eve!.slice(0, 3)).toEqual(['eve', '0', '10']);
    expect(r.stdout).toMatch(/mallory: 0\/10\n {2}FAIL r1addr \(0\/1\): r1 eth1 has no IPv4 address/);
  });

  it("replays a submission's shell work (lab.work.commands) before the checks; its stored results still count for nothing", async () => {
    const d = tmp();
    const start = JSON.parse(readFileSync(join(LABS, 'static-routing.vnet'), 'utf8'));
    const commands = [
      { node: 'r1', command: 'ifconfig eth1 inet 10.0.12.1/30' },
      { node: 'r2', command: 'ifconfig eth1 inet 10.0.12.2/30' },
      { node: 'r1', command: 'route add -net 10.0.2.0/24 10.0.12.2' },
      { node: 'r2', command: 'route add -net 10.0.1.0/24 10.0.12.1' },
    ];
    const results = { score: 10, max: 10 };
    writeFileSync(join(d, 'dana.vnet'), JSON.stringify({ ...start, lab: { ...start.lab, student: 'dana', work: { commands, transcripts: { r1: 'r1# ifconfig eth1 inet 10.0.12.1/30\n' } }, results } }, null, 2));
    // Half the work, the same forged results: only what the commands do counts.
    writeFileSync(join(d, 'erin.vnet'), JSON.stringify({ ...start, lab: { ...start.lab, student: 'erin', work: { commands: commands.slice(0, 2), transcripts: {} }, results } }, null, 2));
    // A malformed work record is a located error in its row; grading goes on.
    const bad = JSON.stringify({ ...start, lab: { ...start.lab, student: 'finn', work: { commands: [{ node: 'r1' }], transcripts: {} } } }, null, 2);
    writeFileSync(join(d, 'finn.vnet'), bad);
    const r = await cli('grade', join(LABS, 'static-routing.vnet'), join(d, 'dana.vnet'), join(d, 'erin.vnet'), join(d, 'finn.vnet'));
    expect(r.code).toBe(2);
    const [, dana, erin, finn] = rows(r.stdout);
    expect(dana!.slice(0, 9)).toEqual(['dana', '10', '10', '1', '1', '2', '2', '2', '2']);
    expect(erin!.slice(0, 9)).toEqual(['erin', '2', '10', '1', '1', '0', '0', '0', '0']);
    const lines = bad.split('\n');
    const line = lines.length - [...lines].reverse().findIndex((l) => l.includes('"node": "r1"')) - 1; // the { of commands[0]
    expect(finn!.slice(0, 2)).toEqual(['finn', '']);
    expect(finn!.at(-1)).toMatch(new RegExp(`finn\\.vnet:${line}: lab\\.work\\.commands\\.0\\.command: `));
  });

  it('a locked part changed scores 0 and says which', async () => {
    const d = tmp();
    const answer = JSON.parse(readFileSync(join(LABS, 'arp-switching.answer.vnet'), 'utf8'));
    answer.nodes.find((n: { name: string }) => n.name === 'pc1').interfaces[0].ipv4 = ['10.0.0.99/24'];
    writeFileSync(join(d, 'sneaky.vnet'), JSON.stringify(answer));
    const r = await cli('grade', join(LABS, 'arp-switching.vnet'), join(d, 'sneaky.vnet'));
    expect(r.code).toBe(0);
    const [, row] = rows(r.stdout);
    expect(row!.slice(0, 3)).toEqual(['sneaky', '0', '10']);
    // The reason holds a comma, so the CSV cell is quoted (RFC 4180).
    expect(r.stdout.trim().split('\n')[1]).toMatch(/,"locked parts changed: the configuration of pc1 was changed, but it is locked"$/);
  });

  it('a bad submission gets a located error in its row and stderr; the others are graded (exit 2)', async () => {
    const d = tmp();
    writeFileSync(join(d, 'typo.vnet'), '{\n  "version": 1,\n  "nodes": [\n    { "id": "n0", }\n  ]\n}\n');
    copyFileSync(join(LABS, 'vlans.answer.vnet'), join(d, 'good.vnet'));
    const r = await cli('grade', join(LABS, 'vlans.vnet'), join(d, 'typo.vnet'), join(d, 'missing.vnet'), join(d, 'good.vnet'));
    expect(r.code).toBe(2);
    const [, typo, missing, good] = rows(r.stdout);
    expect(typo!.slice(0, 2)).toEqual(['typo', '']);
    expect(typo!.at(-1)).toMatch(/typo\.vnet:4: invalid JSON/);
    expect(missing!.at(-1)).toMatch(/missing\.vnet: cannot read: no such file/);
    expect(good!.slice(0, 3)).toEqual(['good', '10', '10']);
    expect(r.stderr).toMatch(/^virtnet: .*typo\.vnet:4: invalid JSON/m);
  });

  it('refuses a LAB without a lab section and bad arguments with exit 2', async () => {
    const plain = await cli('grade', join(LABS, 'vlans.answer.vnet'), join(LABS, 'vlans.vnet'));
    expect(plain.code).toBe(2);
    expect(plain.stderr).toMatch(/vlans\.answer\.vnet:1: not a lab/);
    expect((await cli('grade', join(LABS, 'vlans.vnet'))).code).toBe(2);
    const same = await cli('grade', join(LABS, 'vlans.vnet'), join(LABS, 'vlans.answer.vnet'), '--csv', join(LABS, 'vlans.vnet'));
    expect(same.code).toBe(2);
    expect(same.stderr).toMatch(/refusing to overwrite/);
    // A lab whose check names a node that does not exist: refused, located at the check.
    const d = tmp();
    const text = readFileSync(join(LABS, 'vlans.vnet'), 'utf8').replace('"at": "blue1:eth0"', '"at": "blue9:eth0"');
    writeFileSync(join(d, 'badlab.vnet'), text);
    const bad = await cli('grade', join(d, 'badlab.vnet'), join(LABS, 'vlans.answer.vnet'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`badlab.vnet:${text.split('\n').findIndex((l) => l.includes('blue9')) + 1}: check "nobcast": at: no node named "blue9"`);
  });

  it('grades an IMUNES .imn submission, and a formula-like student name stays text in the CSV', async () => {
    const d = tmp();
    expect((await cli('convert', join(LABS, 'static-routing.answer.vnet'), join(d, 'carol.imn'))).code).toBe(0);
    const answer = JSON.parse(readFileSync(join(LABS, 'static-routing.answer.vnet'), 'utf8'));
    writeFileSync(join(d, 'x.vnet'), JSON.stringify({ ...answer, lab: { student: '=HYPERLINK("http://evil")' } }));
    const r = await cli('grade', join(LABS, 'static-routing.vnet'), join(d, 'carol.imn'), join(d, 'x.vnet'));
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[1]).toMatch(/^carol,10,10,/);
    expect(lines[2]).toMatch(/^"'=HYPERLINK\(""http:\/\/evil""\)",10,10,/);
  });

  it('validate reports a lab and locates an error in its checks', async () => {
    const ok = await cli('validate', join(LABS, 'vlans.vnet'));
    expect(ok.stdout).toBe(`${join(LABS, 'vlans.vnet')}: valid (5 nodes, 4 links; lab "VLANs": 5 checks, 10 points)\n`);
    const d = tmp();
    const text = readFileSync(join(LABS, 'vlans.vnet'), 'utf8').replace('"at": "blue1:eth0"', '"at": "blue9:eth0"');
    writeFileSync(join(d, 'bad.vnet'), text);
    const bad = await cli('validate', join(d, 'bad.vnet'));
    expect(bad.code).toBe(2);
    const line = text.split('\n').findIndex((l) => l.includes('blue9')) + 1;
    expect(bad.stdout).toContain(`bad.vnet:${line}: check "nobcast": at: no node named "blue9"`);
  });

  it('convert to .imn leaves the lab out with a warning; to .vnet keeps it', async () => {
    const d = tmp();
    const r = await cli('convert', join(LABS, 'vlans.vnet'), join(d, 'vlans.imn'));
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/vlans\.imn:1: warning: the lab section \("VLANs": instructions, 5 checks, locks\) is left out/);
    expect(readFileSync(join(d, 'vlans.imn'), 'utf8')).not.toMatch(/isolated1|instructions/);
    const back = await cli('convert', join(LABS, 'vlans.vnet'), join(d, 'copy.vnet'));
    expect(back.stderr).toBe('');
    expect(readFileSync(join(d, 'copy.vnet'), 'utf8')).toBe(readFileSync(join(LABS, 'vlans.vnet'), 'utf8'));
  });

  it('grades 100 submissions of a 20-node lab in under 10 s', async () => {
    const d = tmp();
    const net = chainDoc(18); // pc1 — r1 … r18 — pc2: 20 nodes
    const lab: LabDoc = {
      title: 'chain',
      instructions: '# Chain',
      checks: [
        { id: 'ping', title: 'pc1 reaches pc2', points: 2, predicate: { type: 'ping', from: 'pc1', to: 'pc2', expect: 'reachable', count: 2 } },
        { id: 'route', title: 'r1 routes onward', points: 1, predicate: { type: 'route', node: 'r1', dest: '10.0.18.0/24', gateway: '10.0.1.1' } },
        { id: 'addr', title: 'pc2 numbered', points: 1, predicate: { type: 'address', node: 'pc2', subnet: '10.0.18.0/24' } },
        { id: 'path', title: 'crosses r9', points: 1, predicate: { type: 'path', from: 'pc1', to: 'pc2', through: ['r9'], avoid: [] } },
        { id: 'reply', title: 'reply seen', points: 1, predicate: { type: 'packet', at: 'pc1:eth0', filter: 'icmp.type==0' } },
        { id: 'netstat', title: 'netstat', points: 1, predicate: { type: 'command', node: 'r18', command: 'netstat -rn', pattern: '^10\\.0\\.0\\.0/24' } },
      ],
      locks: { kinds: true, links: true },
    };
    writeFileSync(join(d, 'lab.vnet'), serializeVnet({ ...net, lab }));
    const subs: string[] = [];
    for (let k = 0; k < 100; k++) {
      const f = join(d, `s${String(k).padStart(3, '0')}.vnet`);
      // Every tenth student forgot r1's route onward.
      const doc = structuredClone(net);
      if (k % 10 === 0) doc.nodes[1]!.routes4 = doc.nodes[1]!.routes4.filter((r) => r.dest !== '10.0.18.0/24');
      writeFileSync(f, serializeVnet(doc));
      subs.push(f);
    }
    const t0 = performance.now();
    const r = await cli('grade', join(d, 'lab.vnet'), ...subs, '--csv', join(d, 'out.csv'));
    const ms = performance.now() - t0;
    expect(r.code).toBe(0);
    const book = rows(readFileSync(join(d, 'out.csv'), 'utf8')).slice(1);
    expect(book).toHaveLength(100);
    expect(book.filter((row) => row[1] === '7')).toHaveLength(90);
    expect(book.filter((row) => row[1] !== '7').every((row) => row[4] === '0')).toBe(true);
    console.log(`graded 100 submissions of a 20-node lab in ${ms.toFixed(0)} ms`);
    expect(ms).toBeLessThan(10_000);
  }, 60_000);
});
