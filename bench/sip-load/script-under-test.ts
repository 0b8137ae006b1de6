import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freeSipPort } from '../../resource-adaptors/sip/ra/free-sip-port.js';
import { BENCH_DOMAIN } from './node-under-test.js';
import { stopProcess } from './stop-process.js';

const here = dirname(fileURLToPath(import.meta.url));

/** The Node.js floor (`floor-relay.ts`): `floor-relay-main.js <port>`. */
export const FLOOR_RELAY = { name: 'the floor relay', main: join(here, 'floor-relay-main.js'), args: (port: number) => [String(port)] };

/**
 * The SIP stack alone: its standalone proxy example (resource-adaptors/sip/README.md), a stateful record-routing
 * proxy with an in-memory registrar and no SLEE, serving the benchmark's domain.
 */
export const STACK_PROXY = {
  name: 'the stack-alone proxy',
  main: join(here, '..', '..', 'resource-adaptors', 'sip', 'examples', 'standalone-proxy.js'),
  args: (port: number) => [String(port), BENCH_DOMAIN],
};

/** A proxy script run by Node.js as a process of its own on a free UDP port of 127.0.0.1, started once it prints a line (it listens). */
export class ScriptUnderTest {
  private constructor(
    private readonly child: ChildProcess,
    readonly sipPort: number,
  ) {}

  static async start(script: { name: string; main: string; args: (port: number) => string[] }): Promise<ScriptUnderTest> {
    const port = await freeSipPort('127.0.0.1');
    const child = spawn(process.execPath, [script.main, ...script.args(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const output: string[] = [];
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => output.push(chunk));
    const proxy = new ScriptUnderTest(child, port);
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout!.setEncoding('utf8').once('data', () => resolve());
        child.once('exit', (code) => reject(new Error(`${script.name} exited at start (${code}): ${output.join('')}`)));
      });
    } catch (error) {
      await proxy.stop();
      throw error;
    }
    return proxy;
  }

  get pid(): number {
    return this.child.pid!;
  }

  stop(): Promise<void> {
    return stopProcess(this.child, 5_000);
  }
}
