/** Mapping suggestions: rank target fields for source fields by names, sample values and types. */
export { suggestMappings, rankCandidates, type MappingSuggestion, type SuggestInput, type RankedSource } from './suggest';
export { targetFields, fieldsOfSchema, customFieldTargets, TargetError, TARGET_ENTITIES, type TargetField, type FieldType, type CustomFieldDefinition, type TargetSystem } from './targets';
export { sourceFields, parseSampleText, SourceError, type SourceField, type SuggestSource, type DeclaredSourceField } from './sources';
export { profileValues, kindsOf, VALUE_KINDS, type ValueKind, type ValueProfile } from './values';
