/** Lets the event loop go round `n` times: enough for queued deliveries to run, without a real-time wait. */
export async function turns(n = 1): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
