// A text field that edits one document value: keeps the user's draft, commits on Enter or
// blur, and shows the refusal reason inline (the value is refused, never clamped).
import { useEffect, useId, useState } from 'react';

export interface FieldProps {
  label: string;
  value: string;
  /** Applies the draft; returns the reason it was refused, or null. */
  commit(text: string): string | null;
  unit?: string;
  hint?: string;
  disabled?: boolean;
  testId?: string;
  mono?: boolean;
}

/** The user's draft of `value` and the refusal of its last commit; both reset when the value changes. */
export function useDraft(value: string) {
  const [draft, setDraft] = useState(value);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setDraft(value);
    setError(null);
  }, [value]);
  return { draft, setDraft, error, setError };
}

export function Field({ label, value, commit, unit, hint, disabled, testId, mono }: FieldProps) {
  const id = useId();
  const { draft, setDraft, error, setError } = useDraft(value);
  const apply = () => {
    if (draft === value) {
      setError(null);
      return;
    }
    setError(commit(draft.trim()));
  };
  return (
    <div className={`field${error ? ' invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <div className="field-input">
        <input
          id={id}
          value={draft}
          disabled={disabled}
          spellCheck={false}
          className={mono ? 'mono' : undefined}
          aria-invalid={!!error}
          aria-describedby={error ? `${id}-err` : undefined}
          data-testid={testId}
          onChange={(e) => setDraft(e.target.value)}
          onBlur={apply}
          onKeyDown={(e) => {
            if (e.key === 'Enter') apply();
            if (e.key === 'Escape') {
              setDraft(value);
              setError(null);
            }
          }}
        />
        {unit && <span className="unit">{unit}</span>}
      </div>
      {error ? (
        <div className="field-error" id={`${id}-err`} role="alert" data-testid={testId ? `${testId}-error` : undefined}>
          {error}
        </div>
      ) : (
        hint && <div className="field-hint">{hint}</div>
      )}
    </div>
  );
}

/** Parses a number the way a person types it; null when it is not one. */
export function parseNumber(text: string): number | null {
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(text)) return null;
  return Number(text);
}
