import { test } from 'node:test';
import { sippSkipReason } from '../sip/interop/sipp-runner.js';
import { cdrScenario } from './cdr-scenario.js';

test('CDRs on SQLite: one per call attempt, queried by REST, CSV, CLI and client, none lost while the table is away', { skip: sippSkipReason() }, async (t) => {
  await cdrScenario(t, 'cdr-sqlite', {}, (node) => ({
    begin: async () => void (await node.profiles.dataSource.query('ALTER TABLE sleet_cdrs RENAME TO sleet_cdrs_away')),
    end: async () => void (await node.profiles.dataSource.query('ALTER TABLE sleet_cdrs_away RENAME TO sleet_cdrs')),
  }));
});
