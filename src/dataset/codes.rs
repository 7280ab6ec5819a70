//! The closed vocabularies whose meaning lives in code: a link's basis and grade, where
//! evidence comes from, a member's role, what a figure counts, the kinds of instruments and
//! mandates. Their slugs are what the data files and URLs write.

use crate::vocabulary;

vocabulary! {
    /// Why a link exists: an explicit mandate from a UN governing body, or a working agenda.
    Basis, "basis" {
        Mandate => "mandate", "Mandate",
        Agenda => "agenda", "Working agenda",
    }
}

vocabulary! {
    /// How well a link's evidence supports it.
    Grade, "evidence grade" {
        /// The quote or source states the entity's own work on the crime type, dated 2019
        /// or earlier.
        Strong => "strong", "Strong evidence",
        /// Indirect: a partnership, a membership, an event, one mention in a list, a
        /// co-mention in the report, or evidence dated after 2019.
        Partial => "partial", "Partial evidence",
    }
}

vocabulary! {
    /// What a figure the report states counts.
    Unit, "unit" {
        Count => "count", "Count",
        Percent => "percent", "Per cent",
    }
}

vocabulary! {
    /// Where a link's evidence comes from.
    Provenance, "provenance" {
        /// The report states it; the link carries a verbatim quote.
        Report => "report", "The report",
        /// Established from elsewhere; the link names its source.
        Compiled => "compiled", "Compiled",
    }
}

vocabulary! {
    /// An entity's part in a coordination group.
    Role, "role" {
        Lead => "lead", "Lead",
        Member => "member", "Member",
    }
}

vocabulary! {
    /// What an instrument or body of the report's Figure 2 is.
    InstrumentKind, "instrument type" {
        Convention => "convention", "Convention",
        /// A treaty that does not call itself a convention (the Arms Trade Treaty).
        Treaty => "treaty", "Treaty",
        Protocol => "protocol", "Protocol",
        /// A politically binding, not legally binding, instrument (the Programme of Action on
        /// small arms, the International Tracing Instrument).
        PoliticalInstrument => "political-instrument", "Political instrument",
        Commission => "commission", "Commission",
        /// The conference of the parties to a convention.
        Conference => "conference", "Conference of the parties",
        ExpertGroup => "expert-group", "Expert group",
        Board => "board", "Board",
        Office => "office", "Office",
    }
}

vocabulary! {
    /// What kind of special procedure of the Human Rights Council a mandate is.
    MandateKind, "mandate type" {
        SpecialRapporteur => "special-rapporteur", "Special Rapporteur",
        IndependentExpert => "independent-expert", "Independent Expert",
        WorkingGroup => "working-group", "Working Group",
    }
}

vocabulary! {
    /// What happened to an entity between two editions of the UN System chart.
    LineageKind, "lineage kind" {
        Renamed => "renamed", "Renamed",
        Split => "split", "Split",
        Merged => "merged", "Merged",
        Created => "created", "Created",
        Closed => "closed", "Closed",
        /// Moved to another box or principal organ of the chart.
        Moved => "moved", "Moved",
    }
}

vocabulary! {
    /// What a search for an entity's work on a crime type found, in an edition.
    Outcome, "search outcome" {
        /// Evidence was found: the edition has the link.
        Link => "link", "Link found",
        /// Searched, and no evidence was found.
        NotFound => "not-found", "Searched, nothing found",
        /// Not searched yet.
        NotExamined => "not-examined", "Not examined",
    }
}
