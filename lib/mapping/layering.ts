/**
 * Merchant overrides layered on the defaults: options and value-map entries are merged key by key,
 * rules with the id of a default rule replace it (others are added after the defaults), and a
 * direction's filter in the overrides replaces the default filter.
 */
import { DIRECTIONS, ENTITIES, type DirectionMapping, type MappingDocument, type Rule } from './document';
import { DEFAULT_OPTIONS, type EffectiveOptions } from './defaults/document';

function mergeRules(base: Rule[], over: Rule[]): Rule[] {
  const out = [...base];
  for (const rule of over) {
    const at = rule.id ? out.findIndex((r) => r.id === rule.id) : -1;
    if (at >= 0) out[at] = rule;
    else out.push(rule);
  }
  return out;
}

function mergeDirection(base: DirectionMapping | undefined, over: DirectionMapping | undefined): DirectionMapping | undefined {
  if (!over) return base;
  if (!base) return over;
  return { rules: mergeRules(base.rules, over.rules), filter: over.filter ?? base.filter };
}

export function layerMapping(base: MappingDocument, overrides: MappingDocument | null | undefined): MappingDocument {
  if (!overrides) return structuredClone(base);
  const out = structuredClone(base);
  out.description = overrides.description ?? base.description;
  out.options = { ...base.options, ...overrides.options };
  for (const [name, map] of Object.entries(overrides.valueMaps)) {
    const prior = out.valueMaps[name];
    out.valueMaps[name] = prior
      ? {
          description: map.description ?? prior.description,
          entries: { ...prior.entries, ...map.entries },
          ...(map.default !== undefined ? { default: map.default } : prior.default !== undefined ? { default: prior.default } : {}),
        }
      : structuredClone(map);
  }
  for (const entity of ENTITIES) {
    const over = overrides.entities[entity];
    if (!over) continue;
    const merged = { ...(out.entities[entity] ?? {}) };
    for (const direction of DIRECTIONS) {
      const m = mergeDirection(merged[direction], structuredClone(over[direction]));
      if (m) merged[direction] = m;
    }
    out.entities[entity] = merged;
  }
  return out;
}

/** Options with every default filled in. */
export function effectiveOptions(document: MappingDocument): EffectiveOptions {
  return { ...DEFAULT_OPTIONS, ...document.options } as EffectiveOptions;
}
