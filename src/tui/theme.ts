/** Colours the dashboard draws with; with colour off (NO_COLOR, a pipe) every one is undefined. */
export interface Theme {
  color: boolean;
  accent?: string;
  secondary?: string;
  warning?: string;
  error?: string;
  muted?: string;
}

export interface Brand {
  primary_color?: string | null;
  secondary_color?: string | null;
}

const HEX = /^#[0-9a-fA-F]{6}$/;

export function themeFor(color: boolean, brand?: Brand): Theme {
  if (!color) return { color: false };
  return {
    color: true,
    accent: brand?.primary_color && HEX.test(brand.primary_color) ? brand.primary_color : 'cyan',
    secondary: brand?.secondary_color && HEX.test(brand.secondary_color) ? brand.secondary_color : 'blue',
    warning: 'yellow',
    error: 'red',
    muted: 'gray',
  };
}
