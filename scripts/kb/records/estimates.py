"""The optional file `estimates.yaml`: timeline estimates mentioned in the sources, read and schema-checked
with the other records (its cross-references are checked in `kb.checks.estimates`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, ValidationError

from .inputs import KnowledgeBaseFolder, load_yaml
from .layout import ESTIMATES_FILE
from .model import Id, Record, ShortText, Text
from .problems import Location, Problems
from .schema_messages import schema_problems
from .yamlfile import YamlDocument, YamlProblem, problem_from

Year = Annotated[int, Field(ge=1900, le=2200)]


class Estimate(Record):
    """One estimate of when something will happen, as one quote states it."""

    id: Id
    """Id of the estimate, unique in the file."""
    label: ShortText
    """Whose estimate and of what, in Japanese (shown beside the bar)."""
    label_en: ShortText
    """The same in English."""
    claim: Id
    """Id of the claim whose quote states the estimate."""
    quote: Annotated[int, Field(ge=1)]
    """The number N of that quote in the claim, as in its anchor `#qN` (1 for the first)."""
    evidence: ShortText
    """The words of the quote that state the estimate; must occur in the quote verbatim."""
    start: Year | None = None
    """First year of the estimate; each stated year (or number of years after `base_year`) must occur in `evidence`."""
    end: Year | None = None
    """Last year of the estimate; leave out for a single year or an open-ended estimate."""
    open_ended: bool = False
    """True when the estimate only gives a lower bound ('more than ten years')."""
    derivation: Text | None = None
    """How years that the quote does not state were worked out, in Japanese; shown with the chart."""
    derivation_en: Text | None = None
    """How the years were worked out, in English; required when there is a `derivation`, refused when there is none."""
    relative_to: Id | None = None
    """For an estimate without years: id of the estimate it is compared with."""
    direction: Literal["earlier", "later"] | None = None
    """With `relative_to`: whether this estimate expects it earlier or later."""


class EstimateGroup(Record):
    """Estimates of the same thing, drawn together."""

    title: ShortText
    """What is estimated, in Japanese (e.g. 'AGIの到来')."""
    title_en: ShortText
    """The same in English."""
    estimates: list[Estimate] = Field(min_length=1)
    """The estimates, top to bottom."""


class EstimateChart(Record):
    """The file `estimates.yaml`: estimates drawn side by side on the home page."""

    title: ShortText
    """Japanese title of the chart."""
    title_en: ShortText
    """English title of the chart."""
    base_year: Year
    """The year the estimates were made; a number of years is counted from it."""
    groups: list[EstimateGroup] = Field(min_length=1)
    """Groups of estimates, top to bottom."""

    def all_estimates(self) -> list[Estimate]:
        """Every estimate, in drawing order."""
        return [estimate for group in self.groups for estimate in group.estimates]


def load_estimates(root: Path, problems: Problems) -> tuple[EstimateChart, YamlDocument] | None:
    """Read and schema-check `estimates.yaml` if the knowledge base has one."""
    files = KnowledgeBaseFolder(root)
    refusal = files.refusal(ESTIMATES_FILE)
    if refusal:
        problems.add(Location(ESTIMATES_FILE), refusal)
        return None
    if not (root / ESTIMATES_FILE).is_file():
        return None
    try:
        document = load_yaml(files, ESTIMATES_FILE, ESTIMATES_FILE)
    except YamlProblem as error:
        problems.extend([problem_from(error, ESTIMATES_FILE)])
        return None
    if not isinstance(document.data, dict):
        problems.add(document.location(()), f"{ESTIMATES_FILE}: wrong type; expected a YAML mapping of fields; "
                     f"found {type(document.data).__name__}")
        return None
    try:
        return EstimateChart.model_validate(document.data), document
    except ValidationError as error:
        problems.extend(schema_problems(document, error, EstimateChart, ESTIMATES_FILE))
        return None
