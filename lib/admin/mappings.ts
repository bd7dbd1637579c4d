/**
 * Mapping routes: the current document and its history, validate, save as a new version, roll
 * back, preview on a sample or the newest real record, and suggestions. Storage, layering and
 * validation are lib/mapping's; the panel's block view is mapping-view.ts.
 */
import type {
  MappingDocument as ViewDocument,
  MappingsResponse,
  PreviewMappingRequest,
  PreviewMappingResponse,
  SuggestionsResponse,
  ValidateMappingResponse,
  MappingDirection,
} from './contract';
import { createMappingRepository, type MappingRepository } from '../mapping/repository';
import { defaultMappingDocument } from '../mapping/defaults/document';
import { mapEntity, type MapContext } from '../mapping/pipeline';
import { isValidPath } from '../mapping/paths';
import type { EntityName, MappingDocument } from '../mapping/document';
import { suggestMappings, fieldsOfSchema, SourceError, TargetError } from '../insights/suggest';
import { Order } from '../model/order';
import { Customer } from '../model/customer';
import { Product } from '../model/product';
import { StockLevel } from '../model/stock-level';
import { Shipment } from '../model/shipment';
import { Refund } from '../model/refund';
import { GiftCard } from '../model/gift-card';
import type { z } from 'zod';
import { HttpError } from '../runtime/http-error';
import type { AdminContext } from './context';
import { fromView, isEntityName, toView, viewDirections, viewIssues, SOURCE_STAGE } from './mapping-view';
import { latestSample } from './samples';
import { saveSettingsMaps, withSettingsMaps } from './settings-maps';

export function mappingRepository(ctx: AdminContext): MappingRepository {
  return createMappingRepository(ctx.deps.platform.state, { clock: ctx.deps.platform.clock });
}

/**
 * The contract numbers versions from 1. Before the merchant saves anything the connector runs on
 * the defaults; the first read records them as version 1 ("connector defaults", no overrides) so
 * the history starts there and a later rollback can return to the defaults.
 */
export async function getMappings(ctx: AdminContext): Promise<MappingsResponse> {
  const repo = mappingRepository(ctx);
  let active = await repo.active();
  if (active.version === null) {
    const saved = await repo.save({}, { author: 'connector', note: 'connector defaults' });
    if (!saved.ok) throw new Error(`the default mapping does not validate: ${saved.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    active = await repo.active();
  }
  const history = (await repo.history()).map((h) => ({
    version: h.version,
    savedAt: h.savedAt,
    ...(h.author ? { savedBy: h.author } : {}),
    ...(h.note ? { note: h.note } : {}),
  }));
  return { version: active.version ?? 1, document: toView(withSettingsMaps(active.effective, await ctx.connector.settings())), history };
}

type Checked =
  | { ok: true; overrides: Record<string, unknown>; effective: MappingDocument; changedEntries: Record<string, Record<string, unknown>> }
  | { ok: false; errors: ValidateMappingResponse['errors'] };

async function check(view: ViewDocument, ctx: AdminContext): Promise<Checked> {
  const repo = mappingRepository(ctx);
  const active = await repo.active();
  const settings = await ctx.connector.settings();
  const translated = fromView(view, defaultMappingDocument(), active.overrides, withSettingsMaps(active.effective, settings));
  if (translated.issues.length > 0) return { ok: false, errors: translated.issues };
  const result = repo.validate(translated.overrides);
  if (!result.ok) return { ok: false, errors: viewIssues(result.issues, translated.paths) };
  return { ok: true, overrides: translated.overrides, effective: withSettingsMaps(result.effective, settings), changedEntries: translated.changedEntries };
}

export async function validateMapping(view: ViewDocument, ctx: AdminContext): Promise<ValidateMappingResponse> {
  const checked = await check(view, ctx);
  return checked.ok ? { valid: true, errors: [] } : { valid: false, errors: checked.errors };
}

function invalidDocument(errors: ValidateMappingResponse['errors']): HttpError {
  const first = errors[0];
  const field = first?.path ? `document.${first.path}` : 'document';
  return new HttpError(400, 'invalid_request', `${field}: ${first?.message ?? 'invalid mapping document'}`, field);
}

export async function saveMapping(view: ViewDocument, note: string | undefined, ctx: AdminContext): Promise<{ version: number }> {
  const checked = await check(view, ctx);
  if (!checked.ok) throw invalidDocument(checked.errors);
  const saved = await mappingRepository(ctx).save(checked.overrides, { author: ctx.actor, note });
  if (!saved.ok) throw invalidDocument(saved.issues);
  await saveSettingsMaps(ctx.deps.platform.state, await ctx.connector.settings(), checked.changedEntries);
  return { version: saved.version };
}

/** Stores already-translated overrides (flow filters edit the document directly). */
export async function saveOverrides(overrides: Record<string, unknown>, note: string, ctx: AdminContext, field: string): Promise<number> {
  const saved = await mappingRepository(ctx).save(overrides, { author: ctx.actor, note });
  if (!saved.ok) {
    const first = saved.issues[0];
    throw new HttpError(400, 'invalid_request', `${field}: ${first?.message ?? 'invalid'} (${first?.path ?? 'document'})`, field);
  }
  return saved.version;
}

export async function rollbackMapping(version: number, ctx: AdminContext): Promise<{ version: number }> {
  const repo = mappingRepository(ctx);
  if (!(await repo.get(version))) throw new HttpError(404, 'not_found', `version: there is no stored mapping version ${version}`, 'version');
  const saved = await repo.rollback(version, { author: ctx.actor });
  if (!saved.ok) throw new HttpError(409, 'invalid_version', `version: version ${version} no longer validates: ${saved.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, 'version');
  return { version: saved.version };
}

function entityOf(entity: string, direction: MappingDirection): EntityName {
  if (!isEntityName(entity)) throw new HttpError(400, 'invalid_request', `entity: unknown entity "${entity}"`, 'entity');
  if (!viewDirections(entity).includes(direction)) {
    throw new HttpError(400, 'invalid_request', `direction: ${entity} is synced ${viewDirections(entity).join(' and ').replace(/-/g, ' ')} only`, 'direction');
  }
  return entity;
}

/** Ids the flows would know from the settings; the rest show as placeholders in the preview. */
async function previewContext(ctx: AdminContext): Promise<MapContext> {
  const settings = await ctx.connector.settings();
  const numeric = (v: string | undefined) => (v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined);
  return { stationId: numeric(settings.stationId), sourceLocationId: numeric(settings.sourceLocationId) };
}

export async function previewMapping(request: PreviewMappingRequest, ctx: AdminContext): Promise<PreviewMappingResponse> {
  const entity = entityOf(request.entity, request.direction);
  let effective: MappingDocument;
  if (request.document) {
    const checked = await check(request.document, ctx);
    if (!checked.ok) return { output: null, errors: checked.errors.map((e) => ({ path: `document.${e.path}`, message: e.message })) };
    effective = checked.effective;
  } else {
    effective = withSettingsMaps(await mappingRepository(ctx).effective(), await ctx.connector.settings());
  }
  const sample = request.sample ?? (await latestSample(entity, request.direction, ctx));
  if (sample === undefined) {
    throw new HttpError(404, 'not_found', `sample: there is no ${entity} in ${request.direction.startsWith('commerce') ? 'Commerce' : 'Heartland'} yet; paste a sample payload`, 'sample');
  }
  const [from, to] = request.direction === 'commerce-to-heartland' ? (['commerce', 'heartland'] as const) : (['heartland', 'commerce'] as const);
  const context = await previewContext(ctx);
  let outcome: ReturnType<typeof mapEntity>;
  try {
    outcome = mapEntity({ entity, from, to, input: sample, document: effective, context });
  } catch (error) {
    // A pasted sample can be anything; a mapper that trips over it is reported like a mapping problem.
    return { output: null, errors: [{ path: 'sample', message: `the ${entity} mapping could not read this sample: ${(error as Error).message}` }] };
  }
  switch (outcome.status) {
    case 'mapped':
      return { output: outcome.output };
    case 'skipped':
      return { output: outcome.canonical, skipped: { reason: outcome.reason } };
    case 'invalid':
      return { output: null, errors: outcome.issues.map((i) => ({ path: i.path, message: i.message })) };
    default:
      throw new HttpError(400, 'invalid_request', `direction: ${outcome.message}`, 'direction');
  }
}

/** Canonical schemas: suggestions fill canonical fields, which is what source-stage rules write. */
const CANONICAL: Record<EntityName, z.ZodType> = { order: Order, customer: Customer, product: Product, stock: StockLevel, shipment: Shipment, refund: Refund, giftcard: GiftCard };

export async function suggestionsFor(entityName: string, direction: MappingDirection, ctx: AdminContext): Promise<SuggestionsResponse> {
  const entity = entityOf(entityName, direction);
  const sample = await latestSample(entity, direction, ctx);
  if (sample === undefined || sample === null) return [];
  const source = (Array.isArray(sample) ? sample.slice(0, 20) : sample) as Record<string, unknown> | Array<Record<string, unknown>>;
  const effective = await mappingRepository(ctx).effective();
  const alreadyMapped = (effective.entities[entity]?.[SOURCE_STAGE[direction]]?.rules ?? []).map((r) => ({ source: 'source' in r ? r.source : undefined, target: r.target }));
  try {
    return suggestMappings({ source, target: fieldsOfSchema(CANONICAL[entity]), alreadyMapped })
      // A rule writes one field: per-line targets (`lines[].sku`) cannot be a rule, so they are not offered.
      .filter((s) => isValidPath(s.source) && isValidPath(s.target, { allowEach: false }))
      .map((s) => ({ source: s.source, target: s.target, confidence: s.confidence, reason: s.reason }));
  } catch (error) {
    if (error instanceof SourceError || error instanceof TargetError) throw new HttpError(422, 'unsuitable_sample', `entity: ${error.message}`, 'entity');
    throw error;
  }
}
