import { Slee, type SleeOptions } from '../../slee/container/slee.js';
import { defineEventType, type EventType } from '../../slee/component-model/event-type.js';
import { DirectResourceAdaptor } from '../../resource-adaptors/direct/direct-resource-adaptor.js';
import { silentLogger } from './silent-logger.js';

export interface Ping {
  n: number;
  delayMs?: number;
  fail?: boolean;
}

/** Event types the core tests fire. */
export const PingEvent: EventType<Ping> = defineEventType<Ping>('test.Ping', { short: 'Ping' });
export const PongEvent: EventType<Ping> = defineEventType<Ping>('test.Pong', { short: 'Pong' });
export const CallEvent: EventType<{ caller: string }> = defineEventType<{ caller: string }>('test.Call', { short: 'Call' });

export interface CoreFixture {
  slee: Slee;
  ra: DirectResourceAdaptor;
  close(): Promise<void>;
}

/** A running SLEE with a direct resource adaptor bound to link name 'direct'. */
export async function startCoreFixture(options: SleeOptions = {}): Promise<CoreFixture> {
  const slee = new Slee({ logger: silentLogger(), ...options });
  const ra = new DirectResourceAdaptor([PingEvent, PongEvent, CallEvent]);
  await slee.createResourceAdaptorEntity('direct', ra);
  slee.bindLinkName('direct', 'direct');
  await slee.activateResourceAdaptorEntity('direct');
  await slee.start();
  return {
    slee,
    ra,
    close: async () => {
      if (slee.state === 'RUNNING') await slee.stop();
    },
  };
}

/** Installs and activates services, returning their ids. */
export function deploy(slee: Slee, ...roots: Array<new (...args: never[]) => object>) {
  return roots.map((root) => {
    const id = slee.installService(root);
    slee.activateService(id);
    return id;
  });
}
