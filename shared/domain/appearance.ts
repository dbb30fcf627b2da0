// How Steward looks: the theme the user chose (or the system's), shared by every window and process on a data folder.
import { z } from 'zod';

/** `system` follows the operating system's light or dark preference. */
export const ThemeChoiceSchema = z.enum(['system', 'light', 'dark']);
export type ThemeChoice = z.infer<typeof ThemeChoiceSchema>;

export const AppearanceSchema = z.object({ theme: ThemeChoiceSchema });
export type Appearance = z.infer<typeof AppearanceSchema>;

export const DEFAULT_APPEARANCE: Appearance = { theme: 'system' };
