/** What every page receives; apart from app.tsx, which imports the pages. */
export interface PageProps {
  /** The route after the page name, e.g. ['blocklist'] for #/profiles/blocklist. */
  path: string[];
}
