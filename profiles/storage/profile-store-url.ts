/** What a profile store URL may name: SQLite (a path, `sqlite:<path>` or `:memory:`) or MySQL/MariaDB. */
const PROFILE_STORE_SCHEMES = ['mysql', 'mariadb', 'sqlite'] as const;

/**
 * Why a profile store URL cannot be used, or null. A URL with another
 * scheme (`postgres://…`) would otherwise be taken as an SQLite file path
 * and create a file named like the URL.
 */
export function profileStoreUrlProblem(url: string): string | null {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme === undefined || url === ':memory:' || (PROFILE_STORE_SCHEMES as readonly string[]).includes(scheme)) return null;
  // One letter before ':' is a Windows drive, not a scheme.
  if (scheme.length === 1) return null;
  return `unsupported profile store scheme '${scheme}:': use an SQLite path, sqlite:<path>, :memory:, or mysql://user:pass@host:3306/db (MariaDB too)`;
}
