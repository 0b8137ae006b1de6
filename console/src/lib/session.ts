import { signalValue } from './signal-value';

const KEY = 'sleet.managementToken';

/** The management token, kept for this browser tab only (sessionStorage). */
export const token = signalValue<string | null>(sessionStorage.getItem(KEY));

export function logIn(value: string): void {
  sessionStorage.setItem(KEY, value);
  token.set(value);
}

export function logOut(): void {
  sessionStorage.removeItem(KEY);
  token.set(null);
}
