// Types of check.mjs for the tests that call it.
export interface LayeringViolation {
  rule: string;
  from: string;
  to: string;
  why: string;
}
export function checkLayering(base?: string): Promise<{ modules: number; dependencies: number; violations: LayeringViolation[] }>;
export function formatViolations(violations: LayeringViolation[]): string;
