"""Forum forms, rendered with GOV.UK Frontend widgets."""

from __future__ import annotations

import re
from datetime import time
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovDateInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    URL,
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput

from forum.models import AGE_GROUPS, PILLARS, SERVICES
from forum.moderation import REPORT_REASONS

BODY_MAX = 20000
_TIME_RE = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")


def clean_text(value: Any) -> Any:
    """Drop NUL characters (PostgreSQL refuses them) and surrounding space."""
    if isinstance(value, str):
        return value.replace("\x00", "").strip()
    return value


def _choices(options: dict[str, str]) -> list[SelectChoice]:
    return [SelectChoice(key, _l(label)) for key, label in options.items()]


def pairs(items: list[tuple[str, Any]]) -> list[SelectChoice]:
    """Choices from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in items]


def _checkboxes(label: Any, options: dict[str, str] | None, message: Any, **kwargs: Any) -> Any:
    return SelectMultipleField(
        label,
        choices=_choices(options) if options else [],
        widget=GovCheckboxesInput(),
        option_widget=CheckboxInput(),
        validators=[DataRequired(message)],
        **kwargs,
    )


class SafeDateField(DateField):
    """A day-month-year date that tolerates any number of parts without failing."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        parts = [clean_text(v) for v in (valuelist or [])][:3]
        parts += [""] * (3 - len(parts))
        self.raw_data = parts
        if not any(parts):
            self.data = None
            return
        super().process_formdata([" ".join(parts)])


class OrganisationForm(FlaskForm):
    """Register an organisation for the directory and the network."""

    name = StringField(
        _l("Organisation name"),
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[
            DataRequired(_l("Enter the organisation's name")),
            Length(max=120, message=_l("Name must be 120 characters or fewer")),
        ],
    )
    registered_number = StringField(
        _l("Charity or company number (optional)"),
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[
            Optional(),
            Length(max=20, message=_l("Number must be 20 characters or fewer")),
        ],
    )
    description = TextAreaField(
        _l("What your organisation does"),
        widget=GovTextArea(),
        filters=[clean_text],
        description=_l("Who you help and how. This appears in the public directory."),
        validators=[
            DataRequired(_l("Describe what your organisation does")),
            Length(max=3000, message=_l("Description must be 3000 characters or fewer")),
        ],
    )
    districts = _checkboxes(
        _l("Districts and boroughs you work in"),
        None,
        _l("Select at least one district or borough"),
    )
    pillars = _checkboxes(
        _l("Which parts of the strategy you work on"),
        PILLARS,
        _l("Select at least one part of the strategy"),
    )
    services = _checkboxes(
        _l("Services you offer"), SERVICES, _l("Select at least one service you offer")
    )
    age_groups = _checkboxes(
        _l("Age groups you work with"), AGE_GROUPS, _l("Select at least one age group")
    )
    contact_name = StringField(
        _l("Contact name"),
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[
            DataRequired(_l("Enter a contact name")),
            Length(max=120, message=_l("Contact name must be 120 characters or fewer")),
        ],
    )
    contact_email = StringField(
        _l("Contact email address"),
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[
            DataRequired(_l("Enter a contact email address")),
            Length(max=254, message=_l("Email address must be 254 characters or fewer")),
            Email(
                message=_l("Enter an email address in the correct format, like name@example.com"),
                check_deliverability=False,
            ),
        ],
    )
    contact_phone = StringField(
        _l("Contact phone number (optional)"),
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[
            Optional(),
            Length(max=40, message=_l("Phone number must be 40 characters or fewer")),
        ],
    )
    website = StringField(
        _l("Website (optional)"),
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[
            Optional(),
            Length(max=300, message=_l("Website address must be 300 characters or fewer")),
            URL(message=_l("Enter a website address like https://www.example.org")),
        ],
    )
    has_safeguarding_policy = RadioField(
        _l("Does your organisation have a safeguarding policy?"),
        choices=pairs([("yes", _l("Yes")), ("no", _l("No"))]),
        widget=GovRadioInput(),
        validators=[InputRequired(_l("Select yes if you have a safeguarding policy"))],
    )
    submit = SubmitField(_l("Send for approval"), widget=GovSubmitInput())

    def validate_website(self, field: StringField) -> None:
        if field.data and not field.data.lower().startswith(("http://", "https://")):
            raise ValidationError(_l("Enter a website address like https://www.example.org"))


class DecisionForm(FlaskForm):
    """Staff approve or reject an organisation."""

    decision = RadioField(
        _l("Decision"),
        choices=pairs([("approve", _l("Approve and list it")), ("reject", _l("Reject it"))]),
        widget=GovRadioInput(),
        validators=[InputRequired(_l("Select approve or reject"))],
    )
    reason = TextAreaField(
        _l("Reason (sent to the organisation)"),
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[Length(max=2000, message=_l("Reason must be 2000 characters or fewer"))],
    )
    submit = SubmitField(_l("Save decision"), widget=GovSubmitInput())

    def validate_reason(self, field: TextAreaField) -> None:
        if self.decision.data == "reject" and not field.data:
            raise ValidationError(_l("Enter the reason for rejecting the organisation"))


class CategoryForm(FlaskForm):
    """Add or change a forum category."""

    name = StringField(
        _l("Category name"),
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[
            DataRequired(_l("Enter a category name")),
            Length(max=120, message=_l("Name must be 120 characters or fewer")),
        ],
    )
    description = TextAreaField(
        _l("Description"),
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[Length(max=500, message=_l("Description must be 500 characters or fewer"))],
    )
    members_only = BooleanField(
        _l("Only approved members can see this category"), widget=GovCheckboxInput()
    )
    position = IntegerField(
        _l("Position in the list"),
        widget=GovTextInput(),
        default=50,
        validators=[
            InputRequired(_l("Enter a position, like 10")),
            NumberRange(min=0, max=1000, message=_l("Position must be between 0 and 1000")),
        ],
    )
    submit = SubmitField(_l("Save category"), widget=GovSubmitInput())


def _body_field(label: Any = None) -> TextAreaField:
    return TextAreaField(
        label or _l("Your message"),
        widget=GovTextArea(),
        filters=[clean_text],
        description=_l(
            "You can use Markdown: **bold**, *italic*, > quote, - list, [link](https://…)."
        ),
        validators=[
            DataRequired(_l("Enter your message")),
            Length(max=BODY_MAX, message=_l("Message must be 20,000 characters or fewer")),
        ],
    )


def _title_field() -> StringField:
    return StringField(
        _l("Title"),
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[
            DataRequired(_l("Enter a title")),
            Length(min=3, max=200, message=_l("Title must be between 3 and 200 characters")),
        ],
    )


class TopicForm(FlaskForm):
    """Start a topic."""

    title = _title_field()
    body = _body_field()
    submit = SubmitField(_l("Post topic"), widget=GovSubmitInput())


class ReplyForm(FlaskForm):
    """Reply to a topic."""

    body = _body_field(_l("Your reply"))
    submit = SubmitField(_l("Post reply"), widget=GovSubmitInput())


class EditPostForm(FlaskForm):
    """Edit a post (the title only shows for a topic's first post)."""

    title = StringField(
        _l("Title"),
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[
            Optional(),
            Length(min=3, max=200, message=_l("Title must be between 3 and 200 characters")),
        ],
    )
    body = _body_field()
    submit = SubmitField(_l("Save changes"), widget=GovSubmitInput())


class ConfirmForm(FlaskForm):
    """A button that needs only the CSRF token (delete, watch, mark read)."""

    submit = SubmitField(_l("Confirm"), widget=GovSubmitInput())


class ReportForm(FlaskForm):
    """Report a post to the moderators."""

    reason = RadioField(
        _l("Why are you reporting this post?"),
        choices=_choices(REPORT_REASONS),
        widget=GovRadioInput(),
        validators=[InputRequired(_l("Select why you are reporting this post"))],
    )
    note = TextAreaField(
        _l("Anything else the moderators should know (optional)"),
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[Length(max=2000, message=_l("Note must be 2000 characters or fewer"))],
    )
    submit = SubmitField(_l("Send report"), widget=GovSubmitInput())


class ReasonForm(FlaskForm):
    """A moderation action and the reason for it (kept in the audit log)."""

    reason = TextAreaField(
        _l("Reason"),
        widget=GovTextArea(),
        filters=[clean_text],
        description=_l("This is kept in the moderation log."),
        validators=[
            DataRequired(_l("Enter the reason")),
            Length(max=2000, message=_l("Reason must be 2000 characters or fewer")),
        ],
    )
    submit = SubmitField(_l("Confirm"), widget=GovSubmitInput())


class SanctionForm(FlaskForm):
    """Warn, suspend, ban or reinstate a member."""

    action = RadioField(
        _l("Action"),
        choices=pairs(
            [
                ("warn", _l("Send a warning")),
                ("suspend", _l("Suspend from posting")),
                ("ban", _l("Ban from the forum")),
                ("reinstate", _l("Reinstate")),
            ]
        ),
        widget=GovRadioInput(),
        validators=[InputRequired(_l("Select an action"))],
    )
    days = IntegerField(
        _l("Days to suspend for"),
        widget=GovTextInput(),
        default=7,
        validators=[
            Optional(),
            NumberRange(min=1, max=365, message=_l("Days must be between 1 and 365")),
        ],
    )
    reason = ReasonForm.reason
    submit = SubmitField(_l("Confirm action"), widget=GovSubmitInput())


class DigestForm(FlaskForm):
    """How often to get the email digest."""

    frequency = RadioField(
        _l("Email digest"),
        choices=pairs(
            [
                ("daily", _l("Daily")),
                ("weekly", _l("Weekly")),
                ("none", _l("Do not email me")),
            ]
        ),
        widget=GovRadioInput(),
        validators=[InputRequired(_l("Select how often to get the digest"))],
    )
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())


def parse_time(value: str | None) -> time | None:
    """Read '18:30' or '6.30' style times; None when it is not a time."""
    match = _TIME_RE.match(value or "")
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


class EventForm(FlaskForm):
    """Post an event."""

    title = _title_field()
    date = SafeDateField(
        _l("Date"),
        widget=GovDateInput(),
        format="%d %m %Y",
        description=_l("For example, 27 3 2027"),
        validators=[DataRequired(_l("Enter the date of the event, like 27 3 2027"))],
    )
    start_time = StringField(
        _l("Start time"),
        widget=GovTextInput(),
        filters=[clean_text],
        description=_l("Use the 24-hour clock, like 18:30"),
        validators=[DataRequired(_l("Enter a start time, like 18:30"))],
    )
    end_time = StringField(
        _l("End time (optional)"),
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[Optional()],
    )
    location = StringField(
        _l("Place"),
        widget=GovTextInput(),
        filters=[clean_text],
        description=_l("Venue and address. Leave empty for an online-only event."),
        validators=[Length(max=300, message=_l("Place must be 300 characters or fewer"))],
    )
    online = BooleanField(_l("This event is online"), widget=GovCheckboxInput())
    online_url = StringField(
        _l("Online joining link (optional)"),
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[
            Optional(),
            Length(max=300, message=_l("Link must be 300 characters or fewer")),
            URL(message=_l("Enter a link like https://meet.example.org/abc")),
        ],
    )
    district = SelectField(
        _l("District or borough"), widget=GovSelect(), choices=[], validate_choice=False
    )
    description = _body_field(_l("Description"))
    submit = SubmitField(_l("Post event"), widget=GovSubmitInput())

    def validate_start_time(self, field: StringField) -> None:
        if parse_time(field.data) is None:
            raise ValidationError(_l("Enter a start time, like 18:30"))

    def validate_end_time(self, field: StringField) -> None:
        end = parse_time(field.data)
        if end is None:
            raise ValidationError(_l("Enter an end time, like 20:00"))
        start = parse_time(self.start_time.data)
        if start is not None and end <= start:
            raise ValidationError(_l("End time must be after the start time"))

    def validate_location(self, field: StringField) -> None:
        if not field.data and not self.online.data:
            raise ValidationError(_l("Enter the place, or say the event is online"))
