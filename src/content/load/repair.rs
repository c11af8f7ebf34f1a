//! Mojibake repair: undo UTF-8 text that was mis-decoded as Mac Roman or Windows-1252.
//!
//! Some copies of the publisher's export went through a UTF-8 → Mac Roman mis-decode (`’`
//! became `‚Äô`, U+200D became `‚Äç`, 📌 became `üìå`); the other common accident is
//! Windows-1252 (`â€™`, `Ã©`). Both are reversible: map each character back to its byte in
//! the wrong encoding and decode those bytes as UTF-8.
//!
//! The hard requirement is to never alter genuine non-ASCII text, so the repair is
//! deliberately conservative:
//!
//! - Text is handled per *run*: a maximal stretch of non-ASCII characters. Mojibake never
//!   contains ASCII (every byte ≥ 0x80 maps to a non-ASCII character in both encodings), so a
//!   run always holds whole mis-decoded sequences.
//! - Inside a run, a sequence is replaced only when its bytes form valid UTF-8 *and* the
//!   decoded character is plausible in prose (see `plausibility`): Latin letters,
//!   punctuation, symbols and emoji anywhere; other scripts (Greek, Cyrillic, CJK...) only when
//!   the run does not touch an ASCII letter or digit, because genuine text such as
//!   `caf\u{e9}\u{a0}»` would otherwise decode to a CJK ideograph.
//! - Per run the encoding that repairs most characters wins (Mac Roman on a tie, as that is
//!   the accident known in the publisher's library), and the run is left alone when fewer than
//!   half its characters would be repaired.
//! - Repair repeats per run until nothing changes, which undoes double (or deeper) garbling
//!   and makes the function idempotent. This stays linear: a round that changes a run must
//!   repair at least half its characters, in sequences of two or more, so the run shrinks by at
//!   least a quarter each round and the rounds' total work is bounded by four times its length.
//!
//! Text built deliberately from mojibake-like pairs cannot be told apart from mojibake; such
//! text does not occur in career-guidance prose.

use std::borrow::Cow;

/// Repairs UTF-8 text that was mis-decoded as Mac Roman or Windows-1252.
///
/// Returns [`Cow::Borrowed`] when nothing changes (always for ASCII). Genuine non-ASCII text
/// (café, 日本語, emoji, “curly quotes”, —, ½) is left as it is. Idempotent, linear time.
///
/// ```
/// use careerhub::content::load::repair::repair_mojibake;
/// assert_eq!(repair_mojibake("it‚Äôs \u{f8ff}üìå"), "it’s 📌");
/// assert_eq!(repair_mojibake("cafÃ© â€” ok"), "café — ok");
/// assert_eq!(repair_mojibake("café — “ok”"), "café — “ok”");
/// ```
pub fn repair_mojibake(text: &str) -> Cow<'_, str> {
    repair_report(text).0
}

/// Like [`repair_mojibake`], and also returns how many characters were restored (a doubly
/// garbled `’` counts once), so `careerhub check` can warn "repaired N mis-decoded characters".
pub fn repair_report(text: &str) -> (Cow<'_, str>, usize) {
    if text.is_ascii() {
        return (Cow::Borrowed(text), 0);
    }
    let bytes = text.as_bytes();
    let mut scratch = Scratch::default();
    let mut out: Option<String> = None;
    // Bytes of `text` already copied into `out`.
    let mut copied = 0;
    let mut restored = 0;
    let mut i = 0;
    loop {
        i = next_non_ascii(bytes, i);
        if i == bytes.len() {
            break;
        }
        // In UTF-8 every byte of a non-ASCII character is ≥ 0x80 and every ASCII character is
        // a single byte < 0x80, so a byte run ≥ 0x80 is exactly a run of non-ASCII characters.
        let start = i;
        while i < bytes.len() && bytes[i] >= 0x80 {
            i += 1;
        }
        let touches_word = (start > 0 && bytes[start - 1].is_ascii_alphanumeric())
            || bytes.get(i).is_some_and(u8::is_ascii_alphanumeric);
        if let Some(n) = scratch.repair_run(&text[start..i], !touches_word) {
            let out = out.get_or_insert_with(|| String::with_capacity(text.len()));
            out.push_str(&text[copied..start]);
            out.extend(scratch.cur.iter());
            copied = i;
            restored += n;
        }
    }
    match out {
        None => (Cow::Borrowed(text), 0),
        Some(mut out) => {
            out.push_str(&text[copied..]);
            (Cow::Owned(out), restored)
        }
    }
}

/// The index of the first byte ≥ 0x80 at or after `from`, or `bytes.len()`. Eight bytes at a
/// time: article bodies are mostly ASCII and this scan runs over every file at load.
fn next_non_ascii(bytes: &[u8], from: usize) -> usize {
    let mut i = from;
    while let Some(word) = bytes.get(i..i + 8) {
        let word = u64::from_le_bytes(word.try_into().expect("eight bytes"));
        if word & 0x8080_8080_8080_8080 != 0 {
            break;
        }
        i += 8;
    }
    while i < bytes.len() && bytes[i] < 0x80 {
        i += 1;
    }
    i
}

/// The two encodings UTF-8 is commonly mis-decoded as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Encoding {
    MacRoman,
    Cp1252,
}

impl Encoding {
    /// The byte that decodes to `c` in this encoding, if any (the inverse of the table).
    fn byte(self, c: char) -> Option<u8> {
        let code = u32::from(c);
        match self {
            Encoding::MacRoman => MAC_ROMAN_REVERSE
                .binary_search_by_key(&code, |&(ch, _)| ch)
                .ok()
                .map(|i| MAC_ROMAN_REVERSE[i].1),
            // 0x80–0xFF map to themselves: Latin-1 for 0xA0–0xFF, and C1 controls for the five
            // bytes CP1252 leaves undefined (as browsers decode them). Taking every C1 control
            // back to its own byte also undoes ISO-8859-1 mis-decodes, which differ from CP1252
            // only there.
            Encoding::Cp1252 if (0x80..=0xFF).contains(&code) => Some(code as u8),
            Encoding::Cp1252 => CP1252_REVERSE
                .binary_search_by_key(&code, |&(ch, _)| ch)
                .ok()
                .map(|i| CP1252_REVERSE[i].1),
        }
    }
}

/// Where a character decoded from a mis-decoded sequence may be accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Plausible {
    /// Never: controls, combining marks, IPA, rare scripts. These are what genuine pairs
    /// like `“É` or `«Ç` would decode to.
    Never,
    /// Anywhere, even inside a word: Latin letters, punctuation, symbols, emoji.
    Anywhere,
    /// Only in a run that does not touch ASCII letters or digits: other scripts.
    Isolated,
}

/// How plausible `c` is as the original character behind a mis-decoded sequence.
fn plausibility(c: char) -> Plausible {
    // Whatever a mis-decode produces must be accepted as a repair result, or doubly garbled
    // text cannot come back through it: a doubly garbled `‘` passes through `˜` (U+02DC), a
    // doubly garbled `½` through `Ω`.
    let code = u32::from(c);
    if MAC_ROMAN_REVERSE
        .binary_search_by_key(&code, |&(ch, _)| ch)
        .is_ok()
        || CP1252_REVERSE
            .binary_search_by_key(&code, |&(ch, _)| ch)
            .is_ok()
    {
        return Plausible::Anywhere;
    }
    match code {
        // C1 controls that CP1252 leaves undefined: a doubly garbled U+200D passes through
        // U+008D on its way back (`Â\u{8d}` → U+008D, then `â€\u{8d}` → U+200D). Any other C1
        // control is never the product of a CP1252 round trip, so it stays implausible.
        0x81 | 0x8D | 0x8F | 0x90 | 0x9D => Plausible::Anywhere,
        // Latin-1 letters and symbols, Latin Extended-A.
        0xA0..=0x17F
        // Latin Extended-B, only what languages use: ƒ, Vietnamese ơ ư, pinyin ǎ, Romanian ș ț.
        | 0x192
        | 0x1A0..=0x1B0
        | 0x1CD..=0x1DC
        | 0x218..=0x21B
        // Latin Extended Additional (Vietnamese and others).
        | 0x1E00..=0x1EFF
        // General punctuation (’ “ ” — … U+200D...), super/subscripts, currency, letterlike,
        // number forms, arrows, maths, technical, enclosed, box drawing, shapes, symbols,
        // dingbats, more arrows and symbols.
        | 0x2000..=0x23FF
        | 0x2460..=0x27BF
        | 0x2900..=0x297F
        | 0x2B00..=0x2BFF
        // Apple logo: Mac Roman 0xF0, so a doubly garbled 📌 passes through it.
        | 0xF8FF
        // Variation selectors (❤️), BOM, replacement character.
        | 0xFE00..=0xFE0F
        | 0xFEFF
        | 0xFFFD
        // Emoji and pictographs; tag characters of subdivision flags.
        | 0x1F000..=0x1FAFF
        | 0xE0020..=0xE007F => Plausible::Anywhere,
        // Greek, Cyrillic, Hebrew and Arabic letters, Devanagari, Thai, CJK punctuation and
        // kana, CJK ideographs, Hangul, full-width forms.
        0x370..=0x3FF
        | 0x400..=0x45F
        | 0x490..=0x491
        | 0x5D0..=0x5EA
        | 0x620..=0x64A
        | 0x660..=0x669
        | 0x900..=0x97F
        | 0xE00..=0xE7F
        | 0x3000..=0x30FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xAC00..=0xD7A3
        | 0xFF00..=0xFFEF
        | 0x20000..=0x3134F => Plausible::Isolated,
        _ => Plausible::Never,
    }
}

/// Decodes one mis-decoded UTF-8 sequence at the start of `chars`, if there is a plausible one.
/// Returns the original character and how many characters of `chars` it replaces.
fn decode_at(enc: Encoding, chars: &[char], isolated: bool) -> Option<(char, usize)> {
    let lead = enc.byte(*chars.first()?)?;
    let len = match lead {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => return None,
    };
    let seq = chars.get(..len)?;
    let mut buf = [lead, 0, 0, 0];
    for (slot, &c) in buf[1..len].iter_mut().zip(&seq[1..]) {
        let b = enc.byte(c)?;
        if b & 0xC0 != 0x80 {
            return None;
        }
        *slot = b;
    }
    // from_utf8 rejects overlong forms, surrogates and code points above U+10FFFF.
    let decoded = std::str::from_utf8(&buf[..len]).ok()?.chars().next()?;
    match plausibility(decoded) {
        Plausible::Anywhere => Some((decoded, len)),
        Plausible::Isolated if isolated => Some((decoded, len)),
        _ => None,
    }
}

/// Buffers reused across runs, so repairing a long text allocates a handful of times.
#[derive(Default)]
struct Scratch {
    /// The run being repaired, and per character whether it was restored by a repair.
    cur: Vec<char>,
    cur_restored: Vec<bool>,
    /// Candidate results, one per encoding.
    mac: (Vec<char>, Vec<bool>),
    cp: (Vec<char>, Vec<bool>),
}

impl Scratch {
    /// Repairs one run of non-ASCII characters to a fixpoint. On change, leaves the result in
    /// `self.cur` and returns the number of restored characters.
    fn repair_run(&mut self, run: &str, isolated: bool) -> Option<usize> {
        self.cur.clear();
        self.cur.extend(run.chars());
        // One character cannot hold a sequence, and most runs are a lone é or ’.
        if self.cur.len() < 2 {
            return None;
        }
        self.cur_restored.clear();
        self.cur_restored.resize(self.cur.len(), false);
        let mut changed = false;
        while self.cur.len() >= 2 {
            let mac = decode_run(
                Encoding::MacRoman,
                &self.cur,
                &self.cur_restored,
                isolated,
                &mut self.mac,
            );
            let cp = decode_run(
                Encoding::Cp1252,
                &self.cur,
                &self.cur_restored,
                isolated,
                &mut self.cp,
            );
            let (repaired, best) = if cp > mac {
                (cp, &mut self.cp)
            } else {
                (mac, &mut self.mac)
            };
            // Refuse a run mostly made of characters that are not part of any sequence: that
            // is genuine text with a chance pair in it, not mojibake.
            if repaired == 0 || repaired * 2 < self.cur.len() {
                break;
            }
            std::mem::swap(&mut self.cur, &mut best.0);
            std::mem::swap(&mut self.cur_restored, &mut best.1);
            changed = true;
        }
        changed.then(|| self.cur_restored.iter().filter(|&&r| r).count())
    }
}

/// Decodes every plausible sequence of `chars` in `enc` into `out` (characters and their
/// restored flags). Returns how many input characters were consumed by repairs.
fn decode_run(
    enc: Encoding,
    chars: &[char],
    restored: &[bool],
    isolated: bool,
    out: &mut (Vec<char>, Vec<bool>),
) -> usize {
    out.0.clear();
    out.1.clear();
    let mut repaired = 0;
    let mut i = 0;
    while i < chars.len() {
        // Greedy from the left is safe: a sequence starts at a lead byte, and lead bytes are
        // never continuation bytes, so a failed attempt cannot hide the start of a real one.
        if let Some((c, len)) = decode_at(enc, &chars[i..], isolated) {
            out.0.push(c);
            out.1.push(true);
            repaired += len;
            i += len;
        } else {
            out.0.push(chars[i]);
            out.1.push(restored[i]);
            i += 1;
        }
    }
    repaired
}

/// Mac Roman (Apple's ROMAN.TXT), bytes 0x80–0xFF. 0xF0 is the Apple logo (private use).
const MAC_ROMAN: [char; 128] = [
    'Ä', 'Å', 'Ç', 'É', 'Ñ', 'Ö', 'Ü', 'á', 'à', 'â', 'ä', 'ã', 'å', 'ç', 'é', 'è', // 0x80
    'ê', 'ë', 'í', 'ì', 'î', 'ï', 'ñ', 'ó', 'ò', 'ô', 'ö', 'õ', 'ú', 'ù', 'û', 'ü', // 0x90
    '†', '°', '¢', '£', '§', '•', '¶', 'ß', '®', '©', '™', '´', '¨', '≠', 'Æ', 'Ø', // 0xA0
    '∞', '±', '≤', '≥', '¥', 'µ', '∂', '∑', '∏', 'π', '∫', 'ª', 'º', 'Ω', 'æ', 'ø', // 0xB0
    '¿', '¡', '¬', '√', 'ƒ', '≈', '∆', '«', '»', '…', '\u{A0}', 'À', 'Ã', 'Õ', 'Œ',
    'œ', // 0xC0
    '–', '—', '“', '”', '‘', '’', '÷', '◊', 'ÿ', 'Ÿ', '⁄', '€', '‹', '›', 'ﬁ', 'ﬂ', // 0xD0
    '‡', '·', '‚', '„', '‰', 'Â', 'Ê', 'Á', 'Ë', 'È', 'Í', 'Î', 'Ï', 'Ì', 'Ó', 'Ô', // 0xE0
    '\u{F8FF}', 'Ò', 'Ú', 'Û', 'Ù', 'ı', 'ˆ', '˜', '¯', '˘', '˙', '˚', '¸', '˝', '˛',
    'ˇ', // 0xF0
];

/// Windows-1252, bytes 0x80–0x9F; 0xA0–0xFF are Latin-1 (the byte's own code point). The
/// undefined 0x81, 0x8D, 0x8F, 0x90 and 0x9D decode to the C1 control of the same value, as
/// browsers do (WHATWG encoding standard).
const CP1252_HIGH: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž',
    '\u{8F}', // 0x80
    '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}', 'ž',
    'Ÿ', // 0x90
];

/// The character byte `b` (0x80–0xFF) decodes to in `enc`. Used by tests to garble text.
#[cfg(test)]
fn decode_byte(enc: Encoding, b: u8) -> char {
    match (enc, b) {
        (Encoding::MacRoman, 0x80..=0xFF) => MAC_ROMAN[usize::from(b - 0x80)],
        (Encoding::Cp1252, 0x80..=0x9F) => CP1252_HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

/// `(code point, byte)` for all of Mac Roman's 0x80–0xFF, sorted by code point for
/// binary search.
const MAC_ROMAN_REVERSE: [(u32, u8); 128] = sorted_reverse(MAC_ROMAN);

/// `(code point, byte)` for CP1252's 0x80–0x9F that are not C1 controls (those, and
/// 0xA0–0xFF, map to themselves), sorted by code point.
const CP1252_REVERSE: [(u32, u8); 27] = {
    let all = sorted_reverse(CP1252_HIGH);
    // The five C1 controls sort first (U+0081..U+009D < U+0152 Œ, the lowest of the rest).
    let mut out = [(0, 0); 27];
    let mut i = 0;
    while i < 27 {
        out[i] = all[i + 5];
        i += 1;
    }
    out
};

/// Builds the inverse of a decoding table for bytes starting at 0x80, sorted by code point.
const fn sorted_reverse<const N: usize>(table: [char; N]) -> [(u32, u8); N] {
    let mut out = [(0u32, 0u8); N];
    let mut i = 0;
    while i < N {
        out[i] = (table[i] as u32, 0x80 + i as u8);
        i += 1;
    }
    // Insertion sort: 128 entries, once, at compile time.
    let mut i = 1;
    while i < N {
        let mut j = i;
        while j > 0 && out[j - 1].0 > out[j].0 {
            let t = out[j];
            out[j] = out[j - 1];
            out[j - 1] = t;
            j -= 1;
        }
        i += 1;
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Encodes `s` as UTF-8 and decodes every byte through `enc`: what a mis-decode does.
    fn garble(enc: Encoding, s: &str) -> String {
        s.bytes().map(|b| decode_byte(enc, b)).collect()
    }

    /// What the publisher's broken export copies did: UTF-8 read as Mac Roman.
    pub(crate) fn garble_mac_roman(s: &str) -> String {
        garble(Encoding::MacRoman, s)
    }

    fn garble_cp1252(s: &str) -> String {
        garble(Encoding::Cp1252, s)
    }

    /// Sentences with everything the publisher's export uses, and more.
    const SENTENCES: &[&str] = &[
        "It’s the “follow-up” email — not the résumé — that gets you noticed.",
        "\u{200d}",
        "📌 Pro tip: send it within 24 hours 👉 then wait.",
        "Tips: café, Zürich, naïve, ½ day, © 2024, 10 °C, £40k, €50k, ™",
        "Ask: ‘what does success look like?’ … then listen.",
        "Maths: ½ π Ω ∆ ≈ ◊ ﬁ ˆ ˜ ˘ ˇ ı",
        "👩‍💻 remote • 🇺🇸 • ❤️ • Łódź • São Paulo • Nguyễn • ș",
        "\u{feff}BOM first",
    ];

    #[test]
    fn tables_agree_with_the_examples_in_format_md() {
        assert_eq!(garble_mac_roman("’"), "‚Äô");
        assert_eq!(garble_mac_roman("“"), "‚Äú");
        assert_eq!(garble_mac_roman("”"), "‚Äù");
        assert_eq!(garble_mac_roman("\u{200d}"), "‚Äç");
        assert_eq!(garble_mac_roman("📌"), "\u{f8ff}üìå");
        assert_eq!(garble_mac_roman("👉"), "\u{f8ff}üëâ");
        assert_eq!(garble_cp1252("’"), "â€™");
        assert_eq!(garble_cp1252("é"), "Ã©");
        assert_eq!(garble_cp1252("\u{200d}"), "â€\u{8d}");
    }

    #[test]
    fn reverse_tables_invert_the_tables() {
        for b in 0x80..=0xFFu8 {
            for enc in [Encoding::MacRoman, Encoding::Cp1252] {
                assert_eq!(enc.byte(decode_byte(enc, b)), Some(b), "{enc:?} {b:#x}");
            }
        }
        // Every Mac Roman character is distinct.
        assert!(MAC_ROMAN_REVERSE.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(CP1252_REVERSE.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn restores_mac_roman_exactly() {
        for s in SENTENCES {
            let garbled = garble_mac_roman(s);
            assert_ne!(&garbled, s);
            assert_eq!(repair_mojibake(&garbled), *s, "from {garbled:?}");
        }
    }

    #[test]
    fn restores_cp1252_exactly() {
        for s in SENTENCES {
            let garbled = garble_cp1252(s);
            assert_eq!(repair_mojibake(&garbled), *s, "from {garbled:?}");
        }
    }

    #[test]
    fn restores_iso_8859_1_too() {
        // Latin-1 decodes 0x80–0x9F to C1 controls: `â\u{80}\u{99}` for ’.
        let garbled: String = "it’s".bytes().map(char::from).collect();
        assert_eq!(repair_mojibake(&garbled), "it’s");
    }

    #[test]
    fn restores_double_garbling() {
        for s in SENTENCES {
            for twice in [
                garble_mac_roman(&garble_mac_roman(s)),
                garble_cp1252(&garble_cp1252(s)),
                garble_cp1252(&garble_mac_roman(s)),
                garble_mac_roman(&garble_cp1252(s)),
            ] {
                assert_eq!(repair_mojibake(&twice), *s, "from {twice:?}");
            }
        }
        let thrice = garble_mac_roman(&garble_mac_roman(&garble_mac_roman("it’s")));
        assert_eq!(repair_mojibake(&thrice), "it’s");
    }

    #[test]
    fn repairs_mojibake_next_to_genuine_text() {
        let s = format!(
            "café {} naïve “ok” 日本語{}",
            garble_mac_roman("it’s"),
            garble_mac_roman("’")
        );
        assert_eq!(repair_mojibake(&s), "café it’s naïve “ok” 日本語’");
        let s = format!("é{}", garble_mac_roman("’"));
        assert_eq!(repair_mojibake(&s), "é’");
        let s = format!("“{}”", garble_cp1252("Zürich"));
        assert_eq!(repair_mojibake(&s), "“Zürich”");
    }

    #[test]
    fn leaves_genuine_text_alone() {
        let genuine = [
            "café",
            "Zürich",
            "naïve",
            "日本語のテキスト",
            "Ελληνικά",
            "Русский язык",
            "📌👩‍💻👉 🇺🇸 ❤️",
            "“curly quotes” and ‘single’",
            "a — dash – and … ellipsis",
            "½ © ® ° ± µ ¶ § ™ € £ ¥",
            "„Das ist groß“",
            "«Ça va»",
            "« élan »",
            "\u{a0}élan",
            "voilà\u{a0}« oui »",
            "café\u{a0}»",
            "“Élan” —émigré",
            "Paris–Évian",
            "SÃO PAULO",
            "Ñandú",
            "ﬁ ﬂ ı ˆ ˜",
            "español: ¿qué? ¡sí!",
            "Ärger, Öl, Übel",
            "Ωπ∆√∞≈≠≤≥",
            "ÂÊÎÔÛ âêîôû",
            "\u{f8ff}",
        ];
        for s in genuine {
            let r = repair_report(s);
            assert!(matches!(r.0, Cow::Borrowed(_)), "{s:?} became {:?}", r.0);
            assert_eq!(r.1, 0);
        }
    }

    #[test]
    fn ascii_and_unchanged_text_is_borrowed() {
        assert!(matches!(repair_mojibake("plain ascii"), Cow::Borrowed(_)));
        assert!(matches!(repair_mojibake(""), Cow::Borrowed(_)));
        assert!(matches!(repair_mojibake("ünïcödé"), Cow::Borrowed(_)));
    }

    #[test]
    fn is_idempotent() {
        let mut inputs: Vec<String> = SENTENCES.iter().map(|s| s.to_string()).collect();
        for s in SENTENCES {
            inputs.push(garble_mac_roman(s));
            inputs.push(garble_cp1252(s));
            inputs.push(garble_cp1252(&garble_mac_roman(s)));
        }
        inputs.push("Ã©Ã".repeat(5));
        inputs.push("‚Ä‚Äô√".into());
        for s in &inputs {
            let once = repair_mojibake(s);
            let twice = repair_mojibake(&once);
            assert_eq!(once, twice, "not idempotent on {s:?}");
            assert!(matches!(twice, Cow::Borrowed(_)));
        }
    }

    #[test]
    fn counts_restored_characters() {
        let s = format!(
            "{} and {}",
            garble_mac_roman("it’s “x”"),
            garble_cp1252("café")
        );
        assert_eq!(
            repair_report(&s),
            (Cow::Owned("it’s “x” and café".into()), 4)
        );
        // A doubly garbled character is one restored character, not four.
        let twice = garble_mac_roman(&garble_mac_roman("’"));
        assert_eq!(repair_report(&twice).1, 1);
        assert_eq!(repair_report(&garble_mac_roman("📌")).1, 1);
    }

    #[test]
    fn refuses_runs_mostly_not_mojibake() {
        // One repairable pair among four genuine characters: left alone.
        let s = format!("ñéèê{}", garble_cp1252("é"));
        assert!(matches!(repair_mojibake(&s), Cow::Borrowed(_)));
    }

    #[test]
    fn other_scripts_only_in_isolated_runs() {
        let greek = garble_mac_roman("Ελληνικά");
        assert_eq!(repair_mojibake(&format!("({greek})")), "(Ελληνικά)");
        let cyr = garble_cp1252("Русский");
        assert_eq!(repair_mojibake(&format!("{cyr} text")), "Русский text");
        let cjk = garble_cp1252("日本語");
        assert_eq!(repair_mojibake(&cjk), "日本語");
        // Glued to an ASCII word, a decode into another script is not trusted.
        assert!(matches!(
            repair_mojibake(&format!("x{cjk}")),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn adversarial_megabyte_is_linear() {
        let inputs = [
            "√".repeat(1 << 19),
            "Ã©".repeat(1 << 18),
            "‚Äö√Ñ√¥".repeat(1 << 16),
            garble_cp1252(&garble_cp1252(&garble_mac_roman(&"’é📌".repeat(1 << 14)))),
            "ÃÃÃ©".repeat(1 << 17),
            "é".repeat(1 << 19),
        ];
        for s in &inputs {
            let start = std::time::Instant::now();
            let _ = repair_report(s);
            // Quadratic work on a megabyte would take minutes; linear work takes milliseconds.
            assert!(
                start.elapsed() < std::time::Duration::from_secs(5),
                "{} bytes",
                s.len()
            );
        }
    }
}
