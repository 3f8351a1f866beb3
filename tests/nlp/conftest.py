"""Shared NLP fixtures: a synthetic consultation and one fitted run shared by the tests."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from nlp.embeddings import MemoryEmbeddingCache
from nlp.engine import analyse
from nlp.results import AnalysisResult, Answer

SHARED_DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
AREAS = ["North Warwickshire", "Nuneaton and Bedworth", "Rugby", "Warwick", "Stratford-on-Avon"]
PLACES = ["Nuneaton", "Rugby", "Leamington", "Bedworth", "Atherstone", "Kenilworth", "Alcester"]

# Five themes a real serious-violence consultation produces, each with varied wording.
THEMES = {
    "lighting": [
        "The street lighting in {p} is so poor that I avoid walking home after dark.",
        "Better lighting in the alleys and underpasses of {p} would make people feel safer.",
        "Too many street lights are broken near the station in {p}, it feels unsafe at night.",
        "Fix the lights in the park in {p}; it is pitch black and people get attacked there.",
        "Dark paths and no lighting around the {p} estate make women scared to go out.",
    ],
    "youth": [
        "There is nothing for teenagers to do in {p} so they hang around and get into trouble.",
        "Reopen the youth club in {p}; young people need somewhere safe to go in the evening.",
        "More sports clubs and activities for young people in {p} would keep them off the street.",
        "Youth workers in {p} used to stop kids being drawn into gangs, bring them back.",
        "Free football, boxing and music sessions for kids in {p} would help a lot.",
    ],
    "police": [
        "We never see police officers on foot patrol in {p} any more.",
        "More visible policing in {p} town centre on Friday and Saturday nights please.",
        "When I reported the assault in {p} the police took hours to turn up.",
        "PCSOs walking the beat in {p} would reassure residents and deter crime.",
        "The police station in {p} closed and response times are far too slow now.",
    ],
    "knives": [
        "Knife crime among teenagers in {p} terrifies me, my son says lots of boys carry blades.",
        "Schools in {p} should teach the real consequences of carrying a knife.",
        "Knife arches and weapon sweeps in {p} would stop young people carrying knives.",
        "After the stabbing in {p} parents are frightened to let their children out.",
        "Tougher sentences for carrying knives and machetes in {p} are needed.",
    ],
    "drugs": [
        "Drug dealing happens openly outside the shops in {p} every evening.",
        "County lines gangs are using children to sell drugs in {p}.",
        "The smell of cannabis and dealers on bikes in {p} make the area feel lawless.",
        "Treatment for addiction in {p} would cut the crime that drug users commit.",
        "Crack houses in {p} need closing down, the drug dealing brings violence.",
    ],
}
NEAR_EMPTY = ["no", "n/a", "Nothing.", "none", "nothing really", "-", "Don't know", "N/A"]
CAMPAIGN = (
    "I support the Safer Streets campaign: close the late-night off-licences on Queens Road "
    "which fuel violence every weekend{tail}"
)
FOREIGN = [
    "Potrzebujemy więcej policji na ulicach wieczorem, bo ludzie boją się wychodzić z domu.",
    "Nie ma nic do roboty dla młodzieży w naszym mieście i dlatego powstają gangi.",
    "Necesitamos más iluminación en las calles porque por la noche es muy peligroso caminar.",
    "Il faut plus de policiers dans les rues le soir pour que les gens se sentent en sécurité.",
]


def consultation(seed: int = 0, per_theme: int = 24) -> list[Answer]:
    """A synthetic consultation: five themes, near-empty answers, a campaign, other languages."""
    rng = random.Random(seed)
    answers: list[Answer] = []

    def add(text: str) -> None:
        answers.append(Answer(f"a{len(answers)}", text, rng.choice(AREAS)))

    for templates in THEMES.values():
        for k in range(per_theme):
            text = templates[k % len(templates)].format(p=rng.choice(PLACES))
            if rng.random() < 0.3:
                text += rng.choice([" Thank you.", " Please act soon.", " It has got worse."])
            add(text)
    for k in range(12):
        add(NEAR_EMPTY[k % len(NEAR_EMPTY)])
    for k in range(8):
        add(CAMPAIGN.format(tail="." if k % 2 else "!"))
    for text in FOREIGN:
        add(text)
    rng.shuffle(answers)
    return answers


@pytest.fixture(scope="session")
def answers() -> list[Answer]:
    return consultation()


@pytest.fixture(scope="session")
def cache() -> MemoryEmbeddingCache:
    return MemoryEmbeddingCache()


@pytest.fixture(scope="session")
def progress_calls() -> list[tuple[str, int, int]]:
    return []


@pytest.fixture(scope="session")
def result(answers, cache, progress_calls) -> AnalysisResult:
    """One fitted run shared by the engine tests."""
    return analyse(
        answers, seed=7, cache=cache, progress=lambda s, d, n: progress_calls.append((s, d, n))
    )


@pytest.fixture(scope="session")
def patient_feedback():
    """The real NHS patient feedback set (skips when ../shared/data is not there)."""
    path = SHARED_DATA / "patient-feedback" / "phase1_text_data.csv"
    if not path.exists():
        pytest.skip(f"development data not found at {path}")
    import pandas as pd

    return pd.read_csv(path)
