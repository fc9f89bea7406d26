"""Custom search attributes, so runs can be filtered in the Temporal Web UI and with `temporal workflow list -q`.

They must exist on the namespace before a workflow sets them: the embedded server registers them at start
(`--search-attribute`), and a real cluster needs `temporal operator search-attribute create` once (README).
"""

from __future__ import annotations

from temporalio.common import SearchAttributeKey

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
