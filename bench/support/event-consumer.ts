/**
 * The commerce-events action hosted in the benchmark's own process: the Commerce simulator
 * delivers each event here and the action's own `main` runs with the sandbox's connector inputs
 * plus `inputOverrides` (e.g. a raised `HEARTLAND_RATE_PER_SECOND`, which is an action input in
 * app.config.yaml). Everything the action does runs: envelope checks, type filter, card-data
 * masking, the per-container cap on units in flight, the pipeline.
 *
 * Why not the sandbox host: the host runs in the sandbox child on the same event loop as both
 * simulators and the state service, so the connector would be measured competing with them for
 * one thread. Here the connector has a process of its own, as a Runtime container would.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface EventConsumer {
  url: string;
  /** Activations that answered 5xx or threw (the simulator redelivers those). */
  readonly failures: number;
  close(): Promise<void>;
}

interface ActionResultLike {
  statusCode?: number;
  error?: { statusCode?: number };
  body?: unknown;
}

export async function startEventConsumer(inputs: Record<string, string>, inputOverrides: Record<string, string> = {}): Promise<EventConsumer> {
  const { main } = await import('../../actions/commerce-events/index');
  const params = { ...inputs, ...inputOverrides };
  let failures = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      let status = 500;
      let body: unknown;
      try {
        const event = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
        // Runtime merges the action's inputs with the event's fields into one params object.
        const result = (await main({ ...event, ...params })) as ActionResultLike;
        status = result.error?.statusCode ?? result.statusCode ?? 200;
        body = result.error ?? result.body;
      } catch (error) {
        body = { error: String(error) };
      }
      if (status >= 500) failures++;
      res.writeHead(status, { 'content-type': 'application/json' }).end(typeof body === 'string' ? body : JSON.stringify(body ?? {}));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    get failures() {
      return failures;
    },
    // Stops taking deliveries now; activations still queued behind the units-in-flight cap are
    // abandoned (the benchmark has taken its figures), not waited for.
    close: async () => {
      server.close();
      server.closeAllConnections();
    },
  };
}
