import { ApiError } from '../lib/api';

/** An API failure in a page: the message, and the error code when there is one. */
export function ErrorBox({ error }: { error: Error | null }) {
  if (!error) return null;
  return (
    <div class="error-box" role="alert">
      {error instanceof ApiError ? <code>{error.code}</code> : null} {error.message}
    </div>
  );
}
