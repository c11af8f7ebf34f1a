//! Unit tests of the command line: arguments, messages, output.

use super::*;

#[test]
fn serve_settings_that_would_refuse_everyone_are_errors() {
    for (flags, message) in [
        (
            ["--keepalive", "0s"],
            "must be more than zero: write e.g. 20s",
        ),
        (
            ["--login-grace", "0"],
            "must be more than zero: write e.g. 20s",
        ),
        (
            ["--max-per-ip", "0"],
            "0 would refuse every connection: give at least 1",
        ),
        (
            ["--max-connections", "0"],
            "0 would refuse every connection: give at least 1",
        ),
        (
            ["--max-unauthenticated", "0"],
            "0 would refuse every connection: give at least 1",
        ),
    ] {
        let e = ServeArgs::from_flags(flags).unwrap_err().to_string();
        assert!(e.contains(message), "{flags:?}: {e}");
        assert!(e.contains(flags[0]), "names the flag: {e}");
    }
}

#[test]
fn serve_defaults_match_the_hardening_table() {
    use crate::term::ssh::limits::Penalties;
    let config = ServeArgs::from_flags(Vec::<String>::new())
        .unwrap()
        .config();
    assert_eq!(config.listen, "127.0.0.1:2222".parse().unwrap());
    assert_eq!(config.login_grace, Duration::from_secs(20));
    assert_eq!(
        config.idle_timeout,
        OptionalDuration(Some(Duration::from_secs(900)))
    );
    assert_eq!(
        config.max_session,
        OptionalDuration(Some(Duration::from_secs(4 * 3600)))
    );
    assert_eq!(
        (config.keepalive, config.keepalive_max),
        (Duration::from_secs(30), 3)
    );
    assert_eq!(
        (
            config.max_connections,
            config.max_per_ip,
            config.max_unauthenticated
        ),
        (256, 8, 32)
    );
    assert_eq!(config.penalties, PenaltySetting(Some(Penalties::DEFAULT)));
    assert_eq!(config.input_rate, 16 * 1024);
    assert_eq!((config.theme, config.no_color), (Theme::Dark, false));
}

#[test]
fn serve_flags_reach_the_config() {
    let config = ServeArgs::from_flags([
        "--listen",
        "0.0.0.0:2200",
        "--idle-timeout",
        "off",
        "--max-session",
        "1h30m",
        "--max-per-ip",
        "2",
        "--penalties",
        "off",
        "--input-rate",
        "100",
        "--theme",
        "light",
        "--no-color",
    ])
    .unwrap()
    .config();
    assert_eq!(config.listen, "0.0.0.0:2200".parse().unwrap());
    assert_eq!(config.idle_timeout, OptionalDuration(None));
    assert_eq!(
        config.max_session,
        OptionalDuration(Some(Duration::from_secs(5400)))
    );
    assert_eq!(config.max_per_ip, 2);
    assert_eq!(config.penalties, PenaltySetting(None));
    assert_eq!(config.input_rate, 100);
    assert_eq!((config.theme, config.no_color), (Theme::Light, true));
}

#[test]
fn theme_is_read_by_name_and_a_wrong_one_lists_the_names() {
    use clap::Parser;
    let theme = |words: &[&str]| Cli::try_parse_from(words).map(|c| c.theme);
    assert_eq!(theme(&["careerhub"]).unwrap(), Theme::Dark);
    assert_eq!(
        theme(&["careerhub", "--theme", "light"]).unwrap(),
        Theme::Light
    );
    assert_eq!(
        theme(&["careerhub", "--theme", "dark"]).unwrap(),
        Theme::Dark
    );
    let e = theme(&["careerhub", "--theme", "purple"])
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("invalid value 'purple' for '--theme <THEME>'")
            && e.contains("[possible values: dark, light]"),
        "{e}"
    );
}

#[test]
fn limit_is_a_count_of_at_least_one() {
    assert_eq!(limit_parser("1"), Ok(1));
    assert_eq!(limit_parser("25"), Ok(25));
    assert_eq!(
        limit_parser("0").unwrap_err(),
        "must be at least 1 (0 would show nothing; leave --limit out for the default)"
    );
    assert_eq!(
        limit_parser("ten").unwrap_err(),
        "not a whole number: give a count of at least 1"
    );
    // A count too large to hold is still a count: no limit in practice.
    assert_eq!(limit_parser("99999999999999999999999"), Ok(usize::MAX));
    assert!(limit_parser("-3").is_err());
}

#[test]
fn a_printed_article_takes_the_styles_of_the_theme_asked_for() {
    use crate::content::index::tests::article_file;
    let file = article_file(
        "w",
        "Weekly planning for a job search",
        "finding-a-job",
        &["general"],
        &["job-search"],
        "2025-01-01",
        &[],
    );
    let lib = Index::from_files(vec![file], Vec::new(), LoadOptions::default());
    let article = lib.by_slug("w").unwrap();
    let body = layout::layout(&Document::default(), 80);
    let printed = |theme| {
        let styles = Styles::new(&AppOptions {
            theme,
            color: true,
            ..AppOptions::default()
        });
        let mut out = Vec::new();
        write_article(article, &body, Some(&styles), &mut out).unwrap();
        (String::from_utf8(out).unwrap(), styles)
    };
    let (light, light_styles) = printed(Theme::Light);
    let (dark, _) = printed(Theme::Dark);
    // The title is a heading: the reader's heading style of the theme, as SGR codes.
    let header = layout::layout(&article_header(article), 80);
    let title = &header.lines[0].spans[0];
    let expected = sgr(&title.text, light_styles.span(title.style));
    assert!(
        expected.starts_with("\x1b["),
        "headings are styled: {expected:?}"
    );
    assert!(light.starts_with(&expected), "{light:?} vs {expected:?}");
    assert_ne!(
        light, dark,
        "the light theme prints other colours than the dark"
    );
}

#[test]
fn summary_numbers_have_thousands_separators() {
    let shown: Vec<String> = [0, 7, 999, 1000, 2084, 1234567].map(thousands).into();
    assert_eq!(shown, ["0", "7", "999", "1,000", "2,084", "1,234,567"]);
}

#[test]
fn padding_counts_display_columns_not_characters() {
    use unicode_width::UnicodeWidthStr;
    for value in ["data-analyst", "数据分析", "cafe\u{301}", "café", "👩‍💻 dev"] {
        let padded = pad_to(value, 32);
        assert_eq!(padded.width(), 32, "{value:?} → {padded:?}");
    }
    assert_eq!(pad_to(&"x".repeat(40), 32), "x".repeat(40), "never cut");
}

#[test]
fn one_argument_holding_a_whole_query_is_read_as_typed() {
    use crate::content::index::tests::article_file;
    let mut spaced = article_file(
        "w",
        "How teams work",
        "workplace",
        &["general"],
        &["culture"],
        "2025-01-01",
        &[],
    );
    let text = String::from_utf8(spaced.bytes).unwrap();
    spaced.bytes = text
        .replace("  intent:\n", "  tag:\n    - how we work\n  intent:\n")
        .into_bytes();
    let lib = Index::from_files(vec![spaced], Vec::new(), LoadOptions::default());
    let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    // The shell kept a whole query as one argument: filters and words, as typed.
    assert_eq!(
        query_text(
            &lib,
            &args(&["role:data-analyst intent:interview follow up"])
        ),
        "role:data-analyst intent:interview follow up"
    );
    assert_eq!(
        query_text(&lib, &args(&["role:engineer pebbles"])),
        "role:engineer pebbles"
    );
    // A facet value with spaces, kept whole by the shell, stays one filter.
    assert_eq!(
        query_text(&lib, &args(&["tag:how we work", "notes"])),
        "tag:\"how we work\" notes"
    );
}
