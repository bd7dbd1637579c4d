/**
 * Where the merchant's mapping lives: every saved version under `cfg.mapping.<version>` and a
 * pointer with the history under `cfg.mapping.current` (DESIGN.md §5, TTL 365 d). Versions are
 * never changed after they are written; a rollback saves the old document again as a new version,
 * so the history reads as what happened. Only the panel and the CLI save (one person at a time),
 * which is why the single read-modify-write of the pointer is acceptable here (DESIGN.md §1.3).
 */
import type { Clock, StateStore } from '../platform/ports';
import { systemClock } from '../platform/ports';
import { stateKey } from '../platform/state-key';
import type { FieldIssue } from '../model/field-issues';
import { checkReferences, type MappingDocument, parseMappingDocument } from './document';
import { defaultMappingDocument } from './defaults/document';
import { layerMapping } from './layering';

export const MAPPING_TTL_SECONDS = 365 * 24 * 3600;
/** Keys are rewritten when read this long after the last write, so a mapping in use never expires. */
const REFRESH_AFTER_MS = 30 * 24 * 3600 * 1000;
/** History entries kept in the pointer (older versions stay readable until their TTL ends). */
const HISTORY_LIMIT = 200;

export const CURRENT_MAPPING_KEY = stateKey('cfg', 'mapping', 'current');
export const mappingVersionKey = (version: number) => stateKey('cfg', 'mapping', version);

export interface MappingVersionInfo {
  version: number;
  savedAt: string;
  author: string | null;
  note: string | null;
  /** Set when this version was created by rolling back to an earlier one. */
  rolledBackFrom: number | null;
}

export interface StoredMapping extends MappingVersionInfo {
  /** The merchant's overrides as saved (not layered). */
  document: MappingDocument;
}

interface CurrentPointer {
  version: number;
  touchedAt: string;
  history: MappingVersionInfo[];
}

export interface ActiveMapping {
  /** Null while the merchant has saved nothing: defaults only. */
  version: number | null;
  overrides: MappingDocument | null;
  /** Defaults with the overrides layered on top: what flows run with. */
  effective: MappingDocument;
}

export type SaveOutcome = { ok: true; version: number; info: MappingVersionInfo } | { ok: false; issues: FieldIssue[] };

export interface MappingRepository {
  active(): Promise<ActiveMapping>;
  /** Shortcut for `(await active()).effective`. */
  effective(): Promise<MappingDocument>;
  /** Validates and saves overrides as a new version; rejects with the path of each fault. */
  save(overrides: unknown, meta?: { author?: string; note?: string }): Promise<SaveOutcome>;
  get(version: number): Promise<StoredMapping | undefined>;
  /** Newest first. */
  history(): Promise<MappingVersionInfo[]>;
  /** Makes an earlier version current again, as a new version. */
  rollback(version: number, meta?: { author?: string; note?: string }): Promise<SaveOutcome>;
  /** Checks a document without saving it (the panel's live validation). */
  validate(overrides: unknown): { ok: true; effective: MappingDocument } | { ok: false; issues: FieldIssue[] };
}

export function createMappingRepository(
  state: StateStore,
  options: { clock?: Clock; defaults?: MappingDocument } = {},
): MappingRepository {
  const clock = options.clock ?? systemClock;
  const defaults = options.defaults ?? defaultMappingDocument();
  const ttl = { ttlSeconds: MAPPING_TTL_SECONDS };
  const nowIso = () => new Date(clock.now()).toISOString();

  function validate(overrides: unknown): { ok: true; document: MappingDocument; effective: MappingDocument } | { ok: false; issues: FieldIssue[] } {
    const parsed = parseMappingDocument(overrides);
    if (!parsed.ok) return parsed;
    const effective = layerMapping(defaults, parsed.document);
    const issues = checkReferences(effective);
    return issues.length ? { ok: false, issues } : { ok: true, document: parsed.document, effective };
  }

  async function pointer(): Promise<CurrentPointer | undefined> {
    return state.get<CurrentPointer>(CURRENT_MAPPING_KEY);
  }

  async function write(document: MappingDocument, meta: { author?: string; note?: string }, rolledBackFrom: number | null): Promise<SaveOutcome> {
    const prior = await pointer();
    const version = (prior?.history.reduce((max, h) => Math.max(max, h.version), 0) ?? 0) + 1;
    const info: MappingVersionInfo = { version, savedAt: nowIso(), author: meta.author ?? null, note: meta.note ?? null, rolledBackFrom };
    // Version first, pointer second: a crash in between leaves an unreferenced version, never a dangling pointer.
    await state.put<StoredMapping>(mappingVersionKey(version), { ...info, document }, ttl);
    const history = [info, ...(prior?.history ?? [])].slice(0, HISTORY_LIMIT);
    await state.put<CurrentPointer>(CURRENT_MAPPING_KEY, { version, touchedAt: info.savedAt, history }, ttl);
    return { ok: true, version, info };
  }

  async function active(): Promise<ActiveMapping> {
    const current = await pointer();
    if (!current) return { version: null, overrides: null, effective: structuredClone(defaults) };
    const stored = await state.get<StoredMapping>(mappingVersionKey(current.version));
    if (!stored) {
      // The version expired or was removed out of band: run on defaults rather than on nothing.
      return { version: null, overrides: null, effective: structuredClone(defaults) };
    }
    if (clock.now() - Date.parse(current.touchedAt) > REFRESH_AFTER_MS) {
      const touchedAt = nowIso();
      await state.put<StoredMapping>(mappingVersionKey(current.version), stored, ttl);
      await state.put<CurrentPointer>(CURRENT_MAPPING_KEY, { ...current, touchedAt }, ttl);
    }
    // Re-validate: a document saved by an older connector version must still parse under this one.
    const parsed = parseMappingDocument(stored.document);
    const overrides = parsed.ok ? parsed.document : null;
    return { version: current.version, overrides, effective: layerMapping(defaults, overrides) };
  }

  return {
    active,
    async effective() {
      return (await active()).effective;
    },
    async save(overrides, meta = {}) {
      const checked = validate(overrides);
      if (!checked.ok) return checked;
      return write(checked.document, meta, null);
    },
    async get(version) {
      return state.get<StoredMapping>(mappingVersionKey(version));
    },
    async history() {
      return (await pointer())?.history ?? [];
    },
    async rollback(version, meta = {}) {
      const stored = await state.get<StoredMapping>(mappingVersionKey(version));
      if (!stored) return { ok: false, issues: [{ path: 'version', message: `no stored mapping version ${version}` }] };
      const checked = validate(stored.document);
      if (!checked.ok) return checked;
      return write(checked.document, { note: meta.note ?? `rollback to version ${version}`, author: meta.author }, version);
    },
    validate(overrides) {
      const checked = validate(overrides);
      return checked.ok ? { ok: true, effective: checked.effective } : checked;
    },
  };
}
