"""Forms for starting theme runs and curating themes."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import BooleanField, IntegerField, RadioField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional


class StartRunForm(FlaskForm):
    """Which question to analyse, with an optional codeframe."""

    question = RadioField(
        _l("Which question do you want to group into themes?"),
        coerce=int,
        widget=GovRadioInput(),
        validators=[InputRequired(_l("Select a question"))],
    )
    seed = IntegerField(
        _l("Random seed"),
        default=42,
        description=_l("The same seed gives the same themes for the same answers."),
        widget=GovTextInput(),
        validators=[
            Optional(),
            NumberRange(min=0, max=2**31 - 1, message=_l("Enter a whole number from 0")),
        ],
    )
    codeframe = StringField(
        _l("Expected themes (optional)"),
        description=_l(
            "One theme per line: name, a colon, a description, a bar, then example words. "
            "For example: Street lighting: dark paths and underpasses | lights, dark, alley"
        ),
        widget=GovTextArea(),
        validators=[
            Length(max=20000, message=_l("Expected themes must be 20,000 characters or fewer"))
        ],
    )
    carry_forward = BooleanField(
        _l("Start from the curated themes of the last run"), widget=GovCheckboxInput()
    )
    submit = SubmitField(_l("Start the analysis"), widget=GovSubmitInput())


class RenameForm(FlaskForm):
    """A person's label and description for a theme."""

    label = StringField(
        _l("Theme name"),
        widget=GovTextInput(),
        validators=[
            DataRequired(_l("Enter a name for the theme")),
            Length(max=200, message=_l("Theme name must be 200 characters or fewer")),
        ],
    )
    description = StringField(
        _l("Description"),
        widget=GovCharacterCount(),
        validators=[Length(max=2000, message=_l("Description must be 2,000 characters or fewer"))],
    )
    submit = SubmitField(_l("Save name and description"), widget=GovSubmitInput())


class NotesForm(FlaskForm):
    """Reviewer's notes and the reviewed mark."""

    notes = StringField(
        _l("Notes"),
        widget=GovTextArea(),
        validators=[Length(max=10000, message=_l("Notes must be 10,000 characters or fewer"))],
    )
    reviewed = BooleanField(_l("I have reviewed this theme"), widget=GovCheckboxInput())
    submit = SubmitField(_l("Save notes"), widget=GovSubmitInput())


class MergeForm(FlaskForm):
    """Merge another theme into this one."""

    other = SelectField(
        _l("Merge this theme with"),
        coerce=int,
        widget=GovSelect(),
        validators=[InputRequired(_l("Select a theme to merge with"))],
    )
    submit = SubmitField(_l("Merge themes"), widget=GovSubmitInput())


class SplitForm(FlaskForm):
    """Split a theme into smaller ones."""

    parts = IntegerField(
        _l("How many themes should this become?"),
        default=2,
        widget=GovTextInput(),
        validators=[
            InputRequired(_l("Enter how many themes")),
            NumberRange(min=2, max=6, message=_l("Enter a number from 2 to 6")),
        ],
    )
    submit = SubmitField(_l("Split theme"), widget=GovSubmitInput())


class MoveForm(FlaskForm):
    """Move one answer to another theme."""

    target = SelectField(
        _l("Move to"), coerce=int, widget=GovSelect(), validators=[InputRequired()]
    )
    submit = SubmitField(_l("Move answer"), widget=GovSubmitInput())
