/**
 * A Commerce event consumer in the benchmark's own process, for runs that need client settings the
 * sandbox's actions do not take (a raised Heartland rate limit): the Commerce simulator delivers
 * to it instead of the host. It does what actions/commerce-events/consume.ts does after the
 * envelope checks (parse, area units, card-data masking, the per-container cap on units in
 * flight, run), with a connector built with `tuning`. The host's type filter and 413 guard are not on this path: the benchmark sends only
 * order saves.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseCommerceEvent } from '../../lib/commerce/events';
import { createConnector, unitsForCommerceEvent } from '../../lib/connector';
import type { ClientTuning } from '../../lib/connector/clients';
import { maskUnitHints } from '../../lib/security/card-data';
import { containerUnitGate, runRegisteredUnits, unitsInFlightFor } from '../../lib/sync';

export interface EventConsumer {
  url: string;
  close(): Promise<void>;
}

export async function startEventConsumer(inputs: Record<string, string>, tuning: ClientTuning): Promise<EventConsumer> {
  const connector = createConnector({ inputs, tuning });
  // The same per-container cap as the action, sized to the limit this connector's client really has.
  const gate = containerUnitGate('bench-event-consumer', unitsInFlightFor(tuning.heartlandRatePerSecond ?? connector.connection.heartland.ratePerSecond));
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      try {
        const event = parseCommerceEvent(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        const { units } = maskUnitHints(await unitsForCommerceEvent(connector, event));
        const outcomes = await runRegisteredUnits(units, connector.deps, { gate });
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(outcomes.map((o) => o.outcome)));
      } catch (error) {
        res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: String(error) }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
