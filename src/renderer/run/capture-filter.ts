// The capture list's display filter. The language itself (parser and matcher) lives in
// src/emulator/filter/display-filter.ts so the headless lab grader shares it; this module
// only re-exports it for the renderer.
export { compileFilter, type FilterPredicate, type FilterResult, type FilterRow } from '../../emulator/filter/display-filter';
