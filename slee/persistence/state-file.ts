import { mkdir, readFile, rename, writeFile, rm } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from './make-private.js';
import { SleetError } from '../../base/errors/sleet-error.js';
import { ErrorCode } from '../../base/errors/error-codes.js';

/**
 * A JSON document on disk that survives crashes: writes go to a temporary
 * file in the same directory and are renamed over the target, so a reader
 * sees either the old or the new document, never half of one. Writes are
 * serialised so the last `write` call always wins. The file is private to
 * the node's user (0600, in a 0700 directory when it creates one).
 */
export class StateFile<T> {
  private chain: Promise<void> = Promise.resolve();
  private counter = 0;

  constructor(
    readonly path: string,
    private readonly initial: () => T,
  ) {}

  /** The stored document, or `initial()` when the file does not exist yet. */
  async read(): Promise<T> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return this.initial();
      throw new SleetError(ErrorCode.STATE_FILE, `cannot read ${this.path}: ${(err as Error).message}`, { cause: err });
    }
    try {
      return JSON.parse(text) as T;
    } catch (err) {
      throw new SleetError(ErrorCode.STATE_FILE, `${this.path} is not valid JSON: ${(err as Error).message}`, { cause: err });
    }
  }

  /** Replaces the document atomically; resolves once it is on disk. */
  write(value: T): Promise<void> {
    const text = JSON.stringify(value, null, 2) + '\n';
    const next = this.chain.then(() => this.writeNow(text));
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** Reads, transforms and writes back, serialised with other writes. */
  async update(change: (current: T) => T): Promise<T> {
    let result!: T;
    const next = this.chain.then(async () => {
      result = change(await this.read());
      await this.writeNow(JSON.stringify(result, null, 2) + '\n');
    });
    this.chain = next.catch(() => undefined);
    await next;
    return result;
  }

  private async writeNow(text: string): Promise<void> {
    const dir = dirname(this.path);
    const temp = join(dir, `.${basename(this.path)}.${process.pid}.${this.counter++}.tmp`);
    try {
      await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
      await writeFile(temp, text, { flush: true, mode: PRIVATE_FILE_MODE });
      await rename(temp, this.path);
    } catch (err) {
      await rm(temp, { force: true });
      throw new SleetError(ErrorCode.STATE_FILE, `cannot write ${this.path}: ${(err as Error).message}`, { cause: err });
    }
  }
}
