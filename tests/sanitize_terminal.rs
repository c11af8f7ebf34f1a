//! End to end: hostile text, sanitized by `careerhub::content::render::sanitize`, drawn by a real
//! ratatui terminal into a byte buffer. The bytes are what a terminal emulator would receive,
//! so this is where an escape sequence or a bidi override would do its damage.

use careerhub::content::render::sanitize;
use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use ratatui::{Terminal, TerminalOptions, Viewport};

/// Strings an article title, facet value or YAML error could carry.
const HOSTILE: &[&str] = &[
    // OSC 52: writes the clipboard of the reader's terminal.
    "steal \x1b]52;c;cm0gLXJmIH4K\x07 clipboard",
    // OSC terminated by ST instead of BEL; OSC 8 hyperlink.
    "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\",
    // Clear the screen, move the cursor, recolour.
    "wipe\x1b[2J\x1b[H\x1b[31mred",
    // The same CSI as a single C1 byte (U+009B), and NEL / DCS / OSC as C1.
    "c1 \u{9b}31m \u{85} \u{90}q \u{9d}0;x\u{9c}",
    // Bidi overrides and isolates: text that reads differently from what it is.
    "invoice\u{202e}fdp.exe",
    "\u{2066}isolate\u{2069} \u{2067}rtl\u{2069} \u{200f}mark",
    // Raw controls: DEL, BEL, NUL, backspace, CR, tabs, newlines.
    "del\x7f bel\x07 nul\0 bs\x08 cr\r tab\there\nnext",
];

/// Renders `text` on a 40×3 fixed viewport of a crossterm backend writing into memory, and
/// returns every byte the backend wrote (including on drop, when ratatui shows the cursor
/// again). The text is drawn twice, because ratatui's widgets treat it differently: as a
/// `Paragraph` (rows 0–1; it skips zero-width graphemes) and as a bare `Line` (row 2, as
/// `List` items and titles are drawn; it appends zero-width graphemes to the previous cell).
///
/// The backend writes into `&mut Vec<u8>` rather than owning the `Vec<u8>`: reading an owned
/// writer back needs `CrosstermBackend::writer`, which ratatui 0.30 keeps behind its
/// `unstable-backend-writer` feature. The bytes written are the same.
fn render_bytes(text: &str) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let backend = CrosstermBackend::new(&mut out);
        let options = TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, 40, 3)),
        };
        let mut terminal = Terminal::with_options(backend, options).expect("terminal");
        terminal
            .draw(|frame| {
                frame.render_widget(Paragraph::new(text), Rect::new(0, 0, 40, 2));
                frame.render_widget(Line::raw(text), Rect::new(0, 2, 40, 1));
            })
            .expect("draw");
    }
    out
}

/// Checks that every ESC in `bytes` starts a CSI sequence of the kinds ratatui emits for a
/// frame: cursor position (`H`), SGR colours and attributes (`m`), and show/hide cursor
/// (`?25h`/`?25l`). Returns the bytes with those sequences removed: the text that reached
/// the screen.
fn strip_ratatui_csi(bytes: &[u8]) -> Vec<u8> {
    let mut text = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != 0x1b {
            text.push(bytes[i]);
            i += 1;
            continue;
        }
        assert_eq!(
            bytes.get(i + 1),
            Some(&b'['),
            "ESC not starting a CSI at {i}: {:?}",
            lossy(&bytes[i..])
        );
        let params_start = i + 2;
        let mut j = params_start;
        while j < bytes.len() && (0x30..=0x3f).contains(&bytes[j]) {
            j += 1;
        }
        let params = &bytes[params_start..j];
        let final_byte = *bytes.get(j).expect("CSI cut short");
        let ok = match final_byte {
            b'H' | b'm' => params.iter().all(|b| b.is_ascii_digit() || *b == b';'),
            b'h' | b'l' => params == b"?25",
            _ => false,
        };
        assert!(ok, "unexpected CSI {:?}", lossy(&bytes[i..=j]));
        i = j + 1;
    }
    text
}

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(&bytes[..bytes.len().min(40)]).into_owned()
}

/// What must never appear in what reaches the terminal.
fn assert_harmless(bytes: &[u8]) {
    let screen = strip_ratatui_csi(bytes);
    let screen = String::from_utf8(screen).expect("valid UTF-8: no stray C1 bytes such as 0x9b");
    for c in screen.chars() {
        assert!(
            !c.is_control()
                && !matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}'),
            "{c:?} reached the terminal in {screen:?}"
        );
    }
    let raw = String::from_utf8_lossy(bytes);
    for needle in [
        "\x1b]", "\x1b[2J", "\x1b[31m", "\u{9b}", "\u{202e}", "\u{2066}", "\x07", "\x7f",
    ] {
        assert!(!raw.contains(needle), "{needle:?} in output {raw:?}");
    }
}

#[test]
fn sanitized_hostile_text_writes_only_ratatui_sequences() {
    for hostile in HOSTILE {
        let safe = sanitize::line(hostile);
        let bytes = render_bytes(&safe);
        assert_harmless(&bytes);
        // The text itself still arrives (minus the controls): sanitizing is not blanking.
        let screen = String::from_utf8(strip_ratatui_csi(&bytes)).unwrap();
        let visible: String = safe
            .chars()
            .filter(|c| !c.is_whitespace())
            .take(10)
            .collect();
        assert!(
            screen.replace(' ', "").contains(&visible),
            "{visible:?} missing from {screen:?}"
        );
    }
}

#[test]
fn sanitized_multiline_text_is_harmless_too() {
    let all = HOSTILE.join("\n");
    let safe = sanitize::text(&all);
    assert_harmless(&render_bytes(&safe));
}

/// Without the sanitizer. ratatui 0.30 already drops C0/C1 controls from span text, so the
/// ESC assertions above would pass even if `sanitize::line` were never called. Bidi controls
/// are not dropped: a `Line` (how `List` items and block titles are drawn) appends U+202E to
/// the previous cell and sends it to the terminal, which then shows "invoice\u{202e}fdp.exe"
/// as "invoiceexe.pdf". (`Paragraph` happens to skip zero-width graphemes, so it alone would
/// not show this: that is why `render_bytes` draws both.) This test pins the behaviour, so
/// the tests above provably catch a dropped sanitize call; if a future ratatui filters bidi
/// controls itself, this fails and can go.
#[test]
fn without_sanitizer_ratatui_passes_bidi_controls() {
    for (hostile, bidi) in [
        ("invoice\u{202e}fdp.exe", '\u{202e}'),
        ("x\u{2066}isolate\u{2069}", '\u{2066}'),
    ] {
        let raw = String::from_utf8(render_bytes(hostile)).unwrap();
        assert!(
            raw.contains(bidi),
            "ratatui now filters {bidi:?} itself: {raw:?}"
        );
        // The check used above rejects these bytes.
        let unsanitized = std::panic::catch_unwind(|| assert_harmless(raw.as_bytes()));
        assert!(unsanitized.is_err(), "assert_harmless accepted {raw:?}");
        // ...and with the sanitizer it is gone.
        let raw = String::from_utf8(render_bytes(&sanitize::line(hostile))).unwrap();
        assert!(!raw.contains(bidi));
    }
}
