//! Colours and text styles, resolved once per frame from the session's options.
//!
//! Palettes use only the 16 ANSI colours, so they read the same on any terminal that has
//! colour at all and follow the user's own terminal palette. With `NO_COLOR` every style is
//! built from modifiers alone (bold, italic, underline, dim, reversed).

use ratatui::style::{Color, Modifier, Style};

use crate::app::{AppOptions, Theme};
use crate::content::render::layout::SpanStyle;

/// The 16-colour choices of one theme.
#[derive(Debug, Clone, Copy)]
struct Palette {
    accent: Color,
    link: Color,
    internal: Color,
    code: Color,
    matched: Color,
    star: Color,
    selected_fg: Color,
    selected_bg: Color,
    unfocused_bg: Color,
    hit_bg: Color,
    current_hit_bg: Color,
    hit_fg: Color,
    warning: Color,
}

const DARK: Palette = Palette {
    accent: Color::Cyan,
    link: Color::LightBlue,
    internal: Color::LightGreen,
    code: Color::Yellow,
    matched: Color::Yellow,
    star: Color::Yellow,
    selected_fg: Color::White,
    selected_bg: Color::Blue,
    unfocused_bg: Color::DarkGray,
    hit_bg: Color::Yellow,
    current_hit_bg: Color::LightRed,
    hit_fg: Color::Black,
    warning: Color::LightRed,
};

const LIGHT: Palette = Palette {
    accent: Color::Blue,
    link: Color::Blue,
    internal: Color::Green,
    code: Color::Magenta,
    matched: Color::Red,
    star: Color::Red,
    selected_fg: Color::Black,
    selected_bg: Color::Cyan,
    unfocused_bg: Color::Gray,
    hit_bg: Color::Yellow,
    current_hit_bg: Color::LightRed,
    hit_fg: Color::Black,
    warning: Color::Red,
};

/// Every style the views use, so no view picks a colour on its own.
#[derive(Debug, Clone, Copy)]
pub struct Styles {
    /// Whether colours are in use (false with `NO_COLOR`).
    pub color: bool,
    /// Body text: the terminal's own colours.
    pub text: Style,
    /// Secondary text: metadata, decoration, hint descriptions.
    pub dim: Style,
    pub bold: Style,
    /// Titles and headings.
    pub accent: Style,
    /// Keys in hints and help.
    pub key: Style,
    /// Borders of panes without, and with, the keyboard.
    pub border: Style,
    pub border_focused: Style,
    /// The selected row of a focused list.
    pub selected: Style,
    /// The selected row of a list that does not have the keyboard.
    pub selected_unfocused: Style,
    /// Fuzzy-matched characters in titles.
    pub matched: Style,
    /// The bookmark star.
    pub star: Style,
    /// Find-in-article hits, and the current one.
    pub hit: Style,
    pub current_hit: Style,
    /// Problems the reader should act on (skipped files, no match).
    pub warning: Style,
    /// Active filter chips.
    pub chip: Style,
    palette: Palette,
}

impl Styles {
    /// Styles for a session's theme and colour setting.
    pub fn new(options: &AppOptions) -> Styles {
        let palette = match options.theme {
            Theme::Dark => DARK,
            Theme::Light => LIGHT,
        };
        if options.color {
            Styles::colored(palette)
        } else {
            Styles::monochrome(palette)
        }
    }

    fn colored(p: Palette) -> Styles {
        let bold = Style::new().add_modifier(Modifier::BOLD);
        // Secondary text is the terminal's own foreground, dimmed (SGR 2), not ANSI colour 8:
        // popular palettes (Solarized Dark's "bright black") make colour 8 the background, and
        // dates, meta lines and [n] markers would vanish.
        let dim = Style::new().add_modifier(Modifier::DIM);
        Styles {
            color: true,
            text: Style::new(),
            dim,
            bold,
            accent: Style::new().fg(p.accent),
            key: bold.fg(p.accent),
            border: dim,
            border_focused: Style::new().fg(p.accent),
            selected: Style::new().fg(p.selected_fg).bg(p.selected_bg),
            selected_unfocused: Style::new().bg(p.unfocused_bg),
            matched: bold.fg(p.matched),
            star: Style::new().fg(p.star),
            hit: Style::new().fg(p.hit_fg).bg(p.hit_bg),
            current_hit: bold.fg(p.hit_fg).bg(p.current_hit_bg),
            warning: Style::new().fg(p.warning),
            chip: Style::new().fg(p.accent),
            palette: p,
        }
    }

    fn monochrome(p: Palette) -> Styles {
        let m = |modifier| Style::new().add_modifier(modifier);
        Styles {
            color: false,
            text: Style::new(),
            dim: m(Modifier::DIM),
            bold: m(Modifier::BOLD),
            accent: m(Modifier::BOLD),
            key: m(Modifier::BOLD),
            border: Style::new(),
            border_focused: m(Modifier::BOLD),
            selected: m(Modifier::REVERSED),
            selected_unfocused: m(Modifier::REVERSED),
            matched: m(Modifier::BOLD | Modifier::UNDERLINED),
            star: Style::new(),
            hit: m(Modifier::UNDERLINED | Modifier::BOLD),
            current_hit: m(Modifier::REVERSED | Modifier::BOLD),
            warning: m(Modifier::BOLD),
            chip: m(Modifier::BOLD),
            palette: p,
        }
    }

    /// The style of a run of article text.
    pub fn span(&self, s: SpanStyle) -> Style {
        let mut style = Style::new();
        if s.bold {
            style = style.add_modifier(Modifier::BOLD);
        }
        if s.italic {
            style = style.add_modifier(Modifier::ITALIC);
        }
        if s.strike {
            style = style.add_modifier(Modifier::CROSSED_OUT);
        }
        match s.heading {
            Some(1 | 2) => style = style.add_modifier(Modifier::BOLD).patch(self.accent),
            Some(_) => style = style.add_modifier(Modifier::BOLD),
            None => {}
        }
        if s.code {
            style = style.patch(self.color_or(self.palette.code, Modifier::ITALIC));
        }
        if s.link.is_some() {
            let color = if s.internal {
                self.palette.internal
            } else {
                self.palette.link
            };
            style = style.add_modifier(Modifier::UNDERLINED);
            if self.color {
                style = style.fg(color);
            }
        }
        if s.quote {
            style = style.add_modifier(Modifier::ITALIC).patch(self.dim);
        }
        if s.decoration {
            style = style.patch(self.dim);
        }
        style
    }

    /// A foreground colour, or a modifier standing in for it without colours.
    fn color_or(&self, color: Color, fallback: Modifier) -> Style {
        if self.color {
            Style::new().fg(color)
        } else {
            Style::new().add_modifier(fallback)
        }
    }
}

/// `text` wrapped in the SGR escape sequences of `style`, for writing styled text to a
/// terminal without ratatui (`careerhub read`), so printed articles look as the reader shows
/// them. Only the 16 ANSI colours and the common modifiers occur in our styles.
pub fn sgr(text: &str, style: Style) -> String {
    let mut codes: Vec<String> = Vec::new();
    for (modifier, code) in [
        (Modifier::BOLD, "1"),
        (Modifier::DIM, "2"),
        (Modifier::ITALIC, "3"),
        (Modifier::UNDERLINED, "4"),
        (Modifier::REVERSED, "7"),
        (Modifier::CROSSED_OUT, "9"),
    ] {
        if style.add_modifier.contains(modifier) {
            codes.push(code.to_owned());
        }
    }
    if let Some(n) = style.fg.and_then(ansi_color) {
        codes.push(n.to_string());
    }
    if let Some(n) = style.bg.and_then(ansi_color) {
        codes.push((n + 10).to_string());
    }
    if codes.is_empty() {
        text.to_owned()
    } else {
        format!("\x1b[{}m{text}\x1b[0m", codes.join(";"))
    }
}

/// The SGR foreground number of one of the 16 ANSI colours.
fn ansi_color(color: Color) -> Option<u8> {
    Some(match color {
        Color::Black => 30,
        Color::Red => 31,
        Color::Green => 32,
        Color::Yellow => 33,
        Color::Blue => 34,
        Color::Magenta => 35,
        Color::Cyan => 36,
        Color::Gray => 37,
        Color::DarkGray => 90,
        Color::LightRed => 91,
        Color::LightGreen => 92,
        Color::LightYellow => 93,
        Color::LightBlue => 94,
        Color::LightMagenta => 95,
        Color::LightCyan => 96,
        Color::White => 97,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_and_external_links_differ_and_both_are_underlined() {
        let styles = Styles::new(&AppOptions {
            color: true,
            ..AppOptions::default()
        });
        let link = SpanStyle {
            link: Some(0),
            ..SpanStyle::default()
        };
        let internal = SpanStyle {
            internal: true,
            ..link
        };
        let (a, b) = (styles.span(link), styles.span(internal));
        assert_ne!(a.fg, b.fg);
        assert!(a.add_modifier.contains(Modifier::UNDERLINED));
        assert!(b.add_modifier.contains(Modifier::UNDERLINED));
    }

    #[test]
    fn monochrome_styles_have_no_colours() {
        let styles = Styles::new(&AppOptions::default());
        let all = SpanStyle {
            bold: true,
            italic: true,
            code: true,
            heading: Some(1),
            link: Some(1),
            internal: true,
            decoration: true,
            quote: true,
            strike: true,
        };
        let style = styles.span(all);
        assert!(style.add_modifier.contains(Modifier::CROSSED_OUT));
        assert_eq!((style.fg, style.bg), (None, None));
        assert_eq!((styles.selected.fg, styles.selected.bg), (None, None));
    }
}

#[cfg(test)]
mod style_tests {
    use super::*;

    fn all(options: AppOptions) -> Vec<(&'static str, Style)> {
        let s = Styles::new(&options);
        vec![
            ("text", s.text),
            ("dim", s.dim),
            ("bold", s.bold),
            ("accent", s.accent),
            ("key", s.key),
            ("border", s.border),
            ("border_focused", s.border_focused),
            ("selected", s.selected),
            ("selected_unfocused", s.selected_unfocused),
            ("matched", s.matched),
            ("star", s.star),
            ("hit", s.hit),
            ("current_hit", s.current_hit),
            ("warning", s.warning),
            ("chip", s.chip),
        ]
    }

    #[test]
    fn no_text_is_drawn_in_ansi_colour_8() {
        for theme in [Theme::Dark, Theme::Light] {
            for color in [true, false] {
                let options = AppOptions {
                    theme,
                    color,
                    ..AppOptions::default()
                };
                for (name, style) in all(options) {
                    assert_ne!(style.fg, Some(Color::DarkGray), "{theme:?} {name}");
                }
            }
        }
    }

    #[test]
    fn styles_snapshot() {
        for theme in [Theme::Dark, Theme::Light] {
            let options = AppOptions {
                theme,
                color: true,
                ..AppOptions::default()
            };
            let table: String = all(options)
                .into_iter()
                .map(|(name, style)| format!("{name:<20} {style:?}\n"))
                .collect();
            insta::assert_snapshot!(format!("styles_{theme:?}"), table);
        }
    }

    #[test]
    fn sgr_writes_the_styles_the_reader_draws() {
        let styles = Styles::new(&AppOptions {
            color: true,
            ..AppOptions::default()
        });
        let internal = SpanStyle {
            link: Some(0),
            internal: true,
            ..SpanStyle::default()
        };
        assert_eq!(sgr("x", styles.span(internal)), "\x1b[4;92mx\x1b[0m");
        assert_eq!(sgr("plain", styles.span(SpanStyle::default())), "plain");
    }
}
