// The shell over a node's files: > and >> for any command, cat/ls/rm/mkdir/printf, here-
// documents typed line by line, ed as a line editor, FreeBSD's error wording, and files
// that never leak into another node.
import { describe, expect, it } from 'vitest';
import { World } from '../engine/world';
import { nodeFiles } from '../node/files';
import { twoPcs } from '../../../test/scenarios/topologies';
import { runCommand } from './run-command';
import { openShell } from './session';

function open() {
  const world = new World(twoPcs(), { seed: 1 });
  let text = '';
  const shell = openShell(world, 'pc1', { write: (t) => (text += t) });
  const run = (line: string): number => {
    let code = -1;
    shell.exec(line, (c) => (code = c));
    return code;
  };
  return { world, shell, run, text: () => text, clear: () => (text = '') };
}

describe('shell file tools', () => {
  it('echo > and >> write the file; cat prints it; ls lists directories implied by paths', () => {
    const { world, run, text, clear } = open();
    expect(run('echo nameserver 10.0.0.53 > /etc/resolv.conf')).toBe(0);
    expect(run('echo "search lab" >> /etc/resolv.conf; printf "%s\\n" x > /tmp/a')).toBe(0);
    expect(text()).toBe('');
    run('cat /etc/resolv.conf /tmp/a');
    expect(text()).toBe('nameserver 10.0.0.53\nsearch lab\nx\n');
    clear();
    run('ls /; ls /etc');
    expect(text()).toBe('etc\ntmp\nresolv.conf\n');
    // Another node's files are its own.
    expect(runCommand(world, 'pc2', 'cat /etc/resolv.conf')).toMatchObject({ exitCode: 1, output: 'cat: /etc/resolv.conf: No such file or directory\n' });
  });

  it('errors print as FreeBSD prints them, and go to the terminal even when output is redirected', () => {
    const { run, text, world } = open();
    expect(run('cat /nope > /out')).toBe(1);
    expect(text()).toBe('cat: /nope: No such file or directory\n');
    expect(nodeFiles(world.nodeByName('pc1')!).read('/out')).toBe('');
    expect(run('rm /nope')).toBe(1);
    expect(run('echo x > /etc/y; rm /etc')).toBe(1);
    expect(text()).toContain('rm: /nope: No such file or directory\nrm: /etc: is a directory\n');
    expect(run('cat /etc')).toBe(1);
    expect(text()).toContain('cat: /etc: Is a directory\n');
    expect(run('echo > /etc')).toBe(2);
    expect(text()).toContain('sh: cannot create /etc: Is a directory\n');
    expect(run('rm -rf /etc; ls /etc')).toBe(1);
    expect(text()).toContain('ls: /etc: No such file or directory\n');
    expect(run('mkdir -p /usr/local/etc; mkdir /tmp')).toBe(0);
  });

  it('a here-document typed line by line becomes the file (blank and # lines included)', () => {
    const { run, world, shell } = open();
    const prompts: string[] = [];
    for (const l of ['cat > /usr/local/etc/dhcpd.conf << EOF', '# lab', '', 'subnet 10.0.0.0 netmask 255.255.255.0 {', '}', 'EOF']) {
      expect(run(l)).toBe(0);
      prompts.push(shell.prompt());
    }
    expect(prompts).toEqual(['> ', '> ', '> ', '> ', '> ', 'pc1# ']);
    expect(nodeFiles(world.nodeByName('pc1')!).read('/usr/local/etc/dhcpd.conf')).toBe('# lab\n\nsubnet 10.0.0.0 netmask 255.255.255.0 {\n}\n');
  });

  it('ed edits a file: append, change, delete, print, write', () => {
    const { shell, run, text, world } = open();
    run('printf "one\\ntwo\\nthree\\n" > /f');
    expect(run('ed /f << EOF')).toBe(0);
    for (const l of ['2c', 'TWO', '.', '$a', 'four', '.', '1d', ',n', 'w', 'q']) run(l);
    run('EOF');
    expect(nodeFiles(world.nodeByName('pc1')!).read('/f')).toBe('TWO\nthree\nfour\n');
    expect(text()).toContain('14\n1\tTWO\n2\tthree\n3\tfour\n15\n');
    // Interactive: the job reads what is typed.
    run('ed /g');
    expect(shell.input('a\nhello\n.\nw\nq\n')).toBe(true);
    expect(nodeFiles(world.nodeByName('pc1')!).read('/g')).toBe('hello\n');
  });

  it('files from the document are on the node at Start, and not on any other node', () => {
    const doc = twoPcs();
    doc.nodes[0].files = { '/etc/hosts': '127.0.0.1 localhost\n' };
    const world = new World(doc, { seed: 1 });
    expect(runCommand(world, 'pc1', 'cat /etc/hosts').output).toBe('127.0.0.1 localhost\n');
    expect(runCommand(world, 'pc2', 'ls /etc').exitCode).toBe(1);
  });
});
