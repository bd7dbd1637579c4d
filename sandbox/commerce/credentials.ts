/**
 * Sandbox integration credentials: what `.env.example` holds for the local Commerce simulator.
 * The access token doubles as a standalone bearer token (the simulator behaves as a store with
 * `oauth/consumer/enable_integration_as_bearer = 1`, commerce.md §1.2).
 */
export interface SimulatorCredentials {
  consumerKey: string;
  consumerSecret: string;
  accessToken: string;
  accessTokenSecret: string;
  /** IMS client credentials accepted by the simulator's `/ims/token/v3` (SaaS-style auth). */
  imsClientId: string;
  imsClientSecret: string;
}

export const SANDBOX_COMMERCE_CREDENTIALS: SimulatorCredentials = {
  consumerKey: 'sandbox-commerce-consumer-key',
  consumerSecret: 'sandbox-commerce-consumer-secret',
  accessToken: 'sandbox-commerce-token',
  accessTokenSecret: 'sandbox-commerce-token-secret',
  imsClientId: 'sandbox-ims-client-id',
  imsClientSecret: 'sandbox-ims-client-secret',
};
