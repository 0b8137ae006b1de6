import { ErrorCode } from '../../base/errors/error-codes.js';
import { SleetError } from '../../base/errors/sleet-error.js';
import type { SleeTransaction } from '../../slee/transaction/slee-transaction.js';
import type { QueryParams } from '../query/compile-query.js';
import { matchesQuery } from '../query/matches-query.js';
import { queryBuilder, type QueryBuilder } from '../query/query-builder.js';
import { isQueryParam, type QueryExpression } from '../query/query-expression.js';
import type { ProfileSpecificationModel } from '../specification/profile-specification-model.js';
import type { ProfileChange } from '../storage/profile-change.js';
import { withDefaults } from '../storage/profile-defaults.js';
import type { ProfileRecord } from '../storage/profile-record.js';
import type { ProfileStore } from '../storage/profile-store.js';
import type { ProfileTableInfo } from '../storage/profile-table-info.js';
import { validateProfileValues } from '../storage/value-validation.js';
import { versionOf } from '../storage/record-version.js';
import { ProfileCache, type CacheScope } from './profile-cache.js';
import { ProfileWriteParticipant } from './profile-write-participant.js';
import { transactionView, type TransactionView } from './transaction-view.js';
import { attributeOf } from '../specification/attribute-of.js';
import { paramsKey } from './params-key.js';

export interface ProfileFacilityOptions {
  /** Maximum cached lookups (0 disables the cache). Default 10,000. */
  cacheSize?: number;
  /** Told when the database fails to take an SBB transaction's writes (the transaction is rolled back). */
  onCommitFailed?: (error: SleetError) => void;
}

function longestPrefixAttribute(expr: QueryExpression): string | undefined {
  if (expr.op === 'longestPrefixMatch') return expr.attribute;
  if (expr.op === 'and')
    for (const o of expr.operands) {
      const found = longestPrefixAttribute(o);
      if (found) return found;
    }
  return undefined;
}

/** An equality lookup on a single string attribute depends on the profiles holding that value; any other on the whole table. */
function valueScope(spec: ProfileSpecificationModel, attribute: string | undefined, value: unknown): CacheScope {
  if (typeof value !== 'string') return 'table';
  const model = attributeOf(spec, attribute);
  return model !== undefined && model.kind === 'string' && !model.array ? { attribute: model.name, value } : 'table';
}

const BY_NAME = (): CacheScope => 'name';

/** A change's committed states of the profile: before, after, or both. */
function recordsOf(change: ProfileChange): ProfileRecord[] {
  if (change.kind === 'added') return [change.after];
  if (change.kind === 'removed') return [change.before];
  return [change.before, change.after];
}

const byName = (a: ProfileRecord, b: ProfileRecord) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * What SBBs use to read and (for writable specs) change profiles. Inside a
 * SLEE transaction reads are repeatable and see the transaction's own writes;
 * writes are applied by an enlisted participant when the transaction commits,
 * and refused there if a profile changed since this transaction read it.
 */
export class ProfileFacility {
  private readonly cache: ProfileCache;
  /** Tables other processes write (see writtenElsewhere). */
  private readonly elsewhereTables = new Set<string>();
  /** The store's count of other processes' commits when last read; an object, so views (`forTransactions`) share it. */
  private readonly elsewhere: { seen?: number } = {};
  private readonly unsubscribe: Array<() => void>;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly onCommitFailed: (error: SleetError) => void;

  /** Shared-cache lookups answered from memory and those that went to the store. */
  get cacheStats(): { hits: number; misses: number; size: number } {
    return { hits: this.cache.hits, misses: this.cache.misses, size: this.cache.size };
  }

  constructor(
    private readonly store: ProfileStore,
    private readonly currentTransaction: () => SleeTransaction | undefined,
    options: ProfileFacilityOptions = {},
  ) {
    this.cache = new ProfileCache(options.cacheSize ?? 10_000);
    this.onCommitFailed = options.onCommitFailed ?? (() => undefined);
    this.unsubscribe = [
      store.onChange((c) => this.cache.profileChanged(c.table, c.profileName, recordsOf(c))),
      store.onTableChange((c) => {
        this.cache.invalidateTable(c.table);
        if (c.kind === 'tableRenamed') this.cache.invalidateTable(c.newName);
      }),
    ];
  }

  /**
   * A view of this facility for another transaction source (one per pooled
   * SBB object), sharing this facility's store, cache and pending writes.
   * `onCommitFailed`, if given, replaces the facility's for this view.
   */
  forTransactions(currentTransaction: () => SleeTransaction | undefined, onCommitFailed?: (error: SleetError) => void): ProfileFacility {
    const view = Object.create(this) as ProfileFacility;
    Object.defineProperty(view, 'currentTransaction', { value: currentTransaction });
    if (onCommitFailed) Object.defineProperty(view, 'onCommitFailed', { value: onCommitFailed });
    return view;
  }

  /**
   * Another process changed this table (a profile of it, when named) in the
   * shared store: what this cache holds of it is dropped, as for a change of
   * its own, so that a lookup does not answer from before that change.
   */
  forget(table: string, profileName?: string): void {
    if (profileName === undefined) this.cache.invalidateTable(table);
    else this.cache.profileChanged(table, profileName);
  }

  /**
   * Reads of this table see other processes' writes at once: for a table
   * other processes write (registrations, when nodes or workers share the
   * store: a call routed just after a REGISTER another process took). Where
   * the store can tell cheaply that no other process has committed since
   * the last read (SQLite, `ProfileStore.externalChanges`), the cache still
   * answers; otherwise (MySQL/MariaDB) every read goes to the store.
   */
  writtenElsewhere(table: string): void {
    this.elsewhereTables.add(table);
  }

  /** Stops listening to the store. */
  close(): void {
    for (const u of this.unsubscribe) u();
  }

  /** Resolves once every rolled-back SBB write has been discarded by the database (commits are done when the SLEE reports them). */
  async flush(): Promise<void> {
    await Promise.all([...this.inFlight]);
  }

  // ---- reads ----

  async get<T = Record<string, unknown>>(table: string, name: string): Promise<ProfileRecord<T> | undefined> {
    const view = this.view();
    const own = view?.overlay?.get(table)?.get(name);
    if (own !== undefined) return (own ?? undefined) as ProfileRecord<T> | undefined;
    const record = await this.read(view, table, `n:${name}`, BY_NAME, () => this.store.getProfile(table, name));
    return (record ?? undefined) as ProfileRecord<T> | undefined;
  }

  /** The JSLEE address profile: the profile whose address attribute equals `address`. */
  async findByAddress<T = Record<string, unknown>>(table: string, address: string): Promise<ProfileRecord<T> | undefined> {
    const view = this.view();
    const scope = () => {
      const spec = this.store.tableInfo(table).spec;
      return valueScope(spec, spec.addressAttribute, address);
    };
    const base = await this.read(view, table, `a:${address}`, scope, () => this.store.findByAddress(table, address));
    const overlay = view?.overlay?.get(table);
    if (!overlay || overlay.size === 0) return (base ?? undefined) as ProfileRecord<T> | undefined;
    const attr = this.store.tableInfo(table).spec.addressAttribute!;
    const own = [...overlay.values()].filter((r): r is ProfileRecord => r !== null && r.values[attr] === address).sort(byName);
    if (own.length > 0) return own[0] as ProfileRecord<T>;
    return (base && !overlay.has(base.name) ? base : undefined) as ProfileRecord<T> | undefined;
  }

  /** Runs a static query declared on the table's spec. */
  async query<T = Record<string, unknown>>(table: string, queryName: string, params: QueryParams = {}): Promise<ProfileRecord<T>[]> {
    const view = this.view();
    const spec = this.store.tableInfo(table).spec;
    const expr = spec.queries[queryName];
    const scope = () => (expr?.op === 'equals' && isQueryParam(expr.value) ? valueScope(spec, expr.attribute, params[expr.value.param]) : 'table');
    const base = await this.read(view, table, `q:${queryName}:${paramsKey(params)}`, scope, () => this.store.query(table, queryName, params));
    return this.withOwnWrites(view, table, expr!, params, base ?? []) as ProfileRecord<T>[];
  }

  /** Runs a dynamic query. Not cached across transactions (the expression is arbitrary). */
  async find<T = Record<string, unknown>>(
    table: string,
    query: QueryExpression | ((q: QueryBuilder) => QueryExpression),
    params: QueryParams = {},
  ): Promise<ProfileRecord<T>[]> {
    const view = this.view();
    const expr = typeof query === 'function' ? query(queryBuilder) : query;
    const base = await this.store.find(table, expr, params);
    if (view) rememberVersions(view, base);
    return this.withOwnWrites(view, table, expr, params, base) as ProfileRecord<T>[];
  }

  // ---- writes (inside a transaction, writable specs only) ----

  async set(table: string, name: string, changes: Readonly<Record<string, unknown>>): Promise<void> {
    const { view, info } = this.forWrite(table);
    validateProfileValues(info.spec, changes, false);
    const current = await this.get(table, name);
    if (!current) throw notFound(table, name);
    const values = { ...current.values, ...changes };
    validateProfileValues(info.spec, values, true);
    const expectedVersion = this.expectedVersion(view, table, name);
    this.stage(view, table, name, values, { kind: 'update', table, name, changes: { ...changes }, ...expectedVersion });
  }

  async create(table: string, name: string, values: Readonly<Record<string, unknown>> = {}): Promise<void> {
    const { view, info } = this.forWrite(table);
    validateProfileValues(info.spec, values, false);
    const full = withDefaults(info, values);
    validateProfileValues(info.spec, full, true);
    if (await this.get(table, name)) {
      throw new SleetError(ErrorCode.PROFILE_EXISTS, `profile '${name}' already exists in table '${table}'`, { details: { table, profileName: name } });
    }
    this.stage(view, table, name, full, { kind: 'create', table, name, values: { ...values } });
  }

  async remove(table: string, name: string): Promise<void> {
    const { view } = this.forWrite(table);
    if (!(await this.get(table, name))) throw notFound(table, name);
    this.stage(view, table, name, null, { kind: 'remove', table, name, ...this.expectedVersion(view, table, name) });
  }

  // ---- internals ----

  /**
   * The version this transaction first read the profile at, which the write
   * must still find; none once the transaction wrote the profile itself (its
   * first write carries the check).
   */
  private expectedVersion(view: TransactionView, table: string, name: string): { expectedVersion?: number } {
    if (view.overlay?.get(table)?.has(name)) return {};
    const version = view.versions.get(`${table}\u0000${name}`);
    return version === undefined ? {} : { expectedVersion: version };
  }

  private view(): TransactionView | undefined {
    const tx = this.currentTransaction();
    return tx ? transactionView(tx) : undefined;
  }

  /** Transaction snapshot, then shared cache, then the store; the result is remembered in both. */
  private async read<R extends ProfileRecord | ProfileRecord[]>(
    view: TransactionView | undefined,
    table: string,
    key: string,
    /** What the value depends on, asked only when it is read from the store. */
    scope: () => CacheScope,
    load: () => Promise<R | undefined>,
  ): Promise<R | null> {
    const viewKey = `${table}\u0000${key}`;
    if (view?.reads.has(viewKey)) return view.reads.get(viewKey) as R | null;
    let value: R | null | undefined;
    if (this.elsewhereTables.has(table) && !this.unchangedElsewhere()) value = (await load()) ?? null;
    else {
      value = this.cache.get(table, key) as R | null | undefined;
      if (value === undefined) {
        const depends = scope();
        const stamp = this.cache.stamp(table, depends);
        value = (await load()) ?? null;
        this.cache.put(table, key, value, stamp, depends);
      }
    }
    if (view) {
      view.reads.set(viewKey, value);
      if (value) rememberVersions(view, Array.isArray(value) ? value : [value]);
    }
    return value;
  }

  /** False when another process may have written the store since the last look: what is cached of the tables it writes is dropped. */
  private unchangedElsewhere(): boolean {
    const seen = this.store.externalChanges();
    if (seen === undefined) return false;
    if (seen !== this.elsewhere.seen) {
      this.elsewhere.seen = seen;
      for (const table of this.elsewhereTables) this.cache.invalidateTable(table);
    }
    return true;
  }

  private withOwnWrites(
    view: TransactionView | undefined,
    table: string,
    expr: QueryExpression,
    params: QueryParams,
    base: readonly ProfileRecord[],
  ): ProfileRecord[] {
    const overlay = view?.overlay?.get(table);
    if (!overlay || overlay.size === 0) return [...base];
    const spec = this.store.tableInfo(table).spec;
    const own = [...overlay.values()].filter((r): r is ProfileRecord => r !== null && matchesQuery(spec, expr, r.values, params));
    const merged = [...base.filter((r) => !overlay.has(r.name)), ...own].sort(byName);
    const lpm = longestPrefixAttribute(expr);
    if (lpm === undefined || merged.length <= 1) return merged;
    // The database gave its single longest match; compare it with this transaction's own candidates.
    const length = (r: ProfileRecord) => [...String(r.values[lpm])].length;
    return [merged.reduce((best, r) => (length(r) > length(best) ? r : best))];
  }

  private forWrite(table: string): { view: TransactionView; info: ProfileTableInfo } {
    const tx = this.currentTransaction();
    if (!tx) {
      throw new SleetError(ErrorCode.TRANSACTION_REQUIRED, `writing profile table '${table}' needs a SLEE transaction`, { details: { table } });
    }
    const info = this.store.tableInfo(table);
    if (!info.spec.writable) {
      throw new SleetError(ErrorCode.PROFILE_READ_ONLY, `profile table '${table}' (spec ${info.spec.id}) is not writable from SBBs`, {
        details: { table, spec: info.spec.id },
      });
    }
    const view = transactionView(tx);
    if (view.sealed) {
      throw new SleetError(ErrorCode.TRANSACTION_REQUIRED, `writing profile table '${table}': the transaction is already committing`, { details: { table } });
    }
    if (!view.participant) {
      view.participant = new ProfileWriteParticipant(
        this.store,
        view,
        this.cache,
        (p) => {
          this.inFlight.add(p);
          void p.finally(() => this.inFlight.delete(p));
        },
        this.onCommitFailed,
      );
      tx.enlist(view.participant);
    }
    return { view, info };
  }

  private stage(view: TransactionView, table: string, name: string, values: Record<string, unknown> | null, write: TransactionView['writes'][number]): void {
    const tables = (view.overlay ??= new Map());
    let overlay = tables.get(table);
    if (!overlay) tables.set(table, (overlay = new Map()));
    overlay.set(name, values === null ? null : Object.freeze({ table, name, values: Object.freeze(values) }));
    view.writes.push(write);
  }
}

/** Records the version each profile had when this transaction first saw it. */
function rememberVersions(view: TransactionView, records: readonly ProfileRecord[]): void {
  for (const r of records) {
    const key = `${r.table}\u0000${r.name}`;
    if (view.versions.has(key)) continue;
    const version = versionOf(r);
    if (version !== undefined) view.versions.set(key, version);
  }
}

function notFound(table: string, name: string): SleetError {
  return new SleetError(ErrorCode.PROFILE_NOT_FOUND, `profile '${name}' does not exist in table '${table}'`, { details: { table, profileName: name } });
}
