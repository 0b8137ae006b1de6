import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freeSipPort } from '../../resource-adaptors/sip/ra/free-sip-port.js';
import { stopProcess } from './stop-process.js';

const MAIN = join(dirname(fileURLToPath(import.meta.url)), 'floor-relay-main.js');

/** The floor relay (`floor-relay.ts`) as a process of its own on a free UDP port of 127.0.0.1, started once it listens. */
export class FloorRelayUnderTest {
  private constructor(
    private readonly child: ChildProcess,
    readonly sipPort: number,
  ) {}

  static async start(): Promise<FloorRelayUnderTest> {
    const port = await freeSipPort('127.0.0.1');
    const child = spawn(process.execPath, [MAIN, String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const output: string[] = [];
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => output.push(chunk));
    const relay = new FloorRelayUnderTest(child, port);
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout!.setEncoding('utf8').once('data', () => resolve());
        child.once('exit', (code) => reject(new Error(`the floor relay exited at start (${code}): ${output.join('')}`)));
      });
    } catch (error) {
      await relay.stop();
      throw error;
    }
    return relay;
  }

  get pid(): number {
    return this.child.pid!;
  }

  stop(): Promise<void> {
    return stopProcess(this.child, 5_000);
  }
}
