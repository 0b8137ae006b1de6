import type { Logger } from 'pino';
import { TraceLevel, type TraceLevelName } from './trace-level.js';
import { Tracer } from './tracer.js';

const PINO_METHOD: Record<Exclude<TraceLevelName, 'OFF'>, 'error' | 'warn' | 'info' | 'debug' | 'trace'> = {
  SEVERE: 'error',
  WARNING: 'warn',
  INFO: 'info',
  CONFIG: 'info',
  FINE: 'debug',
  FINER: 'trace',
  FINEST: 'trace',
};

/**
 * Trace levels per notification source and tracer name (hierarchical: a
 * level set on `a` applies to `a.b` unless `a.b` has its own), written
 * through pino.
 */
export class TraceRegistry {
  private readonly levels = new Map<string, TraceLevelName>();
  private version = 0;

  constructor(
    private readonly logger: Logger,
    private readonly defaultLevel: TraceLevelName = 'INFO',
  ) {}

  setLevel(source: string, tracerName: string, level: TraceLevelName): void {
    this.levels.set(`${source}|${tracerName}`, level);
    this.version++;
  }

  /** The level in force: the nearest configured ancestor tracer name, else the default. */
  getLevel(source: string, tracerName: string): TraceLevelName {
    for (let name = tracerName; ; name = name.slice(0, Math.max(0, name.lastIndexOf('.')))) {
      const level = this.levels.get(`${source}|${name}`);
      if (level) return level;
      if (name === '') return this.defaultLevel;
    }
  }

  /** Every explicitly configured level. */
  listLevels(): Array<{ source: string; tracer: string; level: TraceLevelName }> {
    return [...this.levels].map(([key, level]) => {
      const [source, tracer] = key.split('|') as [string, string];
      return { source, tracer, level };
    });
  }

  tracer(source: string, tracerName = ''): Tracer {
    return new RegistryTracer(this, source, tracerName);
  }

  /** @internal */
  levelVersion(): number {
    return this.version;
  }

  /** @internal */
  write(source: string, tracer: string, level: Exclude<TraceLevelName, 'OFF'>, message: string, cause?: unknown): void {
    const fields: Record<string, unknown> = { source, tracer, traceLevel: level };
    if (cause !== undefined) fields.err = cause;
    const method = PINO_METHOD[level];
    // Whoever set a trace level asked to see it: below the logger's own level it is written at info rather than dropped.
    if (this.logger.isLevelEnabled(method)) this.logger[method](fields, message);
    else this.logger.info(fields, message);
  }
}

class RegistryTracer extends Tracer {
  private cachedLevel = 0;
  private cachedVersion = -1;

  constructor(
    private readonly registry: TraceRegistry,
    private readonly source: string,
    private readonly tracerName: string,
  ) {
    super();
  }

  get name(): string {
    return this.tracerName;
  }

  isEnabled(level: TraceLevelName): boolean {
    if (this.cachedVersion !== this.registry.levelVersion()) {
      this.cachedLevel = TraceLevel[this.registry.getLevel(this.source, this.tracerName)];
      this.cachedVersion = this.registry.levelVersion();
    }
    return level !== 'OFF' && TraceLevel[level] <= this.cachedLevel;
  }

  private emit(level: Exclude<TraceLevelName, 'OFF'>, message: string, cause?: unknown): void {
    if (this.isEnabled(level)) this.registry.write(this.source, this.tracerName, level, message, cause);
  }

  severe(message: string, cause?: unknown): void {
    this.emit('SEVERE', message, cause);
  }
  warning(message: string, cause?: unknown): void {
    this.emit('WARNING', message, cause);
  }
  info(message: string, cause?: unknown): void {
    this.emit('INFO', message, cause);
  }
  config(message: string): void {
    this.emit('CONFIG', message);
  }
  fine(message: string): void {
    this.emit('FINE', message);
  }
  finer(message: string): void {
    this.emit('FINER', message);
  }
  finest(message: string): void {
    this.emit('FINEST', message);
  }
  child(name: string): Tracer {
    return new RegistryTracer(this.registry, this.source, this.tracerName ? `${this.tracerName}.${name}` : name);
  }
}
