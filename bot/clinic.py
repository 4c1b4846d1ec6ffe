"""The clinic's own details (clinic.yaml): contacts, the treatment it speaks of, its clinician."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from bot.yamlfile import Checker, KnowledgeError, LineDict, read_yaml

CONTACT_FIELDS = ("name", "phone", "email", "hours", "booking_url", "disclaimer")
# What a patient is told to ask when the bot cannot advise, unless clinic.yaml says otherwise.
DEFAULT_CLINICIAN = "doctor"

# A leaflet's title asks or announces its subject: "What is Laser Skin
# Tightening?", "Hearing Aids: What to Expect", "About dental implants".
_TITLE_ASKS = re.compile(r"^(?:what (?:is|are)|what's|about|all about|introducing|understanding|your guide to|"
                         r"a guide to|guide to|information (?:about|on)|your|having an?)\s+(?:an? |the )?",
                         re.I)
_TITLE_PARTS = re.compile(r"\s*(?:[:|\u2013\u2014]| - )\s*")
# A title part that names who publishes the leaflet ("Riverside Endoscopy Unit", "Northgate NHS Trust").
_PUBLISHER = re.compile(r"\b(?:unit|clinic|hospital|centre|center|practice|trust|department|nhs|ltd|limited|"
                        r"partnership|partners|associates|infirmary|medical group|health board|service|services|team)$"
                        r"|^(?:the\s+)?department of\b", re.I)
_AT_PUBLISHER = re.compile(r"\s+(?:at|from|by)\s+(?:the\s+)?[A-Z][\w'.&-]*(?:\s+[A-Z][\w'.&-]*)*$")
# ... or names the kind of paper first: "Patient information: Sclerotherapy".
_TITLE_LABEL = re.compile(r"^(?:patient |clinic )?(?:information(?: leaflet| sheet)?|leaflet|factsheet|fact sheet)"
                          r"\s*(?:[:|\u2013\u2014]| - )\s*", re.I)
# A title is a few words without a comma; a longer line is a sentence.
_TITLE_WORDS = 10
# The title is one of the leaflet's first lines (the publisher's name may come first).
TITLE_LINES = 3
# Under a publisher's name, a line about the paper itself or a pointer names no treatment.
_NO_SUBJECT = frozenset("it this that leaflet introduction contents version page ref reference date review tel "
                        "telephone phone email www information patients january february march april may june july "
                        "august september october november december".split())
# An aside that qualifies rather than names: "24-hour (and up to 7-day) ...", not "(smear test)".
_ASIDE = re.compile(r"\s*\((?:and|or|up|including|for|with|from|in|at|by)\b[^()]*\)", re.I)
# A number to dial: digits, single spaces or hyphens between them, and perhaps a leading + ("911", "+44 20 7946 0000").
_DIALLED = re.compile(r"\+?\d(?:[ -]?\d)+")
# The widget links only secure web addresses (a booking or privacy page over http would expose what is sent).
_WEB = re.compile(r"https://\S+")


@dataclass(frozen=True)
class Clinic:
    """Who the bot speaks for, and of what."""

    name: str
    phone: str
    email: str
    hours: str
    booking_url: str
    disclaimer: str
    treatment: str
    clinician: str = DEFAULT_CLINICIAN
    privacy_url: str = ""  # the clinic's privacy page, linked from the widget's notice when set
    emergency_phone: str = ""  # the country's emergency number, offered first with urgent advice when set

    def placeholders(self) -> dict[str, str]:
        """What {name}-style placeholders in the clinic's texts stand for."""
        return dict(self.__dict__)


def treatment_from_title(document: str) -> str:
    """A leaflet's subject, from its title ("What are Dental Implants?" -> "dental implants"): its first line,
    or the next when the first only names who publishes it ("Ashcombe Hospital Cardiac Investigations Unit")."""
    for n, line in enumerate([line.strip() for line in document.splitlines() if line.strip()][:TITLE_LINES]):
        if line.endswith("."):  # a sentence: the text has begun
            break
        subject = _title_subject(line)
        if subject and (not n or not set(subject.lower().split()) & _NO_SUBJECT):
            return subject
        if not _publisher_only(line):  # (only a publisher's name comes before the title)
            break
    return "our treatment"


def _publisher_only(line: str) -> bool:
    """A line that only names who publishes the leaflet ("Ashcombe Hospital Cardiac Investigations Unit")."""
    parts = [p.strip() for p in _TITLE_PARTS.split(line) if p.strip()]
    return bool(parts) and all(_PUBLISHER.search(p) for p in parts)


def _title_subject(title: str) -> str:
    """The subject a title names, or ''."""
    # "Riverside Endoscopy Unit: Your Colonoscopy - Patient Information": the part that is neither
    # who publishes it nor what kind of paper it is.
    parts = [p.strip() for p in _TITLE_PARTS.split(_TITLE_LABEL.sub("", _ASIDE.sub("", title))) if p.strip()]
    parts = [_AT_PUBLISHER.sub("", p) if _PUBLISHER.search(p) else p for p in parts]  # "Knee Replacement at X Hospital"
    title = next((p for p in parts if not _PUBLISHER.search(p) and not _TITLE_LABEL.match(p + ":")), "")
    title = " ".join(_TITLE_ASKS.sub("", title).strip(" ?.!:").split())
    if not title or len(title.split()) > _TITLE_WORDS or "," in title:  # a sentence, not a title
        return ""
    # Lower case for use inside sentences, but acronyms ("TMJ", "IVF") stay as written.
    return " ".join(w if w.isupper() and len(w) > 1 else w.lower() for w in title.split())


def read_clinic(folder: Path, document: str, check: Checker) -> Clinic:
    """clinic.yaml, validated; `treatment` defaults to the leaflet's title, `clinician` to a doctor."""
    path = folder / "clinic.yaml"
    data = read_yaml(path)
    if not isinstance(data, LineDict):
        raise KnowledgeError([f"{path.name}:1: expected a mapping of clinic details"])
    check.keys(path, data, {*CONTACT_FIELDS, "treatment", "clinician", "privacy_url", "emergency_phone", "example"},
               "clinic.yaml")
    if data.get("example") is True:
        check.warn(path, data.line_of("example"), "example contact values: put in your clinic's phone, email, "
                   "hours and booking_url, then delete 'example: true'")
    contacts = [check.text(path, data, field) for field in CONTACT_FIELDS]
    booking_url = contacts[CONTACT_FIELDS.index("booking_url")]
    # booking_url may be plain text ("ask at reception"), but a web address must be a secure one.
    if booking_url.lower().startswith("http") and not _WEB.fullmatch(booking_url):
        check.add(path, data.line_of("booking_url"), "'booking_url' must be text or an https:// address")
    privacy_url = check.text(path, data, "privacy_url", required=False)
    if privacy_url and not _WEB.fullmatch(privacy_url):
        check.add(path, data.line_of("privacy_url"), "'privacy_url' must be a web address (https://...)")
    return Clinic(
        *contacts,
        treatment=check.text(path, data, "treatment", required=False) or treatment_from_title(document),
        clinician=check.text(path, data, "clinician", required=False) or DEFAULT_CLINICIAN,
        privacy_url=privacy_url,
        emergency_phone=_emergency_phone(path, data, check),
    )


def _emergency_phone(path: Path, data: LineDict, check: Checker) -> str:
    """The optional emergency number; YAML reads an unquoted 911 as a number, which is taken as written."""
    value = data.get("emergency_phone")
    if value is None:
        return ""
    # 000 (Australia) unquoted would be read as 0: only digits that survive as written are accepted.
    text = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
    if not isinstance(text, str) or not _DIALLED.fullmatch(text.strip()):
        check.add(path, data.line_of("emergency_phone"),
                  "'emergency_phone' must be a phone number in quotes, e.g. \"911\", \"112\" or \"000\" "
                  "(digits, spaces, - and a leading +)")
        return ""
    return text.strip()
