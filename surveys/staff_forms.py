"""Staff forms: consultation details, pages, questions, duplication, import, results, actions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovDateInput,
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput

from surveys.models import ACTION_STATUSES, CHANNELS
from surveys.questions import FIXED_OPTIONS, KINDS
from surveys.text import clean_text


def _clean(limit: int):  # type: ignore[no-untyped-def]
    def apply(value: Any) -> Any:
        return clean_text(value, limit) if isinstance(value, str) else value

    return apply


def choices(pairs: Sequence[tuple[Any, Any]]) -> list[SelectChoice]:
    """WTForms choices from (value, label) pairs."""
    return [SelectChoice(str(value), str(label)) for value, label in pairs]


class GovDateField(DateField):
    """A GOV.UK day/month/year date that never fails on odd input (it reports an error)."""

    def __init__(self, label: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("format", "%d %m %Y")
        kwargs.setdefault("widget", GovDateInput())
        super().__init__(label, **kwargs)

    def process_formdata(self, valuelist: list[str]) -> None:
        parts = ([str(v).strip() for v in valuelist] + ["", "", ""])[:3]
        self.raw_data = parts
        if not any(parts):
            self.data = None
            return
        super().process_formdata([" ".join(parts)])


def _districts_field(label: Any, hint: Any = "") -> SelectMultipleField:
    return SelectMultipleField(
        label,
        description=hint,
        widget=GovCheckboxesInput(),
        option_widget=CheckboxInput(),
        choices=[],
        validate_choice=False,
    )


class ConsultationForm(FlaskForm):
    """A consultation's details."""

    title = StringField(
        _l("Title"),
        widget=GovTextInput(),
        filters=[_clean(200)],
        validators=[InputRequired(_l("Enter a title")), Length(max=200)],
    )
    summary = TextAreaField(
        _l("Summary"),
        description=_l("One or two sentences shown in the list of consultations."),
        widget=GovTextArea(),
        filters=[_clean(1000)],
        validators=[InputRequired(_l("Enter a summary")), Length(max=1000)],
    )
    background = TextAreaField(
        _l("Background"),
        description=_l("Why you are asking. Leave a blank line between paragraphs."),
        widget=GovTextArea(),
        filters=[_clean(20000)],
        validators=[Optional(), Length(max=20000)],
    )
    audience_note = StringField(
        _l("Who it is for (optional)"),
        description=_l("For example, young people aged 11 to 25"),
        widget=GovTextInput(),
        filters=[_clean(300)],
        validators=[Optional(), Length(max=300)],
    )
    countywide = BooleanField(
        _l("Countywide (all five districts and boroughs)"), widget=GovCheckboxInput()
    )
    districts = _districts_field(_l("Districts and boroughs"), _l("Leave empty if countywide."))
    opens_on = GovDateField(
        _l("Opens on"),
        description=_l("For example, 27 3 2026"),
        validators=[Optional()],
    )
    closes_on = GovDateField(
        _l("Closes on"), description=_l("For example, 30 6 2026"), validators=[Optional()]
    )
    privacy_notice = TextAreaField(
        _l("Privacy notice"),
        description=_l("How answers are used and kept. Shown on the start page."),
        widget=GovTextArea(),
        filters=[_clean(20000)],
        validators=[Optional(), Length(max=20000)],
    )
    easy_read = BooleanField(
        _l("Offer an easy read version"),
        description=_l(
            "The start page links to the easy read summary, and question hints are shown larger."
        ),
        widget=GovCheckboxInput(),
    )
    easy_read_summary = TextAreaField(
        _l("Easy read summary (optional)"),
        description=_l(
            "Short sentences and everyday words. One idea per sentence. "
            "Leave a blank line between paragraphs."
        ),
        widget=GovTextArea(),
        filters=[_clean(5000)],
        validators=[
            Optional(),
            Length(max=5000, message=_l("Easy read summary must be 5000 characters or fewer")),
        ],
    )
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())

    def validate_closes_on(self, field: GovDateField) -> None:
        """The closing date must come after the opening date."""
        if field.data and self.opens_on.data and field.data < self.opens_on.data:
            raise ValidationError(_l("The closing date must be after the opening date"))

    def validate_districts(self, field: SelectMultipleField) -> None:
        """Either countywide or at least one district."""
        if not self.countywide.data and not field.data:
            raise ValidationError(_l("Choose at least one district or borough, or countywide"))


class SectionForm(FlaskForm):
    """A page of the questionnaire."""

    title = StringField(
        _l("Page title"),
        widget=GovTextInput(),
        filters=[_clean(200)],
        validators=[InputRequired(_l("Enter a page title")), Length(max=200)],
    )
    intro = TextAreaField(
        _l("Introduction (optional)"),
        widget=GovTextArea(),
        filters=[_clean(5000)],
        validators=[Optional(), Length(max=5000)],
    )
    content_note = TextAreaField(
        _l("Content note (optional)"),
        description=_l(
            "Shown before the questions on this page, for sensitive topics. For example: "
            "the next questions ask about violence you may have seen."
        ),
        widget=GovTextArea(),
        filters=[_clean(2000)],
        validators=[Optional(), Length(max=2000)],
    )
    submit = SubmitField(_l("Save page"), widget=GovSubmitInput())


class QuestionForm(FlaskForm):
    """A question: its kind, wording, options and when it shows."""

    kind = RadioField(
        _l("Type of question"),
        choices=choices(list(KINDS.items())),
        widget=GovRadioInput(),
        validators=[InputRequired(_l("Choose the type of question"))],
    )
    text = StringField(
        _l("Question"),
        widget=GovTextInput(),
        filters=[_clean(500)],
        validators=[InputRequired(_l("Enter the question")), Length(max=500)],
    )
    hint = TextAreaField(
        _l("Hint (optional)"),
        widget=GovTextArea(),
        filters=[_clean(2000)],
        validators=[Optional(), Length(max=2000)],
    )
    required = BooleanField(_l("People must answer this question"), widget=GovCheckboxInput())
    options = TextAreaField(
        _l("Options (single and multiple choice)"),
        description=_l("One option per line."),
        widget=GovTextArea(),
        filters=[_clean(5000)],
        validators=[Optional(), Length(max=5000)],
    )
    max_length = IntegerField(
        _l("Longest answer allowed, in characters (free text)"),
        widget=GovTextInput(),
        default=2000,
        validators=[
            Optional(),
            NumberRange(min=1, max=20000, message=_l("Enter a number from 1 to 20000")),
        ],
    )
    condition_question = SelectField(
        _l("Only show this question when an earlier answer is…"),
        widget=GovSelect(),
        choices=[],
        validate_choice=False,
    )
    condition_values = TextAreaField(
        _l("…one of these values"),
        description=_l("One value per line, exactly as the option is written."),
        widget=GovTextArea(),
        filters=[_clean(2000)],
        validators=[Optional(), Length(max=2000)],
    )
    submit = SubmitField(_l("Save question"), widget=GovSubmitInput())

    def option_list(self) -> list[str]:
        """The options typed, one per line, without blanks or repeats."""
        seen: list[str] = []
        for line in (self.options.data or "").splitlines():
            line = line.strip()
            if line and line not in seen:
                seen.append(line)
        return seen

    def validate_options(self, field: TextAreaField) -> None:
        """Choice questions need at least two options."""
        if self.kind.data in {"single_choice", "multiple_choice"} and len(self.option_list()) < 2:
            raise ValidationError(_l("Enter at least two options, one per line"))

    def validate_condition_values(self, field: TextAreaField) -> None:
        """A condition needs a value to match."""
        if self.condition_question.data and not (field.data or "").strip():
            raise ValidationError(_l("Enter the answer that makes this question show"))


class StatusForm(FlaskForm):
    """Move the consultation to another status."""

    status = HiddenField()


class ButtonForm(FlaskForm):
    """A bare form for one-button actions (move, delete); the button says what it does."""

    direction = HiddenField()


class DuplicateForm(FlaskForm):
    """Copy a consultation for other districts."""

    title = StringField(
        _l("Title of the copy"),
        widget=GovTextInput(),
        filters=[_clean(200)],
        validators=[InputRequired(_l("Enter a title")), Length(max=200)],
    )
    districts = _districts_field(_l("Districts and boroughs for the copy"))
    submit = SubmitField(_l("Make a copy"), widget=GovSubmitInput())

    def validate_districts(self, field: SelectMultipleField) -> None:
        """A copy is for at least one district."""
        if not field.data:
            raise ValidationError(_l("Choose at least one district or borough"))


class ExcludeForm(FlaskForm):
    """Exclude a response (spam, test) or bring it back."""

    reason = StringField(
        _l("Reason (for excluding)"),
        widget=GovTextInput(),
        filters=[_clean(200)],
        validators=[Optional(), Length(max=200)],
    )
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())


CHANNEL_LABELS = {
    "paper": _l("Paper form"),
    "phone": _l("Telephone"),
    "email": _l("Email"),
    "online": _l("Online"),
    "import": _l("Imported"),
}


def assisted_channel_field() -> RadioField:
    """How an assisted response reached us."""
    return RadioField(
        _l("How did this response reach us?"),
        choices=choices(
            [(c, CHANNEL_LABELS[c]) for c in CHANNELS if c in {"paper", "phone", "email"}]
        ),
        widget=GovRadioInput(),
        validators=[InputRequired(_l("Choose how the response reached us"))],
    )


class ImportForm(FlaskForm):
    """Upload a CSV of responses gathered elsewhere."""

    file = FileField(
        _l("CSV file"),
        description=_l("Saved as “CSV UTF-8”, with a header row."),
        widget=GovFileInput(),
        validators=[FileRequired(_l("Choose a CSV file"))],
    )
    into = SelectField(_l("Add to"), widget=GovSelect(), choices=[], validate_choice=False)
    title = StringField(
        _l("Title of the new consultation"),
        description=_l("Not needed when adding to an existing consultation."),
        widget=GovTextInput(),
        filters=[_clean(200)],
        validators=[Optional(), Length(max=200)],
    )
    text_column = StringField(
        _l("Column with the answer text"),
        widget=GovTextInput(),
        filters=[_clean(120)],
        validators=[InputRequired(_l("Enter the name of the text column")), Length(max=120)],
    )
    district_column = StringField(
        _l("Column with the district or borough (optional)"),
        widget=GovTextInput(),
        filters=[_clean(120)],
        validators=[Optional(), Length(max=120)],
    )
    id_column = StringField(
        _l("Column with the source's own id (optional)"),
        widget=GovTextInput(),
        filters=[_clean(120)],
        validators=[Optional(), Length(max=120)],
    )
    submit = SubmitField(_l("Check and import"), widget=GovSubmitInput())

    def validate_title(self, field: StringField) -> None:
        """A new consultation needs a title."""
        if not self.into.data and not field.data:
            raise ValidationError(_l("Enter a title, or choose a consultation to add to"))


class ResultsForm(FlaskForm):
    """The published summary of what people said."""

    results_summary = TextAreaField(
        _l("Summary of what people told us"),
        description=_l("Shown on the public results page. Leave a blank line between paragraphs."),
        widget=GovTextArea(),
        filters=[_clean(20000)],
        validators=[Optional(), Length(max=20000)],
    )
    submit = SubmitField(_l("Save summary"), widget=GovSubmitInput())


ACTION_STATUS_LABELS = {
    "planned": _l("Planned"),
    "in_progress": _l("In progress"),
    "done": _l("Done"),
}


class ActionForm(FlaskForm):
    """Something the partnership will do ("we did")."""

    title = StringField(
        _l("Action"),
        widget=GovTextInput(),
        filters=[_clean(200)],
        validators=[InputRequired(_l("Enter the action")), Length(max=200)],
    )
    description = TextAreaField(
        _l("Details (optional)"),
        widget=GovTextArea(),
        filters=[_clean(5000)],
        validators=[Optional(), Length(max=5000)],
    )
    status = RadioField(
        _l("Status"),
        choices=choices([(s, ACTION_STATUS_LABELS[s]) for s in ACTION_STATUSES]),
        widget=GovRadioInput(),
        default="planned",
        validators=[InputRequired(_l("Choose a status"))],
    )
    districts = _districts_field(
        _l("Districts and boroughs it concerns"), _l("Leave empty for all of Warwickshire.")
    )
    submit = SubmitField(_l("Save action"), widget=GovSubmitInput())


def fixed_options_note(kind: str) -> list[str]:
    """The options a fixed-list kind always uses (shown to staff in the builder)."""
    return FIXED_OPTIONS.get(kind, [])


class TranslationForm(FlaskForm):
    """A consultation's text in one language; fields are added per consultation."""

    submit = SubmitField(_l("Save translation"), widget=GovSubmitInput())


def translation_form(fields: Sequence[Any], data: dict[str, str] | None = None) -> TranslationForm:
    """A form with one box per translatable text (`surveys.content.TranslationField`)."""

    class ConsultationTranslationForm(TranslationForm):
        pass

    for item in fields:
        message = _l("%(label)s must be %(n)d characters or fewer", label=item.label,
                     n=item.max_length)  # fmt: skip
        setattr(
            ConsultationTranslationForm,
            item.name,
            (TextAreaField if item.multiline else StringField)(
                item.label,
                widget=GovTextArea() if item.multiline else GovTextInput(),
                # Cut at twice the limit: a long paste is echoed back and reported, not lost.
                filters=[_clean(item.max_length * 2)],
                validators=[Optional(), Length(max=item.max_length, message=message)],
            ),
        )
    return ConsultationTranslationForm(data=data or {})
