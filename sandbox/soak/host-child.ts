/**
 * The connector's Runtime host as its own process, for the soak: the soak kills it with SIGKILL
 * mid-run (a Runtime container dying) and starts it again on the same port. The state service and
 * both simulators live in the soak's process, like Adobe's state service and the real systems
 * outlive a container. Everything comes from the environment the soak sets (see host-process.ts).
 *
 * IPC (process.send): the child reports `{ready, url}`; the parent sends `{clockOffsetMs}` to move
 * the host's clock forward (skewed-clock.ts) and gets `{clockOffsetMs}` back.
 */
import { join } from 'node:path';
import { installSkewedClock, setClockOffset } from './skewed-clock';

installSkewedClock(Number(process.env.SOAK_CLOCK_OFFSET_MS ?? 0) || 0);

async function main(): Promise<void> {
  // Imported after the clock is installed so every module sees the shifted Date.
  const { startHost } = await import('../host');
  const { SANDBOX_ROOT } = await import('../sandbox');
  const port = Number(process.env.PORT);
  if (!Number.isInteger(port) || port <= 0) throw new Error(`PORT must be the port to listen on, got "${process.env.PORT}"`);
  const quiet = process.env.SOAK_HOST_LOG !== 'stdout';
  const host = await startHost({
    port,
    host: '127.0.0.1',
    appConfigPath: join(SANDBOX_ROOT, 'app.config.yaml'),
    env: process.env as Record<string, string>,
    webRoot: join(SANDBOX_ROOT, 'web-src', 'dist'),
    alarms: false,
    log: quiet ? () => undefined : (line) => console.log(line),
  });
  process.on('message', (message: unknown) => {
    const m = message as { clockOffsetMs?: number };
    if (typeof m?.clockOffsetMs === 'number') process.send?.({ clockOffsetMs: setClockOffset(m.clockOffsetMs) });
  });
  process.on('SIGTERM', () => void host.close().finally(() => process.exit(0)));
  // The soak went away (Ctrl-C, crash): a host nobody drives must not linger on its port.
  process.on('disconnect', () => process.exit(0));
  process.send?.({ ready: true, url: host.url, invokeUrl: host.invokeUrl('connector/scheduler'), authorization: host.authorization });
}

main().catch((error) => {
  console.error(`[soak host] failed to start: ${(error as Error).stack ?? error}`);
  process.exit(1);
});
