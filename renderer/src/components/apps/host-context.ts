// What Steward tells a view about itself: honest host capabilities and the host context (theme and its CSS variables,
// display mode, container size, locale, time zone, platform, the tool). Pure.
import type { McpUiHostCapabilities, McpUiHostContext, McpUiStyles } from '@modelcontextprotocol/ext-apps/app-bridge';
import type { AppViewSpec } from '../../../../shared/domain/apps.js';
import type { ColorScheme } from '../../lib/theme.js';

export type DisplayMode = 'inline' | 'fullscreen';
export const HOST_DISPLAY_MODES: readonly DisplayMode[] = ['inline', 'fullscreen'];
/** The tallest an inline view grows before it scrolls inside. */
export const INLINE_MAX_HEIGHT = 720;

/** Only what Steward does: links (after a click), its server's tools and resources, logs, messages and context shown
 * and kept on record, sampling through the user's approval, and the sandbox actually applied. */
export function hostCapabilities(spec: AppViewSpec): McpUiHostCapabilities {
  return {
    openLinks: {},
    serverTools: { listChanged: true },
    serverResources: {},
    logging: {},
    sandbox: { permissions: spec.permissions, csp: spec.csp.declared },
    message: { text: {}, image: {}, resource: {}, resourceLink: {} },
    updateModelContext: { text: {}, image: {}, resource: {}, resourceLink: {}, structuredContent: {} },
    sampling: {},
  };
}

/** Steward's palette as the spec's variables; light-dark() lets a view's own color-scheme pick the side. */
const PALETTE: Record<string, [string, string]> = {
  '--color-background-primary': ['#ffffff', '#17191e'],
  '--color-background-secondary': ['#f1f3f6', '#1f232a'],
  '--color-background-tertiary': ['#eceff3', '#272c35'],
  '--color-background-inverse': ['#1b2130', '#f1f3f6'],
  '--color-background-info': ['#e7eefb', '#1c2a45'],
  '--color-background-danger': ['#fdeceb', '#3d1f1d'],
  '--color-background-success': ['#e5f3eb', '#183323'],
  '--color-background-warning': ['#fdf3e0', '#3a2c12'],
  '--color-background-disabled': ['#f1f3f6', '#23272e'],
  '--color-text-primary': ['#1b2130', '#e8eaee'],
  '--color-text-secondary': ['#5c6577', '#a9b0bd'],
  '--color-text-tertiary': ['#8b93a2', '#7d8594'],
  '--color-text-inverse': ['#ffffff', '#17191e'],
  '--color-text-info': ['#2459c4', '#8fb3f5'],
  '--color-text-danger': ['#b42318', '#f4a49c'],
  '--color-text-success': ['#1f7a44', '#86d2a3'],
  '--color-text-warning': ['#935400', '#f0c277'],
  '--color-text-disabled': ['#8b93a2', '#646b78'],
  '--color-border-primary': ['#dde1e7', '#343a45'],
  '--color-border-secondary': ['#c5ccd6', '#454c59'],
  '--color-border-tertiary': ['#eceff3', '#2a2f38'],
  '--color-border-info': ['#b9cdf3', '#2f4b80'],
  '--color-border-danger': ['#f3c1bc', '#6b2b25'],
  '--color-border-success': ['#b7dcc5', '#2b5a3d'],
  '--color-border-warning': ['#f0d29c', '#6b521f'],
  '--color-ring-primary': ['#5b8def', '#7aa5f7'],
};

const FIXED: Record<string, string> = {
  '--font-sans': "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, Ubuntu, Cantarell, 'Helvetica Neue', Arial, system-ui, sans-serif",
  '--font-mono': "ui-monospace, SFMono-Regular, 'Cascadia Mono', Menlo, Consolas, 'Liberation Mono', monospace",
  '--font-weight-normal': '400',
  '--font-weight-medium': '500',
  '--font-weight-semibold': '600',
  '--font-weight-bold': '700',
  '--font-text-xs-size': '11px',
  '--font-text-sm-size': '12px',
  '--font-text-md-size': '13px',
  '--font-text-lg-size': '15px',
  '--border-radius-xs': '2px',
  '--border-radius-sm': '4px',
  '--border-radius-md': '6px',
  '--border-radius-lg': '8px',
  '--border-radius-xl': '12px',
  '--border-radius-full': '9999px',
  '--border-width-regular': '1px',
};

/** A subset of the spec's variables, as it allows; a view falls back to its own values for the rest. */
export function styleVariables(): McpUiStyles {
  const out: Partial<Record<string, string>> = { ...FIXED };
  for (const [name, [light, dark]] of Object.entries(PALETTE)) out[name] = `light-dark(${light}, ${dark})`;
  return out as Partial<McpUiStyles> as McpUiStyles;
}

export interface ContextInput {
  spec: AppViewSpec;
  scheme: ColorScheme;
  displayMode: DisplayMode;
  /** The width the view has (inline: the slot's; full screen: the window's). */
  width: number;
  /** Full screen: the height it has; inline: undefined (the view sizes itself up to the maximum). */
  height?: number | undefined;
}

export function hostContext(input: ContextInput): McpUiHostContext {
  const { spec, scheme, displayMode, width, height } = input;
  const pointer = (query: string) => typeof window !== 'undefined' && window.matchMedia(query).matches;
  return {
    toolInfo: { tool: { ...spec.tool, inputSchema: { type: 'object', ...spec.tool.inputSchema } } },
    theme: scheme,
    styles: { variables: styleVariables() },
    displayMode,
    availableDisplayModes: [...HOST_DISPLAY_MODES],
    containerDimensions: height !== undefined ? { width, height } : { width, maxHeight: INLINE_MAX_HEIGHT },
    locale: navigator.language,
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    userAgent: 'Steward',
    platform: 'desktop',
    deviceCapabilities: { touch: pointer('(pointer: coarse)'), hover: pointer('(hover: hover)') },
    safeAreaInsets: { top: 0, right: 0, bottom: 0, left: 0 },
  };
}
