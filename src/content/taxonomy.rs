//! The publisher's taxonomy: the role, intent and category values its library uses. Other
//! libraries may use any values; these are what the bundled and synthetic libraries cover.

/// Values of the `role` facet.
pub const ROLES: &[&str] = &[
    "general",
    "data-analyst",
    "data-scientist",
    "software-engineer",
    "entry-level",
    "business-analyst",
];

/// Values of the `intent` facet.
pub const INTENTS: &[&str] = &[
    "job-search",
    "resume",
    "interview",
    "ats",
    "salary",
    "remote-work",
    "career-growth",
    "tools",
];

/// Values of `category`.
pub const CATEGORIES: &[&str] = &[
    "finding-a-job",
    "job-search-tools-services",
    "resume-cover-letters",
    "interviewing",
    "salary-negotiation",
];
