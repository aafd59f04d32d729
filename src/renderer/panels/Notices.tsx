// Notices over the canvas: the error/info banner (bad file with its located errors, a
// refused link) and the dismissable list of import warnings.
import { useState } from 'react';
import { useServices, useUi } from '../app-context';
import { UiIcon } from './ui-icons';

export function Banner() {
  const { uiStore } = useServices();
  const banner = useUi((u) => u.banner);
  if (!banner) return null;
  return (
    <div className={`banner ${banner.tone}`} role="alert" data-testid="banner">
      <div className="banner-body">
        <strong>{banner.title}</strong>
        {banner.detail && <pre>{banner.detail}</pre>}
      </div>
      <button type="button" className="icon-btn" aria-label="Dismiss" onClick={() => uiStore.getState().showBanner(null)}>
        <UiIcon name="close" size={16} />
      </button>
    </div>
  );
}

export function WarningsPanel() {
  const { uiStore } = useServices();
  const warnings = useUi((u) => u.warnings);
  // Collapsed by default so the list never hides the topology it describes.
  const [open, setOpen] = useState(false);
  if (warnings.length === 0) return null;
  return (
    <div className="warnings" data-testid="warnings">
      <div className="warnings-head">
        <UiIcon name="warn" size={16} />
        <strong>
          {warnings.length} import warning{warnings.length === 1 ? '' : 's'}
        </strong>
        <button type="button" className="link-btn" onClick={() => setOpen(!open)} data-testid="warnings-toggle">
          {open ? 'Hide' : 'Show'}
        </button>
        <button type="button" className="icon-btn" aria-label="Dismiss warnings" data-testid="warnings-dismiss" onClick={() => uiStore.getState().showWarnings([])}>
          <UiIcon name="close" size={16} />
        </button>
      </div>
      {open && (
      <ul>
        {warnings.map((w, i) => (
          <li key={i} className="mono">
            {w}
          </li>
        ))}
      </ul>
      )}
    </div>
  );
}

const TOOL_HINTS = {
  select: 'Click to select · Shift-drag for a box · drag to move · double-click renames · right-click for a menu · Esc clears',
  link: 'Drag from one node to another to link them · Esc to finish',
  place: 'Click on the canvas to place · Esc to finish',
  annotate: 'Click on the canvas to add the annotation',
} as const;

export function StatusBar({ running }: { running: boolean }) {
  const tool = useUi((u) => u.tool);
  return (
    <footer className="statusbar" data-testid="statusbar">
      <span>{running ? 'Network running — stop it to edit the topology' : TOOL_HINTS[tool.kind]}</span>
    </footer>
  );
}
