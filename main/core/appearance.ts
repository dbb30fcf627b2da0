// The user's appearance settings (light, dark or the system's theme), kept in the settings table so every window and
// every Steward process on the data folder shows the same.
import { AppearanceSchema, DEFAULT_APPEARANCE, type Appearance } from '../../shared/domain/appearance.js';
import type { SettingsRepo } from './store/index.js';

const SETTING = 'appearance';

export class AppearanceService {
  private current: Appearance;

  constructor(
    private readonly settings: Pick<SettingsRepo, 'get' | 'put'>,
    /** Told the new settings after each change, made here or (through forget) in another process. */
    private readonly changed: (appearance: Appearance) => void,
  ) {
    this.current = this.read();
  }

  get(): Appearance {
    return this.current;
  }

  set(next: Appearance): Appearance {
    const value = AppearanceSchema.parse(next);
    this.settings.put(SETTING, value);
    this.update(value);
    return value;
  }

  /** Another process may have written the settings: read them again, and tell screens only if the theme changed. */
  forget(): void {
    this.update(this.read());
  }

  private update(value: Appearance): void {
    if (value.theme === this.current.theme) return;
    this.current = value;
    this.changed(value);
  }

  /** A stored value this version does not understand (hand-edited, or from a newer Steward) reads as the default. */
  private read(): Appearance {
    const parsed = AppearanceSchema.safeParse(this.settings.get(SETTING));
    return parsed.success ? parsed.data : DEFAULT_APPEARANCE;
  }
}
