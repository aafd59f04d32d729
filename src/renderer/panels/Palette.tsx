// The node palette: click a kind then click the canvas (the tool stays until Esc), or drag
// it onto the canvas. Shows each kind's icon with its name and a hint.
import { iconDataUri, PALETTE_KINDS } from '../canvas/icons';
import { PALETTE_MIME } from '../canvas/gestures';
import { useServices, useUi } from '../app-context';

export function Palette({ locked }: { locked: boolean }) {
  const { uiStore } = useServices();
  const tool = useUi((u) => u.tool);
  return (
    <nav className="palette" aria-label="Node palette">
      <div className="palette-title">Nodes</div>
      {PALETTE_KINDS.map((p) => {
        const active = tool.kind === 'place' && tool.nodeKind === p.kind;
        return (
          <button
            key={p.kind}
            type="button"
            className={`palette-item${active ? ' active' : ''}`}
            title={`${p.hint}. Click, then click the canvas; or drag onto the canvas.`}
            disabled={locked}
            draggable={!locked}
            data-testid={`palette-${p.kind}`}
            onClick={() => uiStore.getState().setTool(active ? { kind: 'select' } : { kind: 'place', nodeKind: p.kind })}
            onDragStart={(e) => {
              e.dataTransfer.setData(PALETTE_MIME, p.kind);
              e.dataTransfer.effectAllowed = 'copy';
            }}
          >
            <img src={iconDataUri(p.kind)} alt="" width={36} height={36} draggable={false} />
            <span>{p.label}</span>
          </button>
        );
      })}
    </nav>
  );
}
