import { readFile } from 'node:fs/promises';
import type { ComponentId } from '../../slee/component-model/component-id.js';
import { SleetError } from '../../base/errors/sleet-error.js';
import { ErrorCode, isSleetErrorCode } from '../../base/errors/error-codes.js';

export interface DeployOptions {
  /** Base URL of the node's management REST API, e.g. http://127.0.0.1:8080. */
  url: string;
  token: string;
  /** Activate the unit's services once installed. */
  activate?: boolean;
  /** Upgrade: `name:vendor:version` of the running service the new one replaces. */
  upgrade?: string;
}

export interface DeployResult {
  readonly unit: { id: string; components?: Array<{ kind: string; id: ComponentId }> };
  readonly activated: string[];
}

/** The only place the SDK talks HTTP: one management call, JSON or SleetError back. */
async function call(options: DeployOptions, method: string, path: string, body?: Buffer | object): Promise<unknown> {
  const headers: Record<string, string> = { authorization: `Bearer ${options.token}` };
  let payload: Uint8Array | string | undefined;
  if (Buffer.isBuffer(body)) {
    headers['content-type'] = 'application/gzip';
    payload = new Uint8Array(body);
  } else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const response = await fetch(new URL(path, options.url.endsWith('/') ? options.url : `${options.url}/`), {
    method,
    headers,
    ...(payload ? { body: payload } : {}),
  });
  const text = await response.text();
  const json = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
  if (!response.ok) {
    const message = typeof json?.message === 'string' ? json.message : `${method} ${path} failed with HTTP ${response.status}`;
    throw new SleetError(typeof json?.code === 'string' && isSleetErrorCode(json.code) ? json.code : ErrorCode.MANAGEMENT_UNAVAILABLE, message, {
      ...(json?.details ? { details: json.details } : {}),
    });
  }
  return json;
}

const ref = (id: ComponentId) => `${id.name}:${id.vendor}:${id.version}`;

/**
 * `sleet-sdk deploy`: installs a bundle through the management REST API,
 * then activates its services, or upgrades `options.upgrade` to its service.
 */
export async function deployBundle(archive: string, options: DeployOptions): Promise<DeployResult> {
  const unit = (await call(options, 'POST', 'deployment/units', await readFile(archive))) as DeployResult['unit'];
  const services = (unit.components ?? []).filter((c) => c.kind === 'service').map((c) => c.id);
  const activated: string[] = [];
  if (options.upgrade) {
    if (services.length !== 1)
      throw new SleetError(ErrorCode.MANAGEMENT_INVALID_INPUT, `--upgrade needs a unit with exactly one service; ${unit.id} has ${services.length}`);
    await call(options, 'POST', 'services/deactivate-and-activate', { deactivate: options.upgrade, activate: ref(services[0]!) });
    activated.push(ref(services[0]!));
  } else if (options.activate) {
    for (const service of services) {
      await call(options, 'POST', `services/${encodeURIComponent(ref(service))}/activate`);
      activated.push(ref(service));
    }
  }
  return { unit, activated };
}
