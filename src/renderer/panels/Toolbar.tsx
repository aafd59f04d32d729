// The top toolbar, one row down to 1280 px wide: file, history, tools, align, grid, labels,
// view, an overflow menu (exports) and the run slot's Start/Stop button. Buttons call
// commands; no document logic here.
import { useEffect, useRef, useState } from 'react';
import { useServices, useDoc, useUi } from '../app-context';
import * as C from '../commands';
import type { RunControls } from '../run-slot';
import * as A from '../store/editor-actions';
import type { Tool } from '../store/ui-store';
import type { Alignment } from '../../emulator/topology/edit';
import { UiIcon, type UiIconName } from './ui-icons';

function Btn(props: { icon: UiIconName; label: string; onClick: () => void; disabled?: boolean; active?: boolean; showLabel?: boolean; testId?: string; shortcut?: string }) {
  return (
    <button
      type="button"
      className={`tb-btn${props.active ? ' active' : ''}${props.showLabel ? ' with-label' : ''}`}
      title={props.shortcut ? `${props.label} (${props.shortcut})` : props.label}
      aria-label={props.label}
      aria-pressed={props.active}
      disabled={props.disabled}
      onClick={props.onClick}
      data-testid={props.testId}
    >
      <UiIcon name={props.icon} />
      {props.showLabel && <span>{props.label}</span>}
    </button>
  );
}

/** The toolbar's overflow menu: commands used less often than the row's buttons. */
function MoreMenu({ items }: { items: { label: string; testId: string; run(): void }[] }) {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (e: Event) => {
      if (!(e.target instanceof Node && ref.current?.contains(e.target))) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false);
    window.addEventListener('pointerdown', close, true);
    window.addEventListener('keydown', onKey, true);
    return () => {
      window.removeEventListener('pointerdown', close, true);
      window.removeEventListener('keydown', onKey, true);
    };
  }, [open]);
  return (
    <div className="tb-more" ref={ref}>
      <Btn icon="more" label="More: export" active={open} onClick={() => setOpen(!open)} testId="tb-more" />
      {open && (
        <div className="context-menu tb-more-menu" role="menu">
          {items.map((it) => (
            <button
              key={it.testId}
              type="button"
              role="menuitem"
              data-testid={it.testId}
              onClick={() => {
                setOpen(false);
                it.run();
              }}
            >
              <UiIcon name="image" size={16} />
              <span>{it.label}</span>
            </button>
          ))}
        </div>
      )}
    </div>
  );
}

const ALIGNMENTS: [Alignment, string][] = [
  ['left', 'Align left'], ['center-x', 'Align centres (vertical line)'], ['right', 'Align right'],
  ['top', 'Align top'], ['center-y', 'Align middles (horizontal line)'], ['bottom', 'Align bottom'],
  ['distribute-x', 'Distribute horizontally'], ['distribute-y', 'Distribute vertically'],
];

const LABEL_NAMES = { names: 'Names', addresses: 'IPv4', ipv6: 'IPv6', interfaces: 'Interfaces', linkParams: 'Params' } as const;

const sameTool = (a: Tool, b: Tool) => a.kind === b.kind && (a.kind !== 'annotate' || (b.kind === 'annotate' && a.shape === b.shape));

export function Toolbar({ run }: { run: RunControls }) {
  const s = useServices();
  const canUndo = useDoc((d) => d.past.length > 0);
  const canRedo = useDoc((d) => d.future.length > 0);
  const nSelected = useDoc((d) => d.selection.nodes.length);
  const tool = useUi((u) => u.tool);
  const labels = useUi((u) => u.labels);
  const snap = useUi((u) => u.snapToGrid);
  const recent = useUi((u) => u.recent);
  const locked = run.running;
  const setTool = (t: Tool) => s.uiStore.getState().setTool(t);
  const toolBtn = (t: Tool, icon: UiIconName, label: string, shortcut?: string, testId?: string) => (
    <Btn icon={icon} label={label} shortcut={shortcut} active={sameTool(tool, t)} disabled={locked && t.kind !== 'select'} onClick={() => setTool(t)} testId={testId} />
  );
  return (
    <header className="toolbar" role="toolbar" aria-label="Editor">
      <div className="brand">
        <span className="brand-mark">V</span>
        <span className="brand-name">VirtNet</span>
      </div>
      <div className="tb-group">
        <Btn icon="new" label="New" onClick={() => void C.newDocument(s)} disabled={locked} testId="tb-new" />
        <Btn icon="open" label="Open" shortcut="Ctrl+O" onClick={() => void C.openDocument(s)} disabled={locked} testId="tb-open" />
        <Btn icon="save" label="Save" shortcut="Ctrl+S" onClick={() => void C.saveDocument(s)} testId="tb-save" />
        <Btn icon="saveAs" label="Save As" shortcut="Ctrl+Shift+S" onClick={() => void C.saveDocumentAs(s)} testId="tb-save-as" />
        <select className="tb-select" aria-label="Open a recent file" title="Recent files" value="" disabled={locked || recent.length === 0} data-testid="tb-recent" onChange={(e) => void C.openRecent(s, e.target.value)}>
          <option value="" disabled>
            Recent…
          </option>
          {recent.map((r) => (
            <option key={r} value={r}>
              {r.split(/[\\/]/).pop()}
            </option>
          ))}
        </select>
      </div>
      <div className="tb-group">
        <Btn icon="undo" label="Undo" shortcut="Ctrl+Z" onClick={() => C.undo(s)} disabled={!canUndo || locked} testId="tb-undo" />
        <Btn icon="redo" label="Redo" shortcut="Ctrl+Shift+Z" onClick={() => C.redo(s)} disabled={!canRedo || locked} testId="tb-redo" />
      </div>
      <div className="tb-group">
        {toolBtn({ kind: 'select' }, 'select', 'Select / move', 'V', 'tool-select')}
        {toolBtn({ kind: 'link' }, 'link', 'Draw links (drag node to node)', 'L', 'tool-link')}
        {toolBtn({ kind: 'annotate', shape: 'text' }, 'text', 'Text annotation', undefined, 'tool-text')}
        {toolBtn({ kind: 'annotate', shape: 'rectangle' }, 'rect', 'Rectangle annotation', undefined, 'tool-rect')}
        {toolBtn({ kind: 'annotate', shape: 'oval' }, 'oval', 'Oval annotation', undefined, 'tool-oval')}
      </div>
      <div className="tb-group">
        <select
          className="tb-select"
          aria-label="Align or distribute"
          title="Align or distribute the selected nodes"
          value=""
          disabled={nSelected < 2 || locked}
          data-testid="tb-align"
          onChange={(e) => A.align(s.docStore, e.target.value as Alignment)}
        >
          <option value="" disabled>
            Align…
          </option>
          {ALIGNMENTS.map(([v, label]) => (
            <option key={v} value={v}>
              {label}
            </option>
          ))}
        </select>
        <Btn icon="grid" label="Snap to grid" active={snap} onClick={() => s.uiStore.getState().setSnap(!snap)} />
      </div>
      <div className="tb-group labels" role="group" aria-label="Labels">
        {(['names', 'addresses', 'ipv6', 'interfaces', 'linkParams'] as const).map((k) => (
          <label key={k} className="chip">
            <input type="checkbox" checked={labels[k]} onChange={() => s.uiStore.getState().toggleLabel(k)} data-testid={`label-${k}`} />
            {LABEL_NAMES[k]}
          </label>
        ))}
      </div>
      <div className="tb-group">
        <Btn icon="zoomOut" label="Zoom out" onClick={() => C.zoomBy(s, 1 / 1.25)} />
        <Btn icon="zoomIn" label="Zoom in" onClick={() => C.zoomBy(s, 1.25)} />
        <Btn icon="fit" label="Fit to window" shortcut="Ctrl+0" onClick={() => C.fit(s)} testId="tb-fit" />
      </div>
      <div className="tb-group">
        <MoreMenu
          items={[
            { label: 'Export PNG image', testId: 'tb-export-png', run: () => void C.exportPng(s) },
            { label: 'Export SVG drawing', testId: 'tb-export-svg', run: () => void C.exportSvgFile(s) },
          ]}
        />
      </div>
      <div className="tb-spacer" />
      <button
        type="button"
        className={`run-btn${run.running ? ' running' : ''}`}
        disabled={run.busy}
        onClick={() => void (run.running ? run.stop() : run.start())}
        data-testid="tb-run"
        title={run.running ? 'Stop the network' : 'Start the network'}
      >
        <UiIcon name={run.running ? 'stop' : 'play'} />
        {run.running ? 'Stop' : 'Start'}
      </button>
    </header>
  );
}
