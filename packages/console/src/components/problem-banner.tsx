import type { ApiError } from "../api/problem.js";

/** An API error as the user sees it: the problem's code and its detail, in a live region. */
export function ProblemBanner({ error, onDismiss }: { error: ApiError | null; onDismiss?: () => void }) {
  if (error === null) return null;
  return (
    <div class="problem" role="alert">
      <code class="problem-code">{error.code}</code>
      <span class="problem-detail">{error.detail}</span>
      {onDismiss === undefined ? null : (
        <button type="button" class="link" onClick={onDismiss} aria-label="Dismiss error">
          ×
        </button>
      )}
    </div>
  );
}
