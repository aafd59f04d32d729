// Editing operations on annotations (rectangles, ovals, text, freeform drawings): pure
// functions returning a new document; never mutate the input. Refuse, never clamp: text
// and coordinates must stay within what the readers accept (limits.ts).

import type { AnnotationDoc, TopologyDoc } from './document';
import { LIMITS } from './limits';

export type AnnotationInput = Omit<AnnotationDoc, 'id'>;

/** Why annotation fields cannot be saved (a reader would refuse them), or null. */
function annotationProblem(a: Partial<AnnotationInput>): string | null {
  if (a.coords && (a.coords.length > LIMITS.MAX_COORDS || a.coords.some((c) => !Number.isFinite(c)))) return 'annotation coordinates must be numbers';
  if (a.label !== undefined && a.label.length > LIMITS.MAX_LABEL_CHARS) return `annotation text must be at most ${LIMITS.MAX_LABEL_CHARS} characters`;
  for (const k of ['labelColor', 'color', 'fill', 'font', 'canvas'] as const) {
    const v = a[k];
    if (v !== undefined && v.length > LIMITS.MAX_NAME_CHARS) return `annotation ${k} must be at most ${LIMITS.MAX_NAME_CHARS} characters`;
  }
  return null;
}

export function addAnnotation(doc: TopologyDoc, ann: AnnotationInput): { doc: TopologyDoc; annotationId: string } {
  const used = new Set(doc.annotations.map((a) => a.id));
  let i = 0;
  while (used.has(`a${i}`)) i++;
  const annotationId = `a${i}`;
  const copy: AnnotationDoc = { ...ann, id: annotationId, coords: [...ann.coords] };
  return { doc: { ...doc, annotations: [...doc.annotations, copy] }, annotationId };
}

export function updateAnnotation(doc: TopologyDoc, id: string, patch: Partial<AnnotationInput>): { doc: TopologyDoc } | { error: string } {
  if (!doc.annotations.some((a) => a.id === id)) return { error: `no annotation with id "${id}"` };
  const why = annotationProblem(patch);
  if (why) return { error: why };
  return { doc: { ...doc, annotations: doc.annotations.map((a) => (a.id === id ? { ...a, ...patch, id } : a)) } };
}

export function removeAnnotations(doc: TopologyDoc, ids: readonly string[]): TopologyDoc {
  const gone = new Set(ids);
  return { ...doc, annotations: doc.annotations.filter((a) => !gone.has(a.id)) };
}

