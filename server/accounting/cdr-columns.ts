/** A CDR's fields in the order of the table's columns and of the CSV export. */
export const CDR_COLUMNS = [
  'callId',
  'caller',
  'callee',
  'target',
  'service',
  'startedAt',
  'answeredAt',
  'endedAt',
  'durationMs',
  'status',
  'endReason',
  'node',
  'entity',
] as const;
