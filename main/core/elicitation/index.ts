// Elicitation: forms and URL pages servers ask the user for, through the inbox.
export { ElicitationService, type ElicitationDeps, type ElicitationContext } from './service.js';
export { readForm, type ReadForm } from './form-schema.js';
