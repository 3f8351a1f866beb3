"""Resident forms: one WTForms class built per questionnaire page, plus the small fixed forms."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovCheckboxesInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import (
    EmailField,
    Field,
    HiddenField,
    RadioField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput

from portal.areas.services import normalise_postcode
from surveys import content
from surveys.models import Question
from surveys.questions import is_multi, options_for
from surveys.text import clean_text

OUTWARD_RE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")
# Anything longer than this is cut before validation so a pasted novel is not echoed back whole.
ECHO_LIMIT_FACTOR = 2


def _text_filter(limit: int):  # type: ignore[no-untyped-def]
    def apply(value: Any) -> Any:
        return clean_text(value, limit) if isinstance(value, str) else value

    return apply


def _postcode_check(form: FlaskForm, field: Field) -> None:
    raw = (field.data or "").strip()
    if not raw:
        return
    compact = re.sub(r"\s+", "", raw).upper()
    if normalise_postcode(raw) is None and not OUTWARD_RE.match(compact):
        raise ValidationError(_l("Enter a postcode, like CV34 4RL"))


class PageForm(FlaskForm):
    """Fields shared by every questionnaire page: a honeypot the eye never sees."""

    # Named like a field a bot would fill; people never see it (hidden, not focusable).
    website = StringField(_l("Leave this blank"), filters=[_text_filter(200)])


def _field_for(
    question: Question, enforce_required: bool, district_names: Sequence[str], lang: str
) -> Field:
    label = content.text(question, "text", lang)
    hint = content.text(question, "hint", lang)
    limit = max(question.max_length, 1)
    text_filter = _text_filter(limit * ECHO_LIMIT_FACTOR)
    presence = (
        InputRequired(message=_required_message(question, label))
        if question.required and enforce_required
        else Optional()
    )
    kind = question.kind
    if kind == "free_text":
        return TextAreaField(
            label,
            description=hint,
            widget=GovCharacterCount(),
            filters=[text_filter],
            validators=[
                presence,
                Length(
                    max=limit,
                    message=_l("Your answer must be %(n)d characters or fewer", n=limit),
                ),
            ],
        )
    if kind == "postcode":
        return StringField(
            label,
            description=hint,
            widget=GovTextInput(),
            filters=[text_filter],
            validators=[presence, Length(max=10), _postcode_check],
        )
    if kind == "contact_email":
        return EmailField(
            label,
            description=hint,
            widget=GovTextInput(),
            filters=[_text_filter(254)],
            validators=[
                presence,
                Length(max=254, message=_l("Email address must be 254 characters or fewer")),
                Email(
                    message=_l(
                        "Enter an email address in the correct format, like name@example.com"
                    ),
                    check_deliverability=False,
                ),
            ],
        )
    choices = list(district_names) if kind == "district" else options_for(kind, question.options)
    if kind == "district":
        choices = [*choices, "I do not live in Warwickshire", "Prefer not to say"]
    # The value posted and stored is the English option; only the label is translated.
    pairs = [
        SelectChoice(c, c if kind == "district" and c in district_names else
                     content.option_label(question, c, lang))
        for c in choices
    ]  # fmt: skip
    invalid = _l("Select one of the options")
    if is_multi(kind):
        return SelectMultipleField(
            label,
            description=hint,
            choices=pairs,
            widget=GovCheckboxesInput(),
            option_widget=CheckboxInput(),
            validators=[presence],
            invalid_choice_message=invalid,
            invalid_value_message=invalid,
        )
    return RadioField(
        label,
        description=hint,
        choices=pairs,
        widget=GovRadioInput(),
        validators=[presence],
        invalid_choice_message=invalid,
        invalid_value_message=invalid,
    )


def _required_message(question: Question, label: str) -> str:
    if question.kind in {"free_text", "postcode", "contact_email"}:
        return str(_l("Enter an answer to “%(q)s”", q=str(label)[:80]))
    return str(_l("Select an answer to “%(q)s”", q=str(label)[:80]))


def build_page_form(
    questions: Sequence[Question],
    district_names: Sequence[str],
    data: dict[str, Any] | None = None,
    enforce_required: bool = True,
    extra: dict[str, Field] | None = None,
    lang: str | None = None,
) -> PageForm:
    """A form for the questions showing on one page (required checks can be switched off).

    Labels, hints and option labels are in `lang` (the resident's language by default).
    """
    lang = lang or content.content_language()

    class QuestionPageForm(PageForm):
        pass

    for name, unbound in (extra or {}).items():
        setattr(QuestionPageForm, name, unbound)
    for question in questions:
        setattr(
            QuestionPageForm,
            question.field_name,
            _field_for(question, enforce_required, district_names, lang),
        )
    return QuestionPageForm(data=data or {})


class StartForm(FlaskForm):
    """The 'Start now' button; the token makes a double click start one draft, not two."""

    start_token = HiddenField()
    submit = SubmitField(_l("Start now"), widget=GovSubmitInput())


class SubmitAnswersForm(FlaskForm):
    """The 'Send my response' button on check your answers."""

    submit = SubmitField(_l("Send my response"), widget=GovSubmitInput())


class ResumeForm(FlaskForm):
    """Type the code shown when the draft was saved."""

    code = StringField(
        _l("Your code"),
        description=_l("It looks like ABCD-EFGH-JKMN"),
        widget=GovTextInput(),
        filters=[_text_filter(40)],
        validators=[InputRequired(_l("Enter the code you were given")), Length(max=40)],
    )
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())


class EmailResumeForm(FlaskForm):
    """An optional address to send the resume link to; it is not stored."""

    email = EmailField(
        _l("Email address (optional)"),
        description=_l("We will only use this to send you the link. We do not keep it."),
        widget=GovTextInput(),
        filters=[_text_filter(254)],
        validators=[
            InputRequired(_l("Enter your email address")),
            Length(max=254, message=_l("Email address must be 254 characters or fewer")),
            Email(
                message=_l("Enter an email address in the correct format, like name@example.com"),
                check_deliverability=False,
            ),
        ],
    )
    submit = SubmitField(_l("Email me the link"), widget=GovSubmitInput())


class DeleteLookupForm(FlaskForm):
    """Find a response by its reference number to delete it."""

    reference = StringField(
        _l("Reference number"),
        description=_l("It is on the confirmation page, and looks like SW-ABCD-EFGH"),
        widget=GovTextInput(),
        filters=[_text_filter(40)],
        validators=[InputRequired(_l("Enter your reference number")), Length(max=40)],
    )
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())


class DeleteConfirmForm(FlaskForm):
    """Confirm deleting a response."""

    reference = HiddenField()
    submit = SubmitField(_l("Delete my response"), widget=GovSubmitInput())


class AreaSearchForm(FlaskForm):
    """Filter open consultations by postcode (GET, so no CSRF)."""

    class Meta:
        csrf = False

    postcode = StringField(
        _l("Postcode"),
        widget=GovTextInput(),
        filters=[_text_filter(10)],
        validators=[Optional(), Length(max=10)],
    )
