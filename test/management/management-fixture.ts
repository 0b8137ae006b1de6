import type { ResourceAdaptorType } from '../../slee/resource-adaptor/resource-adaptor-type.js';
import { ResourceAdaptorTypeRegistry } from '../../slee/resource-adaptor/resource-adaptor-type-registry.js';
import { Management } from '../../server/management/management.js';
import { ManagementServer } from '../../server/management/rest/management-server.js';
import { ManagementClient } from '../../server/management/client/management-client.js';
import { DirectResourceAdaptor } from '../../resource-adaptors/direct/direct-resource-adaptor.js';
import type { ProfileProvisioning } from '../../profiles/provisioning/profile-provisioning.js';
import { startCoreFixture, type CoreFixture } from '../helpers/core-fixture.js';

export const TOKEN = 'test-token-0123456789abcdef';

/** A resource-adaptor type with configuration properties of each kind, for create/reconfigure checks. */
export const echoType: ResourceAdaptorType = {
  id: { name: 'echo', vendor: 'test', version: '1.0' },
  configProperties: [
    { name: 'host', type: 'string', default: '127.0.0.1' },
    { name: 'port', type: 'number' },
    { name: 'verbose', type: 'boolean', default: false },
  ],
  create: () => new DirectResourceAdaptor([]),
};

export interface ManagementFixture extends CoreFixture {
  management: Management;
  server: ManagementServer;
  client: ManagementClient;
  url: string;
  close(): Promise<void>;
}

/** A running SLEE (core fixture), its management model and REST server on a free loopback port, and a client. */
export async function startManagementFixture(options: { profiles?: ProfileProvisioning } = {}): Promise<ManagementFixture> {
  const core = await startCoreFixture();
  const raTypes = new ResourceAdaptorTypeRegistry();
  raTypes.register(echoType);
  const management = new Management({ slee: core.slee, raTypes, ...(options.profiles ? { profiles: options.profiles } : {}) });
  const server = new ManagementServer({ management, token: TOKEN });
  const url = await server.listen('127.0.0.1', 0);
  return {
    ...core,
    management,
    server,
    url,
    client: new ManagementClient({ url, token: TOKEN }),
    close: async () => {
      await server.close();
      management.close();
      await core.close();
    },
  };
}
