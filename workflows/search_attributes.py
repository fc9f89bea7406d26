"""Custom search attributes, so runs can be filtered in the Temporal Web UI and with `temporal workflow list -q`.

They must exist on the namespace before a workflow sets them: the embedded server registers them at start
(`--search-attribute`), and a real cluster needs `temporal operator search-attribute create` once (README).
"""

from __future__ import annotations

from temporalio.common import SearchAttributeKey, SearchAttributePair, TypedSearchAttributes

from resume_tailor.contracts import GeneratorKind, JobPosting, Stage

TAILOR_STAGE = SearchAttributeKey.for_keyword("TailorStage")
TAILOR_COMPANY = SearchAttributeKey.for_keyword("TailorCompany")
TAILOR_GENERATOR = SearchAttributeKey.for_keyword("TailorGenerator")
TAILOR_JOB_TITLE = SearchAttributeKey.for_text("TailorJobTitle")

# name -> Temporal type, as `temporal server start-dev --search-attribute NAME=TYPE` expects it.
DEFINITIONS: dict[str, str] = {
    TAILOR_STAGE.name: "Keyword",
    TAILOR_COMPANY.name: "Keyword",
    TAILOR_GENERATOR.name: "Keyword",
    TAILOR_JOB_TITLE.name: "Text",
}


def initial_search_attributes(job: JobPosting, generator: GeneratorKind) -> TypedSearchAttributes:
    """What a run starts with; the workflow then moves `TailorStage` along."""
    return TypedSearchAttributes(
        [
            SearchAttributePair(TAILOR_STAGE, Stage.QUEUED.value),
            SearchAttributePair(TAILOR_COMPANY, job.company[:100]),
            SearchAttributePair(TAILOR_GENERATOR, generator.value),
            SearchAttributePair(TAILOR_JOB_TITLE, job.title),
        ]
    )


def run_summary(filename: str, job: JobPosting) -> str:
    """The one-line summary the Web UI lists for a run."""
    return f"Tailor {filename} for {job.title} at {job.company or 'unknown company'}"[:200]
