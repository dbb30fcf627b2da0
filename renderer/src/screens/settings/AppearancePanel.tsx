// How Steward looks: the theme, System (the computer's light or dark), Light or Dark. Takes effect at once in every
// window, and views of MCP Apps follow it.
import { useState } from 'react';
import type { ThemeChoice } from '../../../../shared/domain/appearance.js';
import { chooseTheme, useColorScheme, useThemeChoice } from '../../lib/theme.js';
import { useAction } from '../../lib/use-action.js';

const THEMES: { theme: ThemeChoice; label: string; help: (system: string) => string }[] = [
  { theme: 'system', label: 'System', help: (now) => `Follows your computer’s setting (now ${now}).` },
  { theme: 'light', label: 'Light', help: () => 'Dark text on light backgrounds.' },
  { theme: 'dark', label: 'Dark', help: () => 'Light text on dark backgrounds.' },
];

export function AppearancePanel() {
  const chosen = useThemeChoice();
  const shown = useColorScheme();
  const choose = useAction((theme: ThemeChoice) => chooseTheme(theme));
  // The choice clicked shows at once while the host stores it; a choice it refused goes back to the one in effect.
  const [asked, setAsked] = useState<ThemeChoice | null>(null);
  const checked = choose.pending && asked ? asked : chosen;
  return (
    <section className="settings-section card vstack" aria-labelledby="appearance-title">
      <h2 className="settings-title" id="appearance-title">
        Appearance
      </h2>
      <fieldset className="fieldset">
        <legend>Theme</legend>
        {THEMES.map((t) => (
          <label key={t.theme} className="radio">
            <input
              type="radio"
              name="theme"
              value={t.theme}
              checked={checked === t.theme}
              disabled={choose.pending}
              onChange={() => {
                setAsked(t.theme);
                void choose.run(t.theme);
              }}
            />
            <span>
              <span className="radio-label">{t.label}</span>
              <span className="field-hint">{t.help(shown)}</span>
            </span>
          </label>
        ))}
      </fieldset>
      {choose.error && (
        <p className="inline-error" role="alert">
          {choose.error.message}
        </p>
      )}
    </section>
  );
}
