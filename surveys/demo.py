"""Demo consultations with a few hundred realistic responses, for trying the portal and themes.

Answers are composed from phrase banks (seeded, so every load is the same). Where the shared
development data sits beside the project, a few real comments about young people and policing
are mixed in at load time; they are never copied into the repository.
"""

from __future__ import annotations

import csv
import random
from datetime import timedelta
from pathlib import Path
from typing import Any

from portal import PROJECT_ROOT
from portal.areas import services as areas
from portal.clock import utcnow
from surveys import services
from surveys.models import Consultation, Question

SEED = 2024
SHARED_POLIS = (
    PROJECT_ROOT.parent / "shared" / "data" / "polis" / "london.youth.policing.comments.csv"
)

PLACES = {
    "Nuneaton and Bedworth": ["Nuneaton town centre", "Bedworth market", "the Abbey Green estate",
                              "Riversley Park", "Camp Hill", "the bus station in Nuneaton",
                              "Miners Welfare Park", "Queens Road"],
    "North Warwickshire": ["Atherstone high street", "Coleshill", "Polesworth", "Kingsbury",
                           "the Water Orton station car park", "Hartshill"],
    "Rugby": ["Rugby town centre", "Brownsover", "the Clock Towers", "Hillmorton",
              "Caldecott Park", "the railway station subway", "Newbold"],
    "Warwick": ["Leamington Parade", "Lillington", "Warwick Market Place", "Whitnash",
                "the Pump Room Gardens", "Kenilworth Abbey Fields", "Brunswick"],
    "Stratford-on-Avon": ["Stratford Bridgefoot", "Alcester", "Southam", "Shipston",
                          "the Rec by the river", "Wellesbourne", "Studley"],
}  # fmt: skip

ISSUES = [
    ("lighting", [
        "the street lights are off after midnight and it is pitch black walking home from {place}",
        "the path through {place} has no lighting at all, so I avoid it",
        "broken lights near {place} have been reported for months",
    ]),
    ("police", [
        "you never see police on foot in {place} any more",
        "when we ring 101 about {place} nobody comes for hours",
        "a PCSO used to walk round {place} and people knew them, that has stopped",
    ]),
    ("youth", [
        "there is nothing for teenagers to do in {place} so they hang around the shops",
        "the youth club near {place} closed and nothing replaced it",
        "young people get moved on from {place} but there is nowhere else for them to go",
    ]),
    ("knives", [
        "my son says lads at school carry knives because they think everyone else does",
        "there was a stabbing near {place} last year and people are still scared",
        "kids talk about carrying a blade for protection, it is normal to them now",
    ]),
    ("drugs", [
        "there is open drug dealing by {place} in the afternoons",
        "county lines are using kids from round here, everyone knows the flats in {place}",
        "cars pull up outside {place} for a few minutes and leave, it is obviously dealing",
    ]),
    ("asb", [
        "groups on bikes ride at people on the pavement in {place}",
        "shouting, fighting and broken glass most weekends round {place}",
        "older people do not go out after dark in {place} because of the gangs on the corner",
    ]),
    ("cctv", [
        "the CCTV in {place} does not work or nobody watches it",
        "cameras at {place} would make people feel a lot safer",
    ]),
    ("transport", [
        "the last bus from {place} is too early so people walk home through dark areas",
        "waiting at the stop by {place} at night feels unsafe, there is no shelter or light",
    ]),
    ("mental_health", [
        "a lot of the violence is young men with nowhere to turn, mental health support is a joke",
        "waiting lists for CAMHS are over a year, kids fall through the gaps",
    ]),
    ("domestic", [
        "domestic abuse is hidden here, people do not know where to go for help",
        "more refuge places and outreach would help women in {place}",
    ]),
]  # fmt: skip

SUGGESTIONS = {
    "lighting": [
        "Fix the lights and keep them on all night.",
        "Better lighting on the walking routes please.",
    ],
    "police": [
        "Bring back neighbourhood officers we actually know.",
        "More visible patrols on Friday and Saturday nights.",
    ],
    "youth": [
        "Open a proper youth centre with trained youth workers.",
        "Free sports and music sessions in the evenings would keep kids busy.",
    ],
    "knives": [
        "Talks in schools from people who have been affected by knife crime.",
        "Knife bins and more mentoring for lads at risk.",
    ],
    "drugs": [
        "Act on the reports people make, we keep telling you the same addresses.",
        "Disrupt the dealers and support the kids they exploit.",
    ],
    "asb": [
        "Deal with the same few troublemakers instead of punishing everyone.",
        "More wardens and faster responses when people report problems.",
    ],
    "cctv": [
        "Working cameras, monitored at weekends.",
        "Put cameras where the trouble actually happens.",
    ],
    "transport": [
        "Later buses and lit bus stops.",
        "Safe taxi schemes for young people on nights out.",
    ],
    "mental_health": [
        "Counsellors in every school and drop-in support for young men.",
        "Shorter waits for mental health help.",
    ],
    "domestic": [
        "Posters with helpline numbers in GP surgeries and pharmacies.",
        "Training for staff in shops and pubs to spot abuse.",
    ],
}

OPENERS = ["", "Honestly, ", "To be fair ", "As a parent, ", "I have lived here 20 years and ",
           "Speaking as a young person, ", "I work nights and ", "Mostly OK but "]  # fmt: skip
SHORT_ANSWERS = ["Nothing really.", "Not sure.", "More police.", "Better lighting.",
                 "Youth clubs.", "I feel safe where I live.", "No comment"]  # fmt: skip
YOUTH_ANSWERS = [
    "people carry knives because they are scared not because they are bad",
    "teachers should talk about it properly not just one assembly a year",
    "social media makes beef between areas worse, it starts online and ends up in the park",
    "police stop and search the same kids and it makes us not trust them",
    "older lads get younger ones to hold stuff for them",
    "if there was somewhere to go after school nobody would be out on the street",
    "I would tell someone if I knew it was anonymous",
    "youth workers who have been through it are the only ones people listen to",
]  # fmt: skip


def _answer(rng: random.Random, district: str, youth: bool = False) -> tuple[str, str]:
    if rng.random() < 0.08:
        return rng.choice(SHORT_ANSWERS), "none"
    theme, phrases = rng.choice(ISSUES)
    place = rng.choice(PLACES[district])
    sentence = rng.choice(phrases).format(place=place)
    if youth and rng.random() < 0.5:
        sentence = rng.choice(YOUTH_ANSWERS)
        theme = "youth_voice"
    opener = rng.choice(OPENERS)
    text = (opener + sentence) if opener else sentence[0].upper() + sentence[1:]
    text = text[0].upper() + text[1:] + "."
    if theme in SUGGESTIONS and rng.random() < 0.6:
        text += " " + rng.choice(SUGGESTIONS[theme])
    return text, theme


def _real_youth_comments(limit: int = 60) -> list[str]:
    """A few real comments from the shared development data, when it is present."""
    if not SHARED_POLIS.exists():
        return []
    with SHARED_POLIS.open(newline="", encoding="utf-8") as handle:
        comments = [(row.get("comment-body") or "").strip() for row in csv.DictReader(handle)]
    return [c for c in comments if 20 <= len(c) <= 400][:limit]


def _district_ids(*names: str) -> list[int]:
    return [d.id for d in areas.districts() if d.name in names]


def _equality_page(consultation: Consultation) -> dict[str, Question]:
    page = services.add_section(
        consultation,
        "About you (optional)",
        intro=(
            "You do not have to answer these questions. We ask them to check we are hearing "
            "from everyone in the community. Your answers are kept separately from your name, "
            "and are never published in a way that could identify you."
        ),
        commit=False,
    )
    return {
        kind: services.add_question(page, kind, text, commit=False)
        for kind, text in [
            ("equality_age", "What is your age?"),
            ("equality_gender", "What is your gender?"),
            ("equality_ethnicity", "What is your ethnic group?"),
            ("equality_disability", "Do you consider yourself to have a disability?"),
        ]
    }


def _equality_answers(rng: random.Random, qs: dict[str, Question], youth: bool) -> dict:
    from surveys.questions import AGE_BANDS, DISABILITY, ETHNICITIES, GENDERS

    ages = AGE_BANDS[:3] if youth else AGE_BANDS[2:]
    values: dict[Question, Any] = {}
    if rng.random() < 0.8:
        values[qs["equality_age"]] = rng.choice(ages)
        values[qs["equality_gender"]] = rng.choice(GENDERS[:2] * 4 + GENDERS[2:])
        values[qs["equality_ethnicity"]] = rng.choices(ETHNICITIES, [8, 3, 3, 80, 2, 4])[0]
        values[qs["equality_disability"]] = rng.choices(DISABILITY, [15, 75, 10])[0]
    return values


def _feeling_safe(rng: random.Random) -> Consultation:
    today = utcnow().date()
    c = services.create_consultation(
        "Feeling safe in Nuneaton and Bedworth",
        "Tell us where you feel safe, where you do not, and what would help.",
        district_ids=_district_ids("Nuneaton and Bedworth"),
        commit=False,
        status="open",
        opens_on=today - timedelta(days=21),
        closes_on=today + timedelta(days=35),
        background=(
            "The Nuneaton and Bedworth Community Safety Partnership is writing its plan to "
            "prevent serious violence.\n\nWe want to hear from people who live, work or study "
            "in the borough, especially in the areas most affected."
        ),
        privacy_notice=(
            "Warwickshire County Council and Nuneaton and Bedworth Borough Council use your "
            "answers to plan work to prevent violence (public task). We do not ask for your "
            "name. We keep responses for two years, then delete them."
        ),
    )
    p1 = services.add_section(c, "Where you live", commit=False)
    area = services.add_question(
        p1, "district", "Which district or borough do you live in?", required=True, commit=False
    )
    postcode = services.add_question(
        p1, "postcode", "What is your postcode?",
        hint="We only keep the first half, for example CV11. It helps us see which areas need "
             "attention.", commit=False,
    )  # fmt: skip
    p2 = services.add_section(c, "Feeling safe", commit=False)
    day = services.add_question(
        p2, "agreement", "I feel safe in my local area during the day", required=True, commit=False
    )
    night = services.add_question(
        p2, "agreement", "I feel safe in my local area after dark", required=True, commit=False
    )
    p3 = services.add_section(
        c,
        "Your experiences",
        content_note=(
            "The next questions ask about violence, weapons and feeling unsafe. Only answer "
            "what you are comfortable with."
        ),
        commit=False,
    )
    seen = services.add_question(
        p3, "multiple_choice", "In the last year, have you seen any of these near where you live?",
        options=["Fighting in the street", "People carrying knives", "Drug dealing",
                 "Groups intimidating people", "None of these"],
        hint="Select all that apply.", commit=False,
    )  # fmt: skip
    unsafe = services.add_question(
        p3, "free_text", "What makes you feel unsafe, and where?", required=True,
        max_length=1500, hint="Do not include names of people.", commit=False,
    )  # fmt: skip
    p4 = services.add_section(c, "What would help", commit=False)
    priority = services.add_question(
        p4, "single_choice", "What should the partnership do first?", required=True,
        options=["More visible policing", "Activities for young people", "Better lighting and CCTV",
                 "Support for victims", "Tackling drug dealing"], commit=False,
    )  # fmt: skip
    help_text = services.add_question(
        p4, "free_text", "What one thing would make your area safer?", max_length=1000,
        commit=False,
    )  # fmt: skip
    services.add_question(
        p4, "contact_email", "Email address, if you would like updates (optional)",
        hint="Only if you want us to tell you what happens next. We keep it separately from "
             "your answers and delete it when the work is finished.", commit=False,
    )  # fmt: skip
    eq = _equality_page(c)
    weights = {"Nuneaton and Bedworth": 80, "North Warwickshire": 8, "Rugby": 6, "Warwick": 3,
               "Stratford-on-Avon": 3}  # fmt: skip
    scale = [
        "Strongly agree",
        "Agree",
        "Neither agree nor disagree",
        "Disagree",
        "Strongly disagree",
    ]
    for i in range(180):
        district = rng.choices(list(weights), list(weights.values()))[0]
        text, theme = _answer(rng, district)
        values: dict[Question, Any] = {
            area: district,
            day: rng.choices(scale, [20, 40, 20, 12, 8])[0],
            night: rng.choices(scale, [5, 15, 20, 35, 25])[0],
            seen: rng.sample(seen.options[:4], rng.randint(1, 3))
            if rng.random() < 0.8
            else ["None of these"],
            unsafe: text,
            priority: rng.choice(priority.options),
            **_equality_answers(rng, eq, youth=False),
        }
        if rng.random() < 0.3:
            values[postcode] = rng.choice(["CV10 7AB", "CV11 4BX", "CV12 8DQ", "CV11 6HP"])
        if rng.random() < 0.7:
            values[help_text] = rng.choice(SUGGESTIONS.get(theme, ["More police."]))
        services.add_sent_response(
            c, values, submitted_at=utcnow() - timedelta(days=rng.randint(0, 20), minutes=i),
            channel=rng.choices(["online", "paper", "phone"], [90, 7, 3])[0], commit=False,
        )  # fmt: skip
    for i in range(30):
        services.add_draft_response(c, rng.randint(0, 4), utcnow() - timedelta(days=i % 10))
    return c


def _young_people(rng: random.Random) -> Consultation:
    today = utcnow().date()
    c = services.create_consultation(
        "Young people's voice on knife crime",
        "What do young people think would stop knife crime? Tell us in your own words.",
        commit=False,
        countywide=True,
        status="open",
        opens_on=today - timedelta(days=14),
        closes_on=today + timedelta(days=42),
        audience_note="For young people aged 11 to 25 who live, study or work in Warwickshire.",
        background=(
            "Young people told us they want to be listened to, not talked at. This "
            "consultation is run with youth workers across the county.\n\nYou can answer "
            "anonymously. If anything here worries you, talk2someone and Childline can help."
        ),
    )
    p1 = services.add_section(c, "Where you are", commit=False)
    area = services.add_question(p1, "district", "Where do you live?", required=True, commit=False)
    p2 = services.add_section(
        c,
        "Knives and safety",
        content_note="These questions are about knives and violence. You can skip any of them.",
        commit=False,
    )
    carry = services.add_question(
        p2, "single_choice", "Do you think young people in your area carry knives?",
        options=["Yes, a lot", "Some do", "Hardly any", "Don't know"], required=True, commit=False,
    )  # fmt: skip
    why = services.add_question(
        p2, "free_text", "Why do you think some young people carry knives?", max_length=1500,
        condition={"question_id": carry.id, "any_of": ["Yes, a lot", "Some do"]}, commit=False,
    )  # fmt: skip
    p3 = services.add_section(c, "What would help", commit=False)
    agree = services.add_question(
        p3, "agreement", "I would know who to tell if I was worried about someone carrying a knife",
        commit=False,
    )  # fmt: skip
    stop = services.add_question(
        p3, "free_text", "What would stop young people carrying knives?", required=True,
        max_length=1500, commit=False,
    )  # fmt: skip
    eq = _equality_page(c)
    real = _real_youth_comments()
    names = [d.name for d in areas.districts()]
    scale = [
        "Strongly agree",
        "Agree",
        "Neither agree nor disagree",
        "Disagree",
        "Strongly disagree",
        "Don't know",
    ]
    for i in range(170):
        district = rng.choice(names)
        answer = rng.choices(carry.options, [20, 45, 25, 10])[0]
        text, _ = _answer(rng, district, youth=True)
        if real and rng.random() < 0.25:
            text = rng.choice(real)
        values: dict[Question, Any] = {
            area: district,
            carry: answer,
            agree: rng.choice(scale),
            stop: text,
            **_equality_answers(rng, eq, youth=True),
        }
        if answer in ("Yes, a lot", "Some do"):
            values[why] = _answer(rng, district, youth=True)[0]
        services.add_sent_response(
            c, values, submitted_at=utcnow() - timedelta(days=rng.randint(0, 13), minutes=i),
            commit=False,
        )  # fmt: skip
    return c


def _town_centres(rng: random.Random) -> Consultation:
    today = utcnow().date()
    c = services.create_consultation(
        "Safer town centres at night",
        "How safe do town centres feel in the evening, and what should change?",
        district_ids=_district_ids("Warwick", "Stratford-on-Avon", "Rugby"),
        commit=False,
        status="published",
        opens_on=today - timedelta(days=150),
        closes_on=today - timedelta(days=90),
        results_summary=(
            "Around 120 people told us how town centres feel at night. Most felt safe in the "
            "early evening but not after pubs closed.\n\nThe things mentioned most were poor "
            "lighting on the walk home, too few visible patrols at weekends, and the last buses "
            "leaving too early."
        ),
    )
    p1 = services.add_section(c, "About your visit", commit=False)
    area = services.add_question(
        p1, "district", "Which town centre do you use most?", required=True, commit=False
    )
    night = services.add_question(
        p1, "agreement", "I feel safe in the town centre after 10pm", required=True, commit=False
    )
    p2 = services.add_section(c, "What should change", commit=False)
    change = services.add_question(
        p2, "free_text", "What one thing would make the town centre feel safer at night?",
        required=True, max_length=1000, commit=False,
    )  # fmt: skip
    names = ["Warwick", "Stratford-on-Avon", "Rugby", "Nuneaton and Bedworth"]
    scale = [
        "Strongly agree",
        "Agree",
        "Neither agree nor disagree",
        "Disagree",
        "Strongly disagree",
    ]
    for i in range(120):
        district = rng.choices(names, [45, 35, 38, 2])[0]
        text, _ = _answer(rng, district)
        services.add_sent_response(
            c, {area: district, night: rng.choice(scale), change: text},
            submitted_at=utcnow() - timedelta(days=90 + rng.randint(0, 59), minutes=i),
            commit=False,
        )  # fmt: skip
    services.commit()
    for title, description, status, places in [
        ("Street lights on all night on the main walking routes",
         "Warwick District Council and the county highways team have switched the lights on the "
         "routes people named back to all-night lighting.", "done", ["Warwick"]),
        ("Weekend town centre patrols",
         "Police and community wardens patrol together on Friday and Saturday nights.",
         "in_progress", ["Warwick", "Stratford-on-Avon", "Rugby"]),
        ("Later buses on Saturday nights",
         "We are asking bus operators to run a later service on the busiest routes.", "planned",
         ["Rugby"]),
    ]:  # fmt: skip
        services.save_action(c, None, title, description, status, _district_ids(*places))
    return c


def load_demo() -> str:
    """Create the demo consultations (skipped if they are already there)."""
    if services.consultation_by_slug("feeling-safe-in-nuneaton-and-bedworth"):
        return "Consultations: demo data already loaded."
    areas.ensure_districts()
    rng = random.Random(SEED)
    made = [_feeling_safe(rng), _young_people(rng)]
    services.commit()
    made.append(_town_centres(rng))
    services.commit()
    total = sum(services.response_count(c) for c in made)
    return f"Consultations: {len(made)} demo consultations with {total} responses."


def shared_data_path() -> Path:
    """Where the optional shared development data is looked for."""
    return SHARED_POLIS
