import { useState } from 'preact/hooks';
import { get, put } from '../../lib/api';
import { useLoad } from '../../lib/use-load';
import type { MessageTraceSettings, MessageTraceStatus } from '../../lib/types';
import { ActionButton } from '../../components/action-button';
import { ErrorBox } from '../../components/error-box';

type Scope = 'all' | 'user' | 'call';
type Output = 'log' | 'pcapng' | 'hep';

const OUTPUTS: Array<{ value: Output; label: string }> = [
  { value: 'log', label: "the node's log" },
  { value: 'pcapng', label: 'pcap-ng file (Wireshark)' },
  { value: 'hep', label: 'HEP JSON lines file (HOMER)' },
];

/** The SIP message trace (`/traces/messages`): start one for all traffic, a user or a Call-ID, see it count messages, stop it. */
export function MessageTrace() {
  // Polled so that the count of messages traced moves while calls flow.
  const status = useLoad(() => get<MessageTraceStatus>('/traces/messages'), [], 2000);
  const [scope, setScope] = useState<Scope>('user');
  const [match, setMatch] = useState('');
  const [output, setOutput] = useState<Output>('log');
  const settings = (): MessageTraceSettings => ({
    scope,
    ...(scope === 'user' ? { user: match.trim() } : scope === 'call' ? { callId: match.trim() } : {}),
    ...(output === 'log' ? { output: 'log' } : { output: 'file', format: output }),
  });
  const current = status.data;
  return (
    <>
      <h2>SIP message trace</h2>
      <p class="hint">
        Full SIP messages, to the log or to a file under the node's data directory. The node runs one trace at a time: starting one replaces the last.
      </p>
      <ErrorBox error={status.error} />
      <div class="card" data-testid="message-trace-form">
        <div class="inline-form">
          <label>
            Trace
            <select name="scope" value={scope} onChange={(e) => setScope(e.currentTarget.value as Scope)}>
              <option value="all">all traffic</option>
              <option value="user">one user</option>
              <option value="call">one Call-ID</option>
            </select>
          </label>
          <label>
            {scope === 'call' ? 'Call-ID' : 'User (bob or sip:bob@example.com)'}
            <input name="match" value={scope === 'all' ? '' : match} disabled={scope === 'all'} onInput={(e) => setMatch(e.currentTarget.value)} />
          </label>
          <label>
            To
            <select name="output" value={output} onChange={(e) => setOutput(e.currentTarget.value as Output)}>
              {OUTPUTS.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          </label>
          <ActionButton
            kind="primary"
            disabled={scope !== 'all' && !match.trim()}
            run={() => put('/traces/messages', settings()).then(status.reload)}
            done="SIP message trace started"
          >
            Start trace
          </ActionButton>
        </div>
      </div>
      {current && current.scope !== 'off' ? (
        <table class="grid" data-testid="message-traces">
          <thead>
            <tr>
              <th>Tracing</th>
              <th>Matching</th>
              <th>Output</th>
              <th>Messages</th>
              <th>Since</th>
              <th />
            </tr>
          </thead>
          <tbody>
            <tr data-trace={current.scope}>
              <td>{{ all: 'all traffic', user: 'one user', call: 'one Call-ID' }[current.scope]}</td>
              <td>{current.user ?? current.callId ?? ''}</td>
              <td>{outputOf(current)}</td>
              <td data-messages={current.messages}>{current.messages}</td>
              <td>{current.startedAt === null ? '' : new Date(current.startedAt).toLocaleTimeString()}</td>
              <td class="actions">
                <ActionButton kind="danger" run={() => put('/traces/messages', { scope: 'off' }).then(status.reload)} done="SIP message trace stopped">
                  Stop
                </ActionButton>
              </td>
            </tr>
          </tbody>
        </table>
      ) : current ? (
        <p class="hint" data-testid="no-message-trace">
          No SIP message trace running.
        </p>
      ) : null}
    </>
  );
}

function outputOf(s: MessageTraceStatus): string {
  if (s.output === 'log') return 'log';
  return `${s.format === 'hep' ? 'HEP JSON lines' : 'pcap-ng'}: ${s.file ?? ''}`;
}
