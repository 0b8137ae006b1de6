import { useState } from 'preact/hooks';
import { logIn } from '../lib/session';

/** Asks for the management token and keeps it once `GET /slee` accepts it. */
export function Login() {
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const candidate = value.trim();
    setBusy(true);
    setError(null);
    try {
      const response = await fetch('/slee', { headers: { authorization: `Bearer ${candidate}` } });
      if (response.ok) return logIn(candidate);
      setError(response.status === 401 ? 'The management API refused this token.' : `The management API answered ${response.status}.`);
    } catch (err) {
      setError(`The management API cannot be reached: ${(err as Error).message}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="login">
      <form onSubmit={(e) => void submit(e)} class="card">
        <h1>Sleet console</h1>
        <p class="hint">
          The management token is in <code>&lt;data-dir&gt;/management-token</code>, unless the node was started with <code>--management-token</code>.
        </p>
        <label>
          Management token
          <input name="token" type="password" autocomplete="current-password" value={value} onInput={(e) => setValue(e.currentTarget.value)} required />
        </label>
        <button type="submit" class="btn btn-primary" disabled={busy}>
          Log in
        </button>
        {error ? (
          <div class="error-box" role="alert">
            {error}
          </div>
        ) : null}
      </form>
    </div>
  );
}
