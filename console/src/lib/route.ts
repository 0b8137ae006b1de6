import { signalValue } from './signal-value';

/** The page is the location hash (`#/profiles/blocklist`): the server serves one index.html. */
export const route = signalValue(parse());

function parse(): string[] {
  return location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
}

addEventListener('hashchange', () => route.set(parse()));
// A new array on every change, so that watchers see it.
route.set(parse());

export function href(...parts: string[]): string {
  return `#/${parts.map(encodeURIComponent).join('/')}`;
}
