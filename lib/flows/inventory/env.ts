/** Builds a stock sync's environment from a flow unit's or a job's context. */
import { loadConnectorSettings, type ConnectorSettings } from '../../config/connector-settings';
import type { FlowContext, TaskContext } from '../../sync';
import type { StockEnv } from './stock-sync';
import type { PushOptions } from './push';

export async function stockEnvOf(ctx: FlowContext | TaskContext, overrides: { settings?: ConnectorSettings; push?: PushOptions } = {}): Promise<StockEnv> {
  return {
    heartland: ctx.client('heartland'),
    commerce: ctx.client('commerce'),
    files: ctx.files,
    state: ctx.state,
    clock: ctx.clock,
    logger: ctx.logger,
    settings: overrides.settings ?? (await loadConnectorSettings(ctx.state)),
    push: overrides.push,
  };
}
