//! Raw terminal bytes from an SSH channel into our own [`Input`] events.
//!
//! Over SSH there is no crossterm to read keys for us: the client's terminal sends bytes and
//! we decode them. Handled: UTF-8 text, Ctrl-keys, arrows in both CSI (`ESC [ A`) and SS3
//! (`ESC O A`) form, Home/End/PgUp/PgDn/Insert/Delete in `ESC [ n ~` form, xterm modifiers
//! (`ESC [ 1 ; 5 A`), function keys, Alt as an ESC prefix, bracketed paste, and SGR (and
//! legacy X10) mouse reports: the wheel and left-button presses (clicks).
//!
//! Packets can split a sequence anywhere, and one packet can hold many keys, so the decoder
//! keeps an incomplete tail and waits for more bytes. A lone ESC is ambiguous (Esc key, or
//! the start of a sequence whose rest is still in flight). We decide it by time, not by packet
//! boundary: the caller calls [`Decoder::flush`] once [`Decoder::pending_timeout`] has passed
//! with no new bytes. A terminal writes a whole sequence at once, so its bytes arrive within
//! microseconds of each other even when TCP or the SSH client splits them; the Esc key costs
//! a 30 ms wait, which nobody notices, and an escape sequence is never mistaken for Esc
//! followed by `[A` typed as text. Decoding is a pure function of the bytes and the flush
//! points, so splitting the same bytes differently gives the same keys.

use std::time::Duration;

use crate::app::keymap::{Input, Key, KeyCode};

/// How long an incomplete escape sequence waits for its rest before it is taken as typed.
pub const ESC_TIMEOUT: Duration = Duration::from_millis(30);
/// How long an unterminated bracketed paste waits for more bytes before it is delivered.
pub const PASTE_TIMEOUT: Duration = Duration::from_millis(1000);
/// Pasted bytes kept; the rest of a larger paste is dropped (inputs take 256 characters).
const PASTE_MAX: usize = 16 * 1024;
/// A CSI sequence longer than this is garbage, not a key.
const CSI_MAX: usize = 32;
/// Bytes kept waiting for the rest of a sequence; more can only be garbage.
const PENDING_MAX: usize = 64;

const PASTE_START: &[u8] = b"\x1b[200~";
const PASTE_END: &[u8] = b"\x1b[201~";
/// Lines the wheel scrolls per notch, as in the local reader.
const WHEEL_LINES: i32 = 3;

/// Incremental decoder; one per session.
#[derive(Debug, Default)]
pub struct Decoder {
    /// Bytes of an incomplete sequence or character.
    pending: Vec<u8>,
    /// Text of a bracketed paste that has started and not ended.
    paste: Option<Vec<u8>>,
}

/// Result of parsing at the front of the buffer.
enum Parse {
    /// `consumed` bytes make this event (or nothing worth reporting).
    Done(Option<Input>, usize),
    /// The bytes may be the start of a longer sequence.
    Incomplete,
}

impl Decoder {
    /// A decoder with nothing pending.
    pub fn new() -> Decoder {
        Decoder::default()
    }

    /// Decodes `bytes`, appending complete events to `out`. An incomplete tail is kept.
    pub fn feed(&mut self, bytes: &[u8], out: &mut Vec<Input>) {
        self.pending.extend_from_slice(bytes);
        self.drain(out, false);
    }

    /// How long to wait for more bytes before calling [`Decoder::flush`], if anything is
    /// pending.
    pub fn pending_timeout(&self) -> Option<Duration> {
        if self.paste.is_some() {
            Some(PASTE_TIMEOUT)
        } else if !self.pending.is_empty() {
            Some(ESC_TIMEOUT)
        } else {
            None
        }
    }

    /// No more bytes came in time: decides everything pending (a lone ESC is the Esc key).
    pub fn flush(&mut self, out: &mut Vec<Input>) {
        if let Some(mut text) = self.paste.take() {
            // What looked like the start of an end marker was pasted text after all.
            push_capped(&mut text, &self.pending);
            self.pending.clear();
            out.push(paste(&text));
        }
        self.drain(out, true);
    }

    /// Forgets pending bytes (after input was dropped, the tail no longer belongs to them).
    pub fn reset(&mut self) {
        self.pending.clear();
        self.paste = None;
    }

    fn drain(&mut self, out: &mut Vec<Input>, last: bool) {
        let mut start = 0;
        while start < self.pending.len() {
            let rest = &self.pending[start..];
            if let Some(text) = self.paste.as_mut() {
                match find(rest, PASTE_END) {
                    Some(i) => {
                        push_capped(text, &rest[..i]);
                        start += i + PASTE_END.len();
                        let text = self.paste.take().unwrap_or_default();
                        out.push(paste(&text));
                    }
                    None => {
                        // Keep what may be the start of the end marker for the next packet.
                        let keep = partial_suffix(rest, PASTE_END);
                        push_capped(text, &rest[..rest.len() - keep]);
                        start += rest.len() - keep;
                        break;
                    }
                }
                continue;
            }
            match parse(rest, last) {
                Parse::Done(event, n) => {
                    if rest.starts_with(PASTE_START) {
                        self.paste = Some(Vec::new());
                    } else if let Some(event) = event {
                        out.push(event);
                    }
                    start += n.max(1);
                }
                Parse::Incomplete if rest.len() > PENDING_MAX => start += 1,
                Parse::Incomplete => break,
            }
        }
        self.pending.drain(..start);
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Length of the longest proper prefix of `marker` that `bytes` ends with.
fn partial_suffix(bytes: &[u8], marker: &[u8]) -> usize {
    (1..marker.len())
        .rev()
        .find(|&k| bytes.ends_with(&marker[..k]))
        .unwrap_or(0)
}

fn push_capped(text: &mut Vec<u8>, bytes: &[u8]) {
    let room = PASTE_MAX.saturating_sub(text.len());
    text.extend_from_slice(&bytes[..bytes.len().min(room)]);
}

fn paste(text: &[u8]) -> Input {
    Input::Paste(String::from_utf8_lossy(text).into_owned())
}

/// Parses one event at the front of `b` (non-empty). With `last`, nothing more will come,
/// so incomplete sequences are decided as typed.
fn parse(b: &[u8], last: bool) -> Parse {
    match b[0] {
        0x1b => parse_escape(b, last),
        0x80.. => parse_utf8(b, last),
        byte => Parse::Done(Some(Input::Key(control_or_ascii(byte))), 1),
    }
}

/// A single byte below 0x80.
fn control_or_ascii(byte: u8) -> Key {
    match byte {
        b'\r' | b'\n' => Key::plain(KeyCode::Enter),
        b'\t' => Key::plain(KeyCode::Tab),
        0x7f | 0x08 => Key::plain(KeyCode::Backspace),
        0x1b => Key::plain(KeyCode::Esc),
        0x00 => Key::ctrl(' '),
        0x01..=0x1a => Key::ctrl(char::from(b'a' + byte - 1)),
        0x1c..=0x1f => Key::ctrl(char::from(b"\\]^_"[usize::from(byte - 0x1c)])),
        _ => Key::char(char::from(byte)),
    }
}

fn parse_utf8(b: &[u8], last: bool) -> Parse {
    let len = match b[0] {
        0xc2..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf4 => 4,
        // A stray continuation or invalid lead byte: skip it.
        _ => return Parse::Done(None, 1),
    };
    if b.len() < len {
        let prefix_ok = b[1..].iter().all(|c| (0x80..=0xbf).contains(c));
        return if prefix_ok && !last {
            Parse::Incomplete
        } else {
            Parse::Done(None, 1)
        };
    }
    match std::str::from_utf8(&b[..len])
        .ok()
        .and_then(|s| s.chars().next())
    {
        Some(c) => Parse::Done(Some(Input::Key(Key::char(c))), len),
        None => Parse::Done(None, 1),
    }
}

fn parse_escape(b: &[u8], last: bool) -> Parse {
    let Some(&second) = b.get(1) else {
        return if last {
            Parse::Done(Some(key(KeyCode::Esc)), 1)
        } else {
            Parse::Incomplete
        };
    };
    let sequence = match second {
        b'[' => parse_csi(b),
        b'O' => parse_ss3(b),
        0x1b => return Parse::Done(Some(key(KeyCode::Esc)), 1),
        _ => return alt(&b[1..], last),
    };
    match sequence {
        // Time ran out inside a sequence: it was Alt+[ or Alt+O after all.
        Parse::Incomplete if last => alt(&b[1..], last),
        other => other,
    }
}

/// ESC followed by a key: that key with Alt.
fn alt(rest: &[u8], last: bool) -> Parse {
    match parse(rest, last) {
        Parse::Done(Some(Input::Key(mut k)), n) => {
            k.alt = true;
            Parse::Done(Some(Input::Key(k)), n + 1)
        }
        Parse::Done(_, n) => Parse::Done(None, n + 1),
        Parse::Incomplete => Parse::Incomplete,
    }
}

fn key(code: KeyCode) -> Input {
    Input::Key(Key::plain(code))
}

/// `ESC O x`: arrows, Home/End and F1–F4 in application mode.
fn parse_ss3(b: &[u8]) -> Parse {
    let Some(&c) = b.get(2) else {
        return Parse::Incomplete;
    };
    let code = match c {
        b'M' => Some(KeyCode::Enter),
        _ => letter_key(c),
    };
    Parse::Done(code.map(key), 3)
}

/// Keys named by the final letter of a CSI or SS3 sequence.
fn letter_key(c: u8) -> Option<KeyCode> {
    Some(match c {
        b'A' => KeyCode::Up,
        b'B' => KeyCode::Down,
        b'C' => KeyCode::Right,
        b'D' => KeyCode::Left,
        b'H' => KeyCode::Home,
        b'F' => KeyCode::End,
        b'P' => KeyCode::F(1),
        b'Q' => KeyCode::F(2),
        b'R' => KeyCode::F(3),
        b'S' => KeyCode::F(4),
        _ => return None,
    })
}

/// `ESC [ params final`.
fn parse_csi(b: &[u8]) -> Parse {
    if b.get(2) == Some(&b'M') {
        return parse_x10_mouse(b);
    }
    // Look for the final byte within CSI_MAX bytes only, so a garbage run is cut at the
    // same place however the packets split it.
    let window = &b[2..b.len().min(CSI_MAX)];
    let Some(offset) = window.iter().position(|c| (0x40..=0x7e).contains(c)) else {
        return if b.len() >= CSI_MAX {
            Parse::Done(None, CSI_MAX)
        } else {
            Parse::Incomplete
        };
    };
    let end = 2 + offset;
    let params = &b[2..end];
    let event = csi_event(params, b[end]);
    Parse::Done(event, end + 1)
}

fn csi_event(params: &[u8], fin: u8) -> Option<Input> {
    if let Some(mouse) = params.strip_prefix(b"<") {
        return sgr_mouse(mouse, fin);
    }
    // Parameters are plain numbers separated by `;`; anything else is not a key we know.
    if !params.iter().all(|c| c.is_ascii_digit() || *c == b';') {
        return None;
    }
    let mut numbers = params.split(|c| *c == b';').map(number);
    let first = numbers.next().flatten();
    let modifiers = numbers.next().flatten().unwrap_or(1);
    let code = match fin {
        b'~' => tilde_key(first?)?,
        b'Z' => KeyCode::BackTab,
        _ => letter_key(fin)?,
    };
    Some(Input::Key(with_modifiers(code, modifiers)))
}

fn number(digits: &[u8]) -> Option<u32> {
    if digits.is_empty() || digits.len() > 5 {
        return None;
    }
    std::str::from_utf8(digits).ok()?.parse().ok()
}

/// `ESC [ n ~` keys (Home and End have two codes each, from different terminals).
fn tilde_key(n: u32) -> Option<KeyCode> {
    Some(match n {
        1 | 7 => KeyCode::Home,
        2 => KeyCode::Insert,
        3 => KeyCode::Delete,
        4 | 8 => KeyCode::End,
        5 => KeyCode::PageUp,
        6 => KeyCode::PageDown,
        11..=15 => KeyCode::F((n - 10) as u8),
        17..=21 => KeyCode::F((n - 11) as u8),
        23 | 24 => KeyCode::F((n - 12) as u8),
        _ => return None,
    })
}

/// xterm's modifier parameter is 1 + (shift 1 | alt 2 | ctrl 4).
fn with_modifiers(code: KeyCode, parameter: u32) -> Key {
    let bits = parameter.saturating_sub(1);
    Key {
        code,
        shift: bits & 1 != 0,
        alt: bits & 2 != 0,
        ctrl: bits & 4 != 0,
    }
}

/// `ESC [ < b ; x ; y M|m` (1-based x and y): the wheel and left-button presses matter to
/// the reader. A release (`m`) is dropped: the press already clicked.
fn sgr_mouse(params: &[u8], fin: u8) -> Option<Input> {
    if fin != b'M' {
        return None;
    }
    let mut fields = params.split(|c| *c == b';');
    let button = number(fields.next()?)?;
    if let Some(wheel) = wheel(button) {
        return Some(wheel);
    }
    let column = number(fields.next()?)?;
    let row = number(fields.next()?)?;
    if fields.next().is_some() {
        return None;
    }
    click(button, column, row)
}

/// `ESC [ M b x y`, sent by terminals that do not know SGR reporting: each of the three bytes
/// is its value plus 32, and x and y are 1-based. The bytes must be consumed or they would be
/// typed as keys.
fn parse_x10_mouse(b: &[u8]) -> Parse {
    let Some(&button) = b.get(3) else {
        return Parse::Incomplete;
    };
    if b.len() < 6 {
        return Parse::Incomplete;
    }
    // A byte below 32 encodes nothing: the report is garbage, swallowed whole.
    let event = match [button, b[4], b[5]].map(|c| c.checked_sub(32)) {
        [Some(button), Some(x), Some(y)] => {
            let button = u32::from(button);
            wheel(button).or_else(|| click(button, u32::from(x), u32::from(y)))
        }
        _ => None,
    };
    Parse::Done(event, 6)
}

/// A press of the left button at 1-based `column` and `row`, as a 0-based click.
///
/// In the button code the low two bits name the button (0 is left; 3 is an X10 release),
/// 4, 8 and 16 are Shift, Alt and Ctrl, 32 marks motion (a drag), 64 the wheel and 128 the
/// extra buttons. Modifiers are ignored (a Ctrl-click is a click); anything else is not a
/// click. A coordinate of 0 or past `u16` is not on any screen: ignored, never wrapped.
fn click(button: u32, column: u32, row: u32) -> Option<Input> {
    const MODIFIERS: u32 = 4 | 8 | 16;
    if button & !MODIFIERS != 0 {
        return None;
    }
    let cell = |n: u32| u16::try_from(n.checked_sub(1)?).ok();
    Some(Input::Click {
        column: cell(column)?,
        row: cell(row)?,
    })
}

fn wheel(button: u32) -> Option<Input> {
    if button & 64 == 0 {
        return None;
    }
    Some(Input::Wheel(if button & 1 == 0 {
        -WHEEL_LINES
    } else {
        WHEEL_LINES
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(chunks: &[&[u8]]) -> Vec<Input> {
        let mut d = Decoder::new();
        let mut out = Vec::new();
        for c in chunks {
            d.feed(c, &mut out);
        }
        d.flush(&mut out);
        out
    }

    fn keys(chunks: &[&[u8]]) -> Vec<Key> {
        decode(chunks)
            .into_iter()
            .map(|i| match i {
                Input::Key(k) => k,
                other => panic!("not a key: {other:?}"),
            })
            .collect()
    }

    fn k(code: KeyCode) -> Key {
        Key::plain(code)
    }

    #[test]
    fn text_utf8_and_control_keys() {
        assert_eq!(
            keys(&["aé€😀".as_bytes()]),
            vec![
                Key::char('a'),
                Key::char('é'),
                Key::char('€'),
                Key::char('😀')
            ]
        );
        assert_eq!(
            keys(&[b"\r\t\x7f\x03\x01\x15"]),
            vec![
                k(KeyCode::Enter),
                k(KeyCode::Tab),
                k(KeyCode::Backspace),
                Key::ctrl('c'),
                Key::ctrl('a'),
                Key::ctrl('u')
            ]
        );
        // A character split between packets.
        let euro = "€".as_bytes();
        assert_eq!(
            keys(&[&euro[..1], &euro[1..2], &euro[2..]]),
            vec![Key::char('€')]
        );
    }

    #[test]
    fn arrows_in_both_encodings_and_navigation_keys() {
        assert_eq!(
            keys(&[b"\x1b[A\x1bOB\x1b[C\x1bOD"]),
            vec![
                k(KeyCode::Up),
                k(KeyCode::Down),
                k(KeyCode::Right),
                k(KeyCode::Left)
            ]
        );
        assert_eq!(
            keys(&[b"\x1b[H\x1bOF\x1b[1~\x1b[4~\x1b[5~\x1b[6~\x1b[3~\x1b[2~\x1b[Z"]),
            vec![
                k(KeyCode::Home),
                k(KeyCode::End),
                k(KeyCode::Home),
                k(KeyCode::End),
                k(KeyCode::PageUp),
                k(KeyCode::PageDown),
                k(KeyCode::Delete),
                k(KeyCode::Insert),
                k(KeyCode::BackTab)
            ]
        );
        assert_eq!(
            keys(&[b"\x1bOP\x1b[15~\x1b[24~"]),
            vec![k(KeyCode::F(1)), k(KeyCode::F(5)), k(KeyCode::F(12))]
        );
    }

    #[test]
    fn modifiers_and_alt() {
        let ctrl_up = Key {
            ctrl: true,
            ..k(KeyCode::Up)
        };
        let shift_alt_end = Key {
            shift: true,
            alt: true,
            ..k(KeyCode::End)
        };
        let ctrl_delete = Key {
            ctrl: true,
            ..k(KeyCode::Delete)
        };
        assert_eq!(
            keys(&[b"\x1b[1;5A\x1b[1;4F\x1b[3;5~"]),
            vec![ctrl_up, shift_alt_end, ctrl_delete]
        );
        let alt_j = Key {
            alt: true,
            ..Key::char('j')
        };
        let ctrl_alt_b = Key {
            alt: true,
            ..Key::ctrl('b')
        };
        assert_eq!(keys(&[b"\x1bj\x1b\x02"]), vec![alt_j, ctrl_alt_b]);
    }

    #[test]
    fn lone_esc_waits_for_the_timeout() {
        let mut d = Decoder::new();
        let mut out = Vec::new();
        d.feed(b"\x1b", &mut out);
        assert!(out.is_empty());
        assert_eq!(d.pending_timeout(), Some(ESC_TIMEOUT));
        d.flush(&mut out);
        assert_eq!(out, vec![Input::Key(k(KeyCode::Esc))]);
        assert_eq!(d.pending_timeout(), None);
        // Two Escs in one packet are two keys; Esc then a sequence too.
        assert_eq!(keys(&[b"\x1b\x1b"]), vec![k(KeyCode::Esc), k(KeyCode::Esc)]);
        assert_eq!(
            keys(&[b"\x1b\x1b[A"]),
            vec![k(KeyCode::Esc), k(KeyCode::Up)]
        );
    }

    #[test]
    fn sequences_split_across_packets_or_bundled() {
        assert_eq!(keys(&[b"\x1b", b"[", b"A"]), vec![k(KeyCode::Up)]);
        assert_eq!(
            keys(&[b"\x1b[1;", b"5", b"B"]),
            vec![Key {
                ctrl: true,
                ..k(KeyCode::Down)
            }]
        );
        assert_eq!(keys(&[b"\x1bO", b"C"]), vec![k(KeyCode::Right)]);
        assert_eq!(
            keys(&[b"j\x1b[", b"6~k"]),
            vec![Key::char('j'), k(KeyCode::PageDown), Key::char('k')]
        );
        // Timed out inside a sequence: Alt+[ then the rest as typed.
        let mut d = Decoder::new();
        let mut out = Vec::new();
        d.feed(b"\x1b[", &mut out);
        d.flush(&mut out);
        assert_eq!(
            out,
            vec![Input::Key(Key {
                alt: true,
                ..Key::char('[')
            })]
        );
    }

    #[test]
    fn bracketed_paste_even_when_split() {
        assert_eq!(
            decode(&[b"\x1b[200~hello q\x1b[201~j"]),
            vec![Input::Paste("hello q".into()), Input::Key(Key::char('j'))]
        );
        assert_eq!(
            decode(&[b"\x1b[20", b"0~ab", b"c\x1b[2", b"01~"]),
            vec![Input::Paste("abc".into())]
        );
        let mut d = Decoder::new();
        let mut out = Vec::new();
        d.feed(b"\x1b[200~unterminated", &mut out);
        assert!(out.is_empty());
        assert_eq!(d.pending_timeout(), Some(PASTE_TIMEOUT));
        d.flush(&mut out);
        assert_eq!(out, vec![Input::Paste("unterminated".into())]);
    }

    #[test]
    fn mouse_wheel_reports() {
        // Right button (2) presses and releases are not wheel notches, nor clicks.
        assert_eq!(
            decode(&[b"\x1b[<64;10;5M\x1b[<65;10;5M\x1b[<2;1;1M\x1b[<2;1;1m"]),
            vec![Input::Wheel(-3), Input::Wheel(3)]
        );
        assert_eq!(
            decode(&[b"\x1b[M`!!\x1b[Ma!!q"]),
            vec![
                Input::Wheel(-3),
                Input::Wheel(3),
                Input::Key(Key::char('q'))
            ]
        );
    }

    fn click(column: u16, row: u16) -> Input {
        Input::Click { column, row }
    }

    #[test]
    fn sgr_left_presses_are_clicks_at_zero_based_cells() {
        assert_eq!(
            decode(&[b"\x1b[<0;1;1M\x1b[<0;12;5M\x1b[<0;12;5m"]),
            vec![click(0, 0), click(11, 4)],
            "the release (m) adds nothing"
        );
        // Modifiers (Shift 4, Alt 8, Ctrl 16) do not stop a click.
        assert_eq!(
            decode(&[b"\x1b[<4;3;3M\x1b[<16;3;3M"]),
            vec![click(2, 2), click(2, 2)]
        );
        // The largest cell a u16 holds, and split across packets.
        assert_eq!(
            decode(&[b"\x1b[<0;6553", b"6;65536M"]),
            vec![click(u16::MAX, u16::MAX)]
        );
        assert_eq!(decode(&[b"\x1b[<0;2", b";3", b"M"]), vec![click(1, 2)]);
    }

    #[test]
    fn sgr_reports_that_are_not_left_presses_do_nothing() {
        let ignored: &[&[u8]] = &[
            b"\x1b[<32;5;5M",        // drag with the left button (motion bit)
            b"\x1b[<35;5;5M",        // motion with no button
            b"\x1b[<1;5;5M",         // middle button
            b"\x1b[<2;5;5M",         // right button
            b"\x1b[<128;5;5M",       // extra button 8
            b"\x1b[<0;5;5m",         // release
            b"\x1b[<0;0;5M",         // column 0: coordinates are 1-based
            b"\x1b[<0;5;0M",         // row 0
            b"\x1b[<0;65537;5M",     // past u16
            b"\x1b[<0;99999;99999M", // far past it
            b"\x1b[<0;123456;5M",    // too many digits
            b"\x1b[<0;5M",           // no row
            b"\x1b[<0;;5M",          // empty column
            b"\x1b[<0;5;5;5M",       // a field too many
            b"\x1b[<0;-5;5M",        // not a number
            b"\x1b[<;5;5M",          // no button
            b"\x1b[<0;5;5",          // cut short, then time ran out
        ];
        for bytes in ignored {
            let out = decode(&[bytes]);
            assert!(
                !out.iter().any(|i| matches!(i, Input::Click { .. })),
                "{:?} gave {out:?}",
                String::from_utf8_lossy(bytes)
            );
        }
        // Garbage is swallowed, and what follows is still read.
        assert_eq!(
            decode(&[b"\x1b[<0;0;5Mj\x1b[<0;99999;99999Mk"]),
            vec![Input::Key(Key::char('j')), Input::Key(Key::char('k'))]
        );
    }

    #[test]
    fn x10_left_presses_are_clicks() {
        // Button 0 + 32 = ' ', x 1 + 32 = '!', y 1 + 32 = '!': the top-left cell.
        assert_eq!(decode(&[b"\x1b[M !!"]), vec![click(0, 0)]);
        // Bytes above 127 are coordinates too (x 223 + 32 = 255), not UTF-8.
        assert_eq!(decode(&[b"\x1b[M \xff\x2a"]), vec![click(222, 9)]);
        // Split across packets, then a key.
        assert_eq!(
            decode(&[b"\x1b[M", b" ", b"+", b",q"]),
            vec![click(10, 11), Input::Key(Key::char('q'))]
        );
        // Ctrl-click (16) is a click.
        assert_eq!(decode(&[b"\x1b[M0##"]), vec![click(2, 2)]);
    }

    #[test]
    fn x10_reports_that_are_not_left_presses_do_nothing() {
        let ignored: &[&[u8]] = &[
            b"\x1b[M#!!",    // release (3)
            b"\x1b[M!!!",    // middle button
            b"\x1b[M\"!!",   // right button
            b"\x1b[M@!!",    // drag with the left button (32 + 32)
            b"\x1b[M  !",    // column 0
            b"\x1b[M ! ",    // row 0
            b"\x1b[M\x00!!", // a button byte below 32
            b"\x1b[M \x10!", // a column byte below 32
            b"\x1b[M !\x05", // a row byte below 32
        ];
        for bytes in ignored {
            assert_eq!(
                decode(&[bytes]),
                Vec::<Input>::new(),
                "{:?}",
                String::from_utf8_lossy(bytes)
            );
        }
    }

    #[test]
    fn unknown_sequences_are_swallowed_not_typed() {
        assert_eq!(keys(&[b"\x1b[?1;2c\x1b[99~\x1b[Ij"]), vec![Key::char('j')]);
        assert_eq!(keys(&[b"\xff\xc3(x"]), vec![Key::char('('), Key::char('x')]);
    }

    /// A small deterministic generator, so the fuzz test needs no dependency.
    struct XorShift(u64);

    impl XorShift {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
    }

    #[test]
    fn random_bytes_never_panic_and_splitting_never_changes_the_keys() {
        let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
        // Bias towards bytes that build sequences, so deep paths are exercised.
        let alphabet: &[u8] = b"\x1b[O;<~0123456789ABCDHMPZmab\x7f\r\x03\xc3\xa9\xe2\x82\xac\xff";
        for _ in 0..3000 {
            let len = (rng.next() % 64) as usize;
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    let r = rng.next();
                    if r.is_multiple_of(4) {
                        (r >> 8) as u8
                    } else {
                        alphabet[(r >> 8) as usize % alphabet.len()]
                    }
                })
                .collect();
            let whole = decode(&[&bytes]);
            let mut chunks = Vec::new();
            let mut rest = bytes.as_slice();
            while !rest.is_empty() {
                let n = 1 + (rng.next() as usize % rest.len());
                chunks.push(&rest[..n]);
                rest = &rest[n..];
            }
            assert_eq!(
                decode(&chunks),
                whole,
                "bytes {bytes:?} split as {chunks:?}"
            );
        }
    }
}
