"""The rule patterns, written in a small notation and compiled to spaCy Matcher patterns.

Notation, one pattern per string, tokens separated by spaces:
  `a|b`     a token whose lemma (lower-cased, kept in NORM by the rules module) is a word
  `=a|b`    a token whose lower-case text is one of the words (pronouns, slang, spellings)
  `@NAME`   a word class from `WORD_CLASSES`
  `?tok`    the token is optional
  `*N`      up to N tokens of anything
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from nlp.safeguarding.categories import (
    CRIME_INFORMATION,
    DOMESTIC_ABUSE,
    EXPLOITATION,
    RISK_TO_OTHERS,
    RISK_TO_SELF,
)

# Word classes; those in SURFACE_CLASSES match the lower-case text, the rest the lemma.
SURFACE_CLASSES = frozenset({"ME", "MY", "SELF", "HE", "OBJ", "FUTURE", "PASSIVE"})
WORD_CLASSES: dict[str, tuple[str, ...]] = {
    "ME": ("me", "myself", "us", "i", "we", "ourselves", "meself"),
    "MY": ("my", "our", "me", "mi"),
    "SELF": ("myself", "herself", "himself", "themselves", "themself", "ourselves", "meself"),
    "HE": ("he", "she", "hes", "shes", "they", "theyre", "theyll", "he'll", "she'll"),
    "PARTNER": (
        "husband",
        "wife",
        "partner",
        "boyfriend",
        "girlfriend",
        "bf",
        "gf",
        "ex",
        "fiance",
        "fiancé",
        "hubby",
        "dad",
        "stepdad",
        "step-dad",
        "father",
        "mum",
        "mother",
        "mom",
        "stepmum",
        "brother",
        "sister",
        "son",
        "daughter",
        "uncle",
        "aunt",
        "grandad",
        "nan",
        "carer",
        "fella",
        "missus",
        "stepfather",
    ),
    "WEAPON": (
        "knife",
        "knives",
        "blade",
        "machete",
        "gun",
        "firearm",
        "weapon",
        "shank",
        "hammer",
        "bat",
        "axe",
        "acid",
        "crossbow",
        "zombie",
        "shotgun",
        "baton",
        "rambo",
        "nunchucks",
        "shiv",
        "strap",
        "skeng",
        "bottle",
    ),
    "HURT": (
        "stab",
        "shank",
        "kill",
        "hurt",
        "batter",
        "beat",
        "hit",
        "punch",
        "kick",
        "slash",
        "shoot",
        "jump",
        "attack",
        "strangle",
        "choke",
        "rape",
        "glass",
        "murder",
        "smack",
        "slap",
        "knife",
        "bang",
        "merk",
        "wet",
        "bore",
        "burst",
        "rush",
        "lamp",
        "deck",
        "cut",
        "assault",
        "throttle",
        "headbutt",
        "bottle",
        "do",
        "get",
        "end",
        "raped",
        "stabbed",
        "shanked",
        "battered",
        "beaten",
        "strangled",
        "choked",
        "assaulted",
        "slashed",
        "shot",
        "glassed",
        "punched",
        "kicked",
        "attacked",
        "merked",
        "hurted",
        "jumped",
    ),
    "DA_VERB": (
        "hit",
        "beat",
        "punch",
        "kick",
        "slap",
        "smack",
        "push",
        "shove",
        "strangle",
        "choke",
        "throttle",
        "hurt",
        "abuse",
        "rape",
        "threaten",
        "batter",
        "attack",
        "bite",
        "spit",
        "throw",
        "drag",
        "pin",
        "lock",
        "stalk",
        "control",
        "force",
        "hate",
        "kill",
        "grab",
        "headbutt",
        "bully",
        "harass",
        "scream",
        "shout",
        "belittle",
        "isolate",
        "watch",
        "track",
        "raped",
        "beaten",
        "strangled",
        "choked",
        "battered",
        "abused",
        "controlling",
        "kicked",
        "punched",
        "slapped",
        "pushed",
        "threatened",
    ),
    "PASSIVE": (
        "was",
        "got",
        "been",
        "get",
        "were",
        "being",
        "gets",
        "getting",
        "am",
        "is",
        "'m",
        "m",
        "keep",
        "keeps",
        "kept",
    ),
    "FUTURE": (
        "gonna",
        "going",
        "will",
        "'ll",
        "ll",
        "would",
        "'d",
        "d",
        "gon",
        "wanna",
        "want",
        "wants",
        "shall",
        "might",
        "about",
    ),
    "PLACE": (
        "house",
        "flat",
        "garage",
        "garages",
        "car",
        "van",
        "shop",
        "park",
        "gate",
        "toilet",
        "toilets",
        "pub",
        "alley",
        "alleyway",
        "estate",
        "street",
        "road",
        "close",
        "lane",
        "avenue",
        "corner",
        "bushes",
        "hedge",
        "hedges",
        "field",
        "rec",
        "station",
        "takeaway",
        "lock-up",
        "lockup",
        "garden",
        "shed",
        "loft",
        "number",
        "block",
        "stairwell",
        "underpass",
        "canal",
        "bridge",
        "carpark",
        "bookies",
        "bin",
        "back",
        "skate",
        "school",
        "lock",
        "unit",
        "yard",
    ),
    "DRUG": (
        "drug",
        "drugs",
        "weed",
        "crack",
        "coke",
        "cocaine",
        "heroin",
        "cannabis",
        "gear",
        "ket",
        "ketamine",
        "pill",
        "pills",
        "bud",
        "food",
        "white",
        "brown",
        "stuff",
    ),
    "PACKAGE": ("package", "parcel", "bag", "bags", "stuff", "drug", "drugs", "phone", "box"),
    "GIFT": (
        "cash",
        "money",
        "trainers",
        "vape",
        "vapes",
        "vodka",
        "alcohol",
        "weed",
        "phone",
        "phones",
        "lift",
        "lifts",
        "drink",
        "drinks",
        "clothes",
        "gift",
        "gifts",
        "present",
        "presents",
        "fags",
        "trainer",
    ),
}


@dataclass(frozen=True)
class Rule:
    """One named rule: its patterns, the category it points to and how much it counts."""

    name: str
    category: str
    weight: float
    patterns: tuple[str, ...]
    # "person": needs a first-person word in the sentence; "place": a specific place or
    # a witness ("I saw"); "none": the wording is specific enough on its own.
    anchor: str = "person"
    # False when the pattern already contains the negation ("don't want to live").
    negatable: bool = True
    # Words that, straight after the match, make it ordinary ("don't want to live *in*...").
    not_followed_by: frozenset[str] = frozenset()
    # True when a noun straight after the match makes it ordinary ("can't do this *survey*").
    not_followed_by_noun: bool = False
    # A regular expression the whole text must contain for the rule to count (context such as
    # a bereavement for "I want to be with him again"); "" when none is needed.
    requires: str = ""
    # False for slang that the parser tends to tag as a noun modifier ("kms fr").
    modifier_check: bool = True


S, V, D, E, C = RISK_TO_SELF, RISK_TO_OTHERS, DOMESTIC_ABUSE, EXPLOITATION, CRIME_INFORMATION

RULES: tuple[Rule, ...] = (
    # --- risk to self
    Rule(
        "harm_self",
        S,
        1.0,
        (
            "kill|hurt|harm|cut|burn|hang|starve|unalive|punish|hit|drown|poison|strangle|"
            "choke|stab|scratch|bruise|kil @SELF",
            "do to @SELF",
        ),
        anchor="none",
    ),
    Rule("self_harm", S, 0.9, ("self ?- harm|harming|harmed", "=selfharm|selfharming|sh'ing")),
    Rule(
        "suicide",
        S,
        0.9,
        (
            "suicidal|suicide",
            "=suicidal|suicide",
        ),
    ),
    Rule(
        "end_life",
        S,
        1.0,
        (
            "end|take|ending|taking =my|her|his|their ?=own life",
            "end|ending =it ?=all",
        ),
        anchor="none",
    ),
    Rule(
        "self_slang",
        S,
        0.95,
        (
            "=kms|kmsl|kmss|unalive|unaliving|unalived|unalivin",
            "=sh =again|agen|agn|tonight|today|yesterday|deeper|relapse|urges|scars|cuts",
            "=been|started|start|keep|did|done =sh|shing|sh'ing|sh-ing",
            "=relapsed|relapse|relapsing =with|on|into =sh|self|cutting",
        ),
        anchor="none",
        modifier_check=False,
    ),
    Rule(
        "relapse",
        S,
        0.6,
        ("=relapsed|relapse|relapsing",),
        not_followed_by=frozenset({"on", "into", "with"}),
        anchor="none",
    ),
    Rule(
        "want_to_die",
        S,
        0.9,
        (
            "want|wish|wanna|wan ?=to die|dying",
            "=wanna =die",
            "=rather =be =dead",
            "better|happier *2 =off ?=if *3 =dead",
            "better|happier *2 =without =me",
            "=as =well =be =dead",
            "=if =i =was|were =dead",
            "miss =me =if =i =was|were|am =gone",
            "=burden",
            "cope|manage|do *2 =fine|better|ok|okay|alright =without =me",
            "=waste =of =space|oxygen|air",
            "=had =enough =of =being =alive|here|living|life",
            "=tired|sick =of =being =alive|here|me",
            "=waiting =for =it|life|everything =to =be =over|end",
            "=wish =i =was|were|wasn't|wasnt|had|hadn't|'d|d =never|not|n't|dead|gone|born",
            "=stop =existing|exsisting",
            "=want|wanna|wan|wish *2 =out =of =life|this =life|world",
        ),
    ),
    Rule(
        "passive_ideation",
        S,
        0.9,
        (
            "cope|manage *2 =fine|better|ok|okay =if =i =went|was|wasn't|wasnt|weren't|died",
            "=if =i =was|wasn't|wasnt|weren't|werent =n't|not|nt =here|around|alive",
            "=if =i =wasn't|wasnt|weren't|werent =here|around|alive",
            "=n't|nt|not|never =make =it =through|past",
        ),
        negatable=False,
    ),
    Rule(
        "suicide_misspelt",
        S,
        0.9,
        ("=sucidal|suicidle|suacidal|sucide|suicde|suiside|suicidel|suicidall|suisidal",),
        modifier_check=False,
    ),
    Rule(
        "disappear",
        S,
        0.8,
        ("=want|wanna|wan|wish|like *3 =disappear|vanish",),
        not_followed_by=frozenset(
            {"off", "from", "for", "to", "into", "abroad", "on", "in", "with"}
        ),
    ),
    Rule(
        "never_wake",
        S,
        1.0,
        (
            "=hope|hoping|hoped|wish|wishing|pray|praying|want|wanna *4 =n't|nt|not|never =wake",
            "=never|not|n't|nt =wake|waking =up =again",
            "=not|n't|nt|never =waking =up",
            "=go|going|went =to =sleep =and =never|not =wake",
        ),
        negatable=False,
    ),
    Rule(
        "what_point",
        S,
        0.9,
        (
            "=what =s|'s|is ?=even =the =point",
            "=what's|whats ?=even =the =point",
            "=what|what's|whats *2 =point =of =living|life|me|anything|being|going|trying|"
            "carrying|it|existing|bothering",
        ),
        negatable=False,
        not_followed_by=frozenset({"of", "in", "to", "asking", "having", "doing", "if", "when"}),
    ),
    Rule(
        "rejoin_dead",
        S,
        0.9,
        (
            "want|wanna|wish|long|rather|go|going|need *4 =join =him|her|them|my|mum|dad|nan",
            "=be =with =him|her|them|my ?@PARTNER =again|now",
            "want|wanna|wish|rather|go|going|need *2 =be =with =him|her|them|my ?=mum|dad|nan|"
            "grandad|brother|sister|son|daughter|husband|wife|partner",
            "=wherever|where =he|she|they =is|are|'s|s|went|gone",
            "=follow =him|her|them",
            "=live|living|cope|go =on =without =him|her|them",
        ),
        requires=r"\b(died|dead|passed|passing|gone|lost|losing|death|funeral|grave|heaven|rip"
        r"|killed|buried|bereave\w*)\b",
    ),
    Rule(
        "suicide_method",
        S,
        0.9,
        (
            "step|stepping|jump|jumping|walk|walking|throw|throwing|lie|lying|run|running|stand|"
            "standing *3 =in =front =of *2 =train|trains|lorry|lorries|bus|car|cars|traffic|one",
            "=into|in =traffic",
            "=drive|driving|drove|swerve|swerving|steer *3 =into|off =a|the *1 =wall|tree|lorry|"
            "bridge|river|canal|motorway",
            "=how =to =kill|hang|drown|poison|unalive|overdose|suffocate|od =yourself|urself|"
            "myself|oneself|yaself|u|your|my",
            "=how =to =end =it|your|my",
            "=how =many =paracetamol|pills|tablets|sleeping|paracetamols",
            "=ways =to =die|end|kill",
            "=noose",
            "=on =the =railway|tracks|train =line|tracks",
        ),
    ),
    Rule(
        "goodbye",
        S,
        0.8,
        (
            "=my =last|final =post|message|text|snap|goodbye|words",
            "=said|saying|say|sayin =my|her|his|their =goodbyes|goodbye",
            "=sorry =for =everything",
            "=need *3 =where =i|im|i'm ?=m|'m|am =going",
            "=wo|won't|wont|not|n't|nt =be =around|here =much =longer|for|to",
        ),
        anchor="none",
    ),
    Rule(
        "putting_affairs_in_order",
        S,
        0.45,
        (
            "give|gave|giving|given ?=away =all|my|everything *4 =stuff|things|belongings|"
            "possessions|away|xbox|clothes|games|phone",
            "write|wrote|written|writing *3 =letters|notes|letter|note =for|to =my|everyone|"
            "everybody|each",
        ),
    ),
    Rule(
        "no_will_to_live",
        S,
        1.0,
        (
            "=not|n't|nt|never|no =want|wanna|wan ?=to live|living|be|exist|wake",
            "=n't|nt|not|dont|don't want|wanna|wan ?=to =be =here|alive|around",
            "=not|n't|nt|never ?=to =wake =up",
            "=not|n't|nt|never|isnt|aint *1 worth =living|live|it",
            "=no =point *3 =living|live|life|anything|on|going|carrying|trying",
            "=no =reason =to =live",
            "=can't|cant|cannot|n't|nt =cope|go|carry|do =on|anymore|this|more|any",
            "=what's|whats =the =point",
            "=disappear =forever",
        ),
        negatable=False,
        not_followed_by_noun=True,
        not_followed_by=frozenset(
            {
                "in",
                "near",
                "round",
                "around",
                "with",
                "like",
                "somewhere",
                "anywhere",
                "there",
                "next",
                "on",
                "here",
                "where",
                "without",
                "through",
                "under",
                "by",
            }
        ),
    ),
    Rule(
        "overdose",
        S,
        0.9,
        ("overdose|overdosed|od'd|=od", "take|took|swallow *3 =all *3 pill|tablet"),
    ),
    Rule(
        "suicide_plan",
        S,
        0.8,
        (
            "=goodbye =message|messages|note|notes|letter",
            "=suicide =note",
            "buy|bought|get|got|have|has|find|found|order|ordered *2 =rope|ropes",
            "jump|jumping|throw =off|from|in|into *2 =bridge|roof|building|cliff|train|motorway|m6|"
            "m40|m69|canal|river|car|carpark",
            "=standing|stood =on|at =the|a =bridge|edge|roof|ledge",
            "save|saved|saving|stockpile|stockpiling *3 pill|tablet|paracetamol",
        ),
    ),
    Rule(
        "self_injury_body",
        S,
        0.8,
        (
            "cut|cutting|slice|burn|burnt|scratch|scratching|carve|carving|scrape|scraping "
            "=my|his|her|their|me =arm|arms|wrist|wrists|leg|legs|thigh|thighs|skin|stomach|hip|"
            "hips|chest",
            "=started|start|been|keep|still|keeps =cutting|burning|scratching ?=again",
            "bang|hit *1 =my|his|her =head =on|against",
            "starve =myself|herself|himself",
        ),
        not_followed_by=frozenset({"on", "playing", "while", "back", "down", "up", "off"}),
        not_followed_by_noun=True,
    ),
    # --- risk to others, weapons and violence
    Rule(
        "threat_to_me",
        V,
        0.9,
        (
            "threaten|threatened|threatening|threat =me|us|my",
            "=threats|threat *3 =me|us|my|i",
            "=death =threats|threat",
            "get|getting|got|receive|had|keep *2 =threats",
        ),
        anchor="none",
    ),
    Rule(
        "violence_to_me",
        V,
        0.9,
        (
            "@HURT =me|us|my",
            "@FUTURE *2 @HURT =me|us|my",
            "=said|says|saying|told|say *4 @HURT =me|us|my",
            "=im|i'm =next",
            "=i =am|m =next",
        ),
        anchor="none",
    ),
    Rule(
        "victim_of_violence",
        V,
        0.9,
        (
            "@PASSIVE ?=badly|then|just stab|stabbed|shank|shanked|jump|jumped|mug|mugged|rob|"
            "robbed|attack|attacked|assault|assaulted|beat|beaten|glass|glassed|shoot|shot|punch|"
            "punched|kick|kicked|chase|chased|slash|slashed|rape|raped|batter|battered|threaten|"
            "threatened|knife|knifed|merk|merked|wet|bottled|bottle|follow|followed|"
            "corner|cornered|spiked|spike",
            "=at =knifepoint|gunpoint",
            "=beaten|beat =up",
            "=shot =at",
        ),
    ),
    Rule(
        "weapon_on_me",
        V,
        0.9,
        (
            "pull|pulled|draw|drew|flash|flashed|wave|waved|point|pointed *2 @WEAPON =on|at",
            "=with =a|an|his|her|their ?=big @WEAPON",
            "come|coming *3 =with *1 @WEAPON",
        ),
        anchor="none",
    ),
    Rule(
        "weapon_held",
        V,
        0.75,
        (
            "carry|keep|have|bring|show|hide|has|got|own|buy|take|pack *3 @WEAPON",
            "@WEAPON =in|under|on *2 =his|her|their|my|bag|bed|room|pocket|waistband",
        ),
    ),
    Rule(
        "intent_to_harm",
        V,
        0.85,
        (
            "@FUTURE *2 stab|shank|kill|batter|hurt|beat|slash|shoot|murder|merk|wet|jump|do|sort "
            "=him|her|them|someone|somebody|sum1|people|a|that|the|this|kid|lad|boy",
            "want|wanna *2 hurt|kill|stab|get|batter =the|them|him|her",
            "=revenge",
            "=planning|plan =to =jump|get|stab|hurt",
        ),
    ),
    Rule(
        "following_me",
        V,
        0.7,
        (
            "keep|keeps|kept *1 =following|chasing|watching|messaging =me",
            "=know|knows =where =i|we =live",
            "come|coming =for =me|us|my|him|her|the",
            "smash *2 =my|our =window|windows|car|door",
            "=turning|turns|turned|turn =up =at =my|our",
        ),
    ),
    # --- domestic abuse
    Rule(
        "partner_violence",
        D,
        1.0,
        (
            "=my|our|mum's|mums|mom's|me|mi ?=new|step|ex|own @PARTNER *4 @DA_VERB",
            "@DA_VERB *1 =by =my|our ?=new|step|ex @PARTNER",
        ),
        anchor="none",
    ),
    Rule(
        "abuser_pronoun",
        D,
        0.6,
        (
            "=he|she|hes|shes *3 hit|beat|punch|kick|slap|smack|push|shove|strangle|choke|throttle|"
            "abuse|rape|lock|grab|drag|bite|control|stalk|raped|kicked|punched|beaten|strangled "
            "=me|us|my|her|him",
            "lock|locks|locked =me|us =in",
            "take|takes|took|keep|keeps *3 =my|our =money|benefits|pension|wages|card|phone|keys",
            "check|checks|checked|go|goes *2 =my =phone|messages",
            "smash|smashed|break|broke *1 =my =phone",
        ),
        anchor="none",
    ),
    Rule(
        "controlling",
        D,
        0.8,
        (
            "=wont|won't|doesnt|doesn't|n't|not|never =let =me",
            "=not =allowed =to",
            "=wo|ca|does|do =n't|nt =let =me",
        ),
        anchor="none",
        negatable=False,
    ),
    Rule(
        "abuse_context",
        D,
        0.9,
        (
            "=while|when =i =was|were =pregnant",
            "=no =one|one|body =would|will =believe =me|a",
            "=nobody =would|will =believe =me|a",
            "=bruise|bruises|bruised",
            "=walking =on =eggshells",
            "=been =with =him|her *3 =years|year|months",
            "=make =my =life =hell",
        ),
    ),
    Rule(
        "abuse_at_home",
        D,
        0.9,
        (
            "abuse|abused|abusing ?@PASSIVE =at =home",
            "@PASSIVE =abused",
            "=abusive =ex|partner|relationship|husband|wife|boyfriend|girlfriend|dad|father|home",
            "=domestic =violence|abuse",
            "=hit|hurt =at =home",
            "force|forced|make|made =me ?=to =have =sex",
            "=stalking|stalks|stalk|stalked =me",
        ),
    ),
    Rule(
        "afraid_at_home",
        D,
        0.85,
        (
            "scared|afraid|frightened|terrified =of =my|him|her|mum's ?=new|step|ex @PARTNER",
            "scared|afraid|frightened|terrified =of =him|her",
            "scared|afraid|frightened|terrified =to =go =home",
            "scared|afraid|frightened|terrified =of =going =home",
            "=if =i =leave|left",
        ),
    ),
    # --- child exploitation and grooming
    Rule(
        "made_to_carry",
        E,
        0.9,
        (
            "make|made|making|force|forced|forcing|tell|told|get|got *3 ?=to sell|carry|deliver|"
            "run|hold|move|drop|shot|cotch|traffic",
            "=run|running|ran|carry|carrying|hold|holding|sell|selling|deliver|delivering|work|"
            "working|shotting|shot =for =them|some|him|a|older|these|those|the",
            "@PASSIVE =made|forced|paid =to",
        ),
    ),
    Rule(
        "drug_debt",
        E,
        0.9,
        (
            "owe|owes|owed *3 =them|him|money|a|dealer|dealers|people",
            "=in =debt",
            "=work =it =off",
        ),
    ),
    Rule(
        "county_lines_person",
        E,
        0.85,
        ("do|doing|involve|involved|work|working|get|got|run|running|into *2 =county =lines|line",),
    ),
    Rule(
        "county_lines",
        E,
        0.85,
        (
            "=plugged|plug",
            "=going =cunch|country|ot",
            "=burner|trap|line|work =phone",
            "=cuckoo|cuckooed|cuckooing",
            "=taken|take|took =over =my|his|her|their|our =flat|house|home|place",
            "=moved|move|moving =into *2 =flat|house|home|place",
            "use|using|uses *2 =flat|house|home =to",
            "=let =them =stay",
        ),
        anchor="none",
    ),
    Rule(
        "recruiting",
        E,
        0.8,
        (
            "=recruit|recruiting|recruited|recruits *4 =to|into",
            "=give|giving|gave|gives *4 =kids|children|girls|boys *2 "
            "=vapes|vodka|alcohol|drugs|lifts",
        ),
        anchor="none",
    ),
    Rule(
        "package_run",
        E,
        0.75,
        (
            "take|taking|took|carry|carrying|hold|holding|keep|keeping|drop|dropping|deliver|move "
            "*3 @PACKAGE *3 =to|at|for|on|in",
        ),
    ),
    Rule(
        "online_grooming",
        E,
        0.95,
        (
            "ask|asking|asked|want|wants|beg *3 ?=for *2 =nudes|pics|pictures|photos|pic|nude|"
            "videos|vids",
            "send|sent|share|post *3 ?=my =nudes|nude",
            "=keep =it ?=a =secret",
            "=not =to =tell =my|anyone",
            "=meet =me|up *2 =irl|alone|secretly",
            "=mature =for =her|his|my|your =age",
        ),
        anchor="none",
    ),
    Rule(
        "older_adult",
        E,
        0.85,
        (
            "groom|groomed|grooming",
            "=older =boyfriend|man|men|guy|guys|lads|boys|girls",
            "=grown =man|men|woman|adult",
            "give|gives|gave|giving|buy|buys|bought *5 @GIFT",
            "=home =with *4 @GIFT",
            "=home =with *3 =designer|new|expensive",
            "=sex =with =a|an =\\d+",
            "=go|goes|going|went|keeps =missing",
            "=year =old =boyfriend|girlfriend",
            "=message|messages|messaging|messaged =me|her|him =at =night",
        ),
    ),
    # --- information about a particular crime
    Rule(
        "drug_premises",
        C,
        0.9,
        (
            "=drug|crack|trap =den|house|flat",
            "=cannabis|weed =factory|farm",
            "=brothel",
            "grow|grows|growing =cannabis|weed|skunk",
        ),
        anchor="none",
    ),
    Rule(
        "dealing_at_place",
        C,
        0.8,
        (
            "sell|selling|sells|deal|dealing|deals|sold *4 =from|out|outside|behind|in|at|by|"
            "round|near|around|on *3 @PLACE",
            "@PLACE *6 =is|are|'s|s =selling|dealing|sell|deal",
            "=front =for",
            "=used =to =move|sell|store|hide",
            "=let|lets =them =deal|sell",
            "sell|deal|dealing|selling|deals|sells =out =of|from =it|there|them",
        ),
        anchor="place",
    ),
    Rule(
        "stash",
        C,
        0.8,
        (
            "hide|hidden|hid|stash|stashed|store|stored *4 =in|at|under|behind|by *2 @PLACE",
            "keep|keeps|kept =the|a|their|his|her|them|it|some|all|guns|knives|drugs *3 "
            "=in|at|under|behind|by *2 @PLACE",
            "@WEAPON *2 =hidden|stashed|kept|stored",
        ),
        anchor="place",
    ),
    Rule(
        "witness",
        C,
        0.9,
        (
            "=know|knew|saw|seen|see =who|where *5 =did|done|stabbed|robbed|shot|attacked|keep|"
            "started|set|hid|kill|killed|nicked|hide|deal|sells",
            "=did|done =the =robbery|stabbing|arson|burglary|shooting|attack|murder|fire",
        ),
        anchor="none",
    ),
)


def compile_pattern(notation: str) -> list[dict[str, Any]]:
    """Turn one pattern in the notation above into a spaCy Matcher token pattern."""
    tokens: list[dict[str, Any]] = []
    for raw in notation.split():
        if raw.endswith("?") and len(raw) > 1:
            raise ValueError(f"Optional marks go first ('?{raw[:-1]}'), in pattern {notation!r}")
        optional = raw.startswith("?") and len(raw) > 1
        word = raw[1:] if optional else raw
        if word.startswith("*") and word[1:].isdigit():
            tokens.append({"OP": f"{{0,{int(word[1:])}}}"})
            continue
        if word.startswith("@"):
            attr = "LOWER" if word[1:] in SURFACE_CLASSES else "NORM"
            spec: dict[str, Any] = {attr: {"IN": list(WORD_CLASSES[word[1:]])}}
        elif word.startswith("="):
            options = word[1:].split("|")
            spec = {"LIKE_NUM": True} if options == ["\\d+"] else {"LOWER": {"IN": options}}
        else:
            spec = {"NORM": {"IN": word.split("|")}}
        if optional:
            spec["OP"] = "?"
        tokens.append(spec)
    return tokens


def lemma_vocabulary() -> frozenset[str]:
    """Every word the patterns expect to find as a lemma (used to catch lemmatiser slips)."""
    words: set[str] = set()
    for name, members in WORD_CLASSES.items():
        if name not in SURFACE_CLASSES:
            words.update(members)
    for rule in RULES:
        for notation in rule.patterns:
            for raw in notation.split():
                word = raw.lstrip("?")
                if word and word[0] not in "=@*":
                    words.update(word.split("|"))
    return frozenset(words)
