/**
 * A merchant's alert webhook for tests: an HTTP endpoint on an ephemeral loopback port that keeps
 * every JSON body the connector posts to it, in order.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AlertReceiver<T> {
  /** The URL to save as `alerts.webhookUrl`. */
  url: string;
  /** Every alert received so far. */
  alerts: T[];
  close(): Promise<void>;
}

export async function startAlertReceiver<T = Record<string, any>>(): Promise<AlertReceiver<T>> {
  const alerts: T[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => {
      alerts.push(JSON.parse(text) as T);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/alerts`,
    alerts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
