// Model providers behind one interface; Anthropic first. The key never leaves this module's calls.
export { CallControl, createAnthropicProvider, type ModelProvider, type ProviderCall, type PreparedCall } from './anthropic.js';
export { toMessagesParams, fromMessage, estimateTokens, type MappedRequest } from './anthropic-mapping.js';
export { sortParameters, NO_PARAMETERS, type SamplingParameters, type SortedParameters } from './parameters.js';
export { chooseModel, type ModelPreferences, type ModelChoice } from './choose-model.js';
export { ANTHROPIC_CATALOG, DEFAULT_MODEL, costEstimate } from './catalog.js';
export { ModelSettingsService, type ModelSettingsChange } from './settings.js';
