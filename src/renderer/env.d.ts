// Ambient types for the renderer: Vite's client types (import.meta.glob, asset imports)
// and the untyped cytoscape-edgehandles extension. Declarations only.
/// <reference types="vite/client" />

declare module 'cytoscape-edgehandles' {
  import type { Ext } from 'cytoscape';
  const ext: Ext;
  export default ext;
}
