"""Typed models of the knowledge base.

Every model forbids unknown fields, so a misspelt key is reported instead of silently ignored.
Prose fields are Markdown; `[[id]]`, `[[id|label]]` and `[[entity/item]]` cross-link (see markup.py).
"""

from __future__ import annotations

import re
import typing
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
#: Ids name files and anchors: long enough for any real name, short enough for every file system.
MAX_ID = 64
#: Glossary terms are matched in the text of every page: one line of letters, digits and a little
#: punctuation, with at least one letter (a term of digits alone would match inside the Markdown
#: library's placeholders for raw HTML, as would the placeholder words themselves).
TERM_PATTERN = r"^[^\W_][\w .'+/-]*$"
_PLACEHOLDER_WORDS = ("wzxhzdk", "klzzwxh")


class Points:
    """Marks a field that names another entity; `kinds` are the collections it may point into."""

    def __init__(self, *kinds: str) -> None:
        self.kinds = kinds


class IsProse:
    """Marks a field holding Markdown prose that may contain [[links]]."""


class IsFigure:
    """Marks the field of an item with an id that holds the figure `[[entity/item]]` shows (a Value)."""


class IsLabel:
    """Marks the field that names an item with an id where it is shown or linked to."""


class IsRefs:
    """Marks a list of the source's reference numbers."""


class IsAspect:
    """Marks a field naming one of the review's comparison aspects."""


class IsSetting:
    """Marks a field naming one of the review's clinical settings."""


class FigureAt:
    """Marks a number field of an item without an id as a figure `[[entity/name]]` can show."""

    def __init__(self, name: str, label: str, unit: str | None = None, anchor: str | None = None) -> None:
        self.name, self.label, self.unit, self.anchor = name, label, unit, anchor


def _id_length(value: str) -> str:
    if len(value) > MAX_ID:
        raise ValueError(f"the id is too long ({len(value)} characters; at most {MAX_ID})")
    return value


Id = Annotated[
    str,
    Field(pattern=ID_PATTERN, description="Stable identifier: lower-case letters, digits and hyphens."),
    AfterValidator(_id_length),
]
Prose = Annotated[
    str,
    Field(min_length=1, description="Markdown; [[id]] links to another entity, [[entity/item]] shows a figure."),
    IsProse(),
]
TherapyId = Annotated[str, Field(pattern=ID_PATTERN, description="id of a therapy"), Points("therapies")]
TrialId = Annotated[str, Field(pattern=ID_PATTERN, description="id of a trial"), Points("trials")]
IndicationId = Annotated[str, Field(pattern=ID_PATTERN, description="id of an indication"), Points("indications")]
AnyId = Annotated[str, Field(pattern=ID_PATTERN, description="id of an entity or overview page"), Points("*")]
RefList = Annotated[
    list[int], Field(default_factory=list, description="Reference numbers cited for this statement."), IsRefs()
]

#: Canonical spelling of each unit, and the other spellings educators may type.
UNITS: dict[str, tuple[str, ...]] = {
    "%": ("percent",),
    "fraction": (),
    "patients": ("patient",),
    "L": ("l",),
    "L/h": ("L/hr", "l/h"),
    "mL/min": ("ml/min",),
    "pg/mL": ("pg/ml",),
    "µg/day": ("μg/day", "mcg/day", "ug/day", "µg/d", "μg/d"),
    "µg/m²/day": ("μg/m2/d", "µg/m2/day", "μg/m2/day", "mcg/m2/day", "ug/m2/day", "µg/m2/d"),
    "mg": (),
    "mg/day": (),
    "mg/m²/day": ("mg/m2/day", "mg/m2/d"),
    "/µL": ("/uL", "/μL", "per µL"),
    "hours": ("hour", "h"),
    "days": ("day", "d"),
    "weeks": ("week",),
    "months": ("month",),
    "years": ("year",),
    "cycles": ("cycle",),
}
_UNIT_ALIASES = {alias: unit for unit, aliases in UNITS.items() for alias in (unit, *aliases)}

Qualifier = Literal["about", "up-to", "at-least", "more-than", "less-than", "at-most"]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, allow_inf_nan=False)


def _unit(value: str) -> str:
    unit = _UNIT_ALIASES.get(value)
    if unit is None:
        raise ValueError(f"unknown unit {value!r}; use one of: {', '.join(UNITS)}")
    return unit


class Value(Model):
    """A figure with its unit: a single number, or a range with `low` and `high`."""

    value: float | None = Field(None, description="The number (or give `low` and `high` for a range)")
    low: float | None = Field(None, description="Lower end of a range")
    high: float | None = Field(None, description="Upper end of a range")
    unit: str = Field(
        json_schema_extra={"enum": sorted(_UNIT_ALIASES)},
        description="The unit, from a fixed list (mcg/day is read as µg/day)",
    )
    qualifier: Qualifier | None = Field(None, description="about, up-to, at-least, more-than, less-than, at-most")
    count: int | None = Field(None, ge=0, description="Numerator behind a percentage, e.g. 16 of 20.")
    decimals: int | None = Field(
        None, ge=0, le=6, description="Decimal places to show where the source prints trailing zeros (4.50: 2)."
    )
    of: int | None = Field(None, gt=0, description="Denominator behind a percentage.")

    _check_unit = field_validator("unit")(classmethod(lambda cls, v: _unit(v)))

    @model_validator(mode="after")
    def _shape(self) -> Value:
        single, ranged = self.value is not None, self.low is not None or self.high is not None
        if single == ranged:
            raise ValueError("give either `value`, or both `low` and `high`")
        if ranged and (self.low is None or self.high is None or self.low > self.high):
            raise ValueError("a range needs `low` and `high`, with low <= high")
        if any(v is not None and v < 0 for v in (self.value, self.low, self.high)):
            raise ValueError("a figure cannot be negative")
        if self.unit == "%" and any(v is not None and not 0 <= v <= 100 for v in (self.value, self.low, self.high)):
            raise ValueError("a percentage must lie between 0 and 100")
        if (self.count is None) != (self.of is None):
            raise ValueError("give `count` and `of` together")
        if self.count is not None and self.of is not None and self.count > self.of:
            raise ValueError("`count` cannot exceed `of`")
        return self


class PValue(Model):
    value: float = Field(ge=0, le=1, description="The P value, between 0 and 1")
    qualifier: Literal["less-than", "equals"] = Field(
        "equals", description="equals (P = 0.04) or less-than (P < 0.001)"
    )
    decimals: int | None = Field(None, ge=0, le=6, description="Decimal places the source prints (P=1.00: 2).")


def _quote_length(value: str) -> str:
    count = len(re.findall(r"[^\W_]+", value))
    if not 3 <= count <= 9:
        raise ValueError(f"a quote of {count} words; quote 3 to 9 words, enough to find the sentence")
    return value


class Evidence(Model):
    """The review's own words an actionable item rests on: a short verbatim phrase and its section.

    Trainees see it as "What the review says"; the build checks the phrase occurs in that section of
    the review's text where the text is beside the project."""

    quote: Annotated[str, Field(min_length=1, max_length=160), AfterValidator(_quote_length)] = Field(
        description="3 to 9 consecutive words of the review, exactly as printed (case and punctuation aside)"
    )
    section: str = Field(min_length=1, description="The review's section heading the words are under")


class Statement(Model):
    """One claim in prose, with the references it rests on."""

    text: Prose
    refs: RefList


class Figure(Model):
    """A named figure that prose and tables can show with [[entity/id]]."""

    id: Id
    label: Annotated[str, Field(min_length=1), IsLabel()] = Field(description="What the figure is, e.g. 'Half-life'")
    value: Annotated[Value, IsFigure()] = Field(description="The figure with its unit, e.g. {value: 2.1, unit: hours}")
    text: Prose | None = Field(None, description="A note shown beside the figure")
    refs: RefList


class Part(Model):
    """A titled part of an entity's page that the data defines (premedication, a pre-phase...), so a
    drug's own topics need no field or heading of their own in the generator."""

    id: Id
    title: str = Field(min_length=1, description="The part's heading on the page")
    statements: list[Statement] = Field(default_factory=list, description="What the review says, in your words")
    figures: list[Figure] = Field(default_factory=list, description="Figures of this part, shown in a table")


class Entity(Model):
    id: Id
    title: str = Field(min_length=1, description="The page's title, as trainees see it")
    summary: Prose
    refs: RefList


# --- therapies -------------------------------------------------------------------------------


class Target(Model):
    antigen: str = Field(description="The antigen, e.g. CD19")
    cells: str = Field(description="The cells that carry it")
    text: Prose
    refs: RefList


class Approval(Model):
    year: int = Field(ge=1900, le=2100, description="Year of the approval")
    agency: str = Field(description="The agency that approved it, e.g. FDA or EMA")
    indication: IndicationId | None = Field(None, description="the indication approved, where the data has one")
    text: Prose
    refs: RefList


class Aspect(Model):
    """One row of the side-by-side comparison of therapies."""

    aspect: Annotated[str, Field(pattern=ID_PATTERN), IsAspect()] = Field(
        description="id of one of the review's comparison aspects (review.comparison)"
    )
    text: Prose
    refs: RefList
    evidence: Evidence | None = Field(None, description="Needed where the review marks the aspect `evidence: true`")


class Therapy(Entity):
    role: Literal["primary", "comparator"] = Field(description="primary (the review's subject) or comparator")
    brand: str | None = Field(None, description="Brand name")
    manufacturer: str | None = Field(None, description="Who makes it")
    drug_class: Statement = Field(description="What kind of drug it is")
    structure: list[Statement] = Field(default_factory=list, description="How the molecule is built")
    targets: list[Target] = Field(default_factory=list, description="The antigens it binds")
    mechanism: list[Statement] = Field(default_factory=list, description="Mechanism of action as ordered steps.")
    approvals: list[Approval] = Field(
        default_factory=list, description="Its approvals, with the indication each is for"
    )
    history: list[Statement] = Field(default_factory=list, description="Preclinical and early clinical history.")
    figures: list[Figure] = Field(default_factory=list, description="Other figures of the therapy")
    profile: list[Aspect] = Field(
        default_factory=list, description="Its rows of the side-by-side comparison (one per comparison aspect)"
    )


# --- pharmacology ----------------------------------------------------------------------------


class OrganFunction(Model):
    id: Id
    organ: Literal["renal", "hepatic"] = Field(description="renal or hepatic")
    band: Annotated[str, IsLabel()] = Field(description="Name of the band, e.g. 'mild renal impairment'")
    range: Annotated[Value | None, IsFigure()] = Field(None, description="The band's limits, e.g. CrCl 60-89 mL/min")
    adjustment: Literal["none", "no-data", "not-recommended", "reduce"] = Field(
        description="none, no-data, not-recommended or reduce, as the review says"
    )
    text: Prose
    refs: RefList


#: The longest cycle a regimen may have, in days (no real schedule comes near a year).
MAX_CYCLE_DAYS = 366


class DoseStep(Model):
    id: Id
    cycle: str = Field(min_length=1, max_length=40, description="Which cycles: '1', '2+', 'all'")
    first_day: int = Field(
        ge=1, le=MAX_CYCLE_DAYS, description="First day of the step within the cycle (day 1 is the cycle's first day)"
    )
    last_day: int = Field(ge=1, le=MAX_CYCLE_DAYS, description="Last day of the step within the cycle")
    dose: Annotated[Value | None, IsFigure()] = Field(None, description="None for a treatment-free interval")
    text: Prose | None = Field(None, description="A note on the step")
    refs: RefList

    @model_validator(mode="after")
    def _days(self) -> DoseStep:
        if self.last_day < self.first_day:
            raise ValueError("`last_day` must not come before `first_day`")
        return self


class Regimen(Model):
    id: Id
    title: Annotated[str, IsLabel()] = Field(description="The schedule's name")
    indication: IndicationId | None = Field(None, description="id of the indication the schedule is for")
    cycle_length: Value = Field(description="The length of one cycle, e.g. {value: 6, unit: weeks}")
    steps: list[DoseStep] = Field(description="The doses day by day, cycle by cycle")
    text: Prose | None = Field(None, description="What the schedule is, in words")
    refs: RefList
    evidence: Evidence | None = Field(None, description="The review's words the schedule rests on")

    @field_validator("cycle_length")
    @classmethod
    def _cycle_length(cls, v: Value) -> Value:
        if v.unit not in ("days", "weeks") or v.value is None:
            raise ValueError("give the cycle length as one number of days or weeks, e.g. {value: 6, unit: weeks}")
        days = v.value * (7 if v.unit == "weeks" else 1)
        if not days.is_integer() or not 1 <= days <= MAX_CYCLE_DAYS:
            raise ValueError(f"a cycle lasts a whole number of days from 1 to {MAX_CYCLE_DAYS}")
        return v

    def days(self) -> int:
        """The cycle's length in days."""
        assert self.cycle_length.value is not None
        return int(self.cycle_length.value * (7 if self.cycle_length.unit == "weeks" else 1))

    @model_validator(mode="after")
    def _steps_fit(self) -> Regimen:
        days = self.days()
        for step in self.steps:
            if step.last_day > days:
                raise ValueError(f"step `{step.id}` ends on day {step.last_day}, after the {days}-day cycle")
        return self


class Pharmacology(Entity):
    therapy: TherapyId
    parameters: list[Figure] = Field(default_factory=list, description="Pharmacokinetic parameters.")
    covariates: list[Statement] = Field(
        default_factory=list, description="What changes the drug's exposure, as the review reports"
    )
    organ_function: list[OrganFunction] = Field(
        default_factory=list, description="Dose adjustment by renal or hepatic function"
    )
    regimens: list[Regimen] = Field(default_factory=list, description="Dosing schedules")
    monitoring: list[Figure] = Field(default_factory=list, description="Hospitalisation and monitoring periods.")
    parts: list[Part] = Field(
        default_factory=list,
        description="Titled parts the review gives for this drug (e.g. premedication, a pre-phase), in reading order",
    )
    administration: list[Statement] = Field(default_factory=list, description="How it is given")
    storage: list[Figure] = Field(default_factory=list, description="Storage and stability figures")


# --- adverse reactions -----------------------------------------------------------------------


class Incidence(Model):
    all_grades: Annotated[Value | None, FigureAt("incidence", "incidence", anchor="incidence")] = Field(
        None, description="Incidence at any grade; shown by [[reaction/incidence]]"
    )
    grade_3_plus: Annotated[Value | None, FigureAt("incidence-grade-3", "incidence", anchor="incidence")] = Field(
        None, description="Incidence at grade 3 or higher; shown by [[reaction/incidence-grade-3]]"
    )
    refs: RefList


class ManagementStep(Model):
    id: Id
    grade: str = Field(description="Grade or situation, e.g. '1-2', '3', '4', 'seizure'")
    action: Prose
    refs: RefList
    evidence: Evidence | None = Field(
        None,
        description="The review's words the step rests on (not needed where it says 'Not addressed by the review')",
    )


class AdverseReaction(Entity):
    therapy: TherapyId
    incidence: Incidence | None = Field(None, description="How often it occurs: all grades and grade 3 or higher")
    onset: Statement | None = Field(None, description="When it usually starts")
    mechanism: list[Statement] = Field(default_factory=list, description="Why it happens, as the review explains it")
    risk_factors: list[Statement] = Field(default_factory=list, description="What the review names as raising the risk")
    prevention: list[Statement] = Field(default_factory=list, description="How the review says it is prevented")
    management: list[ManagementStep] = Field(
        default_factory=list,
        description="What to do, grade by grade or situation by situation; each step rests on evidence",
    )
    figures: list[Figure] = Field(
        default_factory=list, description="Other figures of this reaction, shown in a table and by [[entity/id]]"
    )


class SafetySummary(Entity):
    """Overall adverse-reaction figures for one therapy."""

    therapy: TherapyId
    figures: list[Figure] = Field(description="The overall figures")
    notes: list[Statement] = Field(default_factory=list, description="Statements about the overall safety")


# --- trials ----------------------------------------------------------------------------------

Phase = Literal["preclinical", "1", "1/2", "2", "2/3", "3", "retrospective", "not-stated"]
PHASES: tuple[str, ...] = typing.get_args(Phase)


class Arm(Model):
    label: str = Field(description="The comparator arm, e.g. 'Salvage chemotherapy'")
    value: Value = Field(description="The comparator arm's figure")


class Outcome(Model):
    id: Id
    measure: Annotated[str, IsLabel()] = Field(
        min_length=1, description="What was measured, e.g. 'CR/CRh after two cycles'"
    )
    kind: Literal["rate", "median", "count", "other"] = Field(description="rate, median, count or other")
    group: str | None = Field(None, description="Subgroup or arm the value belongs to")
    value: Annotated[Value, IsFigure()] = Field(
        description="The figure, e.g. {value: 34, unit: '%'}; shown by [[trial/outcome-id]]"
    )
    versus: Arm | None = Field(None, description="The comparator arm's value")
    p: PValue | None = Field(
        None, description="The P value the review prints, e.g. {value: 0.001, qualifier: less-than}"
    )
    follow_up: Value | None = Field(None, description="Median follow-up behind the figure")
    transplant: bool = Field(False, description="True for figures about allogeneic transplant")
    headline: bool = Field(False, description="Show this rate in the response-rate chart across trials")
    n: int | None = Field(None, ge=1, description="Patients the figure is a share of, where the source gives it")
    text: Prose | None = Field(None, description="A note on the outcome")
    refs: RefList


class Enrolment(Model):
    enrolled: Annotated[int | None, FigureAt("enrolled", "patients enrolled", unit="patients")] = Field(
        None, ge=1, description="Patients enrolled; shown by [[trial/enrolled]]"
    )
    evaluable: Annotated[int | None, FigureAt("evaluable", "patients evaluable", unit="patients")] = Field(
        None, ge=1, description="Patients evaluable; shown by [[trial/evaluable]]"
    )
    text: Prose | None = Field(None, description="A note on who was counted")


class Trial(Entity):
    short_title: str | None = Field(None, description="A short name for tables and charts, e.g. TOWER")
    phase: Phase = Field(description="preclinical, 1, 1/2, 2, 2/3, 3, retrospective or not-stated")
    setting: Annotated[str, Field(pattern=ID_PATTERN), IsSetting()] = Field(
        description="id of one of the review's clinical settings (`settings:` of the review), e.g. relapsed-refractory"
    )
    status: Literal["completed", "ongoing", "reported"] = Field(description="completed, ongoing or reported")
    design: str = Field(min_length=1, description="The design in a few words, e.g. 'Randomised, open label'")
    registry: list[str] = Field(default_factory=list, description="Registry numbers, e.g. NCT02013167")
    therapies: list[TherapyId] = Field(default_factory=list, description="ids of the therapies studied")
    population: Prose
    n: Enrolment | None = Field(None, description="How many patients took part")
    dosing: list[Statement] = Field(default_factory=list, description="How the trial dosed")
    outcomes: list[Outcome] = Field(default_factory=list, description="Its results, each a figure with an id")
    findings: list[Statement] = Field(default_factory=list, description="What the review concludes from it")

    @field_validator("registry")
    @classmethod
    def _registry(cls, v: list[str]) -> list[str]:
        for reg in v:
            if not re.fullmatch(r"NCT\d{8}|ACTRN\d{14}", reg):
                raise ValueError(f"registry id {reg!r} is neither NCT######## nor ACTRN##############")
        return v


# --- indications, questions ------------------------------------------------------------------


class Indication(Entity):
    therapy: TherapyId
    approval_year: int | None = Field(None, description="Year of the approval")
    agency: str | None = Field(None, description="The agency that approved it")
    threshold: Figure | None = Field(None, description="A threshold that defines the indication, e.g. an MRD level")
    trials: list[TrialId] = Field(default_factory=list, description="ids of the trials behind the indication")
    details: list[Statement] = Field(default_factory=list, description="More statements about the indication")


class OpenQuestion(Entity):
    evidence: list[Statement] = Field(description="What the review offers as evidence on the question")
    trials: list[TrialId] = Field(default_factory=list, description="ids of trials that bear on it")


class Topic(Entity):
    """A short page of background the review gives (epidemiology, prognosis...)."""

    sections: list[Statement] = Field(default_factory=list, description="The key points")
    figures: list[Figure] = Field(default_factory=list, description="Figures of the topic")


# --- decision tables -------------------------------------------------------------------------

Scalar = str | bool | int | float
#: A condition on one input: "-" (any), an enum value or list of values, true/false, a number, or a
#: numeric test such as "< 30", ">= 15000", "[30..60)" (interval, brackets inclusive, parentheses not);
#: a boundary may be a figure, "[[entity/figure]]", or an end of a range figure, "[[entity/band|low]]".
Condition = Scalar | list[str | int]


class DecisionInput(Model):
    id: Id
    label: str = Field(min_length=1, description="What the input is called on the page")
    type: Literal["enum", "number", "boolean"] = Field(
        description="enum (choose one of `values`), number (with `unit`, `min`, `max`) or boolean"
    )
    values: list[str] = Field(default_factory=list, description="The choices of an enum input")
    unit: str | None = Field(None, description="Unit of a number input")
    min: float | None = Field(None, ge=-1e12, le=1e12, description="Lowest value a number input can take")
    max: float | None = Field(None, ge=-1e12, le=1e12, description="Highest value a number input can take")

    @field_validator("values", mode="before")
    @classmethod
    def _strings(cls, v: object) -> object:
        return [str(x) for x in v] if isinstance(v, list) else v

    @model_validator(mode="after")
    def _shape(self) -> DecisionInput:
        if self.type == "enum" and len(self.values) < 2:
            raise ValueError("an enum input needs `values` with at least two choices")
        if self.type == "enum" and len(set(self.values)) != len(self.values):
            raise ValueError("an enum input lists a value twice")
        if self.type == "number":
            if self.min is None or self.max is None or self.min >= self.max:
                raise ValueError("a number input needs `min` < `max`, its domain")
            if self.unit is not None:
                object.__setattr__(self, "unit", _unit(self.unit))
        if self.type != "enum" and self.values:
            raise ValueError("only enum inputs have `values`")
        return self


class DecisionOutput(Model):
    id: Id
    label: str = Field(min_length=1, description="What the output is called on the page")


class DecisionRule(Model):
    id: Id
    when: dict[str, Condition] = Field(
        default_factory=dict,
        description=(
            "input id -> condition; absent = any. A numeric boundary the review gives names its figure, "
            '`"<= [[entity/figure]]"`, or one end of a range figure, `"[[[entity/band|low]]..90)"`'
        ),
    )
    then: dict[str, str] = Field(description="output id -> text; [[entity/item]] shows a figure")
    priority: int | None = Field(None, description="With the priority hit policy: higher wins")
    rationale: Prose
    refs: RefList
    evidence: Evidence | None = Field(
        None,
        description="The review's words the rule rests on (not needed where it says 'Not addressed by the review')",
    )


class DecisionExample(Model):
    given: dict[str, Scalar] = Field(description="A value for every input of the table, e.g. {grade: '3'}")
    expect: Id = Field(description="id of the rule that must apply")


class DecisionTable(Entity):
    about: list[AnyId] = Field(default_factory=list, description="Pages this table serves; they link to it")
    hit_policy: Literal["unique", "any", "first", "priority"] = Field(
        description="unique (exactly one rule fits), any (fitting rules agree), first (the first that fits) or priority"
    )
    inputs: list[DecisionInput] = Field(min_length=1, description="What the reader chooses or enters")
    outputs: list[DecisionOutput] = Field(min_length=1, description="What the table answers")
    rules: list[DecisionRule] = Field(
        min_length=1, description="One row each: conditions on the inputs (`when`) and the outputs (`then`)"
    )
    partial: str | None = Field(None, description="Why some cases may stay uncovered (a declared gap)")
    examples: list[DecisionExample] = Field(
        default_factory=list, description="Worked cases: each must land on the rule it names (checked at build time)"
    )


# --- quizzes ---------------------------------------------------------------------------------


class QuizOption(Model):
    id: Id
    text: Prose = Field(description="Plain text; [[entity/item]] shows a figure")
    correct: bool = Field(False, description="true for a right option")
    feedback: Prose | None = Field(None, description="Shown when this option is chosen, or missed if correct")
    rule: Id | None = Field(None, description="The decision-table rule this option states (vignettes)")


class NumericAnswer(Model):
    figure: str | None = Field(None, description="`entity/item` of the figure that is the answer")
    value: float | None = Field(None, description="The answer, where no figure in the data holds it")
    unit: str | None = Field(None, description="Unit of the answer; with `figure`, it must be the figure's")
    tolerance: float | None = Field(None, ge=0, description="Accepted distance from the answer")
    low: float | None = Field(None, description="Lowest accepted answer (instead of tolerance)")
    high: float | None = Field(None, description="Highest accepted answer (instead of tolerance)")
    why: str | None = Field(None, description="Why a `value` answer cannot point at a figure of the data")

    @model_validator(mode="after")
    def _shape(self) -> NumericAnswer:
        if (self.figure is None) == (self.value is None):
            raise ValueError("give either `figure` (preferred: the answer stays in step with the data) or `value`")
        if self.value is not None and self.unit is None:
            raise ValueError("a `value` answer needs its `unit`")
        if self.value is not None and not self.why:
            raise ValueError(
                "a `value` answer can go stale when the data changes: point at the `figure` it asks about, "
                "or say in `why:` why no figure holds it"
            )
        if self.figure is not None and self.low is not None:
            raise ValueError("with `figure`, accept a `tolerance`: a fixed `low`/`high` would not follow the figure")
        if self.unit is not None:
            object.__setattr__(self, "unit", _unit(self.unit))
        if (self.low is None) != (self.high is None):
            raise ValueError("give `low` and `high` together")
        if self.tolerance is not None and self.low is not None:
            raise ValueError("give `tolerance` or `low`/`high`, not both")
        return self


class TableCheck(Model):
    table: Annotated[str, Field(pattern=ID_PATTERN), Points("decision_tables")] = Field(
        description="id of the decision table that answers the question"
    )
    given: dict[str, Scalar] = Field(description="A value for every input of that table")


class Question(Model):
    id: Id
    type: Literal["single", "multiple", "numeric", "short"] = Field(
        description="single (one right option), multiple (one or more), numeric (a number) or short (a few words)"
    )
    prompt: Prose
    options: list[QuizOption] = Field(
        default_factory=list, description="The choices of a single or multiple choice question"
    )
    answer: NumericAnswer | None = Field(
        None, description="The answer of a numeric question: a `figure` of the data, with a `tolerance`"
    )
    accept: list[str] = Field(default_factory=list, description="Accepted short answers (case and spacing ignored)")
    explanation: Prose
    refs: RefList
    tests: AnyId | None = Field(None, description="The page this question tests; the explanation links back")
    check: TableCheck | None = Field(None, description="Check the correct option against a decision table")
    shuffle: bool = Field(False, description="Show the options in a random order")
    keep_order: bool = Field(
        False, description="Show the options in the order written (a scale); otherwise an order fixed by the id"
    )
    evidence: Evidence | None = Field(None, description="The review's words the right answer rests on")

    @model_validator(mode="after")
    def _shape(self) -> Question:
        correct = [o for o in self.options if o.correct]
        if self.type in ("single", "multiple"):
            if len(self.options) < 2:
                raise ValueError(f"a {self.type}-choice question needs at least two `options`")
            if not correct:
                raise ValueError("no option is marked `correct: true`")
            if self.type == "single" and len(correct) > 1:
                raise ValueError("a single-choice question has exactly one correct option; use type: multiple")
            if len({o.id for o in self.options}) != len(self.options):
                raise ValueError("two options share an id")
        elif self.options:
            raise ValueError(f"a {self.type} question has no `options`")
        if (self.type == "numeric") != (self.answer is not None):
            raise ValueError("a numeric question, and only it, has an `answer`")
        if (self.type == "short") != bool(self.accept):
            raise ValueError("a short-answer question, and only it, lists `accept`ed answers")
        if self.check is not None and self.type not in ("single", "multiple"):
            raise ValueError("only choice questions can be checked against a decision table")
        return self


class Vignette(Model):
    id: Id
    title: str = Field(min_length=1, description="The case's heading")
    stem: Prose = Field(description="The clinical case the questions refer to")
    questions: list[Question] = Field(min_length=1, description="The questions about the case")


class Quiz(Entity):
    pass_mark: int = Field(ge=0, le=100, description="Score in percent needed to pass the module")
    order_seed: int = Field(0, ge=0, description="Change to reorder the options of every question of the module")
    tests: list[AnyId] = Field(default_factory=list, description="Pages this module tests; they link to it")
    questions: list[Question] = Field(default_factory=list, description="The module's questions")
    vignettes: list[Vignette] = Field(default_factory=list, description="Clinical cases, each with its own questions")

    @model_validator(mode="after")
    def _not_empty(self) -> Quiz:
        if not self.questions and not self.vignettes:
            raise ValueError("a quiz needs `questions` or `vignettes`")
        return self

    def all_questions(self) -> list[Question]:
        return [*self.questions, *(q for v in self.vignettes for q in v.questions)]


# --- references, glossary, review ------------------------------------------------------------


class Author(Model):
    """One author as the reference list prints them: family name and initials."""

    family: str = Field(min_length=1, description="Family name as printed, e.g. 'Gökbuget' or 'Zur Stadt'")
    given: str = Field(min_length=1, description="Initials as printed, e.g. 'JM' or 'M-E'")


class Reference(Model):
    number: int = Field(ge=1, description="The reference's number in the review")
    authors: list[Author] = Field(default_factory=list, description="Omit where the source prints no authors")
    et_al: bool = Field(False, description="The source lists more authors than these ('et al.')")
    title: str = Field(description="Title of the cited work")
    journal: str = Field(description="Journal")
    year: int = Field(ge=1800, le=2100, description="Year")
    details: str | None = Field(None, description="Volume(issue):pages")
    doi: str | None = Field(None, pattern=r"^10\.\d{4,9}/\S+$", description="DOI, where the review's list gives one")

    @model_validator(mode="after")
    def _et_al(self) -> Reference:
        if self.et_al and not self.authors:
            raise ValueError("`et_al` needs the first `authors`")
        return self

    @property
    def byline(self) -> str:
        """The authors as the reference list prints them: 'Doe J, Roe R, et al.'."""
        names = [f"{a.family} {a.given}" for a in self.authors]
        return ", ".join([*names, "et al."] if self.et_al else names)


def _term(value: str) -> str:
    if not any(c.isalpha() for c in value):
        raise ValueError("a term needs at least one letter")
    if any(word in value.lower() for word in _PLACEHOLDER_WORDS):
        raise ValueError("this term is reserved by the Markdown library; choose another")
    return value


class Term(Model):
    term: Annotated[
        str,
        Field(
            min_length=1,
            max_length=40,
            pattern=TERM_PATTERN,
            description="The abbreviation as written in text: one line of letters, digits, spaces and . ' + / -",
        ),
        AfterValidator(_term),
    ]
    expansion: str = Field(
        min_length=1, description="What the abbreviation stands for, shown on hover and focus everywhere"
    )
    see: AnyId | None = Field(None, description="id of the entity that explains it")


class SettingDef(Model):
    """A clinical setting trials are grouped by, e.g. relapsed or refractory disease."""

    id: Id
    title: str = Field(min_length=1, description="How the setting reads on the site, e.g. 'Relapsed/refractory'")


class ComparisonAspect(Model):
    id: Id
    title: str = Field(description="The row's heading in the comparison table")
    evidence: bool = Field(False, description="Rows of this aspect advise (e.g. 'preferred when'): each needs evidence")


class Source(Model):
    authors: str = Field(description="The review's authors as printed, e.g. 'Doe J, Roe R'")
    title: str = Field(description="The review's title")
    journal: str = Field(description="The journal")
    year: int = Field(description="Year of publication")
    details: str = Field(description="Volume and pages, e.g. '10:7-20'")
    doi: str = Field(pattern=r"^10\.\d{4,9}/\S+$", description="The DOI, e.g. 10.2147/BLCTT.S223894")
    license: str = Field(description="The licence the review is published under, e.g. CC BY-NC 3.0")
    license_url: str = Field(pattern=r"^https://", description="The licence's address")
    note: Prose | None = Field(None, description="What a reader should know about how the source was used")
    text: str | None = Field(
        None,
        pattern=r"^[\w][\w.-]*\.txt$",
        description="File name of the review's text, looked up in the plugin's `sources` folder to check quotes",
    )
    sections: list[str] = Field(
        default_factory=list, description="The review's section headings, in order, as lines of its text"
    )


class LearningStep(Model):
    page: AnyId
    why: Prose


class Review(Model):
    id: Id
    title: str = Field(description="The title of the study guide")
    summary: Prose
    disclaimer: Prose
    source: Source = Field(description="The review the knowledge base is written from, with its licence")
    learning_path: list[LearningStep] = Field(description="The pages a trainee should read, in order, and why")
    comparison: list[ComparisonAspect] = Field(
        default_factory=list, description="The rows of the side-by-side comparison of therapies"
    )
    settings: list[SettingDef] = Field(
        default_factory=list, description="The clinical settings trials are grouped by, in reading order"
    )
