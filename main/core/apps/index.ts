// MCP Apps on the host side of main: views of tools, their sandbox (CSP, permissions, proxy frame), visibility rules and
// the relay of a view's requests to its own server. The bridge to the view itself lives in the renderer.
export { AppsService, type AppsDeps, type ViewFrames } from './service.js';
export { buildCsp, checkSource, sanitizeCsp, type CspContext, type ViewServer } from './csp.js';
export { readUiContent, isAppMimeType, viewMeta, grantedPermissions, allowAttribute, MAX_VIEW_HTML } from './resource.js';
export { offeredToModel, callableByViews, viewCallRefusal, samplingToolsForModel } from './visibility.js';
export { TokenBucket, VIEW_LIMITS } from './limits.js';
export { FRAME_PAGE_PREFIX, FRAME_REFUSAL_CSP, FRAME_REPORT_PREFIX, VIEW_SANDBOX, framePage } from './proxy-page.js';
